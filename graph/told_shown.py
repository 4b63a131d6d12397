"""Told and shown: for each pair of characters, the relationships the narration states against the
scenes the two actually share, chapter by chapter.

*Told*: a relationship node joins the two (any type, any epistemic status), cited to the chapters
that tell it. *Shown*: an event both are present at (a role other than ``mentioned``), cited to the
chapters that tell the event. A pair can be told without being shown (a bond Kathy reports but never
stages) or shown without being told (two people often in the same scenes whom the book never
gives a bond).

>>> import networkx as nx
>>> told = nx.MultiDiGraph([("a", "b", "r1", {"chapters": [1], "type": "friendship"})])
>>> shown = nx.Graph([("b", "c", {"weight": 2, "chapters": [3], "events": ["e1", "e2"]})])
>>> [(r["pair"], r["told_chapters"], r["shown_chapters"]) for r in pair_records(told, shown, {})]
[(('a', 'b'), [1], []), (('b', 'c'), [], [3])]
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx
from rdflib import Graph

from graph.project import coparticipation_layer, relationship_layer
from graph.visibility import whole_projection

__all__ = ["by_chapter", "pair_records", "ties_never_shown", "together_without_a_tie", "told_and_shown"]


def pair_records(told: nx.MultiDiGraph, shown: nx.Graph, labels: dict[str, str]) -> list[dict[str, Any]]:
    """One record per unordered pair that is told, shown or both, in a stable order."""
    pairs: dict[tuple[str, str], dict[str, Any]] = defaultdict(lambda: {"types": set(), "told": set(), "shown": set(), "scenes": 0, "events": []})
    for s, t, d in told.edges(data=True):
        if s != t:
            entry = pairs[tuple(sorted((s, t)))]
            entry["types"].add(d.get("type") or "")
            entry["told"].update(d.get("chapters") or [])
    for s, t, d in shown.edges(data=True):
        entry = pairs[tuple(sorted((s, t)))]
        entry["shown"].update(d.get("chapters") or [])
        entry["scenes"] = d.get("weight", 0)
        entry["events"] = sorted(d.get("events", []))
    records = []
    for (a, b), e in sorted(pairs.items()):
        records.append(
            {
                "pair": (a, b),
                "labels": (labels.get(a, a), labels.get(b, b)),
                "relationship_types": sorted(e["types"]),
                "told_chapters": sorted(e["told"]),
                "shown_chapters": sorted(e["shown"]),
                "both": sorted(e["told"] & e["shown"]),
                "told_only": sorted(e["told"] - e["shown"]),
                "shown_only": sorted(e["shown"] - e["told"]),
                "scenes": e["scenes"],
                "events": e["events"],
            }
        )
    return records


def told_and_shown(graph: Graph) -> list[dict[str, Any]]:
    """Every pair of characters that is told or shown together, with the chapters of each."""
    projection = whole_projection(graph)
    labels = {n: d["label"] for n, d in projection.nodes(data=True)}
    return pair_records(relationship_layer(projection), coparticipation_layer(projection), labels)


def by_chapter(graph: Graph) -> list[dict[str, Any]]:
    """One row per pair and chapter where the pair is told or shown: what is told, how many scenes."""
    projection = whole_projection(graph)
    labels = {n: d["label"] for n, d in projection.nodes(data=True)}
    rows: dict[tuple[str, str, int], dict[str, Any]] = {}

    def row(a: str, b: str, chapter: int) -> dict[str, Any]:
        a, b = sorted((a, b))
        return rows.setdefault((a, b, chapter), {"first": labels[a], "second": labels[b], "chapter": chapter, "told": set(), "scenes": 0})

    for s, t, d in relationship_layer(projection).edges(data=True):
        for chapter in d.get("chapters") or []:
            row(s, t, chapter)["told"].add(d.get("type_label") or d.get("type") or "")
    for s, t, d in coparticipation_layer(projection).edges(data=True):
        for event in d["events"]:
            for chapter in projection.nodes[event].get("chapters", []):
                row(s, t, chapter)["scenes"] += 1
    ordered = sorted(rows.items(), key=lambda kv: (kv[0][2], kv[0][0], kv[0][1]))
    return [{**r, "told": sorted(r["told"])} for _, r in ordered]


def together_without_a_tie(graph: Graph, min_scenes: int = 3) -> list[dict[str, Any]]:
    """Pairs sharing at least ``min_scenes`` scenes whom the book gives no relationship, most scenes first."""
    found = [r for r in told_and_shown(graph) if not r["told_chapters"] and r["scenes"] >= min_scenes]
    return sorted(found, key=lambda r: (-r["scenes"], r["pair"]))


def ties_never_shown(graph: Graph) -> list[dict[str, Any]]:
    """Pairs with a relationship who never share a scene."""
    return [r for r in told_and_shown(graph) if r["told_chapters"] and not r["scenes"]]
