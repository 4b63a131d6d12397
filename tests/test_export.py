"""Exports: every file is written, re-read, and nothing is lost."""

import csv
import json

import networkx as nx
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

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


@pytest.mark.parametrize("name", ["nlmg.graphml", "nlmg.gexf"])
def test_graph_exports_keep_every_node_and_edge(projection, exported, name):
    read = nx.read_graphml(exported / name) if name.endswith("graphml") else nx.read_gexf(exported / name)
    assert read.number_of_nodes() == projection.number_of_nodes()
    assert read.number_of_edges() == projection.number_of_edges()


def test_gexf_is_dynamic_by_chapter(exported):
    text = (exported / "nlmg.gexf").read_text()
    assert 'mode="dynamic"' in text
    read = nx.read_gexf(exported / "nlmg.gexf")
    assert float(read.nodes["chrissie"]["start"]) == 10.0  # the veterans enter in chapter 10


def test_csv_tables_have_a_row_per_node_and_edge(projection, exported):
    with open(exported / "nodes.csv", encoding="utf-8") as stream:
        nodes = list(csv.DictReader(stream))
    with open(exported / "edges.csv", encoding="utf-8") as stream:
        edges = list(csv.DictReader(stream))
    assert len(nodes) == projection.number_of_nodes() and len(edges) == projection.number_of_edges()
    ruth = next(n for n in nodes if n["id"] == "ruth")
    assert ruth["label"] == "Ruth" and ruth["kind"] == "character"


def test_every_export_is_written(exported):
    assert {p.name for p in exported.iterdir()} == set(EXPORTS)


def test_an_unknown_export_is_refused_and_nothing_written(graph, tmp_path):
    with pytest.raises(ValueError, match="unknown export"):
        export_all(graph, tmp_path / "out", ["nlmg.docx"])
    assert not (tmp_path / "out").exists()
