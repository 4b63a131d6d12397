"""The project's namespaces: ontology terms as a closed ``DefinedNamespace``, and the prefix map.

A misspelt ontology term fails at import time instead of minting a new IRI:

>>> NLMG.Character
rdflib.term.URIRef('https://w3id.org/nlmg/ontology#Character')
>>> NLMG.Charactr
Traceback (most recent call last):
...
AttributeError: term 'Charactr' not in namespace 'https://w3id.org/nlmg/ontology#'
"""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace

__all__ = [
    "BASE",
    "EVTYPE",
    "GROUP",
    "ID",
    "LEVEL",
    "NLMG",
    "OWN_NAMESPACES",
    "PHASE",
    "PREFIXES",
    "REL",
    "RELTYPE",
    "ROLE",
    "SEM",
    "SOURCE",
    "STATUS",
    "THEME",
    "bind_prefixes",
]

BASE = "https://w3id.org/nlmg/"


class NLMG(DefinedNamespace):
    """Classes and properties of the nlmg ontology (``data/ontology.ttl``)."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes
    Character: URIRef
    Place: URIRef
    Event: URIRef
    Relationship: URIRef
    StoryObject: URIRef
    Motif: URIRef
    Belief: URIRef
    Chapter: URIRef
    Part: URIRef
    CharacterGroup: URIRef
    StoryPhase: URIRef
    EventType: URIRef
    RoleType: URIRef
    RelationshipType: URIRef
    EpistemicStatus: URIRef
    Theme: URIRef
    VerificationLevel: URIRef
    Source: URIRef
    # concept schemes
    CharacterGroups: URIRef
    StoryPhases: URIRef
    EpistemicStatuses: URIRef
    RoleTypes: URIRef
    EventTypes: URIRef
    RelationshipTypes: URIRef
    Themes: URIRef
    VerificationLevels: URIRef
    # properties
    firstChapter: URIRef
    toldIn: URIRef
    group: URIRef
    onlyMentioned: URIRef
    fate: URIRef
    reportedBy: URIRef
    participant: URIRef
    placeUnknown: URIRef
    isReal: URIRef
    involves: URIRef
    associatedWith: URIRef
    theme: URIRef
    source: URIRef
    target: URIRef
    relationType: URIRef
    evidence: URIRef
    epistemicStatus: URIRef
    overturnedIn: URIRef
    overturnedBy: URIRef
    heldBy: URIRef
    about: URIRef
    shortcut: URIRef
    symmetric: URIRef
    uncertain: URIRef
    verification: URIRef
    sourceChapter: URIRef
    # relationship properties the RELATIONSHIP vocabulary lacks
    romanticPartnerOf: URIRef
    guardianOf: URIRef
    carerOf: URIRef
    possibleOf: URIRef
    manipulates: URIRef
    deceives: URIRef
    bullies: URIRef
    jealousOf: URIRef
    admires: URIRef
    protects: URIRef
    confidantOf: URIRef
    unrequitedLoveFor: URIRef


ID = Namespace(BASE + "id/")
GROUP = Namespace(BASE + "group/")
PHASE = Namespace(BASE + "phase/")
EVTYPE = Namespace(BASE + "event-type/")
ROLE = Namespace(BASE + "role/")
RELTYPE = Namespace(BASE + "relationship-type/")
STATUS = Namespace(BASE + "status/")
LEVEL = Namespace(BASE + "verification/")
SOURCE = Namespace(BASE + "source/")
THEME = Namespace(BASE + "theme/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
REL = Namespace("http://purl.org/vocab/relationship/")

PREFIXES: dict[str, str] = {
    "": str(ID),
    "nlmg": str(NLMG._NS),
    "group": str(GROUP),
    "phase": str(PHASE),
    "evtype": str(EVTYPE),
    "role": str(ROLE),
    "reltype": str(RELTYPE),
    "status": str(STATUS),
    "level": str(LEVEL),
    "src": str(SOURCE),
    "theme": str(THEME),
    "schema": str(SDO._NS),
    "skos": str(SKOS._NS),
    "sem": str(SEM),
    "rel": str(REL),
    "prov": str(PROV._NS),
    "dcterms": str(DCTERMS._NS),
    "owl": str(OWL._NS),
    "rdf": str(RDF._NS),
    "rdfs": str(RDFS._NS),
    "xsd": str(XSD._NS),
    "wd": "http://www.wikidata.org/entity/",
    "gc": "https://w3id.org/golem/ontology#",
}

#: Namespaces whose every IRI must be declared in data/ (the integrity check).
OWN_NAMESPACES: tuple[str, ...] = (BASE,)


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes on ``graph`` (for readable serializations); return it."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph
