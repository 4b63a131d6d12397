"""The board of places: the part-of hierarchy, where everyone is, each place's events, and counts
per place per part.

Every function takes the faithful projection (``to_networkx(as_of(graph, n))`` for a reader at
chapter ``n``). A character is *at* the place of their latest event (present, not merely
mentioned) whose place the book gives: latest as told (``order="discourse"``) or as lived
(``order="story"``: by story phase, then as told). Where an event names several places, the
most specific one (deepest in the hierarchy) counts.

>>> from graph import as_of, load
>>> from graph.project import to_networkx
>>> net = to_networkx(as_of(load(), 14))
>>> {r["label"]: r["within"] for r in whereabouts(net)}["Chrissie"]
['Cromer', 'Norfolk', 'England']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import cache
from typing import Any

import networkx as nx

from graph.project import PARTS
from graph.queries import _discourse_key, _story_key

__all__ = ["ancestors", "counts_by_part", "deepest_places", "event_place", "place_events", "place_tree", "whereabouts"]


def _parent(net: nx.MultiDiGraph, place: str) -> str | None:
    parents = sorted(t for _, t, d in net.out_edges(place, data=True) if d["kind"] == "part_of")
    return parents[0] if parents else None


def _chain(place: str, parent: Callable[[str], str | None]) -> list[str]:
    chain = [place]
    while (holder := parent(chain[-1])) is not None and holder not in chain:
        chain.append(holder)
    return chain


def ancestors(net: nx.MultiDiGraph, place: str) -> list[str]:
    """``place`` and the places holding it, innermost first (the café, Cromer, Norfolk, England)."""
    return _chain(place, lambda p: _parent(net, p))


def _deepest(places: list[str], depth: Callable[[str], int]) -> str:
    """The most specific of ``places``: the deepest in the hierarchy (ties: the first by id)."""
    return max(sorted(places), key=depth)


def event_place(net: nx.MultiDiGraph, event: str) -> str | None:
    """The most specific place of ``event``; ``None`` when the book does not say."""
    places = [t for _, t, d in net.out_edges(event, data=True) if d["kind"] == "place"]
    return _deepest(places, lambda p: len(ancestors(net, p))) if places else None


def deepest_places(net: nx.MultiDiGraph, named: dict[str, list[str]]) -> dict[str, str]:
    """Each event's most specific place (its ``event_place``), given the places each event names:
    for a caller gathering these in its own pass over the edges (each place's parent and depth found once)."""
    parent = cache(lambda place: _parent(net, place))
    depth = {place: len(_chain(place, parent)) for place in {p for places in named.values() for p in places}}
    return {event: _deepest(places, depth.__getitem__) for event, places in named.items() if places}


def place_tree(net: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Every place, parents before children (depth first, by name): id, label, parent, depth,
    whether it is real, first chapter."""
    places = {n: d for n, d in net.nodes(data=True) if d["kind"] == "place"}
    children: dict[str | None, list[str]] = {}
    for place in places:
        children.setdefault(_parent(net, place), []).append(place)
    records: list[dict[str, Any]] = []

    def visit(parent: str | None, depth: int) -> None:
        for place in sorted(children.get(parent, []), key=lambda p: str(places[p]["label"]).casefold()):
            data = places[place]
            records.append(
                {
                    "id": place,
                    "label": data["label"],
                    "parent": parent,
                    "depth": depth,
                    "real": bool(data.get("is_real")),
                    "first_chapter": data.get("first_chapter"),
                    "description": data.get("description", ""),
                }
            )
            visit(place, depth + 1)

    visit(None, 0)
    return records


def _ordered_events(net: nx.MultiDiGraph, order: str) -> list[str]:
    keys = {"discourse": _discourse_key, "story": _story_key}
    if order not in keys:
        raise ValueError(f"order must be 'discourse' or 'story', not {order!r}")
    return sorted((n for n, d in net.nodes(data=True) if d["kind"] == "event"), key=lambda e: keys[order](net, e))


def whereabouts(net: nx.MultiDiGraph, order: str = "discourse") -> list[dict[str, Any]]:
    """Where each character is: the place of their latest placed event, with the trail of places
    before it (consecutive repeats merged). One record per character, by place then name."""
    trails: dict[str, list[dict[str, Any]]] = {}
    for event in _ordered_events(net, order):
        place = event_place(net, event)
        if place is None:
            continue
        data = net.nodes[event]
        for _, person, edge in net.out_edges(event, data=True):
            if edge["kind"] != "participant" or edge.get("role") == "mentioned":
                continue
            trail = trails.setdefault(person, [])
            step = {"place": place, "label": net.nodes[place]["label"], "event": event, "event_label": data["label"], "chapter": data["first_chapter"]}
            if trail and trail[-1]["place"] == place:
                trail[-1] = step
            else:
                trail.append(step)
    records = []
    for person, trail in trails.items():
        last = trail[-1]
        records.append(
            {
                "character": person,
                "label": net.nodes[person]["label"],
                "place": last["place"],
                "place_label": last["label"],
                "within": [net.nodes[p]["label"] for p in ancestors(net, last["place"])],
                "event": last["event_label"],
                "event_id": last["event"],
                "chapter": last["chapter"],
                "trail": [step["label"] for step in trail],
                "trail_places": [step["place"] for step in trail],
            }
        )
    return sorted(records, key=lambda r: (list(reversed(r["within"])), str(r["label"]).casefold()))


def place_events(net: nx.MultiDiGraph, place: str) -> list[dict[str, Any]]:
    """The events set at ``place`` itself (not the places inside it), in the order told."""
    events = [e for e in _ordered_events(net, "discourse") if event_place(net, e) == place]
    return [
        {
            "id": e,
            "label": net.nodes[e]["label"],
            "chapter": net.nodes[e]["first_chapter"],
            "people": sorted(t for _, t, d in net.out_edges(e, data=True) if d["kind"] == "participant" and d.get("role") != "mentioned"),
        }
        for e in events
    ]


def counts_by_part(net: nx.MultiDiGraph) -> dict[str, dict[int, int]]:
    """Place -> part -> how many events are set there or anywhere inside it (by first chapter told)."""
    counts: dict[str, Counter[int]] = {}
    for event in _ordered_events(net, "discourse"):
        place = event_place(net, event)
        chapter = net.nodes[event].get("first_chapter")
        part = next((p for p, chapters in PARTS.items() if chapter in chapters), None)
        if place is None or part is None:
            continue
        for holder in ancestors(net, place):
            counts.setdefault(holder, Counter())[part] += 1
    return {place: {part: counter[part] for part in PARTS} for place, counter in counts.items()}
