"""Derived triples, added at load time so that simple SPARQL and the projections stay simple.

Never authored (the integrity check refuses them in data/):

- late reveals: each ``rdf:Statement`` with ``nlmg:toldIn`` is asserted as a plain triple;
- ``nlmg:participant``: the shortcut of ``sem:hasActor/rdf:value``;
- ``nlmg:fate``: a completion event whose ``role:subject`` is the character;
- relationship shortcuts: ``(source, shortcut property of the type, target)``, both ways when symmetric;
- RDFS closure of ``rdf:type`` over ``rdfs:subClassOf`` and of properties over ``rdfs:subPropertyOf``.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from graph.namespaces import EVTYPE, NLMG, ROLE, SEM

__all__ = ["add_derived", "add_relationship_shortcuts", "derived_predicates", "shortcut_properties"]


def shortcut_properties(graph: Graph) -> dict[URIRef, tuple[URIRef, bool]]:
    """Relationship type -> (its shortcut property, whether it is symmetric)."""
    result: dict[URIRef, tuple[URIRef, bool]] = {}
    for rel_type, prop in graph.subject_objects(NLMG.shortcut):
        symmetric = graph.value(rel_type, NLMG.symmetric) == Literal(True)
        result[rel_type] = (prop, symmetric)
    return result


def derived_predicates(graph: Graph) -> set[URIRef]:
    """Predicates that only loading may write: shortcuts, participants, fate."""
    return {prop for prop, _ in shortcut_properties(graph).values()} | {NLMG.participant, NLMG.fate}


def add_relationship_shortcuts(graph: Graph) -> Graph:
    """Add the direct triple of every relationship node; return ``graph``."""
    shortcuts = shortcut_properties(graph)
    for node in graph.subjects(RDF.type, NLMG.Relationship):
        source, target = graph.value(node, NLMG.source), graph.value(node, NLMG.target)
        rel_type = graph.value(node, NLMG.relationType)
        if source is None or target is None or rel_type not in shortcuts:
            continue
        prop, symmetric = shortcuts[rel_type]
        graph.add((source, prop, target))
        if symmetric:
            graph.add((target, prop, source))
    return graph


def _assert_late_reveals(graph: Graph) -> None:
    for statement in list(graph.subjects(RDF.type, RDF.Statement)):
        triple = (graph.value(statement, RDF.subject), graph.value(statement, RDF.predicate), graph.value(statement, RDF.object))
        if None not in triple:
            graph.add(triple)  # type: ignore[arg-type]


def _add_participants_and_fates(graph: Graph) -> None:
    for event, role in list(graph.subject_objects(SEM.hasActor)):
        person = graph.value(role, RDF.value)
        if person is None:
            continue
        graph.add((event, NLMG.participant, person))
        if (event, SEM.eventType, EVTYPE.completion) in graph and (role, SEM.roleType, ROLE.subject) in graph:
            graph.add((person, NLMG.fate, event))


def _rdfs_closure(graph: Graph) -> None:
    supers = {c: set(graph.transitive_objects(c, RDFS.subClassOf)) - {c} for c in set(graph.subjects(RDFS.subClassOf, None))}
    for thing, cls in list(graph.subject_objects(RDF.type)):
        for parent in supers.get(cls, ()):
            graph.add((thing, RDF.type, parent))
    for prop in set(graph.subjects(RDFS.subPropertyOf, None)):
        parents = set(graph.transitive_objects(prop, RDFS.subPropertyOf)) - {prop}
        for subject, obj in list(graph.subject_objects(prop)):
            for parent in parents:
                graph.add((subject, parent, obj))


def add_derived(graph: Graph) -> Graph:
    """Add every derived triple to ``graph`` in place; return it."""
    _assert_late_reveals(graph)
    _add_participants_and_fates(graph)
    add_relationship_shortcuts(graph)
    _rdfs_closure(graph)
    return graph
