"""Standard exports of the graph: RDF (Turtle, N-Triples, JSON-LD with its context, TriG),
GraphML and a dynamic GEXF for Gephi (time is the chapter, so Gephi's timeline replays the book),
and CSV node and edge tables. Every file is written atomically.

>>> sorted(EXPORTS)[:3]
['edges.csv', 'nlmg-context.jsonld', 'nlmg.gexf']
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Dataset, Graph, URIRef

from graph.files import write_bytes
from graph.namespaces import ID, PREFIXES
from graph.project import to_networkx

__all__ = ["EXPORTS", "GRAPH_IRI", "export_all", "flat_graph", "jsonld_context"]

#: The name of the one named graph in the TriG export.
GRAPH_IRI = URIRef(ID["nlmg-dataset"])
NODE_COLUMNS = ["id", "kind", "label", "alt_labels", "first_chapter", "groups", "chapters", "phases", "event_type", "status", "iri", "description"]
EDGE_COLUMNS = ["source", "target", "kind", "key", "type", "role", "symmetric", "first_chapter", "chapters", "phases", "status", "iri"]


#: The JSON-LD name of the individuals' namespace (Turtle's empty prefix has no JSON-LD equivalent).
INDIVIDUALS_PREFIX = "nlmgid"


def jsonld_context() -> dict[str, Any]:
    """The JSON-LD context: the project's prefixes (``nlmgid:`` for the individuals)."""
    return {"@context": {(p or INDIVIDUALS_PREFIX): ns for p, ns in PREFIXES.items()}}


def _flat(value: Any) -> Any:
    if isinstance(value, (list, tuple, set)):
        return "; ".join(str(v) for v in value)
    return value


def flat_graph(graph: nx.MultiDiGraph, *, dynamic: bool = False) -> nx.MultiDiGraph:
    """A copy with list attributes joined by '; ' and empty ones dropped (GraphML and GEXF take scalars only).

    With ``dynamic``, nodes and edges get ``start`` = the chapter they appear in, for GEXF timelines.
    """
    result = nx.MultiDiGraph(name=graph.graph.get("name", "nlmg"))
    if dynamic:
        result.graph["mode"] = "dynamic"
    for node, data in graph.nodes(data=True):
        attrs = {k: _flat(v) for k, v in data.items() if v not in (None, "", [])}
        if dynamic and data.get("first_chapter"):
            attrs["start"] = float(data["first_chapter"])
        result.add_node(node, **attrs)
    for s, t, k, data in graph.edges(keys=True, data=True):
        attrs = {k2: _flat(v) for k2, v in data.items() if v not in (None, "", [])}
        first = data.get("first_chapter") or min(graph.nodes[s].get("first_chapter") or 1, 99)
        if dynamic:
            attrs["start"] = float(max(first, graph.nodes[s].get("first_chapter") or 1, graph.nodes[t].get("first_chapter") or 1))
        result.add_edge(s, t, key=k, **attrs)
    return result


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows({c: _flat(r.get(c)) for c in columns} for r in rows)
    return buffer.getvalue()


def _trig(graph: Graph) -> bytes:
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    named = dataset.graph(GRAPH_IRI)
    for triple in graph:
        named.add(triple)
    return dataset.serialize(format="trig", encoding="utf-8")


def _graphml(projection: nx.MultiDiGraph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(flat_graph(projection), buffer)
    return buffer.getvalue()


def _gexf(projection: nx.MultiDiGraph) -> bytes:
    buffer = io.BytesIO()
    nx.write_gexf(flat_graph(projection, dynamic=True), buffer)
    return buffer.getvalue()


def _node_rows(projection: nx.MultiDiGraph) -> list[dict[str, Any]]:
    return [{"id": n, **d} for n, d in projection.nodes(data=True)]


def _edge_rows(projection: nx.MultiDiGraph) -> list[dict[str, Any]]:
    return [{"source": s, "target": t, "key": k, **d} for s, t, k, d in projection.edges(keys=True, data=True)]


#: File name -> how to make it from (rdf graph, projection).
EXPORTS: dict[str, Callable[[Graph, nx.MultiDiGraph], bytes]] = {
    "nlmg.ttl": lambda g, _: g.serialize(format="turtle", encoding="utf-8"),
    "nlmg.nt": lambda g, _: g.serialize(format="nt", encoding="utf-8"),
    "nlmg.jsonld": lambda g, _: g.serialize(format="json-ld", context=jsonld_context()["@context"], encoding="utf-8"),
    "nlmg-context.jsonld": lambda _, __: json.dumps(jsonld_context(), indent=2).encode("utf-8"),
    "nlmg.trig": lambda g, _: _trig(g),
    "nlmg.graphml": lambda _, p: _graphml(p),
    "nlmg.gexf": lambda _, p: _gexf(p),
    "nodes.csv": lambda _, p: _csv(_node_rows(p), NODE_COLUMNS).encode("utf-8"),
    "edges.csv": lambda _, p: _csv(_edge_rows(p), EDGE_COLUMNS).encode("utf-8"),
    "void.ttl": lambda g, _: _void(g),
}


def _void(graph: Graph) -> bytes:
    """The VoID description of the dataset, with the N-Triples and Turtle exports as its dumps."""
    from graph.describe import void_description

    return void_description(graph, dumps={"nt": "nlmg.nt", "ttl": "nlmg.ttl"}).serialize(format="turtle", encoding="utf-8")


def export_all(graph: Graph, folder: Path, names: list[str] | None = None) -> list[Path]:
    """Write every export (or only ``names``) of ``graph`` to ``folder``; return the paths written.

    Everything is rendered in memory first, so a failure leaves the folder as it was.
    """
    unknown = sorted(set(names or []) - set(EXPORTS))
    if unknown:
        raise ValueError(f"unknown export {', '.join(unknown)}: choose from {', '.join(EXPORTS)}")
    projection = to_networkx(graph)
    rendered = {name: make(graph, projection) for name, make in EXPORTS.items() if not names or name in names}
    written = []
    for name, content in rendered.items():
        write_bytes(Path(folder) / name, content)
        written.append(Path(folder) / name)
    return written
