"""Readings: the character network as three readers might take the book, and how far each
character's standing depends on what one is willing to believe.

``stated``
    the relationships the book presents as fact (``status:stated``);
``narrated``
    those, and what Kathy claims with her own doubt or bias (``status:narrator-claim``);
``believed``
    those, every relationship told as rumour, disputed or later shown false, and what characters
    believe about one another (a belief that is not stated fact joins each holder to each character
    it is about: Ruth and Kathy's rumour that Madame is afraid of them joins both to Madame).

Each reading is a character graph like ``project.character_graph`` (one edge per tie), measured and
partitioned with ``metrics``; ``rank_stability`` puts each character's rank side by side.

>>> READINGS
('stated', 'narrated', 'believed')
"""

from __future__ import annotations

from typing import Any

import networkx as nx
from rdflib import Graph

from graph.metrics import character_metrics, collapse, communities
from graph.project import relationship_layer
from graph.visibility import whole_projection

__all__ = ["READINGS", "rank_stability", "reading_communities", "reading_graphs", "reading_metrics"]

READINGS = ("stated", "narrated", "believed")
#: The epistemic statuses each reading accepts, cumulatively.
ACCEPTED = {
    "stated": {"stated"},
    "narrated": {"stated", "narrator-claim"},
    "believed": {"stated", "narrator-claim", "rumour", "disputed", "revealed-false"},
}
#: The measure ranks are taken on.
RANK_MEASURE = "pagerank"


def _belief_ties(projection: nx.MultiDiGraph) -> list[tuple[str, str, str, dict[str, Any]]]:
    """Holder -> character for every belief that is not stated fact, keyed by the belief."""
    ties = []
    for belief, data in projection.nodes(data=True):
        if data["kind"] != "belief" or data.get("status") == "stated":
            continue
        edges = list(projection.out_edges(belief, data=True))
        holders = sorted(t for _, t, d in edges if d["kind"] == "held_by")
        about = sorted(t for _, t, d in edges if d["kind"] == "about" and projection.nodes[t]["kind"] == "character")
        for holder in holders:
            for person in about:
                if holder != person:
                    attrs = {"kind": "belief", "type": "belief", "status": data.get("status"), "chapters": data.get("chapters", [])}
                    ties.append((holder, person, f"{belief}:{holder}:{person}", attrs))
    return ties


def reading_graphs(graph: Graph) -> dict[str, nx.MultiDiGraph]:
    """Reading name -> its character graph (characters with at least one tie in that reading)."""
    projection = whole_projection(graph)
    layer = relationship_layer(projection)
    result = {}
    for reading in READINGS:
        kept = nx.MultiDiGraph(name=reading)
        kept.add_edges_from((s, t, k, d) for s, t, k, d in layer.edges(keys=True, data=True) if d.get("status") in ACCEPTED[reading])
        if reading == "believed":
            kept.add_edges_from(_belief_ties(projection))
        for node in kept.nodes:
            kept.nodes[node].update(projection.nodes[node])
        result[reading] = kept
    return result


def reading_metrics(graph: Graph) -> list[dict[str, Any]]:
    """One record per reading and character: every measure of ``metrics.MEASURES`` and the rank."""
    rows = []
    for reading, ties in reading_graphs(graph).items():
        records = character_metrics(collapse(ties))
        ranked = sorted(records, key=lambda r: (-r[RANK_MEASURE], r["label"]))
        for rank, record in enumerate(ranked, start=1):
            rows.append({"reading": reading, "rank": rank, **record})
    return rows


def reading_communities(graph: Graph) -> list[dict[str, Any]]:
    """Louvain communities of each reading, largest first."""
    return [{"reading": reading, **c} for reading, ties in reading_graphs(graph).items() for c in communities(collapse(ties))]


def rank_stability(graph: Graph) -> list[dict[str, Any]]:
    """Per character: its PageRank rank in each reading (blank where it has no tie) and the spread
    (largest rank minus smallest), steadiest and most central first."""
    ranks: dict[str, dict[str, Any]] = {}
    for row in reading_metrics(graph):
        entry = ranks.setdefault(row["id"], {"id": row["id"], "label": row["label"]})
        entry[row["reading"]] = row["rank"]
    result = []
    for entry in ranks.values():
        seen = [entry[r] for r in READINGS if r in entry]
        result.append({**{r: entry.get(r) for r in ("id", "label", *READINGS)}, "readings": len(seen), "spread": max(seen) - min(seen)})
    return sorted(result, key=lambda r: (-r["readings"], min(r[x] for x in READINGS if r[x] is not None), r["spread"]))
