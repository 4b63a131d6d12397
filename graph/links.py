"""Links to Wikidata (``data/links.ttl``, ``schema:sameAs``): read an identifier however it is written,
list the links, find the entity a Wikidata identifier names.

>>> wikidata_id("wd:Q21"), wikidata_id("q21"), wikidata_id("https://www.wikidata.org/wiki/Q21"), wikidata_id("Kathy")
('Q21', 'Q21', 'Q21', None)
"""

from __future__ import annotations

import re

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import SDO

__all__ = ["WD", "find_by_wikidata", "wikidata_id", "wikidata_links"]

#: Wikidata's namespace of entities (the concept IRIs the links point at).
WD = Namespace("http://www.wikidata.org/entity/")

_QID = re.compile(r"^\s*(?:wd:|https?://(?:www\.)?wikidata\.org/(?:wiki|entity)/)?([Qq][1-9][0-9]*)\s*$")


def wikidata_id(text: str) -> str | None:
    """``"Q21"`` for ``Q21``, ``wd:Q21`` or a Wikidata address; ``None`` if ``text`` is no Wikidata id."""
    match = _QID.match(str(text))
    return match.group(1).upper() if match else None


def wikidata_links(graph: Graph) -> dict[URIRef, str]:
    """Entity of the graph -> the Wikidata id it is linked to."""
    return {s: str(o)[len(str(WD)) :] for s, o in graph.subject_objects(SDO.sameAs) if isinstance(s, URIRef) and str(o).startswith(str(WD))}


def find_by_wikidata(graph: Graph, text: str) -> URIRef:
    """The entity linked to the Wikidata id in ``text`` (``Q21``, ``wd:Q21`` or an address).

    Raises:
        LookupError: ``text`` is no Wikidata id, or no entity of the graph is linked to it.
    """
    qid = wikidata_id(text)
    if qid is None:
        raise LookupError(f"{text!r} is not a Wikidata id: write it as Q21, wd:Q21 or https://www.wikidata.org/wiki/Q21")
    found = sorted(s for s, q in wikidata_links(graph).items() if q == qid)
    if not found:
        known = ", ".join(sorted(set(wikidata_links(graph).values()), key=lambda q: int(q[1:])))
        raise LookupError(f"nothing in the graph is linked to Wikidata {qid} (linked: {known})")
    return found[0]
