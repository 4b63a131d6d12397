"""Relationship questions over the NetworkX projection: who is related to whom, how two people
are connected, ego networks, shared events, who was where, a character's timeline, and every
event as one record (for tables and plots).

Every function takes the faithful projection (``to_networkx(graph)``, cut with ``as_of`` first
for a spoiler-safe answer) and returns plain records (lists of dicts) ready for pandas.

Names resolve case-insensitively through labels and alternative names:

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("kathy-h", kind="character", label="Kathy H.", alt_labels=["Kath"])
>>> resolve(g, "kath")
'kathy-h'
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from itertools import pairwise
from typing import Any

import networkx as nx

from graph.book import PARTS

__all__ = [
    "AmbiguousName",
    "UnknownName",
    "all_paths",
    "at_place",
    "common_events",
    "ego_network",
    "events",
    "path",
    "relations",
    "resolve",
    "timeline",
]

#: Edge kinds a path may follow: themes are left out, as every event would meet through them.
PATH_EDGE_KINDS = frozenset({"relationship", "participant", "place", "involves", "held_by", "about", "associated_with", "part_of"})
ARROWS = {"out": "->", "in": "<-", "both": "<->"}


class UnknownName(LookupError):
    """No node has this name; the message lists the closest names."""


class AmbiguousName(LookupError):
    """Several nodes share this name; the message lists them."""


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text.casefold())).strip()


def resolve(graph: nx.Graph, name: str, kind: str | None = None) -> str:
    """The node id for ``name`` (a label, an alternative name, an id or a Wikidata id such as
    ``wd:Q23109``), optionally of one ``kind``.

    Raises:
        UnknownName: nothing matches; the message suggests close names.
        AmbiguousName: several nodes match; the message lists them.
    """
    qid = None
    if re.search(r"[Qq][1-9]", name):  # only a name holding a Q-number can be a Wikidata id: the warm path stays free of rdflib
        from graph.links import wikidata_id

        qid = wikidata_id(name)
    if qid is not None:
        linked = [n for n, d in graph.nodes(data=True) if d.get("wikidata") == qid and kind in (None, d.get("kind"))]
        if len(linked) == 1:
            return linked[0]
        if linked:
            raise AmbiguousName(f"{qid} is linked to more than one {kind or 'node'}: {', '.join(sorted(linked))}")
        raise UnknownName(f"no {kind or 'node'} is linked to Wikidata {qid} (data/links.ttl lists the links)")
    if name in graph and kind in (None, graph.nodes[name].get("kind")):
        return name  # an id names one node, whatever labels other nodes share (a shelf's books each have a Ruth)
    wanted = _normal(name)
    names: dict[str, set[str]] = {}
    for node, data in graph.nodes(data=True):
        if kind is not None and data.get("kind") != kind:
            continue
        for text in [node, data.get("label", ""), *data.get("alt_labels", [])]:
            names.setdefault(_normal(str(text)), set()).add(node)
    matches = names.get(wanted, set())
    if len(matches) == 1:
        return next(iter(matches))
    what = kind or "node"
    if matches:
        listed = "; ".join(f"{graph.nodes[m]['label']} ({m})" for m in sorted(matches))
        raise AmbiguousName(f"{name!r} names more than one {what}: {listed}. Use the id in brackets")
    close = difflib.get_close_matches(wanted, list(names), n=4, cutoff=0.6)
    close += [n for n in names if wanted and wanted in n and n not in close][: 4 - len(close)]
    labels = sorted({graph.nodes[next(iter(names[c]))]["label"] for c in close})
    hint = f" Did you mean: {', '.join(labels)}?" if labels else ""
    raise UnknownName(f"no {what} is called {name!r}.{hint}")


def _label(graph: nx.Graph, node: str) -> str:
    return str(graph.nodes[node].get("label", node))


def relations(graph: nx.MultiDiGraph, name: str) -> list[dict[str, Any]]:
    """Everyone related to ``name``: how, which way, since which chapter, in which phases."""
    person = resolve(graph, name, "character")
    records = []
    edges = [(t, d, "out") for _, t, d in graph.out_edges(person, data=True)]
    edges += [(s, d, "in") for s, _, d in graph.in_edges(person, data=True)]
    for other, data, direction in edges:
        if data["kind"] != "relationship":
            continue
        records.append(
            {
                "with": _label(graph, other),
                "id": other,
                "type": data["type_label"],
                "direction": ARROWS["both" if data["symmetric"] else direction],
                "since": data["first_chapter"],
                "chapters": data["chapters"],
                "phases": data["phases"],
                "status": data["status"],
                "overturned_in": data["overturned_in"],
                "description": data["description"],
            }
        )
    return sorted(records, key=lambda r: (r["since"] or 0, r["with"], r["type"]))


def _path_view(graph: nx.MultiDiGraph) -> nx.MultiGraph:
    view = nx.MultiGraph()
    view.add_nodes_from(graph.nodes(data=True))
    view.add_edges_from((s, t, k, {**d, "from": s}) for s, t, k, d in graph.edges(keys=True, data=True) if d["kind"] in PATH_EDGE_KINDS)
    return view


def _hop(graph: nx.MultiDiGraph, view: nx.MultiGraph, a: str, b: str) -> dict[str, Any]:
    """Explain one step of a path: the earliest-told edge between ``a`` and ``b``."""
    options = list(view.get_edge_data(a, b).values())
    best = min(options, key=lambda d: (d["kind"] != "relationship", d.get("first_chapter") or 99))
    direction = ARROWS["both" if best.get("symmetric") else "out" if best["from"] == a else "in"]
    if best["kind"] == "relationship":
        how, chapters = best["type_label"], best["chapters"]
    else:
        event = a if graph.nodes[a]["kind"] in ("event", "belief") else b
        how = {
            "participant": f"in event ({best.get('role')})",
            "place": "set at",
            "involves": "involves",
            "held_by": "held by",
            "about": "about",
            "associated_with": "associated with",
            "part_of": "part of",
        }[best["kind"]]
        chapters = graph.nodes[event].get("chapters") or [graph.nodes[event].get("first_chapter")]
    return {"from": _label(graph, a), "direction": direction, "to": _label(graph, b), "via": how, "kind": best["kind"], "chapters": chapters}


def path(graph: nx.MultiDiGraph, source: str, target: str) -> list[dict[str, Any]]:
    """The shortest connection from ``source`` to ``target``, each hop explained with its chapters.

    Returns an empty list when they are not connected (yet: try a later ``as_of``).

    Raises:
        ValueError: both names are the same node (there is nothing to connect).
    """
    a, b = resolve(graph, source), resolve(graph, target)
    if a == b:
        raise ValueError(f"{source!r} and {target!r} both name {_label(graph, a)}: give two different people or things")
    view = _path_view(graph)
    try:
        nodes = nx.shortest_path(view, a, b)
    except nx.NetworkXNoPath:
        return []
    return [_hop(graph, view, x, y) for x, y in pairwise(nodes)]


def all_paths(graph: nx.MultiDiGraph, source: str, target: str, max_hops: int = 3, limit: int = 50) -> list[list[dict[str, Any]]]:
    """Every simple connection of at most ``max_hops`` steps (the first ``limit``, shortest first)."""
    if not 1 <= max_hops <= 6:
        raise ValueError("max_hops must be from 1 to 6: longer paths join almost everyone")
    a, b = resolve(graph, source), resolve(graph, target)
    if a == b:
        raise ValueError(f"{source!r} and {target!r} both name {_label(graph, a)}: give two different people or things")
    view = nx.Graph(_path_view(graph))
    found = []
    for nodes in nx.all_simple_paths(view, a, b, cutoff=max_hops):
        found.append(nodes)
        if len(found) >= limit * 4:
            break
    found.sort(key=len)
    multi = _path_view(graph)
    return [[_hop(graph, multi, x, y) for x, y in pairwise(nodes)] for nodes in found[:limit]]


def ego_network(graph: nx.MultiDiGraph, name: str, radius: int = 1) -> nx.MultiDiGraph:
    """The characters within ``radius`` relationship steps of ``name``, with their relationships."""
    person = resolve(graph, name, "character")
    relationships = graph.edge_subgraph((s, t, k) for s, t, k, d in graph.edges(keys=True, data=True) if d["kind"] == "relationship")
    if person not in relationships:
        return graph.subgraph([person]).copy()
    near = nx.ego_graph(relationships.to_undirected(as_view=True), person, radius=radius)
    return relationships.subgraph(near.nodes).copy()


def _events_of(graph: nx.MultiDiGraph, person: str) -> dict[str, str]:
    """Event id -> the role ``person`` has in it."""
    return {e: d.get("role") for e, _, d in graph.in_edges(person, data=True) if d["kind"] == "participant"}


def _event_record(graph: nx.MultiDiGraph, event: str, **extra: Any) -> dict[str, Any]:
    data = graph.nodes[event]
    places = [_label(graph, t) for _, t, d in graph.out_edges(event, data=True) if d["kind"] == "place"]
    return {
        "event": data["label"],
        "id": event,
        "chapters": data["chapters"],
        "phase": ", ".join(data["phases"]),
        "type": data["event_type"],
        "place": ", ".join(places) or "unknown",
        **extra,
    }


def common_events(graph: nx.MultiDiGraph, first: str, second: str) -> list[dict[str, Any]]:
    """The events both characters take part in, in the order they are told."""
    a, b = resolve(graph, first, "character"), resolve(graph, second, "character")
    roles_a, roles_b = _events_of(graph, a), _events_of(graph, b)
    shared = sorted(set(roles_a) & set(roles_b), key=lambda e: _discourse_key(graph, e))
    return [_event_record(graph, e, roles=f"{roles_a[e]} / {roles_b[e]}") for e in shared]


def _contained_places(graph: nx.MultiDiGraph, place: str) -> set[str]:
    inside = {s for s, _, d in graph.in_edges(place, data=True) if d["kind"] == "part_of"}
    return {place}.union(*(_contained_places(graph, p) for p in inside)) if inside else {place}


def at_place(graph: nx.MultiDiGraph, place: str) -> list[dict[str, Any]]:
    """The events at ``place`` or anywhere inside it, and who was there, in the order told."""
    where = resolve(graph, place, "place")
    places = _contained_places(graph, where)
    events = {s for p in places for s, _, d in graph.in_edges(p, data=True) if d["kind"] == "place"}
    records = []
    for event in sorted(events, key=lambda e: _discourse_key(graph, e)):
        present = sorted(_label(graph, t) for _, t, d in graph.out_edges(event, data=True) if d["kind"] == "participant" and d.get("role") != "mentioned")
        records.append(_event_record(graph, event, people=present))
    return records


def _discourse_key(graph: nx.Graph, event: str) -> tuple[int, int]:
    data = graph.nodes[event]
    return (data.get("first_chapter") or 0, data.get("position") or 0)


def _story_key(graph: nx.Graph, event: str) -> tuple[int, int, int]:
    rank = graph.nodes[event].get("phase_rank")
    return (rank if rank is not None else 99, *_discourse_key(graph, event))


def timeline(graph: nx.MultiDiGraph, name: str, order: str = "discourse") -> list[dict[str, Any]]:
    """The events ``name`` takes part in, in ``discourse`` order (as told) or ``story`` order
    (as lived: by story phase, then as told)."""
    keys = {"discourse": _discourse_key, "story": _story_key}
    if order not in keys:
        raise ValueError(f"order must be 'discourse' or 'story', not {order!r}")
    person = resolve(graph, name, "character")
    roles = _events_of(graph, person)
    ordered: Iterable[str] = sorted(roles, key=lambda e: keys[order](graph, e))
    return [_event_record(graph, e, role=roles[e]) for e in ordered]


def _setting(graph: nx.MultiDiGraph, place: str) -> str:
    """The largest place holding ``place`` below a country (a real place inside nothing).

    The café in Cromer -> Norfolk, Room 18 -> Hailsham, the recovery centre in Dover -> Dover.
    """
    seen = {place}
    while True:
        parents = sorted(t for _, t, d in graph.out_edges(place, data=True) if d["kind"] == "part_of")
        if not parents or parents[0] in seen:
            return place
        parent = parents[0]
        if graph.nodes[parent].get("is_real") and not any(d["kind"] == "part_of" for _, _, d in graph.out_edges(parent, data=True)):
            return place
        seen.add(parent)
        place = parent


def events(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Every event, one record each, in the order told: the fields of ``timeline`` and more.

    ``chapter`` is the first chapter telling the event and ``part`` its part; ``phase_rank`` orders
    the story phases (0 backstory .. 5 narrating present; ``None`` if unset); ``setting`` is the
    place rolled up to the largest place below a country (the café in Cromer -> Norfolk);
    ``people`` are those present, ``mentioned`` those only spoken of; ``objects``, ``motifs``,
    ``beliefs`` and ``themes`` what the event involves (labels throughout).
    """
    records = []
    ordered = sorted((n for n, d in graph.nodes(data=True) if d["kind"] == "event"), key=lambda e: _discourse_key(graph, e))
    for event in ordered:
        data = graph.nodes[event]
        out = [(t, d) for _, t, d in graph.out_edges(event, data=True)]

        def linked(edge_kind: str, node_kind: str | None = None, out: list = out) -> list[str]:
            return sorted(_label(graph, t) for t, d in out if d["kind"] == edge_kind and node_kind in (None, graph.nodes[t]["kind"]))

        chapter = data.get("first_chapter")
        roles = [(t, d.get("role")) for t, d in out if d["kind"] == "participant"]
        records.append(
            _event_record(
                graph,
                event,
                chapter=chapter,
                part=next((part for part, chapters in PARTS.items() if chapter in chapters), None),
                position=data.get("position"),
                phase_rank=data.get("phase_rank"),
                status=data.get("status"),
                setting=", ".join(sorted({_label(graph, _setting(graph, t)) for t, d in out if d["kind"] == "place"})) or "unknown",
                people=sorted(_label(graph, t) for t, role in roles if role != "mentioned"),
                mentioned=sorted(_label(graph, t) for t, role in roles if role == "mentioned"),
                objects=linked("involves", "object"),
                motifs=linked("involves", "motif"),
                beliefs=linked("involves", "belief"),
                themes=linked("theme"),
            )
        )
    return records
