"""A graph as compacted JSON-LD with a prefix-only context, written fast and the same bytes for the same graph.

Every IRI subject is one node object of ``@graph``, sorted by ``@id``. A blank node that is the object of exactly one
triple is embedded where it is used (no label at all); any other blank node (shared, or in a cycle) gets the label
that RDF canonicalization (RDFC-1.0) gives it, so that labels too are stable. IRIs, property names and datatypes
are written ``prefix:local`` only where a JSON-LD 1.1 processor expands that back to the same IRI; literals as
plain strings (``xsd:string``), JSON numbers and booleans (``xsd:integer`` and ``xsd:boolean`` in canonical form)
or ``@value`` objects with their ``@language`` or ``@type`` and lexical form;
a well-formed RDF list of embedded cells as ``@list``.

>>> ntriples = b'''<https://e.org/a> <https://e.org/p> "x"@en .
... <https://e.org/a> <https://e.org/p> _:b .
... _:b <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://e.org/C> .
... '''
>>> print(jsonld_bytes(ntriples, {"e": "https://e.org/"}).decode())
{
  "@context": {
    "e": "https://e.org/"
  },
  "@graph": [
    {"@id": "e:a", "e:p": [{"@language": "en", "@value": "x"}, {"@type": "e:C"}]}
  ]
}
<BLANKLINE>
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

import pyoxigraph as ox

__all__ = ["jsonld_bytes"]

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE, RDF_FIRST, RDF_REST, RDF_NIL = RDF + "type", RDF + "first", RDF + "rest", RDF + "nil"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING, XSD_INTEGER, XSD_BOOLEAN = XSD + "string", XSD + "integer", XSD + "boolean"
#: Integers a JSON-LD processor turns back into the same xsd:integer literal: canonical form, under 10**21 (beyond, a double).
NATIVE_INTEGER = re.compile(r"0|-?[1-9][0-9]{0,20}")
#: A prefix expands a compact IRI in JSON-LD 1.1 only if its IRI ends with one of these (the prefix flag).
GEN_DELIMS = tuple(":/?#[]@")

#: A term: an IRI, a blank node as ``_:label``, or a literal.
Term = str | ox.Literal


class _Compactor(dict[str, str]):
    """IRI -> the shortest string a JSON-LD 1.1 processor expands back to it with ``prefixes`` as the context.

    A blank node (``_:label``) is written as it is. ``compact[iri]`` computes each IRI once.
    """

    def __init__(self, prefixes: dict[str, str]) -> None:
        super().__init__()
        usable = [(name, iri) for name, iri in prefixes.items() if iri.endswith(GEN_DELIMS) and _is_prefix_name(name)]
        self.namespaces = sorted(usable, key=lambda item: (-len(item[1]), item[0]))
        self.names = set(prefixes)

    def __missing__(self, iri: str) -> str:
        written = self[iri] = self._compact(iri)
        return written

    def _compact(self, iri: str) -> str:
        if iri.startswith("_:"):
            return iri
        for name, namespace in self.namespaces:
            # "name:local" expands to namespace + local unless local starts with "//" ("name://..." is an IRI).
            if iri.startswith(namespace) and not iri.startswith("//", len(namespace)):
                return f"{name}:{iri[len(namespace) :]}"
        return iri

    def confused(self) -> set[str]:
        """Names a full IRI written so far could be read through (``wd:Q1`` as an IRI when ``wd`` is a prefix).

        JSON-LD 1.1 expands only through prefixes ending in a gen-delim, but some processors use any term.
        """
        schemes = {iri.partition(":")[0] for iri, written in self.items() if written == iri and not iri.partition(":")[2].startswith("//")}
        return schemes & self.names


def _is_prefix_name(name: str) -> bool:
    """Whether ``name:local`` is read as a compact IRI (not a blank node, keyword or IRI)."""
    return bool(name) and name != "_" and not name.startswith("@") and ":" not in name and "/" not in name


def _quads(ntriples: bytes) -> Iterator[ox.Quad]:
    """The triples of ``ntriples`` (written by rdflib or Oxigraph, so read without validating IRIs again)."""
    return ox.parse(ntriples, ox.RdfFormat.N_TRIPLES, lenient=True)


def _canonical(ntriples: bytes) -> ox.Dataset:
    """The triples of ``ntriples`` with their blank nodes renamed by RDFC-1.0 (stable across runs)."""
    dataset = ox.Dataset(_quads(ntriples))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


class _Nodes:
    """The node objects of one graph: blank nodes used once are embedded, the others named."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self.subjects: dict[str, dict[str, list[Term]]] = {}
        self.uses: Counter[str] = Counter()
        for quad in quads:
            subject, term = quad.subject, quad.object
            subject = subject.value if type(subject) is ox.NamedNode else "_:" + subject.value
            kind = type(term)
            if kind is ox.NamedNode:
                term = term.value
            elif kind is ox.BlankNode:
                term = "_:" + term.value
                self.uses[term] += 1
            properties = self.subjects.get(subject)
            if properties is None:
                properties = self.subjects[subject] = {}
            predicate = quad.predicate.value
            objects = properties.get(predicate)
            if objects is None:
                properties[predicate] = [term]
            else:
                objects.append(term)
        self.embedded = {node for node, count in self.uses.items() if count == 1}
        self.embedded -= self._unreachable()

    def _unreachable(self) -> set[str]:
        """Blank nodes used once but only from inside a cycle of such nodes: embedding would never write them."""
        reached: set[str] = set()
        stack = [s for s in self.subjects if s not in self.embedded]
        while stack:
            for objects in self.subjects.get(stack.pop(), {}).values():
                for o in objects:
                    if o in self.embedded and o not in reached:
                        reached.add(o)
                        stack.append(o)
        return self.embedded - reached

    def labelled(self) -> bool:
        """Whether some blank node is referenced but not embedded (shared, or in a cycle), so needs a label."""
        return any(node not in self.embedded for node in self.uses)

    def graph(self, compact: _Compactor) -> list[dict[str, Any]]:
        """The top-level node objects, sorted by ``@id`` (unreferenced blank nodes, which have none, last)."""
        top = [self.node(s, compact, embedded=False) for s in self.subjects if s not in self.embedded]
        return sorted(top, key=lambda node: (0, node["@id"]) if "@id" in node else (1, _json(node)))

    def node(self, subject: str, compact: _Compactor, embedded: bool) -> dict[str, Any]:
        node: dict[str, Any] = {}
        if not embedded and (self.uses[subject] or not subject.startswith("_:")):
            node["@id"] = compact[subject]
        for predicate, objects in self.subjects.get(subject, {}).items():
            if predicate == RDF_TYPE:
                types = sorted(compact[o] for o in objects if type(o) is str and not o.startswith("_:"))
                if types:
                    node["@type"] = types[0] if len(types) == 1 else types
                objects = [o for o in objects if type(o) is not str or o.startswith("_:")]
                if not objects:
                    continue
            if len(objects) == 1:
                node[compact[predicate]] = self.value(objects[0], compact)
            else:
                node[compact[predicate]] = sorted((self.value(o, compact) for o in objects), key=_order)
        return node

    def members(self, head: str) -> list[Term] | None:
        """The members of the list whose first cell is ``head``, if every cell is embedded and has one
        ``rdf:first``, one ``rdf:rest`` and nothing else (what ``@list`` stands for); else None."""
        members: list[Term] = []
        cell: Term = head
        while cell != RDF_NIL:
            properties = self.subjects.get(cell) if type(cell) is str and cell in self.embedded else None
            if properties is None or properties.keys() != {RDF_FIRST, RDF_REST} or len(properties[RDF_FIRST]) + len(properties[RDF_REST]) != 2:
                return None
            members.append(properties[RDF_FIRST][0])
            cell = properties[RDF_REST][0]
        return members

    def value(self, term: Term, compact: _Compactor) -> Any:
        if type(term) is str:
            if term in self.embedded:
                members = self.members(term)
                if members is not None:
                    return {"@list": [self.value(member, compact) for member in members]}
                return self.node(term, compact, embedded=True)
            return {"@id": compact[term]}
        if term.language:
            return {"@value": term.value, "@language": term.language}
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return term.value
        if datatype == XSD_INTEGER and NATIVE_INTEGER.fullmatch(term.value):
            return int(term.value)
        if datatype == XSD_BOOLEAN and term.value in ("true", "false"):
            return term.value == "true"
        return {"@value": term.value, "@type": compact[datatype]}


def _order(value: Any) -> tuple[int, str]:
    """The order of a property's values: strings, then references, then the rest by their JSON."""
    if type(value) is str:
        return 0, value
    if type(value) is not dict:
        return 2, _json(value)
    if len(value) == 1 and "@id" in value:
        return 1, value["@id"]
    return 2, _json(value)


#: One line of JSON, keys sorted (also the order of values and of nodes without ``@id``).
_json = json.JSONEncoder(sort_keys=True, ensure_ascii=False).encode


def jsonld_bytes(ntriples: bytes, prefixes: dict[str, str]) -> bytes:
    """The N-Triples ``ntriples`` as a compacted JSON-LD document whose context maps ``prefixes`` (name -> IRI).

    A prefix whose name is the scheme of an IRI written in full (``wd`` for ``<wd:Q1>``) is left out of the
    context, as a processor would otherwise read that IRI as a compact one.
    """
    nodes = _Nodes(_quads(ntriples))
    if nodes.labelled():
        nodes = _Nodes(_canonical(ntriples))
    context = dict(prefixes)
    while True:
        compact = _Compactor(context)
        graph = nodes.graph(compact)
        confused = compact.confused()
        if not confused:
            break
        context = {name: iri for name, iri in context.items() if name not in confused}
    # The context indented, then one node object a line (the C encoder: indenting every node takes 3 times longer).
    head = json.dumps({"@context": dict(sorted(context.items()))}, indent=2, ensure_ascii=False).removesuffix("\n}")
    lines = ",\n".join("    " + _json(node) for node in graph)
    return f'{head},\n  "@graph": [\n{lines}\n  ]\n}}\n'.encode()
