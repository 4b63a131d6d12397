"""The endpoint as standard SPARQL clients and stores see it (issue 12, items 4 and 6).

SPARQLWrapper with its default settings (GET, XML results, RDF/XML graphs), the SPARQL 1.1 Service
Description and VoID vocabularies read by rdflib, the protocol's ``default-graph-uri`` and
``named-graph-uri``; and Oxigraph's own server (the ``oxigraph`` package), loaded with the N-Triples
export, giving the same answers as ``nlmg serve`` to every named query.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, SDO, VOID
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from graph import sparql
from graph.endpoint import start_server
from graph.export import export_all
from graph.namespaces import PREFIXES

ID = Namespace("https://w3id.org/nlmg/id/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
CUT = "https://w3id.org/nlmg/graph/as-of/"
OXIGRAPH = Path(sys.executable).parent / "oxigraph"


@pytest.fixture(scope="module")
def url(graph: Graph):
    server, url = start_server(graph, port=0, timeout=10, workers=2, quiet=True)
    yield url
    server.shutdown()


@pytest.fixture(scope="module")
def exports(graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("exports")
    export_all(graph, folder, ["nlmg.nt", "void.ttl"])
    return folder


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def oxigraph_url(exports: Path, tmp_path_factory: pytest.TempPathFactory):
    """Oxigraph's own server (read-only) over the N-Triples export."""
    binary = OXIGRAPH if OXIGRAPH.exists() else shutil.which("oxigraph")
    if binary is None:
        pytest.fail("the oxigraph server is missing: `pip install -e '.[test]'` installs it")
    location = tmp_path_factory.mktemp("oxigraph-store")
    subprocess.run([binary, "load", "--location", str(location), "--file", str(exports / "nlmg.nt")], check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen([binary, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"], stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2).read()
            break
        except OSError:
            time.sleep(0.1)
    yield url
    server.terminate()
    server.wait(10)


def with_prefixes(text: str) -> str:
    """The query as another store needs it: PREFIX lines for the project's prefixes it uses undeclared.

    Whole-line comments go too: SPARQLWrapper takes a word such as "added" or "loaded" in a comment
    for an update keyword (ADD, LOAD) and then sends the query as an update.
    """
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    declared = set(re.findall(r"PREFIX\s+([\w-]*):", text, re.IGNORECASE))
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items() if p not in declared) + text


# -- SPARQLWrapper as a user runs it: default settings --------------------------------------------


def test_sparqlwrapper_defaults_select(url: str) -> None:
    client = SPARQLWrapper(url + "sparql")
    client.setQuery(with_prefixes("SELECT ?label WHERE { :ruth skos:prefLabel ?label }"))
    document = client.query().convert()  # SPARQL XML results, parsed by minidom
    assert [n.firstChild.data for n in document.getElementsByTagName("literal")] == ["Ruth"]


def test_sparqlwrapper_defaults_ask(url: str) -> None:
    client = SPARQLWrapper(url + "sparql")
    client.setQuery(with_prefixes("ASK { :madame a nlmg:Character }"))
    assert client.query().convert().getElementsByTagName("boolean")[0].firstChild.data == "true"


def test_sparqlwrapper_defaults_construct(url: str) -> None:
    client = SPARQLWrapper(url + "sparql")
    client.setQuery(with_prefixes("CONSTRUCT { :tommy-d skos:prefLabel ?l } WHERE { :tommy-d skos:prefLabel ?l }"))
    result = client.query()
    assert result.response.headers["Content-Type"].startswith("application/rdf+xml")
    assert set(result.convert()) == {(ID["tommy-d"], URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), Literal("Tommy D.", lang="en"))}


def test_sparqlwrapper_defaults_describe(url: str) -> None:
    client = SPARQLWrapper(url + "sparql")
    client.setQuery(with_prefixes("DESCRIBE :kathy-h"))
    described = client.query().convert()
    assert (ID["kathy-h"], RDF.type, URIRef("https://w3id.org/nlmg/ontology#Character")) in described


# -- the service and dataset descriptions ---------------------------------------------------------


def _rdf(url: str, accept: str = "text/turtle") -> Graph:
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}), timeout=30) as response:
        media = response.headers["Content-Type"].split(";")[0]
        return Graph().parse(data=response.read(), format={"text/turtle": "turtle", "application/rdf+xml": "xml"}[media])


def test_service_description_without_a_query(url: str) -> None:
    for accept in ("text/turtle", "application/rdf+xml"):
        description = _rdf(url + "sparql", accept)
        service = URIRef(url + "sparql")
        assert (service, RDF.type, SD.Service) in description
        assert (service, SD.endpoint, service) in description
        assert (service, SD.supportedLanguage, SD.SPARQL11Query) in description
        names = {str(n) for n in description.objects(None, SD.name)}
        assert names == {f"{CUT}{n}" for n in range(1, 24)}


def test_void_served_and_exported(url: str, exports: Path, oxigraph_url: str) -> None:
    exported = Graph().parse(exports / "void.ttl")
    served = _rdf(url + "void")
    dataset = ID["nlmg-dataset"]
    count = _oxigraph_count(oxigraph_url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    for void in (exported, served):
        assert (dataset, RDF.type, VOID.Dataset) in void
        assert int(void.value(dataset, VOID.triples)) == count
        assert int(void.value(dataset, VOID.classes)) == _oxigraph_count(oxigraph_url, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }")
        assert int(void.value(dataset, VOID.properties)) == _oxigraph_count(oxigraph_url, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }")
        assert int(void.value(dataset, VOID.distinctSubjects)) == _oxigraph_count(oxigraph_url, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }")
        assert int(void.value(dataset, VOID.distinctObjects)) == _oxigraph_count(oxigraph_url, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }")
        for predicate in (OWL.sameAs, SDO.sameAs):
            linkset = next(void.subjects(VOID.linkPredicate, predicate))
            expected = _oxigraph_count(
                oxigraph_url, f'SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{predicate}> ?o FILTER(STRSTARTS(STR(?o), "http://www.wikidata.org/entity/Q")) }}'
            )
            assert int(void.value(linkset, VOID.triples)) == expected
    assert (dataset, VOID.dataDump, URIRef((exports / "nlmg.nt").as_uri())) in exported
    assert (dataset, VOID.sparqlEndpoint, URIRef(url + "sparql")) in served


# -- the protocol's dataset parameters ------------------------------------------------------------


def _select(url: str, query: str, **params: str | list[str]) -> list[dict]:
    client = SPARQLWrapper(url + "sparql")
    client.setQuery(with_prefixes(query))
    client.setReturnFormat(JSON)
    for key, values in params.items():
        for value in [values] if isinstance(values, str) else values:
            client.addParameter(key.replace("_", "-"), value)
    return client.query().convert()["results"]["bindings"]


def test_default_graph_uri_is_a_spoiler_cut(url: str) -> None:
    query = "SELECT ?who WHERE { ?who a nlmg:Character ; nlmg:firstChapter :chapter-10 }"
    assert _select(url, query, default_graph_uri=f"{CUT}9") == []
    assert {b["who"]["value"] for b in _select(url, query, default_graph_uri=f"{CUT}10")} >= {str(ID.chrissie), str(ID.rodney)}
    assert _select(url, "SELECT ?n WHERE { ?c a nlmg:Chapter ; schema:position ?n }", default_graph_uri=f"{CUT}3") != []


def test_named_graph_uri_names_the_cuts_a_query_sees(url: str) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    found = {b["g"]["value"] for b in _select(url, query, named_graph_uri=[f"{CUT}2", f"{CUT}20"])}
    assert found == {f"{CUT}2", f"{CUT}20"}
    whole = {b["g"]["value"] for b in _select(url, query)}
    assert whole == {f"{CUT}{n}" for n in range(1, 24)}


# -- the same answers from Oxigraph's own server --------------------------------------------------


def _oxigraph_count(url: str, query: str) -> int:
    client = SPARQLWrapper(url)
    client.setQuery(query)
    client.setReturnFormat(JSON)
    return int(client.query().convert()["results"]["bindings"][0]["n"]["value"])


def _answer(endpoint: str, text: str) -> object:
    """A comparable answer: a multiset of rows (blank nodes blanked), a boolean, or a graph."""
    client = SPARQLWrapper(endpoint)
    client.setQuery(text)
    client.setTimeout(60)
    if client.queryType in ("CONSTRUCT", "DESCRIBE"):
        client.setReturnFormat(TURTLE)
        return Graph().parse(data=client.query().convert(), format="turtle")
    client.setReturnFormat(JSON)
    document = client.query().convert()
    if "boolean" in document:
        return document["boolean"]
    concatenated = set(re.findall(r"GROUP_CONCAT\s*\((?:[^()]|\([^()]*\))*\)\s*AS\s*[?$](\w+)", text, re.IGNORECASE))
    rows = (tuple(sorted((k, v["type"], _comparable(v, k in concatenated)) for k, v in row.items())) for row in document["results"]["bindings"])
    return Counter(rows)


def _comparable(term: dict, concatenated: bool) -> str:
    """A term's value; a blank node's label and the order inside a GROUP_CONCAT (which SPARQL leaves open) do not count."""
    if term["type"] == "bnode":
        return "_"
    return "".join(sorted(term["value"])) if concatenated else term["value"]


@pytest.mark.parametrize("name", sorted(sparql.named_queries()))
def test_every_named_query_agrees_with_oxigraph_server(name: str, url: str, oxigraph_url: str) -> None:
    text = with_prefixes(sparql.named_queries()[name].text)
    ours, theirs = _answer(url + "sparql", text), _answer(oxigraph_url, text)
    if isinstance(ours, Graph):
        assert isomorphic(ours, theirs)
    else:
        assert ours == theirs
