"""The networks a researcher downloads, described once for GEXF, GraphML and CSV (see ``netfiles``).

``full_network``: the faithful projection (every entity and link, see ``project``), replayed; a
    character stays to the end (later chapters remember them), ``completed`` turns true when the
    book tells their completion.
``relationship_network``: characters and one edge per relationship node (DraCor's "relations"),
    ``mutual`` when its type holds both ways; replayed (see ``replay``).
``copresence_network``: characters joined by the scenes they share (DraCor's co-presence),
    undirected, ``weight`` the number of shared scenes; the ``scenes`` attribute counts them as the
    book goes on.

Edge ids are unique in every network; no attribute is called ``type`` (Gephi Lite's renderer
reads an edge's ``type`` as the way to draw it): the relationship type is ``relationship_type``.
"""

from __future__ import annotations

import csv
import io
from operator import itemgetter
from typing import Any

import networkx as nx

from graph.netfiles import Element, Link, Network, Spell
from graph.project import coparticipation_layer, relationship_layer
from graph.replay import Replay, merge_runs
from graph.spoilers import CHAPTERS

__all__ = ["copresence_network", "edge_table", "full_network", "relationship_network", "sorted_edges", "sorted_nodes"]

#: Node attributes that go into the files, besides label and description (which change over time).
NODE_FIELDS = ("kind", "groups", "first_chapter", "only_mentioned", "is_real", "event_type", "status", "chapters", "phases", "iri", "wikidata")
EDGE_FIELDS = ("kind", "type", "type_label", "role", "status", "first_chapter", "chapters", "phases", "overturned_in", "iri")
RENAMED = {"type": "relationship_type"}
#: The time every network covers: the book, chapter 1 to 23.
BOOK = Spell(1, CHAPTERS)


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple, set)):
        return "; ".join(str(v) for v in value)
    return value


def _values(data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {RENAMED.get(f, f): _plain(data[f]) for f in fields if data.get(f) not in (None, "", [])}


def _node(replay: Replay, node: str, data: dict[str, Any], *, until_completion: bool = True) -> Element:
    spell = replay.node_spell(node, data, until_completion=until_completion)
    timed = {name: replay.node_values(node, name) for name in ("label", "alt_labels", "description")}
    timed["completed"] = replay.completion_values(node, data)
    return Element(node, data["label"], _values(data, NODE_FIELDS), [spell] if spell else [], {k: v for k, v in timed.items() if v})


def _clip(spell: Spell, *limits: Spell | None) -> Spell:
    """An edge's spell within its ends' spells (never shown after one of its ends)."""
    known = [s for s in (spell, *limits) if s is not None]
    start, end = max(s.start for s in known), min(s.end for s in known)
    return Spell(min(start, end), end)


def sorted_nodes(graph: nx.Graph) -> list[tuple[str, dict[str, Any]]]:
    """The nodes with their data, by id: a file lists them in the same order whatever order the graph was read in."""
    return sorted(graph.nodes(data=True), key=itemgetter(0))


def sorted_edges(graph: nx.MultiDiGraph) -> list[tuple[str, str, str, dict[str, Any]]]:
    """The edges (source, target, key, data), by source, target and key."""
    return sorted(graph.edges(keys=True, data=True), key=itemgetter(0, 1, 2))


def full_network(replay: Replay, projection: nx.MultiDiGraph) -> Network:
    """Every entity and link of the projection, replayed chapter by chapter."""
    nodes = {n: _node(replay, n, d, until_completion=False) for n, d in sorted_nodes(projection)}
    rel_spells = replay.relationship_spells(projection)
    edges = []
    for s, t, k, d in sorted_edges(projection):
        ends = [nodes[s].spells[0] if nodes[s].spells else None, nodes[t].spells[0] if nodes[t].spells else None]
        own = rel_spells.get(k) if d["kind"] == "relationship" else Spell(d.get("first_chapter") or max((e.start for e in ends if e), default=1), CHAPTERS)
        label = d.get("type_label") or d.get("role") or d["kind"].replace("_", " ")
        timed = {"description": replay.edge_values(s, t, k, "description")} if d["kind"] == "relationship" else {}
        spells = [_clip(own, *ends)] if own else []
        edges.append(Link(f"{s}--{k}", label, _values(d, EDGE_FIELDS), spells, {a: v for a, v in timed.items() if v}, s, t, bool(d.get("symmetric"))))
    about = "Never Let Me Go: every character, place, event, object, belief and theme, and their links, chapter by chapter."
    return Network("nlmg", about, list(nodes.values()), edges, BOOK)


def relationship_network(replay: Replay, projection: nx.MultiDiGraph) -> Network:
    """Characters and their relationships, replayed: ties start, change and end as the book tells them."""
    layer = relationship_layer(projection)
    nodes = {n: _node(replay, n, d) for n, d in sorted_nodes(layer)}
    spells = replay.relationship_spells(projection)
    edges = []
    for s, t, k, d in sorted_edges(layer):
        ends = [nodes[s].spells[0] if nodes[s].spells else None, nodes[t].spells[0] if nodes[t].spells else None]
        spell = _clip(spells[k], *ends) if k in spells else None
        values = _values(d, tuple(f for f in EDGE_FIELDS if f != "kind"))
        timed = {"description": replay.edge_values(s, t, k, "description")}
        timed = {a: v for a, v in timed.items() if v}
        edges.append(Link(k, d.get("type_label") or k, values, [spell] if spell else [], timed, s, t, bool(d["symmetric"])))
    about = "Never Let Me Go: who is related to whom, how, and from when to when (time is the chapter)."
    return Network("relationships", about, list(nodes.values()), edges, BOOK)


def copresence_network(replay: Replay, projection: nx.MultiDiGraph) -> Network:
    """Characters joined by the scenes they share (present, not merely mentioned), counted as the book goes on."""
    layer = coparticipation_layer(projection)
    nodes = {n: _node(replay, n, d) for n, d in sorted_nodes(layer)}
    edges = []
    for s, t, d in sorted(layer.edges(data=True), key=lambda e: sorted(e[:2])):  # a pair in the same order whichever end the graph names first
        a, b = sorted((s, t))
        cuts = replay.copresence_cuts.items()
        counts = merge_runs((n, cut.edges[a, b]["weight"]) for n, cut in cuts if cut.has_edge(a, b))
        first = min(d["chapters"]) if d["chapters"] else 1
        ends = [nodes[a].spells[0] if nodes[a].spells else None, nodes[b].spells[0] if nodes[b].spells else None]
        values = {"scenes": d["weight"], "chapters": _plain(d["chapters"]), "events": _plain(sorted(d["events"]))}
        label = f"{d['weight']} shared scene" + ("s" if d["weight"] != 1 else "")
        timed = {"scenes_so_far": counts} if counts else {}
        link = Link(f"{a}--{b}", label, values, [_clip(Spell(first, CHAPTERS), *ends)], timed, a, b, True, float(d["weight"]))
        edges.append(link)
    about = "Never Let Me Go: characters who share scenes, weighted by how many (time is the chapter)."
    return Network("copresence", about, list(nodes.values()), edges, BOOK, directed=False)


def edge_table(network: Network) -> bytes:
    """DraCor-style CSV: Source, Type (Directed or Undirected), Target, Weight, Label, then the attributes."""
    extra: list[str] = []
    for edge in network.edges:
        extra += [k for k in edge.values if k not in extra]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Source", "Type", "Target", "Weight", "Label", "Id", "Start", "End", *extra])
    for edge in network.edges:
        way = "Directed" if network.directed and not edge.mutual else "Undirected"
        spell = edge.spells[0] if edge.spells else None
        writer.writerow(
            [
                edge.source,
                way,
                edge.target,
                f"{edge.weight:g}" if edge.weight is not None else 1,
                edge.label,
                edge.id,
                spell.start if spell else "",
                spell.end if spell else "",
                *(edge.values.get(k, "") for k in extra),
            ]
        )
    return buffer.getvalue().encode("utf-8")
