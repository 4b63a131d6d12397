"""The JSON-LD writer, read back by PyLD (the reference JSON-LD processor for Python) and by rdflib's parser.

Each document must give the same graph as the N-Triples it was written from; the compact forms expected are
those the JSON-LD 1.1 rules allow (a compact IRI expands to prefix IRI + local part, split at the first colon,
unless the local part starts with ``//``; only a prefix IRI ending in ``/``, ``#`` etc. acts as a prefix).
"""

from __future__ import annotations

import json
import random
import re

import pytest
from canonical import isomorphic, same_quads
from pyld import jsonld
from rdflib import Graph

from graph.export import EXPORTS, Sources, jsonld_context
from graph.jsonld import jsonld_bytes

EX = "https://e.org/ns/"
PREFIXES = {
    "ex": EX,
    "exsub": EX + "sub/",
    "odd": "https://e.org/odd",  # no "/" or "#" at its end: not a prefix in JSON-LD 1.1
    "tag": "https://e.org/tag/",  # also the scheme of <tag:e.org,2026:x>, so it cannot stay in the context
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
}
RDF = PREFIXES["rdf"]
XSD = PREFIXES["xsd"]

#: Strings, language tags, datatypes and IRIs that a careless writer gets wrong; blank nodes in chains and a list.
HOSTILE = f"""
<{EX}a> <{EX}says> "she said \\"no\\"\\nand left\\ttoo \\\\ back" .
<{EX}a> <{EX}says> "Kathy H. \u00e9t\u00e9 \u2028 \U0001f4da"@en-GB .
<{EX}a> <{EX}says> "plain" .
<{EX}a> <{EX}says> "plain"@en .
<{EX}a> <{EX}says> "@id" .
<{EX}a> <{EX}says> "ex:b" .
<{EX}a> <{EX}says> "typed"^^<{XSD}string> .
<{EX}a> <{EX}count> "01"^^<{XSD}integer> .
<{EX}a> <{EX}count> "-0"^^<{XSD}integer> .
<{EX}a> <{EX}count> "+5"^^<{XSD}integer> .
<{EX}a> <{EX}count> "42"^^<{XSD}integer> .
<{EX}a> <{EX}count> "-7"^^<{XSD}integer> .
<{EX}a> <{EX}count> "999999999999999999999"^^<{XSD}integer> .
<{EX}a> <{EX}count> "1000000000000000000000"^^<{XSD}integer> .
<{EX}a> <{EX}count> "true"^^<{XSD}boolean> .
<{EX}a> <{EX}count> "1"^^<{XSD}boolean> .
<{EX}a> <{EX}count> "1.0E0"^^<{XSD}double> .
<{EX}a> <{EX}count> "x"^^<{EX}own-type> .
<{EX}a> <{EX}count> "y"^^<urn:x-type:z> .
<{EX}a> <{RDF}type> <{EX}Thing> .
<{EX}a> <{RDF}type> <{EX}sub/Other> .
<{EX}a> <{RDF}type> "a literal type" .
<{EX}a> <{RDF}type> _:typenode .
_:typenode <{EX}says> "a blank type" .
<{EX}a> <{EX}links> <{EX}> .
<{EX}a> <{EX}links> <{EX}local#frag> .
<{EX}a> <{EX}links> <{EX}with/slash> .
<{EX}a> <{EX}links> <{EX}with:colon:twice> .
<{EX}a> <{EX}links> <{EX}//looks-like-authority> .
<{EX}a> <{EX}links> <{EX}@id> .
<{EX}a> <{EX}links> <https://e.org/oddity> .
<{EX}a> <{EX}links> <tag:e.org,2026:x> .
<{EX}a> <{EX}links> <https://e.org/tag/y> .
<{EX}a> <{EX}links> <urn:isbn:0571224148> .
<{EX}a> <{EX}@type> "a property named like a keyword" .
<{EX}a> <{EX}with:colon> "a property with a colon" .
<{EX}//p> <{EX}//p> <{EX}//p> .
<{EX}> <{EX}says> "the namespace itself as a subject" .
<{EX}a> <{EX}chain> _:one .
_:one <{EX}next> _:two .
_:two <{EX}next> _:three .
_:two <{EX}says> "two" .
<{EX}a> <{EX}empty> _:nothing .
_:floating <{EX}says> "a blank node nobody points at" .
<{EX}a> <{EX}list> _:l1 .
_:l1 <{RDF}first> "first" .
_:l1 <{RDF}rest> _:l2 .
_:l2 <{RDF}first> <{EX}second> .
_:l2 <{RDF}rest> _:l3 .
_:l3 <{RDF}first> _:inner .
_:l3 <{RDF}rest> <{RDF}nil> .
_:inner <{RDF}first> "a list in a list" .
_:inner <{RDF}rest> <{RDF}nil> .
<{EX}a> <{EX}notalist> _:n1 .
_:n1 <{RDF}first> "first" .
_:n1 <{RDF}rest> _:n2 .
_:n2 <{RDF}first> "second" .
_:n2 <{RDF}first> "a second first" .
_:n2 <{RDF}rest> <{RDF}nil> .
<{EX}a> <{EX}emptylist> <{RDF}nil> .
"""
#: Blank nodes that cannot be embedded: one used twice, two in a cycle.
SHARED = f"""
<{EX}a> <{EX}knows> _:shared .
<{EX}b> <{EX}knows> _:shared .
_:shared <{EX}says> "shared" .
_:c1 <{EX}next> _:c2 .
_:c2 <{EX}next> _:c1 .
"""
GRAPHS = {"tree": HOSTILE, "shared": HOSTILE + SHARED}


def by_pyld(document: bytes) -> str:
    """The N-Quads PyLD reads from a JSON-LD document."""
    return jsonld.to_rdf(json.loads(document), {"format": "application/n-quads"})


def relabelled(ntriples: str, seed: int) -> str:
    """The same graph with other blank node labels and the lines in another order."""
    lines = [re.sub(r"_:(\w+)", rf"_:z{seed}\1", line) for line in ntriples.strip().split("\n")]
    random.Random(seed).shuffle(lines)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("name", GRAPHS)
def test_pyld_reads_hostile_graphs_back_literal_for_literal(name):
    ntriples = GRAPHS[name]
    assert same_quads(by_pyld(jsonld_bytes(ntriples.encode(), PREFIXES)), ntriples)


@pytest.mark.parametrize("name", GRAPHS)
def test_rdflib_reads_hostile_graphs_back_the_same(name):
    """rdflib normalises literals (``01`` -> ``1``) on both sides: the same graph as rdflib's users see it."""
    ntriples = GRAPHS[name]
    read = Graph().parse(data=jsonld_bytes(ntriples.encode(), PREFIXES), format="json-ld")
    assert isomorphic(read, Graph().parse(data=ntriples, format="nt"))


@pytest.mark.parametrize("name", GRAPHS)
def test_the_same_graph_gives_the_same_bytes(name):
    first, second = (jsonld_bytes(relabelled(GRAPHS[name], seed).encode(), PREFIXES) for seed in (1, 2))
    assert first == second


def test_iris_are_compacted_only_where_json_ld_expands_them_back():
    document = json.loads(jsonld_bytes(HOSTILE.encode(), PREFIXES))
    assert "tag" not in document["@context"]  # <tag:e.org,2026:x> would otherwise be read as https://e.org/tag/e.org,2026:x
    assert document["@context"] == {name: iri for name, iri in PREFIXES.items() if name != "tag"}
    a = next(node for node in document["@graph"] if node["@id"] == "ex:a")
    links = {link["@id"] for link in a["ex:links"]}
    assert {"ex:", "ex:local#frag", "ex:with/slash", "ex:with:colon:twice", "ex:@id"} <= links
    assert {EX + "//looks-like-authority", "https://e.org/oddity", "tag:e.org,2026:x", "https://e.org/tag/y"} <= links
    assert sorted(a["@type"]) == ["ex:Thing", "exsub:Other"]
    assert {"ex:@type", "ex:with:colon", "rdf:type"} <= set(a)


def test_an_iri_whose_scheme_is_any_name_of_the_context_drops_that_name():
    ntriples = f"<{EX}a> <{EX}links> <odd:thing> .\n"  # "odd" is no prefix in JSON-LD 1.1, but a careless processor expands it
    document = jsonld_bytes(ntriples.encode(), PREFIXES)
    assert "odd" not in json.loads(document)["@context"]
    assert same_quads(by_pyld(document), ntriples)


def test_only_canonical_integers_and_booleans_are_written_as_json():
    a = next(node for node in json.loads(jsonld_bytes(HOSTILE.encode(), PREFIXES))["@graph"] if node["@id"] == "ex:a")
    native = {(type(value), value) for value in a["ex:count"] if not isinstance(value, dict)}
    assert native == {(int, 42), (int, -7), (int, 999999999999999999999), (bool, True)}  # not 01, -0, +5, 10**21 (read back as a double) nor "1" for true


def test_well_formed_lists_are_written_as_lists():
    a = next(node for node in json.loads(jsonld_bytes(HOSTILE.encode(), PREFIXES))["@graph"] if node["@id"] == "ex:a")
    assert a["ex:list"] == {"@list": ["first", {"@id": "ex:second"}, {"@list": ["a list in a list"]}]}
    assert "@list" not in json.dumps(a["ex:notalist"])  # a cell with two rdf:first is no list
    assert a["ex:emptylist"] == {"@id": "rdf:nil"}


def test_blank_nodes_used_once_are_embedded_and_shared_ones_named():
    tree = json.loads(jsonld_bytes(HOSTILE.encode(), PREFIXES))["@graph"]
    assert not any(node.get("@id", "").startswith("_:") for node in tree)
    shared = json.loads(jsonld_bytes((HOSTILE + SHARED).encode(), PREFIXES))["@graph"]
    named = [node["@id"] for node in shared if node.get("@id", "").startswith("_:")]
    assert len(named) == 3  # the shared node and the two of the cycle


@pytest.fixture(scope="module")
def sources(graph):
    return Sources(graph)


@pytest.fixture(scope="module")
def novel(sources):
    return EXPORTS["nlmg.jsonld"](sources)


def test_pyld_reads_the_novel_back_as_its_n_triples(sources, novel):
    """(rdflib's reading of the novel's JSON-LD is checked in test_export.py.)"""
    assert same_quads(by_pyld(novel), EXPORTS["nlmg.nt"](sources))


def test_the_novel_keeps_the_project_context_and_sorts_its_nodes(novel):
    document = json.loads(novel)
    assert document["@context"] == jsonld_context()["@context"]
    ids = [node.get("@id") for node in document["@graph"]]
    named = ids[: ids.index(None)]  # blank nodes nothing points at need no @id: they come last
    assert named == sorted(named) and "nlmgid:ruth" in named and not any(ids[len(named) :])
