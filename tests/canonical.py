"""Graph comparison for the tests: W3C RDF Dataset Canonicalization (RDFC-1.0), as Oxigraph implements it.

rdflib's ``compare.isomorphic`` takes about 30 seconds on the novel's 14,000 triples and 5,700 blank-node
occurrences; Oxigraph canonicalizes both sides in a third of a second. Equal canonical forms prove the graphs
isomorphic (canonicalization only renames blank nodes), so the check is as strict as before.

>>> from rdflib import BNode, Graph, Literal, URIRef
>>> p = URIRef("https://example.org/p")
>>> isomorphic(Graph().add((BNode(), p, Literal("a"))), Graph().add((BNode(), p, Literal("a"))))
True
>>> isomorphic(Graph().add((BNode(), p, Literal("a"))), Graph().add((BNode(), p, Literal("a", lang="en"))))
False
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

__all__ = ["isomorphic", "same_quads"]


def _term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype))) if node.datatype else ox.Literal(str(node))
    raise TypeError(f"not an RDF term: {node!r}")


def _canonical(triples: Iterable[tuple[Node, Node, Node]]) -> ox.Dataset:
    return _canonical_quads(ox.Quad(_term(s), _term(p), _term(o)) for s, p, o in triples)


def _canonical_quads(quads: Iterable[ox.Quad]) -> ox.Dataset:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def isomorphic(first: Iterable[tuple[Node, Node, Node]], second: Iterable[tuple[Node, Node, Node]]) -> bool:
    """Whether two rdflib graphs hold the same triples up to the names of their blank nodes."""
    return _canonical(first) == _canonical(second)


def same_quads(first: str | bytes, second: str | bytes) -> bool:
    """Whether two N-Quads (or N-Triples) documents hold the same quads up to the names of their blank nodes.

    Read by Oxigraph, which keeps every literal as written (rdflib's parsers turn ``"01"^^xsd:integer`` into ``"1"``).
    """
    return _canonical_quads(ox.parse(first, ox.RdfFormat.N_QUADS)) == _canonical_quads(ox.parse(second, ox.RdfFormat.N_QUADS))
