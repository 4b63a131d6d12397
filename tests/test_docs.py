"""The ontology's documentation: pyLODE's page names every term of the ontology and loads nothing
from the network."""

import re

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from graph.cli import main
from graph.paths import data_dir


def test_nlmg_docs_writes_an_offline_page_naming_every_term(tmp_path, capsys):
    assert main(["docs", "--output", str(tmp_path)]) == 0
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    ontology = Graph().parse(data_dir() / "ontology.ttl")
    ours = {
        str(s).split("#")[-1]
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in ontology.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith("https://w3id.org/nlmg/ontology#")
    }
    assert ours and all(name in page for name in ours), sorted(n for n in ours if n not in page)
    assert not re.search(r"<(script|img|iframe)[^>]+src=\"https?:", page)
    assert not re.search(r"<link[^>]+rel=\"stylesheet\"[^>]+href=\"https?:", page)


def test_the_page_is_made_again_when_the_ontology_changes_and_only_then(tmp_path, monkeypatch):
    import pylode

    from graph.docs import ontology_html

    ontology = tmp_path / "ontology.ttl"
    ontology.write_bytes((data_dir() / "ontology.ttl").read_bytes())
    first = ontology_html(ontology)
    made = []
    real = pylode.OntPub
    monkeypatch.setattr(pylode, "OntPub", lambda **kw: made.append(kw) or real(**kw))
    assert ontology_html(ontology) == first and not made  # unchanged: read from the cache
    with ontology.open("a", encoding="utf-8") as handle:
        handle.write('\n<https://w3id.org/nlmg/ontology#Carrel> a owl:Class ; rdfs:label "carrel"@en .\n')
    edited = ontology_html(ontology)
    assert made and "Carrel" in edited and "Carrel" not in first
