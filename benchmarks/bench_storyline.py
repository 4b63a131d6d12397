"""Benchmark: the storyline layout (time, crossings and bends against the naive order) and the size and build
time of the companion's storyline and places sections. Prints figures; asserts nothing. The sections are
timed first, as a build makes them: cold, before any layout step is memoised.

Run: ``.venv/bin/python benchmarks/bench_storyline.py`` (or ``make bench``).
"""

from __future__ import annotations

import json
import time

from timing import median_ms

from graph import load
from graph.storyline import ORDERS, crossings, storyline, wiggles
from graph.timespace import places_section, storyline_section
from graph.visibility import cuts, triple_chapters


def main() -> None:
    graph = load()
    projections = cuts(triple_chapters(graph))
    start = time.perf_counter()
    story = storyline_section(graph, projections)
    middle = time.perf_counter()
    places = places_section(projections)
    end = time.perf_counter()
    print("layout of the twelve main characters (projection given; median of 5, after the section: its memoised steps warm)")
    for order in ORDERS:
        for chapter in (9, 17, 23):
            net = projections[chapter]
            naive = storyline(graph, chapter, order, projection=net, optimise=False)
            laid = storyline(graph, chapter, order, projection=net)
            ms = median_ms(lambda net=net, chapter=chapter, order=order: storyline(graph, chapter, order, projection=net), runs=5)
            print(
                f"  {order:9} ch {chapter:2}: {len(laid.slices):3} steps  crossings {crossings(naive):4} -> {crossings(laid):3}"
                f"  bends {wiggles(naive):4} -> {wiggles(laid):3}  {ms:7.1f} ms"
            )
    size = {name: len(json.dumps(section, separators=(",", ":"))) for name, section in (("storyline", story), ("places", places))}
    print(
        f"companion sections: storyline {size['storyline'] / 1024:.0f} KiB in {middle - start:.2f} s ({len(story['layouts'])} layouts), "
        f"places {size['places'] / 1024:.0f} KiB in {end - middle:.2f} s"
    )


if __name__ == "__main__":
    main()
