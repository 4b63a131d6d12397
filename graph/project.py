"""Projections of the RDF graph into NetworkX.

Three graphs, each with a documented edge definition (as DraCor and Network of Thrones document
theirs). Node ids are the individuals' slugs (``"kathy-h"``); other IRIs keep their prefix
(``"theme:memory"``). Pass ``as_of(graph, n)`` to cut any of them at chapter ``n``.

``to_networkx``: the faithful projection (``nx.MultiDiGraph``)
    Nodes: every character, place, event, object, motif, belief and theme, with ``kind``, ``label``,
    ``alt_labels``, ``description``, ``first_chapter`` (and ``groups``, ``chapters``, ``phases``...).
    Edges, keyed by ``kind``: ``relationship`` (source -> target, one per relationship node, with its
    type, phases, chapters, status and evidence), ``participant`` (event -> character, with ``role``),
    ``place`` (event -> place), ``involves`` (event -> object, motif or belief), ``part_of``
    (place -> place), ``held_by`` (belief -> character), ``about`` (belief -> thing),
    ``associated_with`` (object -> character), ``theme`` (thing -> theme).

``character_graph``: the relationship layer (``nx.MultiDiGraph``)
    Nodes: characters. Edges: one per typed relationship node, source -> target; ``symmetric`` says
    whether the type holds both ways. Nothing else: sharing a scene is not a relationship.

``coparticipation_graph``: the co-participation layer (``nx.Graph``)
    Nodes: characters. An edge joins two characters present in the same event (role other than
    ``mentioned``); ``weight`` is the number of such events, ``events`` lists them.

Keep the two character layers apart: merging them would count a shared scene as a bond.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from itertools import combinations
from typing import Any

import networkx as nx
from rdflib import Graph, Literal, Node, URIRef
from rdflib.namespace import RDF, SDO, SKOS

from graph.book import PARTS
from graph.links import wikidata_links
from graph.namespaces import ID, NLMG, ROLE, SEM
from graph.problems import short_name
from graph.slices import check_slice, sliced
from graph.spoilers import chapter_numbers

__all__ = [
    "KINDS",
    "PARTS",
    "SIMPLE_LINKS",
    "Reader",
    "character_graph",
    "coparticipation_graph",
    "coparticipation_layer",
    "node_id",
    "relationship_layer",
    "sliced",
    "slug",
    "to_networkx",
]

#: Node kind for each class, in display order.
KINDS: dict[URIRef, str] = {
    NLMG.Character: "character",
    NLMG.Place: "place",
    NLMG.Event: "event",
    NLMG.StoryObject: "object",
    NLMG.Motif: "motif",
    NLMG.Belief: "belief",
    NLMG.Theme: "theme",
}

#: Property -> edge kind of the links drawn straight from one triple (key ``kind:target``).
SIMPLE_LINKS: tuple[tuple[URIRef, str], ...] = (
    (SEM.hasPlace, "place"),
    (NLMG.involves, "involves"),
    (SDO.containedInPlace, "part_of"),
    (NLMG.heldBy, "held_by"),
    (NLMG.about, "about"),
    (NLMG.associatedWith, "associated_with"),
    (SDO.creator, "associated_with"),
    (NLMG.theme, "theme"),
)
#: Groups by how well they say who someone is: where they come from before what they become.
GROUP_PRIORITY = ("hailsham-student", "guardian", "hailsham-staff", "veteran", "student-elsewhere", "outsider", "carer", "donor")


def _group_rank(group: Node) -> tuple[int, str]:
    name = slug(group)
    return (GROUP_PRIORITY.index(name) if name in GROUP_PRIORITY else len(GROUP_PRIORITY), name)


def slug(iri: Node) -> str:
    """The last segment of a concept's IRI.

    >>> slug(ROLE.mentioned)
    'mentioned'
    """
    return str(iri).rsplit("/", 1)[-1].rsplit("#", 1)[-1]


@lru_cache(maxsize=1 << 16)  # called for every link of every projection, 23 cuts per build
def node_id(iri: Node) -> str:
    """The node id of an IRI: the slug of an individual, else its prefixed name.

    >>> node_id(ID["kathy-h"])
    'kathy-h'
    """
    text = str(iri)
    return text[len(str(ID)) :] if text.startswith(str(ID)) else short_name(text)


class Reader:
    """Reads the values a projection needs from one rdflib graph."""

    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self.chapter_number = chapter_numbers(graph)
        self.phase_order = {p: int(graph.value(p, SDO.position)) for p in graph.subjects(RDF.type, NLMG.StoryPhase)}
        self.wikidata = wikidata_links(graph)

    def label(self, node: Node) -> str:
        value = self.g.value(node, SKOS.prefLabel) or self.g.value(node, SDO.name)
        return str(value) if value is not None else node_id(node)

    def text(self, node: Node, prop: URIRef) -> str:
        """Every value of ``prop`` (a late reveal may add a second description), in a stable order."""
        return " ".join(sorted(str(v) for v in self.g.objects(node, prop)))

    def chapters(self, node: Node, prop: URIRef = NLMG.toldIn) -> list[int]:
        return sorted({self.chapter_number[c] for c in self.g.objects(node, prop) if c in self.chapter_number})

    def phases(self, node: Node) -> list[str]:
        found = [p for p in self.g.objects(node, SEM.hasTime) if p in self.phase_order]
        return [slug(p) for p in sorted(found, key=self.phase_order.__getitem__)]

    def phase_rank(self, node: Node) -> int | None:
        ranks = [self.phase_order[p] for p in self.g.objects(node, SEM.hasTime) if p in self.phase_order]
        return min(ranks) if ranks else None

    def ids(self, node: Node, prop: URIRef) -> list[str]:
        return sorted(node_id(o) for o in self.g.objects(node, prop))

    def concept(self, node: Node, prop: URIRef) -> str | None:
        value = self.g.value(node, prop)
        return slug(value) if value is not None else None

    def first_chapter(self, node: Node) -> int | None:
        known = self.chapters(node, NLMG.firstChapter) + self.chapters(node)
        return min(known) if known else None

    def node_attributes(self, node: Node, kind: str) -> dict[str, Any]:
        g = self.g
        attrs: dict[str, Any] = {
            "iri": str(node),
            "kind": kind,
            "label": self.label(node),
            "alt_labels": sorted(str(a) for a in g.objects(node, SKOS.altLabel)),
            "description": self.text(node, SDO.description) or self.text(node, SKOS.definition),
            "first_chapter": self.first_chapter(node),
            "wikidata": self.wikidata.get(node),
        }
        if kind == "character":
            attrs["groups"] = [self.label(grp) for grp in sorted(g.objects(node, NLMG.group), key=_group_rank)]
            attrs["only_mentioned"] = g.value(node, NLMG.onlyMentioned) == Literal(True)
        elif kind == "place":
            attrs["is_real"] = g.value(node, NLMG.isReal) == Literal(True)
        elif kind in ("event", "belief"):
            attrs["chapters"] = self.chapters(node)
            attrs["phases"] = self.phases(node)
            attrs["phase_rank"] = self.phase_rank(node)
            attrs["status"] = self.concept(node, NLMG.epistemicStatus)
            if kind == "event":
                attrs["event_type"] = self.concept(node, SEM.eventType)
                position = g.value(node, SDO.position)
                attrs["position"] = int(position) if position is not None else 0
            else:
                overturned = self.chapters(node, NLMG.overturnedIn)
                attrs["overturned_in"] = overturned[0] if overturned else None
        return attrs

    def actor(self, role: Node) -> tuple[Node | None, str | None]:
        """The person an event's role node names, and the role's type."""
        return self.g.value(role, RDF.value), self.concept(role, SEM.roleType)

    def relationship_attributes(self, node: Node) -> dict[str, Any]:
        g = self.g
        rel_type = g.value(node, NLMG.relationType)
        overturned = self.chapters(node, NLMG.overturnedIn)
        return {
            "iri": str(node),
            "type": slug(rel_type) if rel_type else None,
            "type_label": self.label(rel_type) if rel_type else None,
            "symmetric": g.value(rel_type, NLMG.symmetric) == Literal(True),
            "phases": self.phases(node),
            "phase_rank": self.phase_rank(node),
            "chapters": self.chapters(node),
            "first_chapter": self.first_chapter(node),
            "status": self.concept(node, NLMG.epistemicStatus),
            "overturned_in": overturned[0] if overturned else None,
            "evidence": self.ids(node, NLMG.evidence),
            "description": self.text(node, SDO.description),
        }


def to_networkx(graph: Graph, *, part: int | None = None, phase: str | None = None, reader: Reader | None = None) -> nx.MultiDiGraph:
    """The faithful projection: every entity a node, every link an edge (see the module doc).

    ``part`` (1-3) or ``phase`` (e.g. ``"cottages"``) keep only the events and relationships told
    in that part or set in that phase (see ``sliced``). ``reader``: a ``Reader`` of ``graph`` to use
    (``graph.visibility`` passes one that reuses what an earlier chapter's cut read).
    """
    reader = reader if reader is not None else Reader(graph)
    phases = [slug(p) for p in sorted(reader.phase_order, key=reader.phase_order.__getitem__)]
    check_slice(part, phase, phases)
    g = graph
    result = nx.MultiDiGraph(name="nlmg", phases=phases)
    for cls, kind in KINDS.items():
        for node in g.subjects(RDF.type, cls):
            result.add_node(node_id(node), **reader.node_attributes(node, kind))

    def link(source: Node, target: Node, kind: str, key: str, **attrs: Any) -> None:
        s, t = node_id(source), node_id(target)
        if s in result and t in result:
            result.add_edge(s, t, key=key, kind=kind, **attrs)

    for rel in g.subjects(RDF.type, NLMG.Relationship):
        link(g.value(rel, NLMG.source), g.value(rel, NLMG.target), "relationship", node_id(rel), **reader.relationship_attributes(rel))
    for event, role in g.subject_objects(SEM.hasActor):
        person, role_type = reader.actor(role)
        if person is not None:
            link(event, person, "participant", f"participant:{node_id(person)}", role=role_type)
    for prop, kind in SIMPLE_LINKS:
        for s, o in g.subject_objects(prop):
            link(s, o, kind, f"{kind}:{node_id(o)}")
    return sliced(result, part=part, phase=phase) if part is not None or phase is not None else result


def relationship_layer(projection: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The characters of a projection and its relationship edges only."""
    result = nx.MultiDiGraph(name="relationships")
    result.add_nodes_from((n, d) for n, d in projection.nodes(data=True) if d["kind"] == "character")
    result.add_edges_from((s, t, k, d) for s, t, k, d in projection.edges(keys=True, data=True) if d["kind"] == "relationship")
    return result


def coparticipation_layer(projection: nx.MultiDiGraph) -> nx.Graph:
    """Characters of a projection joined by the events they are present at (not merely mentioned in)."""
    result = nx.Graph(name="co-participation")
    result.add_nodes_from((n, d) for n, d in projection.nodes(data=True) if d["kind"] == "character")
    present: dict[str, list[str]] = defaultdict(list)
    for event, person, data in projection.edges(data=True):
        if data["kind"] == "participant" and data.get("role") != slug(ROLE.mentioned):
            present[event].append(person)
    for event, people in present.items():
        chapters = projection.nodes[event].get("chapters", [])
        for a, b in combinations(sorted(set(people)), 2):
            if result.has_edge(a, b):
                edge = result.edges[a, b]
                edge["weight"] += 1
                edge["events"].append(event)
                edge["chapters"] = sorted(set(edge["chapters"]) | set(chapters))
            else:
                result.add_edge(a, b, weight=1, events=[event], chapters=list(chapters))
    return result


def character_graph(graph: Graph, *, part: int | None = None, phase: str | None = None) -> nx.MultiDiGraph:
    """The relationship layer: characters, and one edge per typed relationship node."""
    return relationship_layer(to_networkx(graph, part=part, phase=phase))


def coparticipation_graph(graph: Graph, *, part: int | None = None, phase: str | None = None) -> nx.Graph:
    """The co-participation layer: characters joined by the events they share, weighted by count."""
    return coparticipation_layer(to_networkx(graph, part=part, phase=phase))
