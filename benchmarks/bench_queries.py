"""Benchmark: NetworkX projection time, latency of each relationship query, and the ratio against
answering the same relationship question with SPARQL (Oxigraph) on the same graph. Prints figures.

Run: ``.venv/bin/python benchmarks/bench_queries.py`` (or ``make bench``).
"""

from __future__ import annotations

from timing import median_ms

from graph import load, sparql
from graph.metrics import character_metrics, collapse
from graph.project import character_graph, coparticipation_graph, to_networkx
from graph.queries import all_paths, at_place, common_events, ego_network, path, relations, timeline

RUNS = 200

RELATIONS_SPARQL = """
SELECT ?other ?type (MIN(?chapter) AS ?since) WHERE {
  { ?r nlmg:source :ruth ; nlmg:target ?o } UNION { ?r nlmg:target :ruth ; nlmg:source ?o }
  ?r nlmg:relationType/skos:prefLabel ?type ; nlmg:toldIn/schema:position ?chapter .
  ?o skos:prefLabel ?other .
} GROUP BY ?r ?other ?type ORDER BY ?since"""


def main() -> None:
    graph = load()
    print(f"projection: to_networkx        {median_ms(lambda: to_networkx(graph), runs=10):8.2f} ms (median of 10)")
    print(f"projection: character_graph    {median_ms(lambda: character_graph(graph), runs=10):8.2f} ms")
    print(f"projection: coparticipation    {median_ms(lambda: coparticipation_graph(graph), runs=10):8.2f} ms")
    view = to_networkx(graph)
    cases = {
        "relations Ruth": lambda: relations(view, "Ruth"),
        "path Tommy -> Madame": lambda: path(view, "Tommy", "Madame"),
        "all paths Ruth -> Chrissie (<=3)": lambda: all_paths(view, "Ruth", "Chrissie", max_hops=3),
        "ego Ruth r=1": lambda: ego_network(view, "Ruth"),
        "common events Ruth & Tommy": lambda: common_events(view, "Ruth", "Tommy"),
        "who was at Hailsham": lambda: at_place(view, "Hailsham"),
        "timeline Kathy (story)": lambda: timeline(view, "Kathy", order="story"),
        "metrics (relationship layer)": lambda: character_metrics(collapse(character_graph(graph))),
    }
    print(f"\nquery latency, median of {RUNS} runs (metrics: 20)")
    for name, action in cases.items():
        print(f"  {name:36s} {median_ms(action, runs=20 if name.startswith('metrics') else RUNS):8.3f} ms")
    store = sparql.to_store(graph)
    networkx_ms = median_ms(lambda: relations(view, "Ruth"), runs=RUNS)
    sparql_ms = median_ms(lambda: sparql.run(store, RELATIONS_SPARQL).records(), runs=RUNS)
    print(
        f"\nsame question ('who is Ruth related to'): NetworkX {networkx_ms:.3f} ms, SPARQL/Oxigraph {sparql_ms:.3f} ms, "
        f"ratio SPARQL/NetworkX = {sparql_ms / networkx_ms:.1f}"
    )


if __name__ == "__main__":
    main()
