"""Benchmark: for each interactive map, HTML generation time, file size, and time to physics stabilisation
in headless Chromium (``window.nlmg.timing.stabilizedMs``, median of 3 loads). Prints figures; flags any
map over 2 s to stabilise; asserts nothing.

Run: ``.venv/bin/python benchmarks/bench_maps.py`` (or ``make bench``). Needs /usr/bin/chromium for the
browser column (``make browser``).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from graph import load
from graph.maps import write_maps

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update", "--disable-sync", "--no-first-run"]
LOADS = 3
LIMIT_MS = 2000


def stabilisation_ms(paths: list[Path]) -> dict[Path, float]:
    """Median time to stabilisation of each page over ``LOADS`` fresh loads."""
    from playwright.sync_api import sync_playwright

    result = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        for path in paths:
            times = []
            for _ in range(LOADS):
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.goto(path.as_uri())
                page.wait_for_selector("body[data-stabilized='true']", state="attached", timeout=60_000)
                times.append(page.evaluate("window.nlmg.timing.stabilizedMs"))
                page.close()
            result[path] = statistics.median(times)
        browser.close()
    return result


def main() -> None:
    graph = load()
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        maps = write_maps(graph, Path(folder))
        total = time.perf_counter() - started
        per_page = sum(seconds for _, seconds in maps)
        print(f"write_maps: {len(maps)} pages in {total:.2f} s ({total - per_page:.2f} s of it cutting the graph at each of the 23 chapters)")
        stable = stabilisation_ms([path for path, _ in maps]) if CHROMIUM.exists() else {}
        if not stable:
            print(f"{CHROMIUM} is missing: no stabilisation times (make browser)")
        print(f"{'map':<22}{'generate':>10}{'size':>12}{'stabilise':>12}  (median of {LOADS} loads in headless Chromium)")
        for path, seconds in maps:
            ms = stable.get(path)
            shown = f"{ms:9.0f} ms" if ms is not None else f"{'-':>12}"
            flag = f"  OVER {LIMIT_MS / 1000:.0f} s" if ms is not None and ms > LIMIT_MS else ""
            print(f"{path.stem:<22}{seconds * 1000:7.0f} ms{path.stat().st_size / 1024:8.0f} KiB{shown}{flag}")
        slow = [p.stem for p, ms in stable.items() if ms > LIMIT_MS]
        if stable:
            print(f"over {LIMIT_MS / 1000:.0f} s: {', '.join(slow) if slow else 'none'}")


if __name__ == "__main__":
    main()
