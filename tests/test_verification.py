"""How each statement is verified: the SHACL rules on levels and sources, the stats shares and the library query."""

import shutil
from pathlib import Path

import pytest
from rdflib import Graph

from graph import load, validate
from graph.paths import data_dir
from graph.problems import Problem
from graph.stats import stats

PREFIXES = """@prefix :      <https://w3id.org/nlmg/id/> .
@prefix nlmg:  <https://w3id.org/nlmg/ontology#> .
@prefix level: <https://w3id.org/nlmg/verification/> .
@prefix src:   <https://w3id.org/nlmg/source/> .
@prefix prov:  <http://www.w3.org/ns/prov#> .
@prefix skos:  <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix group: <https://w3id.org/nlmg/group/> .
"""


def reading(source: str, chapter: str = "chapter-05") -> str:
    return f"[ a prov:Derivation ; prov:entity src:{source} ; nlmg:sourceChapter :{chapter} ]"


def visitor(name: str, evidence: str) -> str:
    """A new character ``:name``, first met in chapter 5, with the evidence triples ``evidence``."""
    return f"""
:{name} a nlmg:Character ;
    skos:prefLabel "A visitor ({name})"@en ;
    nlmg:group group:outsider ;
    nlmg:firstChapter :chapter-05 ;
    schema:description "Someone who comes to the school."@en ;
    {evidence} .
"""


REFUSED = [
    ("nlmg:verification level:text ; prov:qualifiedDerivation " + reading("sparknotes"), "level:text needs the novel"),
    ("nlmg:verification level:two-sources ; prov:qualifiedDerivation " + reading("sparknotes"), "level:two-sources needs"),
    ("nlmg:verification level:two-sources ; prov:qualifiedDerivation " + reading("novel") + ", " + reading("litcharts"), "level:two-sources needs"),
    ("nlmg:verification level:one-source", "level:one-source needs its one source"),
    ("nlmg:verification level:uncertain", "must be marked nlmg:uncertain true"),
    ("nlmg:verification level:text, level:uncertain", "say how this statement was checked, once"),
    ("nlmg:verification level:text ; prov:qualifiedDerivation [ a prov:Derivation ; prov:entity src:novel ]", "each prov:qualifiedDerivation is"),
    ("nlmg:verification level:two-sources ; prov:qualifiedDerivation " + reading("sparknotes") + ", " + reading("wikipedia"), "never declared"),
]
WELL_FORMED = [
    "nlmg:verification level:text ; prov:qualifiedDerivation " + reading("novel"),
    "nlmg:verification level:two-sources ; prov:qualifiedDerivation " + reading("sparknotes") + ", " + reading("litcharts"),
    'nlmg:verification level:uncertain ; nlmg:uncertain true ; skos:editorialNote "Only one guide names this visitor."@en',
]
#: Every case's evidence -> the file (and the name) of its own visitor.
FILES = {evidence: f"visitor-{number}" for number, evidence in enumerate([e for e, _ in REFUSED] + WELL_FORMED)}


@pytest.fixture(scope="module")
def verdict(tmp_path_factory: pytest.TempPathFactory) -> list[Problem]:
    """The problems found in one copy of data/ holding every case, each a visitor in a file of its own (one validation, not eleven)."""
    data = tmp_path_factory.mktemp("visitors") / "data"
    shutil.copytree(data_dir(), data)
    for evidence, name in FILES.items():
        (data / f"{name}.ttl").write_text(PREFIXES + visitor(name, evidence), encoding="utf-8")
    return validate(data).problems


def problems_in(verdict: list[Problem], evidence: str) -> list[str]:
    """The messages of the problems found in the file of the case ``evidence``."""
    return [p.message for p in verdict if p.file and Path(p.file).name == f"{FILES[evidence]}.ttl"]


@pytest.mark.parametrize(("evidence", "expected"), REFUSED)
def test_each_verification_rule_refuses_what_it_should(verdict, evidence, expected):
    messages = problems_in(verdict, evidence)
    assert any(expected in m or expected in m.lower() for m in messages), messages


@pytest.mark.parametrize("evidence", WELL_FORMED)
def test_well_formed_evidence_passes(verdict, evidence):
    assert problems_in(verdict, evidence) == []
    refused_files = {f"{FILES[e]}.ttl" for e, _ in REFUSED}
    assert [str(p) for p in verdict if not p.file or Path(p.file).name not in refused_files] == [], "every problem belongs to a refused case"


@pytest.fixture(scope="module")
def with_a_visitor(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    """The book with one more character, verified against the text (read-only)."""
    data = tmp_path_factory.mktemp("one-visitor") / "data"
    shutil.copytree(data_dir(), data)
    (data / "visitor.ttl").write_text(PREFIXES + visitor("hailsham-visitor", WELL_FORMED[0]), encoding="utf-8")
    return load(data)


def test_stats_count_each_level_as_sparql_does(with_a_visitor):
    from pyoxigraph import RdfFormat, Store

    graph = with_a_visitor
    store = Store()
    store.bulk_load(graph.serialize(format="nt").encode(), format=RdfFormat.N_TRIPLES)
    query = """SELECT ?level (COUNT(DISTINCT ?s) AS ?n) WHERE {
        VALUES ?class { <https://w3id.org/nlmg/ontology#Event> <https://w3id.org/nlmg/ontology#Relationship>
                        <https://w3id.org/nlmg/ontology#Belief> <https://w3id.org/nlmg/ontology#Character> <https://w3id.org/nlmg/ontology#Place> }
        ?s a ?class . OPTIONAL { ?s <https://w3id.org/nlmg/ontology#verification> ?level } } GROUP BY ?level"""
    expected = {}
    for row in store.query(query):
        key = row["level"].value.rsplit("/", 1)[1] if row["level"] is not None else "unrecorded"
        expected[key] = int(row["n"].value)
    got = {k: v for k, v in stats(graph).verification.items() if v}
    assert got == expected
    assert got["text"] == stats(load()).verification["text"] + 1


def test_the_library_lists_every_statement_below_two_sources(with_a_visitor):
    from graph import sparql

    graph = with_a_visitor
    rows = list(sparql.to_store(graph).query(sparql.find_query("below-two-sources").text))
    listed = {row["statement"].value for row in rows}
    assert "https://w3id.org/nlmg/id/hailsham-visitor" not in listed
    counts = stats(graph).verification
    assert len(listed) == counts["one-source"] + counts["uncertain"] + counts["unrecorded"]


def test_every_statement_of_the_book_says_how_it_was_verified_and_the_target_is_met(graph):
    counts = stats(graph).verification
    total = sum(counts.values())
    assert counts["unrecorded"] == 0
    assert (counts["text"] + counts["two-sources"]) / total >= 0.95, counts


def test_a_statement_without_a_level_is_refused(data_copy):
    text = (data_copy / "places.ttl").read_text(encoding="utf-8")
    start = text.index(":cromer a nlmg:Place")
    end = text.index("\n\n", start)
    block = text[start:end]
    stripped = block[: block.index("    nlmg:verification")].rstrip(" ;\n") + " ."
    (data_copy / "places.ttl").write_text(text.replace(block, stripped), encoding="utf-8")
    messages = [p.message for p in validate(data_copy).problems]
    assert any("say how this statement was checked" in m for m in messages), messages
