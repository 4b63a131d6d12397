"""Descriptions of the graph for machines: VoID (the dataset) and a SPARQL 1.1 Service Description.

``void_description`` counts the triples, classes and properties of the graph and the links it holds
into Wikidata (``owl:sameAs`` and ``schema:sameAs`` to ``http://www.wikidata.org/entity/Q...``, one
linkset per predicate). ``nlmg export`` writes it as ``void.ttl``; the endpoint serves it at
``/void`` and answers ``GET /sparql`` without a query with the service description, which names the
spoiler cuts as named graphs.

>>> from rdflib import Graph, Literal, URIRef
>>> from rdflib.namespace import OWL, RDF
>>> g = Graph()
>>> _ = g.add((URIRef("https://w3id.org/nlmg/id/ruth"), RDF.type, URIRef("https://w3id.org/nlmg/ontology#Character")))
>>> _ = g.add((URIRef("https://w3id.org/nlmg/id/never-let-me-go"), OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q1343486")))
>>> void = void_description(g)
>>> int(void.value(DATASET, VOID.triples)), int(void.value(DATASET, VOID.classes))
(2, 1)
>>> int(void.value(URIRef(DATASET + "-wikidata-owl-sameas"), VOID.triples))
1
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from rdflib import BNode, Graph, Literal, Namespace, Node, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SDO, VOID

from graph.namespaces import ID, bind_prefixes

__all__ = ["DATASET", "SD", "service_description", "void_description"]

#: The dataset, as ``data/book.ttl`` names it.
DATASET = URIRef(ID["nlmg-dataset"])
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
WIKIDATA = URIRef("https://www.wikidata.org/")
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/Q"
_LINK_PREDICATES = {"owl-sameas": OWL.sameAs, "schema-sameas": SDO.sameAs}
_RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV", "Turtle", "RDF_XML", "JSON-LD", "N-Triples")


def void_description(graph: Graph, *, endpoint: str | None = None, dumps: Mapping[str, str] | None = None) -> Graph:
    """VoID of ``graph``: sizes, a partition per class and per property, and the linksets into Wikidata.

    Args:
        endpoint: the SPARQL endpoint's URL, when served.
        dumps: file name -> URL of the downloadable exports.
    """
    void = bind_prefixes(Graph())
    void.bind("void", VOID)
    add = void.add
    add((DATASET, RDF.type, VOID.Dataset))
    add((DATASET, DCTERMS.title, Literal("nlmg: the Never Let Me Go knowledge graph", lang="en")))
    add((DATASET, VOID.uriSpace, Literal(str(ID))))
    add((DATASET, VOID.triples, Literal(len(graph))))
    classes: Counter[Node] = Counter()
    properties: Counter[Node] = Counter()
    subjects, objects = set(), set()
    rdf_type = RDF.type
    for s, p, o in graph:  # one pass over the triples
        properties[p] += 1
        subjects.add(s)
        objects.add(o)
        if p == rdf_type:
            classes[o] += 1
    add((DATASET, VOID.classes, Literal(len(classes))))
    add((DATASET, VOID.properties, Literal(len(properties))))
    add((DATASET, VOID.distinctSubjects, Literal(len(subjects))))
    add((DATASET, VOID.distinctObjects, Literal(len(objects))))
    if endpoint:
        add((DATASET, VOID.sparqlEndpoint, URIRef(endpoint)))
    for url in (dumps or {}).values():
        add((DATASET, VOID.dataDump, URIRef(url)))
    for number, (cls, count) in enumerate(sorted(classes.items()), 1):
        part = URIRef(f"{DATASET}-class-{number}")
        add((DATASET, VOID.classPartition, part))
        add((part, VOID["class"], cls))
        add((part, VOID.entities, Literal(count)))
    for number, (prop, count) in enumerate(sorted(properties.items()), 1):
        part = URIRef(f"{DATASET}-property-{number}")
        add((DATASET, VOID.propertyPartition, part))
        add((part, VOID.property, prop))
        add((part, VOID.triples, Literal(count)))
    add((WIKIDATA, RDF.type, VOID.Dataset))
    add((WIKIDATA, DCTERMS.title, Literal("Wikidata", lang="en")))
    add((WIKIDATA, VOID.uriSpace, Literal("http://www.wikidata.org/entity/")))
    for name, predicate in _LINK_PREDICATES.items():
        links = sum(1 for _, o in graph.subject_objects(predicate) if str(o).startswith(WIKIDATA_ENTITY))
        linkset = URIRef(f"{DATASET}-wikidata-{name}")
        add((DATASET, VOID.subset, linkset))
        add((linkset, RDF.type, VOID.Linkset))
        add((linkset, VOID.linkPredicate, predicate))
        add((linkset, VOID.subjectsTarget, DATASET))
        add((linkset, VOID.objectsTarget, WIKIDATA))
        add((linkset, VOID.triples, Literal(links)))
    return void


def service_description(endpoint: str, graph: Graph, cuts: Mapping[str, int], *, void_url: str | None = None) -> Graph:
    """The SPARQL 1.1 Service Description of the endpoint at ``endpoint``.

    Args:
        graph: the whole book (the default graph).
        cuts: named graph IRI -> its triple count (the spoiler cuts).
        void_url: where the VoID description is served.
    """
    sd = bind_prefixes(Graph())
    sd.bind("sd", SD)
    sd.bind("void", VOID)
    service = URIRef(endpoint)
    sd.add((service, RDF.type, SD.Service))
    sd.add((service, SD.endpoint, service))
    sd.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for fmt in _RESULT_FORMATS:
        sd.add((service, SD.resultFormat, FORMATS[fmt]))
    about = "Read-only SPARQL 1.1 endpoint of the nlmg graph; as_of=N (or a cut's named graph) gives the book after chapter N; no SERVICE, no updates."
    sd.add((service, DCTERMS.description, Literal(about, lang="en")))
    dataset = BNode()
    sd.add((service, SD.defaultDataset, dataset))
    sd.add((dataset, RDF.type, SD.Dataset))
    default = BNode()
    sd.add((dataset, SD.defaultGraph, default))
    sd.add((default, RDF.type, SD.Graph))
    sd.add((default, VOID.triples, Literal(len(graph))))
    sd.add((default, DCTERMS.source, DATASET))
    if void_url:
        sd.add((DATASET, RDF.type, VOID.Dataset))
        sd.add((DATASET, VOID.sparqlEndpoint, service))
        sd.add((DATASET, DCTERMS.conformsTo, URIRef("http://www.w3.org/TR/void/")))
        sd.add((DATASET, SDO.url, URIRef(void_url)))
    for iri, triples in cuts.items():
        named, described = BNode(), BNode()
        sd.add((dataset, SD.namedGraph, named))
        sd.add((named, RDF.type, SD.NamedGraph))
        sd.add((named, SD.name, URIRef(iri)))
        sd.add((named, SD.graph, described))
        sd.add((described, RDF.type, SD.Graph))
        sd.add((described, VOID.triples, Literal(triples)))
        sd.add((described, DCTERMS.description, Literal(f"what a reader knows after chapter {iri.rsplit('/', 1)[-1]}", lang="en")))
    return sd
