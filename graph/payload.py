"""The companion's data: one JSON payload of the graph, every item keyed by the chapter it is told in.

Every node, edge and text version carries ``visible_from``: the first chapter after which a reader
may see it. The spoiler cut is monotone, so it is computed once (``graph.visibility``) instead of
projecting 23 cuts; a node's attributes are re-read only at the chapters where one of its own
triples appears. ``state_at(item, n)`` gives what the reader knows of an item after chapter ``n``
(``None`` while it is hidden): for every chapter it equals the projection of ``as_of(graph, n)``.

``build_payload(graph, max_chapter=n)`` leaves out everything told after chapter ``n``: no label,
description or id of a later chapter is in it (a build for a class reading Part One).

Sections: ``meta``, ``nodes``, ``edges``, ``overturns``, ``recap`` and the sections of
``SECTIONS`` (name -> ``"module:function"``, each called as ``function(graph, chapters, max_chapter)``
and pruned the same way: any object whose ``visible_from`` is after ``max_chapter`` is dropped).
"""

from __future__ import annotations

import importlib
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from rdflib import Graph, Node
from rdflib.namespace import RDF, SDO, SKOS

from graph.maps import layout_positions, options, style_legend, vis_styles
from graph.namespaces import NLMG, SEM
from graph.project import KINDS, PARTS, SIMPLE_LINKS, Reader, node_id
from graph.spoilers import CHAPTERS
from graph.visibility import CutView, Triple, shared_triple_chapters, shared_view

__all__ = ["SECTIONS", "build_payload", "prune", "state_at", "versions_of"]

#: Extra payload sections from other modules: name -> "module:function(graph, chapters, max_chapter)".
SECTIONS: dict[str, str] = {
    "timespace": "graph.timespace:payload_section",
}

Record = dict[str, Any]


def state_at(item: Record, chapter: int) -> Record | None:
    """What the reader knows of ``item`` after ``chapter``: its versions merged up to it, or ``None``."""
    if item.get("visible_from", 1) > chapter:
        return None
    state: Record = {}
    for version in item.get("versions", []):
        if version["visible_from"] <= chapter:
            state.update(version)
    state.pop("visible_from", None)
    return state


def prune(data: Any, max_chapter: int) -> Any:
    """``data`` without any object (at any depth) whose ``visible_from`` is after ``max_chapter``."""
    if isinstance(data, dict):
        return {k: prune(v, max_chapter) for k, v in data.items() if not (isinstance(v, dict) and v.get("visible_from", 0) > max_chapter)}
    if isinstance(data, list):
        return [prune(v, max_chapter) for v in data if not (isinstance(v, dict) and v.get("visible_from", 0) > max_chapter)]
    return data


def versions_of(snapshots: Iterable[tuple[int, Record]]) -> list[Record]:
    """Only what changes: the first snapshot whole, then each later one's changed fields."""
    versions: list[Record] = []
    current: Record = {}
    for chapter, attrs in snapshots:
        changed = {k: v for k, v in attrs.items() if not versions or k not in current or current[k] != v}
        if changed or not versions:
            versions.append({"visible_from": chapter, **changed})
            current.update(changed)
    return versions


class _Growing:
    """The graph chapter by chapter (a ``CutView``), with the chapters at which each subject changes."""

    def __init__(self, chapters: dict[Triple, int], view: CutView) -> None:
        self.view = view
        self.readers: dict[int, Reader] = {}
        self.changes: dict[Node, set[int]] = defaultdict(set)
        for triple, chapter in chapters.items():
            self.changes[triple[0]].add(chapter)

    def snapshots(self, items: dict[Node, tuple[int, Any]], read: Any) -> dict[Node, list[Record]]:
        """item -> its versions; ``items`` maps each to (visible_from, kind); ``read(reader, item, kind)``."""
        wanted: dict[int, list[Node]] = defaultdict(list)
        for item, (start, _) in items.items():
            for chapter in {start, *(c for c in self.changes[item] if c > start)}:
                wanted[chapter].append(item)
        result: dict[Node, list[tuple[int, Record]]] = defaultdict(list)
        for chapter in sorted(wanted):
            self.view.chapter = chapter
            if chapter not in self.readers:  # the chapter's numbers, phases and links, read once for nodes and relationships
                self.readers[chapter] = Reader(self.view)  # type: ignore[arg-type]
            reader = self.readers[chapter]
            for item in wanted[chapter]:
                result[item].append((chapter, read(reader, item, items[item][1])))
        return {item: versions_of(snaps) for item, snaps in result.items()}


def _node_records(graph: Graph, chapters: dict[Triple, int], growing: _Growing) -> dict[Node, Record]:
    visible: dict[Node, tuple[int, str]] = {}
    for cls, kind in KINDS.items():  # as in to_networkx: a later kind wins
        for node in graph.subjects(RDF.type, cls):
            visible[node] = (chapters[(node, RDF.type, cls)], kind)

    def read(reader: Reader, node: Node, kind: str) -> Record:
        attrs = reader.node_attributes(node, kind)
        del attrs["iri"], attrs["kind"]
        return attrs

    versions = growing.snapshots(visible, read)
    return {
        node: {"id": node_id(node), "kind": kind, "visible_from": start, "versions": versions[node]}
        for node, (start, kind) in visible.items()
    }


def _edge_records(graph: Graph, chapters: dict[Triple, int], growing: _Growing, nodes: dict[Node, Record]) -> list[Record]:
    """Every edge of ``to_networkx``, visible once its triples and both its ends are."""
    found: dict[tuple[str, str, str], Record] = {}
    ids = {node: record["id"] for node, record in nodes.items()}

    def link(source: Node, target: Node, kind: str, key: str, chapter: int, **extra: Any) -> None:
        if source not in nodes or target not in nodes:
            return
        chapter = max(chapter, nodes[source]["visible_from"], nodes[target]["visible_from"])
        ident = (ids[source], ids[target], key)
        if ident not in found or chapter < found[ident]["visible_from"]:
            found[ident] = {"id": "|".join(ident), "kind": kind, "from": ident[0], "to": ident[1], "visible_from": chapter, **extra}

    relationships = {rel: chapters[(rel, RDF.type, NLMG.Relationship)] for rel in graph.subjects(RDF.type, NLMG.Relationship)}

    def read(reader: Reader, rel: Node, _: Any) -> Record:
        attrs = reader.relationship_attributes(rel)
        del attrs["iri"]
        return attrs

    versions = growing.snapshots({rel: (start, None) for rel, start in relationships.items()}, read)
    view = growing.view  # dictionary lookups, faster than rdflib's on the whole graph
    view.chapter = CHAPTERS
    for rel, start in relationships.items():
        source, target = view.value(rel, NLMG.source), view.value(rel, NLMG.target)
        if source is None or target is None:
            continue
        seen = max(start, chapters[(rel, NLMG.source, source)], chapters[(rel, NLMG.target, target)])
        link(source, target, "relationship", node_id(rel), seen, versions=versions[rel])
    for event, role in view.subject_objects(SEM.hasActor):
        person = view.value(role, RDF.value)
        if person is None:
            continue
        role_type = view.value(role, SEM.roleType)
        seen = max(chapters[(event, SEM.hasActor, role)], chapters[(role, RDF.value, person)])
        role_version = [{"visible_from": max(seen, chapters[(role, SEM.roleType, role_type)]), "role": str(role_type).rsplit("/", 1)[-1]}] if role_type else []
        link(event, person, "participant", f"participant:{ids.get(person)}", seen, versions=role_version or [{"visible_from": seen, "role": None}])
    for prop, kind in SIMPLE_LINKS:
        for s, o in view.subject_objects(prop):
            link(s, o, kind, f"{kind}:{ids.get(o)}", chapters[(s, prop, o)])
    for edge in found.values():
        for version in edge.get("versions", []):
            version["visible_from"] = max(version["visible_from"], edge["visible_from"])
    return sorted(found.values(), key=lambda e: e["id"])


def _overturns(graph: Graph, chapters: dict[Triple, int]) -> list[Record]:
    """Which event overturns which belief (or relationship), from the chapter the reader learns it."""
    return sorted(
        ({"belief": node_id(s), "event": node_id(o), "visible_from": chapters[(s, NLMG.overturnedBy, o)]} for s, o in graph.subject_objects(NLMG.overturnedBy)),
        key=lambda r: (r["visible_from"], r["belief"]),
    )


def _phases(graph: Graph, chapters: dict[Triple, int]) -> list[Record]:
    """The story phases, each visible once the reader meets a first event or relationship set in it."""
    first: dict[Node, int] = {}
    for s, o in graph.subject_objects(SEM.hasTime):
        chapter = chapters[(s, SEM.hasTime, o)]
        if chapter < first.get(o, CHAPTERS + 1):
            first[o] = chapter
    phases = []
    for phase in graph.subjects(RDF.type, NLMG.StoryPhase):
        position = graph.value(phase, SDO.position)
        label = str(graph.value(phase, SKOS.prefLabel) or phase)
        phases.append({"id": node_id(phase).rsplit(":", 1)[-1], "label": label, "rank": int(position or 0), "visible_from": first.get(phase, CHAPTERS)})
    return sorted(phases, key=lambda p: p["rank"])


def _meta(graph: Graph, chapters: dict[Triple, int], max_chapter: int) -> Record:
    return {
        "style": style_legend(),
        "chapters": CHAPTERS,
        "max_chapter": max_chapter,
        "parts": {str(n): [chapters[0], chapters[-1]] for n, chapters in PARTS.items()},
        "phases": _phases(graph, chapters),
    }


def _styled(nodes: list[Record], edges: list[Record], max_chapter: int) -> None:
    """Add the vis-network look (pyvis) and the seeded positions of the graph as it stands at ``max_chapter``."""
    final = {n["id"]: {"kind": n["kind"]} for n in nodes if n["visible_from"] <= max_chapter}
    shown = [e for e in edges if e["visible_from"] <= max_chapter and e["from"] in final and e["to"] in final]
    positions = layout_positions(final, [(e["from"], e["to"], e["kind"]) for e in shown])
    node_looks, edge_looks = vis_styles(nodes, edges, positions)
    for node in nodes:
        node["vis"] = node_looks[node["id"]]
    for edge in edges:
        edge["vis"] = edge_looks[edge["id"]]


def build_payload(graph: Graph, max_chapter: int = CHAPTERS) -> Record:
    """The companion's payload for ``graph``, holding nothing told after ``max_chapter``."""
    from graph.recap import recap_section

    chapters = shared_triple_chapters(graph)
    growing = _Growing(chapters, shared_view(graph))
    node_records = _node_records(graph, chapters, growing)
    edges = _edge_records(graph, chapters, growing, node_records)
    nodes = sorted(node_records.values(), key=lambda n: n["id"])
    _styled(nodes, edges, max_chapter)
    payload: Record = {"meta": _meta(graph, chapters, max_chapter), "nodes": nodes, "edges": edges, "overturns": _overturns(graph, chapters)}
    payload["options"] = {"default": options(), "crowded": options(crowded=True)}
    payload["recap"] = recap_section(payload)
    for name, target in SECTIONS.items():
        module, function = target.split(":")
        payload[name] = getattr(importlib.import_module(module), function)(graph, chapters, max_chapter)
    return prune(payload, max_chapter) if max_chapter < CHAPTERS else payload

