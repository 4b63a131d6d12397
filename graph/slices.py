"""Slicing a projection to the events and relationships of one part or one story phase. NetworkX only:
a command that reads a cached projection slices it without loading rdflib.

>>> import networkx as nx
>>> g = nx.MultiDiGraph(phases=["early-hailsham", "cottages"])
>>> g.add_node("e1", kind="event", chapters=[2], phases=["early-hailsham"])
>>> g.add_node("e2", kind="event", chapters=[12], phases=["cottages"])
>>> list(sliced(g, part=2))
['e2']
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from graph.book import PARTS

__all__ = ["check_slice", "sliced"]


def _in_slice(chapters: Iterable[int], phases: Iterable[str], part: int | None, phase: str | None) -> bool:
    if part is not None and not set(chapters) & set(PARTS[part]):
        return False
    return phase is None or phase in phases


def check_slice(part: int | None, phase: str | None, known: list[str] | None) -> None:
    if part is not None and part not in PARTS:
        raise ValueError(f"part must be 1, 2 or 3, not {part!r}")
    if phase is not None and known is not None and phase not in known:
        raise ValueError(f"unknown story phase {phase!r}: choose one of {', '.join(known)}")


def sliced(projection: nx.MultiDiGraph, *, part: int | None = None, phase: str | None = None) -> nx.MultiDiGraph:
    """A copy keeping only the events, beliefs and relationships told in ``part`` or set in ``phase``.

    Raises:
        ValueError: an unknown part, or a phase that is not one of the projection's story phases.
    """
    check_slice(part, phase, projection.graph.get("phases"))
    result = projection.copy()
    result.remove_nodes_from(
        [n for n, d in projection.nodes(data=True) if d["kind"] in ("event", "belief") and not _in_slice(d["chapters"], d["phases"], part, phase)]
    )
    result.remove_edges_from(
        [
            (s, t, k)
            for s, t, k, d in projection.edges(keys=True, data=True)
            if d["kind"] == "relationship" and not _in_slice(d["chapters"], d["phases"], part, phase)
        ]
    )
    return result
