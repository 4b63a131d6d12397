"""Benchmark: the reader's companion. Prints the page's size (budget 2 MB), the time to build it (payload,
layout, page) and to run ``nlmg build`` as a whole process (budget 2 s), the naive baseline beside them (the
companion's data got by projecting ``as_of`` at each of the 23 chapters), and the time to interactive in
headless Chromium (map stabilised and first view drawn; budget 1 s). Asserts nothing.

Run: ``.venv/bin/python benchmarks/bench_site.py`` (or ``make bench``). Needs /usr/bin/chromium for the last figure.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import median_ms

from graph import as_of, load
from graph.companion import fill_template
from graph.payload import build_payload
from graph.project import to_networkx
from graph.spoilers import CHAPTERS
from graph.visibility import triple_chapters

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
LOADS = 3


def interactive_ms(page: Path) -> list[float]:
    """Milliseconds from navigation to the map stabilised and the first view drawn, per load."""
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        for _ in range(LOADS):
            tab = browser.new_page(viewport={"width": 1400, "height": 900})
            tab.goto(page.as_uri() + "#chapter=23&view=map")
            tab.wait_for_selector("body[data-stabilized='true']", state="attached", timeout=30_000)
            times.append(tab.evaluate("Math.max(window.nlmgTiming.stabilized, window.nlmgTiming.drawn)"))
            tab.close()
        browser.close()
    return times


def main() -> None:
    graph = load()
    print(f"triples: {len(graph)}")
    visible = median_ms(lambda: triple_chapters(graph), runs=5)
    payload_ms = median_ms(lambda: build_payload(graph), runs=3)
    naive = median_ms(lambda: [to_networkx(as_of(graph, n)) for n in range(1, CHAPTERS + 1)], runs=1)
    page = fill_template(build_payload(graph))
    print(f"visible_from of every triple: {visible:.0f} ms")
    print(f"payload (visibility, versions, layout, recap): {payload_ms:.0f} ms   naive baseline, 23 cuts projected: {naive:.0f} ms")
    print(f"companion page: {len(page.encode()) / 1e6:.2f} MB (budget 2 MB; the 14 map pages it replaces: about 12 MB)")
    with tempfile.TemporaryDirectory() as folder:
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            subprocess.run([str(ROOT / ".venv" / "bin" / "nlmg"), "build", "--output", folder], check=True, capture_output=True)
            runs.append(time.perf_counter() - started)
        print(f"nlmg build, whole process: {statistics.median(runs):.2f} s median of 3 (budget 2 s)")
        if CHROMIUM.exists():
            times = interactive_ms(Path(folder) / "index.html")
            print(f"time to interactive (map stabilised, first view drawn): {statistics.median(times):.0f} ms median of {LOADS} loads (budget 1000 ms)")
        else:
            print(f"time to interactive: skipped ({CHROMIUM} is missing)")


if __name__ == "__main__":
    sys.exit(main())
