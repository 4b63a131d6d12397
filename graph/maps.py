"""Interactive relationship maps: self-contained HTML pages that work offline from ``file://``.

Pyvis builds the vis-network nodes, edges and options; the page template (``assets/map.html``)
inlines vis-network's JavaScript and CSS (shipped inside the pyvis package) and adds the legend,
search, filters, side panel and the chapter slider.

The slider is built on ``as_of``: for every chapter N the view is projected from ``as_of(graph, N)``,
and each node and edge carries the chapter from which it is visible and the versions of its text
(label, tooltip, search names) as they change, so that the page at chapter N shows exactly the
projection of ``as_of(graph, N)``.
"""

from __future__ import annotations

import html
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
from pyvis.network import Network
from rdflib import Graph

from graph.files import write_text
from graph.metrics import collapse
from graph.project import PARTS, coparticipation_layer, relationship_layer, sliced, to_networkx
from graph.queries import ego_network, timeline
from graph.spoilers import CHAPTERS, as_of

__all__ = ["MAJOR_CHARACTERS", "MapSpec", "map_specs", "render_map", "write_maps"]

#: Characters that get an ego map of their own.
MAJOR_CHARACTERS = ("kathy-h", "tommy-d", "ruth", "miss-emily", "miss-lucy", "madame", "chrissie", "rodney")

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
#: Above this many nodes a map is crowded: character labels grow with their size and the physics spread the hubs.
CROWDED = 150
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


@dataclass(frozen=True)
class MapSpec:
    """One map: its file name, title, and how to get its view from a chapter's full projection."""

    name: str
    title: str
    view: Callable[[nx.MultiDiGraph], nx.Graph]
    description: str
    hidden_kinds: tuple[str, ...] = ()


def map_specs(final: nx.MultiDiGraph) -> list[MapSpec]:
    """Every map to write: characters (the landing view), full, co-participation, parts, ego maps."""
    specs = [
        MapSpec(
            "characters",
            "Characters and their relationships",
            relationship_layer,
            "Characters joined by typed relationships (friendship, romance, care, rivalry...).",
        ),
        MapSpec(
            "full",
            "The whole graph",
            lambda p: p,
            "Characters, places, events, objects, motifs, beliefs and themes, and every link between them. "
            "Themes are hidden at first: tick them to see which scenes share a theme.",
            hidden_kinds=("theme",),
        ),
        MapSpec(
            "coparticipation",
            "Who shares scenes with whom",
            coparticipation_layer,
            "Characters joined by the events they are present at together; thicker means more events.",
        ),
    ]
    specs += [
        MapSpec(
            f"part-{n}",
            f"Part {['One', 'Two', 'Three'][n - 1]}: relationships",
            lambda p, n=n: relationship_layer(sliced(p, part=n)),
            f"Relationships told in Part {n} (chapters {PARTS[n][0]}-{PARTS[n][-1]}).",
        )
        for n in PARTS
    ]
    specs += [
        MapSpec(
            f"ego-{c}",
            f"{final.nodes[c]['label']} and those closest",
            lambda p, c=c: _ego(p, c),
            f"{final.nodes[c]['label']} and every character one relationship away.",
        )
        for c in MAJOR_CHARACTERS
        if c in final
    ]
    return specs


def _ego(projection: nx.MultiDiGraph, person: str) -> nx.Graph:
    if person not in projection:
        return nx.MultiDiGraph()
    return ego_network(projection, person, radius=1)


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _chapters_text(chapters: list[int]) -> str:
    return ", ".join(str(c) for c in chapters) if chapters else "-"


def _node_tooltip(data: dict[str, Any]) -> str:
    parts = [f"<b>{_esc(data['label'])}</b> <i>({_esc(data['kind'])})</i>"]
    if data.get("alt_labels"):
        parts.append(f"also: {_esc(', '.join(data['alt_labels']))}")
    if data.get("groups"):
        parts.append(_esc(", ".join(data["groups"])))
    if data.get("description"):
        parts.append(f"<span class='desc'>{_esc(data['description'])}</span>")
    if data.get("first_chapter"):
        parts.append(f"first met: chapter {data['first_chapter']}")
    if data.get("chapters"):
        parts.append(f"told in chapters {_chapters_text(data['chapters'])}")
    return "<br>".join(parts)


def _edge_tooltip(data: dict[str, Any], source: str, target: str) -> str:
    kind = data.get("kind", "co-participation")
    if kind == "relationship":
        head = f"<b>{_esc(source)} → {_esc(data['type_label'])} → {_esc(target)}</b>"
        rows = [
            head,
            f"chapters {_chapters_text(data['chapters'])}",
            f"phases: {_esc(', '.join(data['phases']))}",
            f"status: {_esc(data['status'] or 'stated')}",
        ]
        if data.get("overturned_in"):
            rows.append(f"shown false in chapter {data['overturned_in']}")
        if data.get("description"):
            rows.append(f"<span class='desc'>{_esc(data['description'])}</span>")
        return "<br>".join(rows)
    if kind == "co-participation":
        return f"<b>{_esc(source)} and {_esc(target)}</b><br>{data['weight']} shared event(s), chapters {_chapters_text(data['chapters'])}"
    return f"{_esc(source)} — {_esc(LINK_KINDS.get(kind, kind))}{(' (' + _esc(data['role']) + ')') if data.get('role') else ''} — {_esc(target)}"


def _edge_items(view: nx.Graph) -> list[tuple[str, str, str, dict[str, Any]]]:
    if view.is_multigraph():
        return [(s, t, f"{s}|{t}|{k}", d) for s, t, k, d in view.edges(keys=True, data=True)]
    pairs = ((*sorted((s, t)), d) for s, t, d in view.edges(data=True))  # one id per pair whatever order networkx yields it in
    return [(s, t, f"{s}|{t}|co", {**d, "kind": "co-participation"}) for s, t, d in pairs]


def _node_present(node: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"label": data["label"], "title": _node_tooltip(data), "names": [data["label"], *data.get("alt_labels", []), node]}


def _edge_present(data: dict[str, Any], view: nx.Graph, s: str, t: str) -> dict[str, Any]:
    return {"title": _edge_tooltip(data, view.nodes[s]["label"], view.nodes[t]["label"]), "label": data.get("type_label") or ""}


def _versions(snapshots: list[tuple[int, dict[str, Any]]]) -> list[dict[str, Any]]:
    versions: list[dict[str, Any]] = []
    for chapter, present in snapshots:
        if not versions or {k: v for k, v in versions[-1].items() if k != "from"} != present:
            versions.append({"from": chapter, **present})
    return versions


def _layout(view: nx.Graph, outer: frozenset[str] = frozenset()) -> dict[str, tuple[float, float]]:
    """Seeded spring layout of the linked nodes; nodes with no link in a tidy row beneath them; ``outer`` nodes
    (the hubs of a kind hidden at first, themes) on a ring around the rest, each on the side of the nodes it links."""
    simple = nx.Graph()  # sorted, so that the seeded layout does not depend on the order rdflib yields triples in
    simple.add_nodes_from(sorted(n for n in view if n not in outer))
    simple.add_edges_from(sorted(tuple(sorted((s, t))) for s, t in view.edges() if s not in outer and t not in outer))
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
    if outer and positions:
        cx, cy = (sum(xy[i] for xy in positions.values()) / len(positions) for i in (0, 1))
        distances = sorted(math.dist((cx, cy), xy) for xy in positions.values())
        radius = 1.1 * distances[int(0.9 * (len(distances) - 1))]  # just outside the bulk, whatever the outliers

        def side(node: str) -> float:
            near = [positions[m] for m in nx.all_neighbors(view, node) if m in positions] or [(cx, cy + 1)]
            return math.atan2(sum(y for _, y in near) / len(near) - cy, sum(x for x, _ in near) / len(near) - cx)

        ring = sorted(outer, key=lambda n: (side(n), n))
        start = side(ring[0])
        for i, node in enumerate(ring):
            angle = start + 2 * math.pi * i / len(ring)
            positions[node] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
    return positions


def _sizes(view: nx.Graph) -> dict[str, float]:
    relationships = relationship_layer(view) if view.is_multigraph() else view
    collapsed = collapse(relationships) if relationships.is_multigraph() else relationships
    if collapsed.number_of_edges() == 0:
        return {}
    rank = nx.pagerank(collapsed, weight="weight")
    top = max(rank.values())
    return {n: round(12 + 30 * (r / top), 2) for n, r in rank.items()}  # rounded: stable across runs


def _directed(kind: str | None, data: dict[str, Any]) -> bool:
    """Arrows only where a link has a direction: asymmetric relationships and the links of the full graph."""
    if kind == "relationship":
        return not data.get("symmetric")
    return kind not in ("co-participation", "theme")


def _colour_of_type(types: list[str]) -> dict[str, str]:
    return {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(sorted(types))}


def build_map(spec: MapSpec, cuts: list[nx.MultiDiGraph], events_by_person: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The data of one map page: vis-network nodes, edges, options, legend and per-chapter versions."""
    views = [spec.view(cut) for cut in cuts]
    final = views[-1]
    positions, sizes = _layout(final, frozenset(n for n, d in final.nodes(data=True) if d["kind"] in spec.hidden_kinds)), _sizes(final)
    crowded = final.number_of_nodes() > CROWDED
    net = Network(directed=True, cdn_resources="remote")
    edge_types = sorted({d.get("type_label") for _, _, _, d in _edge_items(final) if d.get("type_label")})
    type_colour = _colour_of_type(edge_types)
    for node, data in sorted(final.nodes(data=True)):
        shape, colour = KIND_STYLE[data["kind"]]
        if data["kind"] == "character" and data.get("groups"):
            colour = GROUP_COLOURS.get(data["groups"][0], colour)
        x, y = positions.get(node, (0.0, 0.0))
        snapshots = [(n + 1, _node_present(node, v.nodes[node])) for n, v in enumerate(views) if node in v]
        linked = final.degree(node) > 0
        net.add_node(
            node,
            label=data["label"],
            shape=shape,
            color=colour,
            x=x,
            y=y,
            physics=linked,
            size=sizes.get(node, 10 if data["kind"] != "character" else 12),
            **({"font": {"size": round(20 + 1.2 * sizes.get(node, 12))}} if crowded and data["kind"] == "character" else {}),
            kind=data["kind"],
            versions=_versions(snapshots),
            events=events_by_person.get(node, []),
        )
    edges_by_chapter = [{i: d for _, _, i, d in _edge_items(v)} for v in views]
    for s, t, edge_id, data in sorted(_edge_items(final), key=lambda item: item[2]):
        kind = data.get("kind")
        snapshots = [
            (n + 1, _edge_present(by_id[edge_id], v, s, t)) for n, (v, by_id) in enumerate(zip(views, edges_by_chapter, strict=True)) if edge_id in by_id
        ]
        colour = type_colour.get(data.get("type_label"), "#9aa0a6")
        net.add_edge(
            s,
            t,
            id=edge_id,
            color=colour,
            kind=kind,
            type=data.get("type_label") or LINK_KINDS.get(kind, kind),
            arrows="to" if _directed(kind, data) else "",
            dashes=bool(data.get("status") in UNCERTAIN_STATUSES or kind in ("held_by", "about")),
            width=1 + min(float(data.get("weight", 1)), 12) * 0.6 if kind == "co-participation" else 1.5,
            versions=_versions(snapshots),
            font={"size": 10, "align": "middle"},
        )
    nodes, edges, *_ = net.get_network_data()
    kinds = sorted({d["kind"] for _, d in final.nodes(data=True)}, key=list(KIND_STYLE).index)
    groups = sorted({d["groups"][0] for _, d in final.nodes(data=True) if d["kind"] == "character" and d.get("groups")})
    return {
        "name": spec.name,
        "title": spec.title,
        "description": spec.description,
        "nodes": nodes,
        "edges": edges,
        "legend": {
            "kinds": [{"kind": k, "shape": KIND_STYLE[k][0], "colour": KIND_STYLE[k][1]} for k in kinds],
            "groups": [{"group": g, "colour": GROUP_COLOURS.get(g, "#4e79a7")} for g in groups],
            "types": [{"type": t, "colour": type_colour[t]} for t in edge_types],
        },
        "chapters": CHAPTERS,
        "hidden_kinds": list(spec.hidden_kinds),
        "options": _options(crowded),
    }


def _options(crowded: bool) -> dict[str, Any]:
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


def _events_by_person(final: nx.MultiDiGraph) -> dict[str, list[dict[str, Any]]]:
    return {
        n: [{"label": e["event"], "chapter": e["chapters"][0] if e["chapters"] else None, "role": e["role"]} for e in timeline(final, n)]
        for n, d in final.nodes(data=True)
        if d["kind"] == "character"
    }


def _template() -> str:
    return resources.files("graph").joinpath("assets/map.html").read_text(encoding="utf-8")


def _vis_assets() -> tuple[str, str]:
    import pyvis

    folder = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    return (folder / "vis-network.min.js").read_text(encoding="utf-8"), (folder / "vis-network.css").read_text(encoding="utf-8")


def render_map(data: dict[str, Any], siblings: list[dict[str, str]]) -> str:
    """The self-contained HTML page of one map."""
    script, style = _vis_assets()
    payload = json.dumps({**data, "siblings": siblings}, ensure_ascii=False).replace("</", "<\\/")
    return (
        _template()
        .replace("/*VIS_CSS*/", style)
        .replace("/*VIS_JS*/", script.replace("</script", "<\\/script"))
        .replace("/*MAP_DATA*/null", payload)
        .replace("{{TITLE}}", html.escape(data["title"]))
    )


def write_maps(graph: Graph, folder: Path) -> list[tuple[Path, float]]:
    """Write every map of ``graph`` into ``folder``; return (path, seconds to build) for each."""
    cuts = [to_networkx(as_of(graph, n)) for n in range(1, CHAPTERS + 1)]
    final = cuts[-1]
    events_by_person = _events_by_person(final)
    specs = map_specs(final)
    siblings = [{"name": s.name, "title": s.title} for s in specs]
    pages = []
    for spec in specs:
        started = time.perf_counter()
        page = render_map(build_map(spec, cuts, events_by_person), siblings)
        pages.append((Path(folder) / f"{spec.name}.html", page, time.perf_counter() - started))
    for path, page, _ in pages:
        write_text(path, page)
    return [(path, seconds) for path, _, seconds in pages]
