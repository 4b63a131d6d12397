"""The look of the companion's relationship map: pyvis builds the vis-network nodes, edges and options.

Shapes by kind, colours by group and relationship type, seeded positions, and the physics options;
the page itself lives in ``graph/web/`` (see ``graph.companion``).

>>> style = vis_styles([{"id": "ruth", "kind": "character"}], [], {"ruth": (1.0, 2.0)})
>>> style[0]["ruth"]["shape"], style[0]["ruth"]["x"]
('dot', 1.0)
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import networkx as nx
from pyvis.network import Network

__all__ = ["GROUP_COLOURS", "KIND_STYLE", "LINK_KINDS", "PALETTE", "UNCERTAIN_STATUSES", "layout_positions", "options", "style_legend", "vis_styles"]

KIND_STYLE = {  # kind -> (shape, colour)
    "character": ("dot", "#4e79a7"),
    "place": ("square", "#59a14f"),
    "event": ("diamond", "#f28e2b"),
    "object": ("triangle", "#b07aa1"),
    "motif": ("star", "#edc948"),
    "belief": ("hexagon", "#9c755f"),
    "theme": ("ellipse", "#bab0ac"),
}
GROUP_COLOURS = {
    "Hailsham student": "#4e79a7",
    "guardian": "#e15759",
    "Hailsham staff": "#ff9da7",
    "veteran at the Cottages": "#76b7b2",
    "student from elsewhere": "#59a14f",
    "carer": "#17becf",
    "donor": "#9467bd",
    "outsider": "#7f7f7f",
}
PALETTE = [
    "#e15759",
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#ff9da7",
    "#9c755f",
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
    "#aec7e8",
    "#ffbb78",
    "#98df8a",
    "#c5b0d5",
    "#c49c94",
    "#f7b6d2",
    "#dbdb8d",
]
UNCERTAIN_STATUSES = {"rumour", "disputed", "revealed-false"}
LINK_KINDS = {
    "participant": "takes part",
    "place": "set at",
    "involves": "involves",
    "part_of": "part of",
    "held_by": "held by",
    "about": "about",
    "associated_with": "associated with",
    "theme": "theme",
    "co-participation": "shared events",
}


def _spring(view: nx.Graph) -> dict[str, tuple[float, float]]:
    """Seeded spring layout of the linked nodes; nodes with no link in a tidy row beneath them."""
    simple = nx.Graph()  # sorted, so that the seeded layout does not depend on the order rdflib yields triples in
    simple.add_nodes_from(sorted(view))
    simple.add_edges_from(sorted(tuple(sorted((s, t))) for s, t in view.edges()))
    linked = simple.copy()  # not subgraph(): a subgraph view iterates its nodes in set order
    linked.remove_nodes_from([n for n in simple if simple.degree(n) == 0])
    scale = 160 + 40 * max(linked.number_of_nodes(), 1) ** 0.5
    positions = {}
    if linked.number_of_nodes():
        layout = nx.spring_layout(linked, seed=11, k=1.8 / linked.number_of_nodes() ** 0.5, iterations=100, scale=scale)
        positions = {n: (float(x), float(y)) for n, (x, y) in layout.items()}
    alone = sorted(n for n in simple if simple.degree(n) == 0)
    per_row = max(int(len(alone) ** 0.5 * 1.6), 1)
    for i, node in enumerate(alone):
        positions[node] = (-scale + (i % per_row) * (2 * scale / per_row), scale * 1.25 + (i // per_row) * 70)
    return positions


def _beside(pending: list[str], neighbours: dict[str, set[str]], positions: dict[str, tuple[float, float]]) -> list[str]:
    """Place each pending node near the placed nodes it links to (a golden-angle spiral keeps them apart); return the rest."""
    placed = {}
    for i, node in enumerate(pending):
        near = [positions[m] for m in sorted(neighbours[node]) if m in positions]
        if near:
            angle, radius = i * 2.39996, 40 + 6 * (i % 7)
            placed[node] = (sum(x for x, _ in near) / len(near) + radius * math.cos(angle), sum(y for _, y in near) / len(near) + radius * math.sin(angle))
    positions.update(placed)
    return [n for n in pending if n not in placed]


def _ring(outer: list[str], neighbours: dict[str, set[str]], positions: dict[str, tuple[float, float]]) -> None:
    """Put ``outer`` nodes (themes, hidden at first) on a ring around the rest, each on the side of the nodes it links."""
    if not outer or not positions:
        return
    cx, cy = (sum(xy[i] for xy in positions.values()) / len(positions) for i in (0, 1))
    distances = sorted(math.dist((cx, cy), xy) for xy in positions.values())
    radius = 1.1 * distances[int(0.9 * (len(distances) - 1))]  # just outside the bulk, whatever the outliers

    def side(node: str) -> float:
        near = [positions[m] for m in neighbours[node] if m in positions] or [(cx, cy + 1)]
        return math.atan2(sum(y for _, y in near) / len(near) - cy, sum(x for x, _ in near) / len(near) - cx)

    ring = sorted(outer, key=lambda n: (side(n), n))
    start = side(ring[0])
    for i, node in enumerate(ring):
        angle = start + 2 * math.pi * i / len(ring)
        positions[node] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))


def options(crowded: bool = False) -> dict[str, Any]:
    """vis-network options; a crowded map (the full graph) gets ForceAtlas2 and faint straight links so its hubs stand apart."""
    options: dict[str, Any] = {
        "physics": {
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -9000, "springLength": 140, "avoidOverlap": 0.3},
            "stabilization": {"enabled": True, "iterations": 120, "updateInterval": 50, "fit": True},
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
        "nodes": {"font": {"size": 18, "strokeWidth": 4, "strokeColor": "#ffffff"}, "borderWidth": 1},
        "edges": {"smooth": {"type": "continuous"}, "font": {"size": 10}},
        "layout": {"improvedLayout": False},
    }
    if crowded:
        options["physics"] |= {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -200, "springLength": 160, "centralGravity": 0.008, "avoidOverlap": 0.6, "damping": 0.5},
            "stabilization": {"enabled": True, "iterations": 200, "updateInterval": 50, "fit": True},
        }
        options["edges"] = {"smooth": False, "font": {"size": 10}, "color": {"opacity": 0.3}}
        options["interaction"]["hideEdgesOnDrag"] = True
    return options


def layout_positions(nodes: dict[str, dict[str, Any]], links: list[tuple[str, str, str]]) -> dict[str, tuple[float, float]]:
    """Seeded positions of ``nodes`` (id -> attributes with ``kind``) joined by ``links`` (source, target, kind).

    Characters by a spring layout of their relationships (the landing view), every other node beside the nodes
    it links to, placed outward from the characters, and themes on a ring around the rest (they are hidden at first).
    """
    characters = nx.Graph()
    characters.add_nodes_from(n for n, d in nodes.items() if d["kind"] == "character")
    characters.add_edges_from((s, t) for s, t, kind in links if kind == "relationship")
    positions = _spring(characters)
    neighbours: dict[str, set[str]] = defaultdict(set)
    for s, t, _ in links:
        neighbours[s].add(t)
        neighbours[t].add(s)
    pending = sorted(n for n, d in nodes.items() if n not in positions and d["kind"] != "theme")
    for _ in range(4):
        pending = _beside(pending, neighbours, positions)
    for i, node in enumerate(pending):  # linked to nothing placed: a row at the bottom
        positions[node] = (-300 + (i % 12) * 50, 500 + (i // 12) * 50)
    _ring(sorted(n for n, d in nodes.items() if d["kind"] == "theme"), neighbours, positions)
    return positions


def vis_styles(
    nodes: list[dict[str, Any]], edges: list[dict[str, Any]], positions: dict[str, tuple[float, float]]
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """id -> the vis-network look of each node and edge (shape, place, arrows, width), without any text:
    labels, colours of groups and dashes of doubtful links change with the reader's chapter, so the page sets them."""
    net = Network(directed=True, cdn_resources="remote")
    for node in nodes:
        x, y = positions.get(node["id"], (0.0, 0.0))
        net.add_node(node["id"], label=" ", shape=KIND_STYLE[node["kind"]][0], x=x, y=y, physics=node["id"] in positions)
    for edge in edges:
        net.add_edge(
            edge["from"],
            edge["to"],
            id=edge["id"],
            arrows="to" if _directed(edge) else "",
            width=1.5,
            font={"size": 10, "align": "middle"},
        )
    vis_nodes, vis_edges, *_ = net.get_network_data()
    drop = {"label", "title", "color", "id", "from", "to"}
    node_looks = {n["id"]: {k: v for k, v in n.items() if k not in drop} for n in vis_nodes}
    return node_looks, {e["id"]: {k: v for k, v in e.items() if k not in drop} for e in vis_edges}


def _directed(edge: dict[str, Any]) -> bool:
    """Arrows only where a link has a direction: asymmetric relationships and the links of the whole graph."""
    if edge["kind"] == "relationship":
        return not any(v.get("symmetric") for v in edge.get("versions", []))
    return edge["kind"] not in ("co-participation", "theme")


def style_legend() -> dict[str, Any]:
    """The colours and shapes the page picks from as the reader's chapter changes."""
    return {
        "kinds": {kind: {"shape": shape, "colour": colour} for kind, (shape, colour) in KIND_STYLE.items()},
        "groups": GROUP_COLOURS,
        "palette": PALETTE,
        "uncertain": sorted(UNCERTAIN_STATUSES),
        "links": LINK_KINDS,
    }
