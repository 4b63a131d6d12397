"""Standard exports of the graph: RDF (Turtle, N-Triples, JSON-LD with its context, TriG),
GraphML and a dynamic GEXF for Gephi (time is the chapter, so Gephi's timeline replays the book),
CSV node and edge tables; DraCor-style downloads under ``networks/`` (the relationship and the
co-presence network, each as CSV, GEXF and GraphML) and ``metrics/`` (per character, part and
chapter, per reading, and told-and-shown per pair and per chapter, as CSV and JSON). Every file is written atomically.

>>> sorted(EXPORTS)[:3]
['edges.csv', 'metrics/chapters.csv', 'metrics/chapters.json']
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Graph, URIRef

from graph.files import write_bytes
from graph.jsonld import jsonld_bytes
from graph.namespaces import ID, PREFIXES
from graph.netfiles import Network, gexf_bytes, graphml_bytes
from graph.networks import copresence_network, edge_table, full_network, relationship_network, sorted_edges, sorted_nodes
from graph.replay import Replay
from graph.visibility import whole_projection

__all__ = ["EXPORTS", "GRAPH_IRI", "Sources", "export_all", "jsonld_context"]

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


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows({c: _flat(r.get(c)) for c in columns} for r in rows)
    return buffer.getvalue()


def _by_oxigraph(ntriples: bytes, rdf_format: str) -> bytes:
    """Turtle, or TriG with the graph in one named graph, written by Oxigraph with the project's prefixes
    (rdflib's own serialisers took most of a build's time: 0.55 s for these two, Oxigraph 20 ms)."""
    import pyoxigraph as ox

    store = ox.Store()
    target = ox.NamedNode(str(GRAPH_IRI)) if rdf_format == "trig" else ox.DefaultGraph()
    store.load(ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=target)
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    if rdf_format == "trig":
        return store.dump(format=ox.RdfFormat.TRIG, prefixes=prefixes)
    return store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=prefixes)


def _node_rows(projection: nx.MultiDiGraph) -> list[dict[str, Any]]:
    return [{"id": n, **d} for n, d in sorted_nodes(projection)]


def _edge_rows(projection: nx.MultiDiGraph) -> list[dict[str, Any]]:
    return [{"source": s, "target": t, "key": k, **d} for s, t, k, d in sorted_edges(projection)]


class Sources:
    """What the exports are made from, each computed once and only when an export needs it."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    @cached_property
    def projection(self) -> nx.MultiDiGraph:
        return whole_projection(self.graph)

    @cached_property
    def ntriples(self) -> bytes:
        """The graph as N-Triples: the export itself, and what Oxigraph reads to write Turtle and TriG."""
        return self.graph.serialize(format="nt", encoding="utf-8")

    @cached_property
    def replay(self) -> Replay:
        return Replay(self.graph)

    @cached_property
    def networks(self) -> dict[str, Network]:
        return {
            "nlmg": full_network(self.replay, self.projection),
            "relationships": relationship_network(self.replay, self.projection),
            "copresence": copresence_network(self.replay, self.projection),
        }

    @cached_property
    def metrics(self) -> dict[str, list[dict[str, Any]]]:
        from graph.metrics import character_metrics, collapse, cumulative_metrics, metrics_by_part
        from graph.project import relationship_layer
        from graph.readings import reading_metrics
        from graph.told_shown import by_chapter, told_and_shown

        return {
            "characters": character_metrics(collapse(relationship_layer(self.projection))),
            "parts": metrics_by_part(self.graph),
            "chapters": cumulative_metrics(self.graph),
            "readings": reading_metrics(self.graph),
            "told-and-shown": [{k: v for k, v in r.items() if k != "labels"} for r in told_and_shown(self.graph)],
            "told-and-shown-by-chapter": by_chapter(self.graph),
        }


def _metrics_csv(rows: list[dict[str, Any]]) -> bytes:
    columns = list(rows[0]) if rows else []
    return _csv(rows, columns).encode("utf-8")


def _metrics_json(rows: list[dict[str, Any]]) -> bytes:
    return (json.dumps(rows, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


#: File name (under the exports folder) -> how to make it from the sources.
EXPORTS: dict[str, Callable[[Sources], bytes]] = {
    "nlmg.ttl": lambda s: _by_oxigraph(s.ntriples, "turtle"),
    "nlmg.nt": lambda s: s.ntriples,
    "nlmg.jsonld": lambda s: jsonld_bytes(s.ntriples, jsonld_context()["@context"]),
    "nlmg-context.jsonld": lambda _: json.dumps(jsonld_context(), indent=2).encode("utf-8"),
    "nlmg.trig": lambda s: _by_oxigraph(s.ntriples, "trig"),
    "nlmg.graphml": lambda s: graphml_bytes(s.networks["nlmg"]),
    "nlmg.gexf": lambda s: gexf_bytes(s.networks["nlmg"]),
    "nodes.csv": lambda s: _csv(_node_rows(s.projection), NODE_COLUMNS).encode("utf-8"),
    "edges.csv": lambda s: _csv(_edge_rows(s.projection), EDGE_COLUMNS).encode("utf-8"),
    "void.ttl": lambda s: _void(s.graph),
}
for _name in ("relationships", "copresence"):
    EXPORTS[f"networks/{_name}.gexf"] = lambda s, n=_name: gexf_bytes(s.networks[n])
    EXPORTS[f"networks/{_name}.graphml"] = lambda s, n=_name: graphml_bytes(s.networks[n])
    EXPORTS[f"networks/{_name}.csv"] = lambda s, n=_name: edge_table(s.networks[n])
for _name in ("characters", "parts", "chapters", "readings", "told-and-shown", "told-and-shown-by-chapter"):
    EXPORTS[f"metrics/{_name}.csv"] = lambda s, n=_name: _metrics_csv(s.metrics[n])
    EXPORTS[f"metrics/{_name}.json"] = lambda s, n=_name: _metrics_json(s.metrics[n])


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
    sources = Sources(graph)
    rendered = {name: make(sources) for name, make in EXPORTS.items() if not names or name in names}
    written = []
    for name, content in rendered.items():
        write_bytes(Path(folder) / name, content)
        written.append(Path(folder) / name)
    return written
