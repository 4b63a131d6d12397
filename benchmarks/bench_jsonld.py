"""Benchmark: the JSON-LD export of the novel (graph/jsonld.py) beside rdflib's JSON-LD serializer. Prints figures; asserts nothing.

Run: ``.venv/bin/python benchmarks/bench_jsonld.py`` (or ``make bench``).
"""

from __future__ import annotations

from timing import median_ms

from graph import load
from graph.export import Sources, jsonld_context
from graph.jsonld import jsonld_bytes

TARGET_MS = 100


def main() -> None:
    graph = load()
    ntriples = Sources(graph).ntriples
    context = jsonld_context()["@context"]
    ours = median_ms(lambda: jsonld_bytes(ntriples, context), runs=5)
    naive = median_ms(lambda: graph.serialize(format="json-ld", context=context, encoding="utf-8"), runs=3)
    print(f"nlmg.jsonld ({len(graph)} triples)  {ours:8.1f} ms  (median of 5; target <= {TARGET_MS} ms; rdflib's serializer {naive:.1f} ms)")


if __name__ == "__main__":
    main()
