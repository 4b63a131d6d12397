"""Network measures of the character relationship layer: per character, per part, cumulatively per
chapter; whole-graph measures with honest handling of disconnection; communities.

Measures are taken on the relationship layer collapsed to an undirected weighted graph: one edge
per pair of characters who have at least one relationship, ``weight`` = how many relationship
nodes join them. Characters with no relationship yet are left out.

>>> import networkx as nx
>>> g = nx.Graph([("a", "b"), ("b", "c")])
>>> [round(r["betweenness"], 2) for r in character_metrics(g)]
[1.0, 0.0, 0.0]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import Any

import networkx as nx
from rdflib import Graph

from graph.centrality import eigenvector, pagerank
from graph.project import PARTS, relationship_layer, sliced
from graph.visibility import reader_cuts, whole_projection

__all__ = [
    "MEASURES",
    "character_metrics",
    "collapse",
    "communities",
    "cumulative_metrics",
    "graph_metrics",
    "metrics_by_part",
]

MEASURES = ("degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "pagerank")


def collapse(relationships: nx.MultiDiGraph) -> nx.Graph:
    """The undirected weighted graph of who has a relationship with whom (isolates dropped)."""
    return _collapse(relationships.edges(), relationships)


def _relationship_pairs(projection: nx.MultiDiGraph) -> Iterator[tuple[str, str]]:
    """(source, target) of every relationship edge of a projection, in the order of its
    ``relationship_layer``, reading only the characters' own edges (a relationship joins two
    characters: the shapes require it)."""
    characters = [n for n, d in projection.nodes(data=True) if d["kind"] == "character"]
    return ((s, t) for s, t, kind in projection.out_edges(characters, data="kind") if kind == "relationship")


def _collapse(pairs: Iterable[tuple[str, str]], labelled: nx.Graph) -> nx.Graph:
    """``collapse`` of the relationships joining ``pairs``, labelled from the nodes of ``labelled``."""
    result = nx.Graph()
    for s, t in pairs:
        for node in (s, t):
            result.add_node(node, label=labelled.nodes[node].get("label", node))
        if result.has_edge(s, t):
            result.edges[s, t]["weight"] += 1
        else:
            result.add_edge(s, t, weight=1)
    return result


def _eigenvector(graph: nx.Graph) -> dict[str, float]:
    """Eigenvector centrality per connected component, scaled by component size (defined when disconnected)."""
    scores: dict[str, float] = {}
    total = graph.number_of_nodes()
    for nodes in nx.connected_components(graph):
        part = graph.subgraph(nodes)
        if part.number_of_nodes() == 1:
            scores.update(dict.fromkeys(nodes, 0.0))
            continue
        values = eigenvector(part, weight="weight")
        scores.update({n: v * len(nodes) / total for n, v in values.items()})
    return scores


def character_metrics(graph: nx.Graph) -> list[dict[str, Any]]:
    """One record per character with every measure in ``MEASURES``, the most between first.

    ``graph`` is a collapsed relationship graph (see ``collapse``).
    """
    if graph.number_of_nodes() == 0:
        return []
    degree = dict(graph.degree())
    weighted = dict(graph.degree(weight="weight"))
    betweenness = nx.betweenness_centrality(graph, normalized=True)
    closeness = nx.closeness_centrality(graph)  # Wasserman-Faust: defined within components
    eigenvector = _eigenvector(graph)
    ranks = pagerank(graph, weight="weight")
    records = [
        {
            "id": n,
            "label": graph.nodes[n].get("label", n),
            "degree": degree[n],
            "weighted_degree": weighted[n],
            "betweenness": betweenness[n],
            "closeness": closeness[n],
            "eigenvector": eigenvector[n],
            "pagerank": ranks[n],
        }
        for n in graph.nodes
    ]
    return sorted(records, key=lambda r: (-r["betweenness"], -r["pagerank"], r["label"]))


def metrics_by_part(graph: Graph) -> list[dict[str, Any]]:
    """Per-character measures within each part (relationships told in that part only)."""
    rows = []
    relationships = relationship_layer(whole_projection(graph))  # sliced after: the same as slicing the whole projection first, without copying it
    for part in PARTS:
        for record in character_metrics(collapse(sliced(relationships, part=part))):
            rows.append({"part": part, **record})
    return rows


def cumulative_metrics(graph: Graph) -> list[dict[str, Any]]:
    """Per-character measures as a reader knows the graph after each chapter 1..23 (a chapter
    whose collapsed relationship graph is the chapter before's, labels and order included, has
    the same measures: they are not taken again)."""
    rows = []
    measured: tuple[list[Any], list[Any]] | None = None
    records: list[dict[str, Any]] = []
    for chapter, cut in reader_cuts(graph).items():
        collapsed = _collapse(_relationship_pairs(cut), cut)
        shape = (list(collapsed.nodes(data=True)), list(collapsed.edges(data=True)))
        if shape != measured:
            records, measured = character_metrics(collapsed), shape
        rows.extend({"chapter": chapter, **record} for record in records)
    return rows


def graph_metrics(graph: nx.Graph) -> dict[str, Any]:
    """Density, components, and path measures where they are defined.

    Diameter and average path length are undefined on a disconnected graph; they are given for the
    largest component only, and ``note`` says so.
    """
    if graph.number_of_nodes() == 0:
        return {"nodes": 0, "edges": 0, "note": "empty graph: no measure is defined"}
    components = sorted(nx.connected_components(graph), key=len, reverse=True)
    largest = graph.subgraph(components[0])
    result: dict[str, Any] = {
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "density": nx.density(graph),
        "components": len(components),
        "largest_component": len(components[0]),
        "diameter_of_largest": nx.diameter(largest),
        "average_path_length_of_largest": nx.average_shortest_path_length(largest),
        "average_clustering": nx.average_clustering(graph),
    }
    if len(components) > 1:
        result["diameter"] = math.nan
        result["note"] = (
            f"the graph has {len(components)} components, so its diameter and average path length are undefined; "
            "the figures given are for the largest component"
        )
    else:
        result["diameter"] = result["diameter_of_largest"]
        result["note"] = "connected"
    return result


def communities(graph: nx.Graph, seed: int = 7) -> list[dict[str, Any]]:
    """Louvain communities of the collapsed relationship graph, largest first.

    Repeatable: a fixed seed, and nodes and edges fed to Louvain in sorted order (their order in
    ``graph`` can differ from one run to the next, and Louvain's result depends on it).
    """
    if graph.number_of_edges() == 0:
        return []
    canonical = nx.Graph()
    canonical.add_nodes_from(sorted(graph.nodes))
    canonical.add_edges_from(sorted((*sorted((s, t)), {"weight": d.get("weight", 1)}) for s, t, d in graph.edges(data=True)))
    found = nx.community.louvain_communities(canonical, weight="weight", seed=seed)
    ordered = sorted(found, key=lambda c: (-len(c), sorted(c)))
    return [{"community": i + 1, "size": len(c), "members": sorted(graph.nodes[n]["label"] for n in c)} for i, c in enumerate(ordered)]
