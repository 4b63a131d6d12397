"""rudof (the engine ``nlmg validate`` runs) against pySHACL, a second SHACL engine, as the oracle.

Both engines check the novel's graph and damaged copies of it; each copy has some of the triples the
shapes look at deleted or pointed at the wrong kind of value. The two must report the same violations:
the same focus node, path and constraint. Two differences are known and checked apart:
- pySHACL also lists the inner results of an ``sh:node`` check (the derivation a statement points
  at); the SHACL specification reports only the outer one, so those are left out.
- rudof does not take a literal as a focus node of ``sh:targetObjectsOf`` (a participant written as
  text); the event shape's ``sh:nodeKind`` on ``sem:hasActor`` reports that damage at the event instead.
"""

from __future__ import annotations

import random

import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from graph import paths
from graph.namespaces import SEM
from graph.shacl import shape_results

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
MUTANTS = 4


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(paths.shapes_file())


def _top_level_shapes(shapes: Graph) -> set:
    """The shapes with a target and their property shapes: the ones whose results a report lists."""
    targeted = {s for target in TARGETS for s in shapes.subjects(target, None)}
    return targeted | {p for s in targeted for p in shapes.objects(s, SH.property)}


def _pyshacl_violations(data: Graph, shapes: Graph) -> set[tuple]:
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    top = _top_level_shapes(shapes)
    return {
        (results.value(r, SH.focusNode), results.value(r, SH.resultPath), results.value(r, SH.sourceConstraintComponent))
        for r in results.subjects(RDF.type, SH.ValidationResult)
        if results.value(r, SH.sourceShape) in top
    }


def _rudof_violations(data: Graph, shapes: Graph) -> set[tuple]:
    import pyrudof

    engine = pyrudof.Rudof(pyrudof.RudofConfig())
    engine.read_data(data.serialize(format="nt"), format=pyrudof.RDFFormat.NTriples)
    engine.read_shacl(shapes.serialize(format="nt"), format=pyrudof.ShaclFormat.NTriples)
    found = set()
    for v in engine.validate_shacl().violations:
        focus = BNode(v.focus_node[2:]) if v.focus_node.startswith("_:") else URIRef(v.focus_node)
        found.add((focus, URIRef(v.path) if v.path else None, URIRef(v.constraint_component)))
    return found


def _damaged(graph: Graph, shapes: Graph, seed: int) -> Graph:
    """A copy of ``graph`` with 40 triples on the shapes' paths deleted, or their object made a string or a chapter."""
    chance = random.Random(seed)
    paths_checked = set(shapes.objects(None, SH.path))
    candidates = sorted((t for t in graph if t[1] in paths_checked), key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
    wrong_values = [Literal("not a value"), URIRef("https://w3id.org/nlmg/id/chapter-05")]
    damaged = Graph()
    damaged += graph
    for s, p, o in chance.sample(candidates, 40):
        damaged.remove((s, p, o))
        if chance.random() < 0.5:
            damaged.add((s, p, chance.choice(wrong_values)))
    return damaged


def test_both_engines_find_the_novel_valid(graph: Graph, shapes: Graph):
    assert _pyshacl_violations(graph, shapes) == set()
    assert _rudof_violations(graph, shapes) == set()


@pytest.mark.parametrize("seed", range(MUTANTS))
def test_both_engines_find_the_same_violations_in_damaged_data(graph: Graph, shapes: Graph, seed: int):
    damaged = _damaged(graph, shapes, seed)
    expected = _pyshacl_violations(damaged, shapes)
    assert expected, "the damage should break some shape"
    on_text = {v for v in expected if isinstance(v[0], Literal)}
    found = _rudof_violations(damaged, shapes)
    assert found == expected - on_text
    for text, _, _ in on_text:
        events = set(damaged.subjects(SEM.hasActor, text))
        assert events and all((e, SEM.hasActor, SH.NodeKindConstraintComponent) in found for e in events)


def test_the_results_nlmg_reads_carry_each_shapes_own_message(graph: Graph, shapes: Graph):
    """Every violation comes back with the ``sh:message`` the shapes give it (rudof words some itself)."""
    damaged = _damaged(graph, shapes, seed=0)
    written = {str(m) for m in shapes.objects(None, SH.message)}
    results = shape_results(damaged, shapes)
    assert results
    assert {r.message for r in results} <= written
