"""The companion's data for its two views of time and space, computed once at build time: every
storyline layout a reader may see (each chapter, both axes, the main characters or everyone) and
the board of places, each piece marked with the chapter from which it is visible.

Compact on purpose (the whole app must stay small): places and characters are named by id, lines
by runs of [slice, y] (``graph.storyline_svg.geometry``), counts only where they are not zero.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
from rdflib import Graph

from graph.places import event_place, place_tree
from graph.project import PARTS
from graph.queries import _discourse_key
from graph.storyline import ORDERS, event_facts, main_characters, other_marks, storyline
from graph.storyline_svg import geometry
from graph.visibility import Triple, reader_cuts

__all__ = ["payload_section", "places_section", "storyline_section"]


def _compact(shape: dict[str, Any], ref: dict[str, int]) -> dict[str, Any]:
    """A geometry in the payload's flat form: slices [top, bottom, jump back, event refs...], runs
    [slice, y, slice, y...], a label's place [x, y, "s"tart or "e"nd]; labels come from the nodes."""
    return {
        "order": shape["order"],
        "height": shape["height"],
        "title": shape["title"],
        "xs": shape["xs"],
        "axis": shape["axis"],
        "slices": [[top, bottom, jump, *(ref[e] for e in events)] for top, bottom, jump, events in shape["slices"]],
        "lines": [
            {
                "id": line["id"],
                "colour": line["colour"],
                "runs": [v for run in line["runs"] for v in run],
                "last": line["last"],
                "completed": line["completed"],
                "text": [line["text"]["x"], line["text"]["y"], line["text"]["anchor"][0]],
            }
            for line in shape["lines"]
        ],
    }


def storyline_section(graph: Graph, projections: dict[int, nx.MultiDiGraph], width: int = 1400) -> dict[str, Any]:
    """One layout of the main characters per chapter (``visible_from``) and axis, with the others'
    events as marks (``others``: [slice, event ref, ...] per character), and the events referred to
    (``events``, ordered by chapter so that a ``--max-chapter`` build drops only a tail)."""
    last = projections[max(projections)]
    told = sorted((n for n, d in last.nodes(data=True) if d["kind"] == "event"), key=lambda e: (*_discourse_key(last, e), e))
    ref = {e: i for i, e in enumerate(told)}
    layouts = []
    for chapter, net in projections.items():
        facts = event_facts(net)
        main = main_characters(net, events=facts)
        others = sorted(n for n, d in net.nodes(data=True) if d["kind"] == "character" and n not in main)
        for order in ORDERS:
            layout = storyline(graph, chapter, order, main, projection=net, events=facts)
            marks = other_marks(net, layout, others, events=facts)
            compact = _compact(geometry(layout, width), ref)
            compact["others"] = [{"id": c, "marks": [v for i, e in m for v in (i, ref[e])]} for c, m in marks.items()]
            layouts.append({"visible_from": chapter, **compact})
    return {"width": width, "events": [{"visible_from": last.nodes[e]["first_chapter"], "id": e} for e in told], "layouts": layouts}


def places_section(projections: dict[int, nx.MultiDiGraph]) -> dict[str, Any]:
    """The board of places, each piece with the chapter from which it is visible: the places (real or
    not); each place's parent from each chapter where it changes (a late reveal can put a farm in its
    county); each placed event with its place, story phase rank and the people present, as of the
    chapter that tells it. The view derives where everyone is, the trails and the counts from these
    exactly as ``graph.places`` does (the browser tests compare the two)."""
    last = projections[max(projections)]
    places = [{"visible_from": p["first_chapter"], "id": p["id"], "real": p["real"]} for p in place_tree(last)]
    parents: list[dict[str, Any]] = []
    known: dict[str, str | None] = {}
    for chapter, net in projections.items():
        for place in place_tree(net):
            if place["id"] not in known or known[place["id"]] != place["parent"]:
                known[place["id"]] = place["parent"]
                parents.append({"visible_from": chapter, "place": place["id"], "parent": place["parent"]})
    events = []
    for event, data in last.nodes(data=True):
        told = projections[data["first_chapter"]] if data["kind"] == "event" else None
        if told is not None and (place := event_place(told, event)) is not None:
            people = sorted(t for _, t, d in told.out_edges(event, data=True) if d["kind"] == "participant" and d.get("role") != "mentioned")
            rank, position = told.nodes[event].get("phase_rank"), data.get("position") or 0
            events.append({"visible_from": data["first_chapter"], "id": event, "position": position, "rank": rank, "place": place, "people": people})
    events.sort(key=lambda e: (e["visible_from"], e["position"], e["id"]))
    return {"parts": [[min(r), max(r)] for r in PARTS.values()], "places": places, "parents": parents, "events": events}


def payload_section(graph: Graph, chapters: dict[Triple, int], max_chapter: int) -> dict[str, Any]:
    """The companion's ``timespace`` section (``graph.payload.SECTIONS``): ``storyline`` and ``places``, made
    from the per-chapter projections ``reader_cuts`` shares with the exports (read from ``chapters``)."""
    projections = {n: cut for n, cut in reader_cuts(graph).items() if n <= max_chapter}
    return {"storyline": storyline_section(graph, projections), "places": places_section(projections)}
