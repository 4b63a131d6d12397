"""Exports: every file is written, re-read, and nothing is lost."""

import csv
import json

import networkx as nx
import pytest
from canonical import isomorphic
from rdflib import Dataset, Graph

from graph.export import EXPORTS, GRAPH_IRI, export_all


@pytest.fixture(scope="module")
def exported(graph, tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    export_all(graph, folder)
    return folder


@pytest.mark.parametrize(("name", "fmt"), [("nlmg.ttl", "turtle"), ("nlmg.nt", "nt"), ("nlmg.jsonld", "json-ld")])
def test_rdf_exports_hold_the_same_graph(graph, exported, name, fmt):
    assert isomorphic(Graph().parse(exported / name, format=fmt), graph)


def test_trig_holds_the_graph_in_one_named_graph(graph, exported):
    dataset = Dataset()
    dataset.parse(exported / "nlmg.trig", format="trig")
    assert isomorphic(dataset.graph(GRAPH_IRI), graph)


def test_jsonld_context_maps_the_project_prefixes(exported):
    context = json.loads((exported / "nlmg-context.jsonld").read_text())["@context"]
    assert context["nlmgid"] == "https://w3id.org/nlmg/id/" and context["nlmg"] == "https://w3id.org/nlmg/ontology#"


def test_graph_exports_keep_every_node_and_edge(projection, exported):
    read = nx.read_graphml(exported / "nlmg.graphml")
    assert read.number_of_nodes() == projection.number_of_nodes()
    assert read.number_of_edges() == projection.number_of_edges()


def test_gexf_is_dynamic_by_chapter(exported):
    read = nx.read_gexf(exported / "nlmg.gexf")
    assert read.graph["mode"] == "dynamic"
    assert read.nodes["chrissie"]["spells"][0][0] == 10.0  # the veterans enter in chapter 10


def test_metrics_downloads_have_every_character_part_and_chapter(exported):
    with open(exported / "metrics/characters.csv", encoding="utf-8") as stream:
        characters = list(csv.DictReader(stream))
    assert characters[0]["id"] == "kathy-h" and {"betweenness", "pagerank"} <= set(characters[0])
    parts = json.loads((exported / "metrics/parts.json").read_text())
    assert {r["part"] for r in parts} == {1, 2, 3}
    chapters = json.loads((exported / "metrics/chapters.json").read_text())
    assert {r["chapter"] for r in chapters} == set(range(1, 24))


def test_network_tables_say_which_ties_hold_both_ways(exported):
    with open(exported / "networks/relationships.csv", encoding="utf-8") as stream:
        rows = {r["Id"]: r for r in csv.DictReader(stream)}
    assert rows["rel-kathy-h-ruth-close-friendship-hailsham"]["Type"] == "Undirected"
    assert rows["rel-miss-geraldine-tommy-d-guardianship"]["Type"] == "Directed"
    with open(exported / "networks/copresence.csv", encoding="utf-8") as stream:
        pairs = {(r["Source"], r["Target"]): int(r["Weight"]) for r in csv.DictReader(stream)}
    assert max(pairs, key=pairs.get) in {("kathy-h", "ruth"), ("kathy-h", "tommy-d"), ("ruth", "tommy-d")}


def test_csv_tables_have_a_row_per_node_and_edge(projection, exported):
    with open(exported / "nodes.csv", encoding="utf-8") as stream:
        nodes = list(csv.DictReader(stream))
    with open(exported / "edges.csv", encoding="utf-8") as stream:
        edges = list(csv.DictReader(stream))
    assert len(nodes) == projection.number_of_nodes() and len(edges) == projection.number_of_edges()
    ruth = next(n for n in nodes if n["id"] == "ruth")
    assert ruth["label"] == "Ruth" and ruth["kind"] == "character"


def test_every_export_is_written(exported):
    assert {p.relative_to(exported).as_posix() for p in exported.rglob("*") if p.is_file()} == set(EXPORTS)


def test_an_unknown_export_is_refused_and_nothing_written(graph, tmp_path):
    with pytest.raises(ValueError, match="unknown export"):
        export_all(graph, tmp_path / "out", ["nlmg.docx"])
    assert not (tmp_path / "out").exists()


ORDERED_EXPORTS = [
    "nodes.csv",
    "edges.csv",
    "nlmg.gexf",
    "nlmg.graphml",
    "networks/relationships.gexf",
    "networks/relationships.graphml",
    "networks/copresence.csv",
]


def test_the_tables_and_network_files_do_not_depend_on_the_order_the_graph_was_read_in(graph, exported, tmp_path):
    import random

    triples = list(graph)
    random.Random(7).shuffle(triples)
    shuffled = Graph()
    for triple in reversed(triples):
        shuffled.add(triple)
    export_all(shuffled, tmp_path, ORDERED_EXPORTS)
    for name in ORDERED_EXPORTS:
        assert (tmp_path / name).read_bytes() == (exported / name).read_bytes(), name
