"""Benchmark: parse, derive, validate and cut times of the whole graph. Prints figures; asserts nothing.

Run: ``.venv/bin/python benchmarks/bench_load.py`` (or ``make bench``).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from graph import as_of, load, validate
from graph.load import data_files, parse_files


def median_seconds(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    files = data_files()
    graph = load()
    print(f"data: {len(files)} files, {len(parse_files(files))} authored triples, {len(graph)} after derivation")
    print(f"parse (all files)        {median_seconds(lambda: parse_files(files), 5) * 1000:8.1f} ms  (median of 5)")
    print(f"load (parse + derive)    {median_seconds(load, 5) * 1000:8.1f} ms  (median of 5)")
    report = validate()
    steps = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in report.seconds.items())
    print(f"validate (all checks)    {median_seconds(validate, 3) * 1000:8.1f} ms  (median of 3; last run: {steps})")
    print(f"as_of(graph, 12)         {median_seconds(lambda: as_of(graph, 12), 10) * 1000:8.1f} ms  (median of 10)")


if __name__ == "__main__":
    main()
