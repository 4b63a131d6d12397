"""GEXF 1.2 and GraphML writers for a network described once (``Network``), so both files say the same.

Written with a streaming writer (``graph.xmlout``) against the official schemas (the tests validate every file against them):

- GEXF 1.2 (``http://www.gexf.net/1.2draft``): the newest version whose official schema a package
  registry ships (Debian's ``libjgrapht-java``), and the newest that NetworkX reads. Time is the
  chapter (``timeformat="double"``); a ``Spell`` is the closed range of chapters an element is
  shown in; a timed value holds for a range of chapters. In a dynamic network one attribute
  block per class is declared ``dynamic`` (Gephi Lite reads only one block per class) and every
  value carries its start and end (NetworkX needs both): a static value holds over the whole span. An edge ``kind`` never goes into GEXF's
  ``type`` slot, which says only ``directed`` or ``mutual`` (a tie that holds both ways; Gephi Lite
  reads it as undirected, NetworkX as two directed edges).
- GraphML: edges take the graph's default direction (NetworkX refuses an undirected edge in a
  directed GraphML graph), a tie that holds both ways says so in its ``symmetric`` attribute; edge ids unique; no timeline (GraphML has none): the ``start`` and
  ``end`` attributes give the first and last chapter instead.

>>> net = Network("tiny", "two friends", [Element("a", "A"), Element("b", "B")],
...               [Link("a-b", "A and B", source="a", target="b", mutual=True)])
>>> b'type="mutual"' in gexf_bytes(net) and b'edgedefault="directed"' in graphml_bytes(net)
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph.xmlout import XmlWriter

__all__ = ["GEXF_NS", "GRAPHML_NS", "Column", "Element", "Link", "Network", "Spell", "columns", "gexf_bytes", "graphml_bytes"]

GEXF_NS = "http://www.gexf.net/1.2draft"
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

#: Python type -> (GEXF type, GraphML type).
_TYPES = {bool: ("boolean", "boolean"), int: ("integer", "int"), float: ("double", "double"), str: ("string", "string")}


@dataclass(frozen=True)
class Spell:
    """The chapters ``start`` to ``end``, both shown."""

    start: int
    end: int


@dataclass
class Element:
    """A node: its id, label, static attributes, the chapters it is shown in, values that change."""

    id: str
    label: str
    values: dict[str, Any] = field(default_factory=dict)
    spells: list[Spell] = field(default_factory=list)
    #: attribute -> [(value, spell)], for the label and description a reader knows at each chapter.
    timed: dict[str, list[tuple[Any, Spell]]] = field(default_factory=dict)


@dataclass
class Link(Element):
    """An edge: an element with a source, a target, whether it holds both ways, and a weight."""

    source: str = ""
    target: str = ""
    mutual: bool = False
    weight: float | None = None


@dataclass(frozen=True)
class Column:
    """A declared attribute: its name and Python type (``bool``, ``int``, ``float`` or ``str``)."""

    name: str
    type: type


@dataclass
class Network:
    """A named network of elements and links; ``dynamic`` when anything has spells or timed values."""

    name: str
    description: str
    nodes: list[Element]
    edges: list[Link]

    #: The time the network covers; given, the GEXF is dynamic.
    span: Spell | None = None
    #: False for a network of ties that all hold both ways (then every edge is undirected).
    directed: bool = True


def columns(rows: list[dict[str, Any]]) -> list[Column]:
    """The attributes the rows carry, in order of first appearance, one type each (mixed types -> str)."""
    found: dict[str, type] = {}
    for row in rows:
        for name, value in row.items():
            kind = type(value) if type(value) in _TYPES else str
            found[name] = kind if found.get(name, kind) is kind else str
    return [Column(n, t) for n, t in found.items()]


def _gexf_row(element: Element) -> dict[str, Any]:
    return {**element.values, **{k: v[0][0] for k, v in element.timed.items() if v}}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "; ".join(map(str, value))
    return str(value)


def _time(chapter: int) -> str:
    return f"{float(chapter)}"


def _spell_attributes(spell: Spell | None) -> dict[str, str]:
    return {"start": _time(spell.start), "end": _time(spell.end)} if spell else {}


def gexf_bytes(network: Network) -> bytes:
    """The network as a GEXF 1.2 document (dynamic when it has spells or timed values)."""
    out = XmlWriter()
    out.start("gexf", {"xmlns": GEXF_NS, "xmlns:xsi": XSI_NS, "version": "1.2", "xsi:schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd"})
    out.start("meta")
    out.leaf("creator", text="nlmg")
    out.leaf("description", text=network.description)
    out.end()
    graph_attrs = {"defaultedgetype": "directed" if network.directed else "undirected", "mode": "dynamic" if network.span else "static"}
    if network.span:
        graph_attrs |= {"timeformat": "double", **_spell_attributes(network.span)}
    out.start("graph", graph_attrs)
    ids: dict[str, dict[str, str]] = {}
    for cls, elements in (("node", network.nodes), ("edge", network.edges)):
        out.start("attributes", {"class": cls, "mode": "dynamic" if network.span else "static"})
        ids[cls] = {}
        for i, column in enumerate(columns([_gexf_row(e) for e in elements])):
            ids[cls][column.name] = str(i)
            out.leaf("attribute", {"id": str(i), "title": column.name, "type": _TYPES[column.type][0]})
        out.end()

    def fill(element: Element, cls: str) -> None:
        values = [(name, value, network.span) for name, value in element.values.items()]  # in a dynamic network, a static value holds all along
        values += [(name, value, spell) for name, series in element.timed.items() for value, spell in series]
        if values:
            out.start("attvalues")
            for name, value, spell in values:
                out.leaf("attvalue", {"for": ids[cls][name], "value": _text(value), **_spell_attributes(spell)})
            out.end()
        if element.spells:
            out.start("spells")
            for spell in element.spells:
                out.leaf("spell", _spell_attributes(spell))
            out.end()

    out.start("nodes", {"count": str(len(network.nodes))})
    for node in network.nodes:
        out.start("node", {"id": node.id, "label": node.label})
        fill(node, "node")
        out.end()
    out.end()
    out.start("edges", {"count": str(len(network.edges))})
    # Directed edges first: graphology-gexf 0.13 builds its graph with the first edge's type, and
    # has no graph type called "mutual".
    for edge in sorted(network.edges, key=lambda e: e.mutual):
        way = ("mutual" if edge.mutual else "directed") if network.directed else "undirected"
        attrs = {"id": edge.id, "source": edge.source, "target": edge.target, "label": edge.label, "type": way}
        if edge.weight is not None:
            attrs["weight"] = f"{float(edge.weight)}"
        out.start("edge", attrs)
        fill(edge, "edge")
        out.end()
    out.end()
    out.end()
    out.end()
    return out.getvalue()


def _first_and_last(element: Element) -> dict[str, int]:
    """GraphML has no timeline: the first and last chapter an element is shown in, as attributes."""
    if not element.spells:
        return {}
    return {"start": min(s.start for s in element.spells), "end": max(s.end for s in element.spells)}


def _latest(element: Element) -> dict[str, Any]:
    """The last value of each timed attribute (what a reader knows at the end of the book)."""
    return {name: series[-1][0] for name, series in element.timed.items() if series}


def graphml_bytes(network: Network) -> bytes:
    """The network as a GraphML document: directed edges, unique ids, typed keys."""
    out = XmlWriter()
    out.start("graphml", {"xmlns": GRAPHML_NS, "xmlns:xsi": XSI_NS, "xsi:schemaLocation": f"{GRAPHML_NS} {GRAPHML_NS}/1.0/graphml.xsd"})
    rows = {
        "node": [(n, {"label": n.label, **n.values, **_latest(n), **_first_and_last(n)}) for n in network.nodes],
        "edge": [(e, {"label": e.label, "symmetric": e.mutual, **e.values, **_latest(e), **_first_and_last(e)}) for e in network.edges],
    }
    keys: dict[str, dict[str, str]] = {}
    for cls, pairs in rows.items():
        keys[cls] = {}
        for column in columns([values for _, values in pairs]):
            key = f"{cls[0]}_{column.name}"
            keys[cls][column.name] = key
            out.leaf("key", {"id": key, "for": cls, "attr.name": column.name, "attr.type": _TYPES[column.type][1]})
    if any(e.weight is not None for e in network.edges):
        out.leaf("key", {"id": "e_weight", "for": "edge", "attr.name": "weight", "attr.type": "double"})
    out.start("graph", {"id": network.name, "edgedefault": "directed" if network.directed else "undirected"})
    out.leaf("desc", text=network.description)
    for node, values in rows["node"]:
        out.start("node", {"id": node.id})
        for name, value in values.items():
            out.leaf("data", {"key": keys["node"][name]}, _text(value))
        out.end()
    for edge, values in rows["edge"]:
        out.start("edge", {"id": edge.id, "source": edge.source, "target": edge.target})
        for name, value in values.items():
            out.leaf("data", {"key": keys["edge"][name]}, _text(value))
        if edge.weight is not None:
            out.leaf("data", {"key": "e_weight"}, f"{float(edge.weight)}")
        out.end()
    out.end()
    out.end()
    return out.getvalue()
