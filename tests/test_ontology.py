"""The ontology file and the Python namespace agree, and the data reuses standard vocabularies."""

from rdflib import URIRef
from rdflib.namespace import RDF, SDO, SKOS

from graph import load
from graph.namespaces import NLMG, SEM


def test_every_python_term_is_declared_in_the_data_and_back():
    declared = {s for s in load(derived=False).subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(str(NLMG._NS))}
    in_python = {NLMG[name] for name in NLMG.__annotations__}
    assert in_python == declared


def test_the_data_uses_standard_vocabularies(graph):
    assert (None, SKOS.prefLabel, None) in graph and (None, SDO.description, None) in graph
    assert (None, SEM.hasActor, None) in graph and (None, SEM.hasPlace, None) in graph and (None, SDO.containedInPlace, None) in graph
