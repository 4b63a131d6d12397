"""The story so far: one sentence per event, written from templates over the graph, citing its chapter.

The sentences are made once, into the companion's payload (``recap_section``), each with the
chapter from which the reader may read it; the app and ``nlmg recap`` both read them there, so the
two give the same text.
"""

from __future__ import annotations

from typing import Any

__all__ = ["find_character", "markdown", "recap", "recap_section", "sentence"]

Record = dict[str, Any]


def _names(labels: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'.

    >>> _names(["Ruth", "Tommy", "Kathy H."])
    'Ruth, Tommy and Kathy H.'
    """
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def sentence(event: Record, people: list[tuple[str, str | None]], places: list[str]) -> str:
    """The recap sentence of one event from its label, status, people (label, role) and places.

    >>> sentence({"label": "Talk of dream futures", "status": None}, [("Ruth", "agent"), ("Rodney", "mentioned")], ["the Cottages"])
    'Talk of dream futures, at the Cottages, with Ruth; Rodney is mentioned.'
    """
    text = event["label"]
    if places:
        text += f", at {_names(places)}"
    present = [name for name, role in people if role != "mentioned"]
    absent = [name for name, role in people if role == "mentioned"]
    if present:
        text += f", with {_names(present)}"
    if absent:
        text += f"; {_names(absent)} {'is' if len(absent) == 1 else 'are'} mentioned"
    if event.get("status") in ("rumour", "disputed"):
        text += f" (a {event['status']}, as the characters tell it)"
    return text if text.endswith(".") else text + "."


def _event_states(payload: Record) -> tuple[dict[str, Record], dict[str, list[Record]]]:
    nodes = {n["id"]: n for n in payload["nodes"]}
    links: dict[str, list[Record]] = {}
    for edge in payload["edges"]:
        if edge["kind"] in ("participant", "place") and nodes.get(edge["from"], {}).get("kind") == "event":
            links.setdefault(edge["from"], []).append(edge)
    return nodes, links


def recap_section(payload: Record) -> list[Record]:
    """One entry per event: its sentence in versions, each from the chapter it can be read (payload section ``recap``)."""
    from graph.payload import state_at

    nodes, links = _event_states(payload)
    entries = []
    for event in (n for n in payload["nodes"] if n["kind"] == "event"):
        edges = links.get(event["id"], [])
        linked = [nodes[e["to"]] for e in edges]
        breakpoints = {v["visible_from"] for item in [event, *edges, *linked] for v in item.get("versions", [])}
        breakpoints |= {e["visible_from"] for e in edges}
        snapshots = []
        for chapter in sorted(c for c in breakpoints if c >= event["visible_from"]):
            state = state_at(event, chapter)
            seen = [(e, state_at(e, chapter), state_at(nodes[e["to"]], chapter)) for e in edges]
            seen = [(e, es, ns) for e, es, ns in seen if es is not None and ns is not None]
            people = [(ns["label"], es.get("role")) for e, es, ns in seen if e["kind"] == "participant"]
            places = [ns["label"] for e, es, ns in seen if e["kind"] == "place"]
            snapshots.append(
                (
                    chapter,
                    {
                        "text": sentence(state, people, places),
                        "chapter": state["first_chapter"],
                        "phase": state["phases"][0] if state["phases"] else None,
                        "phase_rank": state["phase_rank"],
                        "position": state["position"],
                        "people": sorted({e["to"] for e, _, _ in seen if e["kind"] == "participant"}),
                    },
                )
            )
        from graph.payload import versions_of

        entries.append({"event": event["id"], "visible_from": event["visible_from"], "versions": versions_of(snapshots)})
    return entries


def recap(payload: Record, as_of: int, *, start: int = 1, character: str | None = None, order: str = "discourse") -> list[Record]:
    """The story so far after chapter ``as_of``: events first told in chapters ``start``..``as_of``, optionally
    those of one ``character`` (an id), in the order told (``discourse``) or lived (``story``)."""
    from graph.payload import state_at

    if order not in ("discourse", "story"):
        raise ValueError(f"order must be 'discourse' or 'story', not {order!r}")
    if not 1 <= start <= as_of:
        raise ValueError(f"--from {start} must be a chapter from 1 to {as_of}")
    phases = {p["id"]: p["label"] for p in payload["meta"]["phases"]}
    rows = []
    for entry in payload["recap"]:
        state = state_at(entry, as_of)
        if state is None or not start <= state["chapter"] <= as_of or (character and character not in state["people"]):
            continue
        rows.append({"chapter": state["chapter"], "phase": phases.get(state["phase"], state["phase"]), "text": state["text"], "event": entry["event"], **{
            "_key": (state["chapter"], state["position"]) if order == "discourse" else (state["phase_rank"] or 0, state["chapter"], state["position"])}})
    rows.sort(key=lambda r: (r["_key"], r["event"]))
    return [{k: v for k, v in r.items() if k != "_key"} for r in rows]


def find_character(payload: Record, name: str, chapter: int) -> str:
    """The id of the character called ``name`` (a label, nickname or id) among those visible after ``chapter``.

    Raises:
        LookupError: no visible character, or more than one, has that name (the message suggests names).
    """
    import networkx as nx

    from graph.payload import state_at
    from graph.queries import resolve

    people = nx.Graph()
    for node in payload["nodes"]:
        state = state_at(node, chapter) if node["kind"] == "character" else None
        if state is not None:
            people.add_node(node["id"], kind="character", label=state["label"], alt_labels=state["alt_labels"])
    return resolve(people, name, "character")


def markdown(rows: list[Record], group: str = "chapter") -> str:
    """The recap as Markdown: a heading per chapter (or story phase), one bullet per sentence with its chapter.

    >>> print(markdown([{"chapter": 1, "phase": "Hailsham", "text": "A.", "event": "e"}]))
    ## Chapter 1
    <BLANKLINE>
    - A. (chapter 1)
    """
    lines: list[str] = []
    heading = None
    for row in rows:
        title = f"Chapter {row['chapter']}" if group == "chapter" else (row["phase"] or "no phase")
        if title != heading:
            lines += ([""] if lines else []) + [f"## {title}", ""]
            heading = title
        lines.append(f"- {row['text']} (chapter {row['chapter']})")
    return "\n".join(lines)
