"""The ontology is sound: an OWL 2 RL reasoner (owlrl) finds the ontology and the data consistent,
and would not if a character were used as a chapter; mappings to other vocabularies are OWL axioms,
not SKOS on properties; every literal has a datatype OWL 2 accepts; every concept scheme names its
top concepts; characters are fictional."""

from __future__ import annotations

import owlrl
import pytest
from owlrl.Namespaces import ERRNS
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SDO, SKOS, XSD

from graph import load
from graph.namespaces import ID, NLMG, SEM
from graph.paths import data_dir

#: The OWL 2 datatype map (OWL 2 Structural Specification, section 4), with rdf:langString.
OWL2_XSD = """decimal integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger long int short byte unsignedLong
unsignedInt unsignedShort unsignedByte double float string normalizedString token language Name NCName NMTOKEN boolean hexBinary
base64Binary anyURI dateTime dateTimeStamp"""
OWL2_DATATYPES = {*(XSD[t] for t in OWL2_XSD.split()), RDF.PlainLiteral, RDF.XMLLiteral, RDFS.Literal, RDF.langString, OWL.real, OWL.rational}
FICTIONAL_HUMAN = URIRef("http://www.wikidata.org/entity/Q15632617")
GOLEM_CHARACTER = URIRef("https://w3id.org/golem/ontology#G1_Character")


def reasoner_errors(graph: Graph) -> list[str]:
    closed = Graph()
    closed += graph
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closed)
    return sorted(str(o) for e in closed.subjects(RDF.type, ERRNS.ErrorMessage) for o in closed.objects(e, None) if isinstance(o, Literal))


@pytest.fixture(scope="module")
def authored() -> Graph:
    """The data as written (no derived triples): what the reasoner judges."""
    return load(derived=False)


def test_an_owl_rl_reasoner_finds_the_ontology_and_the_data_consistent(authored):
    assert reasoner_errors(authored) == []


def test_the_reasoner_would_catch_a_character_used_as_a_chapter(authored):
    """The ontology with the event's and Ruth's own triples, consistent until the wrong triple is added.

    OWL 2 RL is monotone: what is inconsistent in part of the data is inconsistent in all of it, so the
    part is proof enough for the whole (and the reasoner takes seconds on it, not the whole data's fifteen).
    """
    event, ruth = ID["e01-kathy-introduces-herself"], ID["ruth"]
    part = Graph().parse(data_dir() / "ontology.ttl")
    for subject in (event, ruth):
        part += authored.triples((subject, None, None))
    assert (ruth, RDF.type, NLMG.Character) in part and reasoner_errors(part) == []
    part.add((event, NLMG.toldIn, ruth))  # toldIn's range is nlmg:Chapter
    assert reasoner_errors(part), "a character that is also a chapter must be inconsistent"


def test_no_skos_mapping_points_at_a_property(authored):
    properties = set(authored.subjects(RDF.type, OWL.ObjectProperty)) | set(authored.subjects(RDF.type, OWL.DatatypeProperty))
    for mapping in (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch):
        assert not [(s, o) for s, o in authored.subject_objects(mapping) if s in properties or o in properties]


def test_sem_according_to_is_gone_and_reported_by_takes_its_place(authored):
    assert not list(authored.subject_objects(SEM.accordingTo))
    assert (ID["e22-morningdale-scandal"], NLMG.reportedBy, ID["miss-emily"]) in authored


def test_every_literal_has_a_datatype_owl2_accepts(authored):
    odd = {o.datatype for o in authored.objects() if isinstance(o, Literal) and o.datatype is not None and o.datatype not in OWL2_DATATYPES}
    assert odd == set()


def test_every_concept_scheme_names_its_top_concepts(authored):
    for scheme in authored.subjects(RDF.type, SKOS.ConceptScheme):
        tops = set(authored.objects(scheme, SKOS.hasTopConcept))
        roots = {c for c in authored.subjects(SKOS.inScheme, scheme) if (c, SKOS.broader, None) not in authored}
        assert tops and tops == roots, scheme


def test_characters_are_fictional_not_real_persons(authored, graph):
    assert (NLMG.Character, RDFS.subClassOf, SDO.Person) not in authored
    assert {FICTIONAL_HUMAN, GOLEM_CHARACTER} <= set(authored.objects(NLMG.Character, RDFS.subClassOf))
    assert (ID["kathy-h"], RDF.type, SDO.Person) not in graph
    assert (ID["kazuo-ishiguro"], RDF.type, SDO.Person) in graph  # the author is real


def test_the_ontology_file_alone_is_consistent():
    assert reasoner_errors(Graph().parse(data_dir() / "ontology.ttl")) == []
