"""Loading: every file parses into one graph (as rdflib's own Turtle parser reads it), and loading adds the derived triples."""

import pytest
from canonical import isomorphic
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SDO, SKOS, XSD

from graph import load
from graph.datafiles import data_files
from graph.namespaces import ID, NLMG, REL, SEM


def test_the_three_friends_are_characters_and_fictional_humans(graph):
    for person in ("kathy-h", "tommy-d", "ruth"):
        assert (ID[person], RDF.type, NLMG.Character) in graph
        assert (ID[person], RDF.type, URIRef("http://www.wikidata.org/entity/Q15632617")) in graph  # added by the subclass closure
        assert (ID[person], RDF.type, SDO.Person) not in graph  # a character is not a real person


def test_kathy_is_found_by_her_alternative_name(graph):
    assert Literal("Kath", lang="en") in set(graph.objects(ID["kathy-h"], SKOS.altLabel))


def test_events_are_sem_events_with_a_participant_shortcut(graph):
    tantrum = ID["e01-tommy-tantrum"]
    assert (tantrum, RDF.type, SEM.Event) in graph
    assert (tantrum, NLMG.participant, ID["tommy-d"]) in graph


def test_relationship_nodes_add_their_direct_triple_both_ways_when_symmetric(graph):
    # Ruth and Tommy are a couple (a symmetric type): the shortcut holds both ways.
    assert (ID["ruth"], NLMG.romanticPartnerOf, ID["tommy-d"]) in graph
    assert (ID["tommy-d"], NLMG.romanticPartnerOf, ID["ruth"]) in graph
    # Kathy is Ruth's carer, not the other way round.
    assert (ID["kathy-h"], NLMG.carerOf, ID["ruth"]) in graph
    assert (ID["ruth"], NLMG.carerOf, ID["kathy-h"]) not in graph


def test_late_revealed_statements_are_asserted(graph):
    assert Literal("Marie-Claude", lang="en") in set(graph.objects(ID["madame"], SKOS.altLabel))


def test_ruths_fate_is_her_completion(graph):
    fates = set(graph.objects(ID["ruth"], NLMG.fate))
    assert fates, "the book tells Ruth's completion"
    assert all((f, SEM.eventType, None) in graph for f in fates)


def test_relationship_participants_via_the_relationship_vocabulary(graph):
    node = ID["rel-chrissie-rodney-romance"]
    assert {ID["chrissie"], ID["rodney"]} <= set(graph.objects(node, REL.participant))


def test_load_without_derivation_has_no_shortcuts():
    raw = load(derived=False)
    assert (ID["ruth"], NLMG.romanticPartnerOf, ID["tommy-d"]) not in raw
    assert len(raw) < len(load())


TRICKY_TURTLE = """@prefix : <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@base <http://example.org/base/> .
:a :p "plain", "en"@en, "GB"@en-GB, 12, -1.50, 1e3, true, "2005-03-03"^^xsd:date ;
   :q \"\"\"multi
line "quoted" \\u00e9 \\t tab\"\"\" , 'single' ;
   :r [ :s :t ; :u ( 1 2 [ :v "w" ] ) ] ;
   :rel <relative> , <#frag> , <../up> .
_:x :p _:x .
<http://example.org/ünï> :p "ü" .
"""


@pytest.mark.parametrize("path", data_files(None), ids=lambda p: p.name)
def test_each_data_file_reads_as_rdflibs_own_turtle_parser_reads_it(path):
    from graph.load import parse_each

    expected = Graph().parse(path, format="turtle", publicID=path.resolve().as_uri())
    assert isomorphic(parse_each([path])[path], expected)


@pytest.mark.parametrize("extra", ["", ':b :p "typed"^^xsd:string .\n', ':b :p "typed"^^<http://www.w3.org/2001/XMLSchema#string> .\n'])
def test_tricky_turtle_reads_as_rdflib_reads_it(tmp_path, extra):
    from graph.load import parse_each

    path = tmp_path / "tricky.ttl"
    path.write_text(TRICKY_TURTLE + extra, encoding="utf-8")
    read, expected = parse_each([path])[path], Graph().parse(path, format="turtle", publicID=path.resolve().as_uri())
    assert isomorphic(read, expected)
    typed = {o for o in read.objects() if isinstance(o, Literal) and o.datatype == XSD.string}
    assert typed == {o for o in expected.objects() if isinstance(o, Literal) and o.datatype == XSD.string}  # kept as rdflib keeps it
