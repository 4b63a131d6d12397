"""``graph.centrality`` against networkx's own PageRank and eigenvector centrality (the outside oracle)."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.centrality import eigenvector, pagerank
from graph.metrics import collapse
from graph.project import relationship_layer


def _weighted_graphs(projection) -> list[nx.Graph]:
    return [nx.les_miserables_graph(), nx.karate_club_graph(), collapse(relationship_layer(projection))]


def test_pagerank_is_networkx_pagerank(projection):
    with_dangling = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])  # d has no way out
    for graph in [*_weighted_graphs(projection), with_dangling, nx.Graph([(1, 2)]), nx.Graph()]:
        expected = nx.pagerank(graph, weight="weight")
        assert pagerank(graph) == pytest.approx(expected, abs=1e-12)


def test_eigenvector_is_networkx_eigenvector_centrality(projection):
    for graph in _weighted_graphs(projection):
        largest = graph.subgraph(max(nx.connected_components(graph), key=len))
        assert eigenvector(largest) == pytest.approx(nx.eigenvector_centrality_numpy(largest, weight="weight"), abs=1e-12)


def test_pagerank_that_does_not_converge_says_so():
    with pytest.raises(nx.PowerIterationFailedConvergence):
        pagerank(nx.karate_club_graph(), max_iter=2)
