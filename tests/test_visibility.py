"""Every chapter's view made once from the per-triple chapters against the straightforward cut, ``as_of``."""

from __future__ import annotations

import networkx as nx
import pyoxigraph as ox
import pytest

from graph.metrics import character_metrics, collapse
from graph.project import character_graph, relationship_layer
from graph.visibility import cut_chapters, reader_cuts
from graph.workers import as_of_graph_iri, dataset_dump

CHAPTERS_TO_CHECK = (1, 6, 10, 17, 22, 23)


@pytest.mark.parametrize("chapter", CHAPTERS_TO_CHECK)
def test_cut_chapters_give_the_cut_with_its_shortcuts(graph, cut_as_of, chapter):
    assert {t for t, c in cut_chapters(graph).items() if c <= chapter} == set(cut_as_of(chapter))


@pytest.mark.parametrize("chapter", range(1, 24))  # every chapter: each cut reuses what the one before it read
def test_reader_cuts_equal_the_projection_of_as_of(graph, cut_as_of, projection_as_of, chapter):
    expected, shared = projection_as_of(chapter), reader_cuts(graph)[chapter]
    assert nx.utils.nodes_equal(shared.nodes(data=True), expected.nodes(data=True))
    assert sorted(shared.edges(keys=True, data=True), key=repr) == sorted(expected.edges(keys=True, data=True), key=repr)
    expected_metrics = {r["id"]: r for r in character_metrics(collapse(character_graph(cut_as_of(chapter))))}
    shared_metrics = {r["id"]: r for r in character_metrics(collapse(relationship_layer(shared)))}
    assert shared_metrics.keys() == expected_metrics.keys()
    for person, record in expected_metrics.items():
        assert shared_metrics[person] == pytest.approx(record), person


def _canonical(store: ox.Store, name: ox.NamedNode | ox.DefaultGraph) -> set[str]:
    dataset = ox.Dataset(ox.Quad(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, name))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return {str(q) for q in dataset}


def test_endpoint_dataset_holds_each_cut_as_rdflib_makes_it(graph, cut_as_of):
    store = ox.Store()
    store.load(dataset_dump(graph), format=ox.RdfFormat.N_QUADS)
    for chapter in CHAPTERS_TO_CHECK:
        expected = ox.Store()
        expected.load(cut_as_of(chapter).serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
        assert _canonical(store, ox.NamedNode(as_of_graph_iri(chapter))) == _canonical(expected, ox.DefaultGraph()), chapter
    whole = ox.Store()
    whole.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    assert _canonical(store, ox.DefaultGraph()) == _canonical(whole, ox.DefaultGraph())
