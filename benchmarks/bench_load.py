"""Benchmark: parse, derive, validate and cut times of the whole graph. Prints figures; asserts nothing.

Run: ``.venv/bin/python benchmarks/bench_load.py`` (or ``make bench``).
"""

from __future__ import annotations

from timing import median_ms

from graph import as_of, load, validate
from graph.load import data_files, parse_files


def main() -> None:
    files = data_files()
    graph = load()
    print(f"data: {len(files)} files, {len(parse_files(files))} authored triples, {len(graph)} after derivation")
    print(f"parse (all files)        {median_ms(lambda: parse_files(files), runs=5):8.1f} ms  (median of 5)")
    print(f"load (parse + derive)    {median_ms(load, runs=5):8.1f} ms  (median of 5)")
    report = validate()
    steps = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in report.seconds.items())
    print(f"validate (all checks)    {median_ms(validate, runs=3):8.1f} ms  (median of 3; last run: {steps})")
    print(f"as_of(graph, 12)         {median_ms(lambda: as_of(graph, 12), runs=10):8.1f} ms  (median of 10)")


if __name__ == "__main__":
    main()
