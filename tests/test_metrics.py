"""Network measures: correct on small graphs with known answers, honest on disconnected ones, and
telling on the novel."""

import math

import networkx as nx
import pytest

from graph.metrics import MEASURES, character_metrics, collapse, communities, cumulative_metrics, graph_metrics, metrics_by_part
from graph.project import character_graph


def by_id(records):
    return {r["id"]: r for r in records}


def test_a_star_has_its_hub_most_central():
    star = nx.star_graph(4)  # node 0 joined to 1..4
    nx.set_edge_attributes(star, 1, "weight")
    hub = by_id(character_metrics(star))[0]
    assert hub["degree"] == 4 and hub["betweenness"] == pytest.approx(1.0) and hub["closeness"] == pytest.approx(1.0)


def test_collapse_counts_relationships_between_a_pair():
    multi = nx.MultiDiGraph()
    multi.add_edge("a", "b", key="r1")
    multi.add_edge("b", "a", key="r2")
    multi.add_edge("b", "c", key="r3")
    collapsed = collapse(multi)
    assert collapsed.edges["a", "b"]["weight"] == 2 and collapsed.edges["b", "c"]["weight"] == 1


def test_path_measures_are_undefined_on_a_disconnected_graph_and_say_so():
    two_pieces = nx.Graph([("a", "b"), ("c", "d"), ("d", "e")])
    result = graph_metrics(two_pieces)
    assert result["components"] == 2 and math.isnan(result["diameter"])
    assert "undefined" in result["note"] and result["diameter_of_largest"] == 2


def test_kathy_the_narrator_is_the_most_central_character(graph):
    records = character_metrics(collapse(character_graph(graph)))
    assert set(MEASURES) <= set(records[0])
    for measure in ("degree", "betweenness", "pagerank"):
        assert max(records, key=lambda r: r[measure])["id"] == "kathy-h", measure


def test_the_veterans_appear_only_from_part_two(graph):
    parts = {(r["part"], r["id"]) for r in metrics_by_part(graph)}
    assert (1, "chrissie") not in parts and (2, "chrissie") in parts


def test_cumulative_measures_grow_chapter_by_chapter(graph):
    rows = cumulative_metrics(graph)
    per_chapter = {c: sum(1 for r in rows if r["chapter"] == c) for c in range(1, 24)}
    assert all(per_chapter[c] <= per_chapter[c + 1] for c in range(1, 23))
    assert not any(r["id"] == "chrissie" for r in rows if r["chapter"] < 10)


def test_communities_put_chrissie_with_rodney(graph):
    found = communities(collapse(character_graph(graph)))
    assert sum(c["size"] for c in found) == collapse(character_graph(graph)).number_of_nodes()
    assert any({"Chrissie", "Rodney"} <= set(c["members"]) for c in found)
