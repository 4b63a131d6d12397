"""The book replayed chapter by chapter: when each character and relationship is shown, and the label
and description a reader knows at each chapter. Time is the chapter (the discourse axis).

- A character is shown from the chapter that introduces them until the chapter that tells their
  completion (``nlmg:fate``), included.
- A relationship is shown from the first chapter that tells it until the first of: the chapter
  before one that overturns it (``nlmg:overturnedIn``: the reader then knows it was never so); the
  chapter before a later stretch of the same tie (same pair, same type) is first told, which
  takes over; the chapter that tells a break-up event of the two, for a couple; the chapter that
  tells either one's completion. An edge is never shown after one of its ends.
- Values over time come from the spoiler cut (``as_of``): what the reader knows after chapter N.

>>> merge_runs([(1, "Kath"), (2, "Kath"), (3, "Kathy H.")])
[('Kath', Spell(start=1, end=2)), ('Kathy H.', Spell(start=3, end=23))]
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import Any

import networkx as nx
from rdflib import Graph
from rdflib.namespace import RDF

from graph.namespaces import EVTYPE, NLMG, RELTYPE, ROLE, SEM
from graph.netfiles import Spell
from graph.project import coparticipation_layer, node_id, slug, to_networkx
from graph.spoilers import CHAPTERS, as_of, reveal_chapters

__all__ = ["Replay", "merge_runs"]


def merge_runs(values: Iterable[tuple[int, Any]]) -> list[tuple[Any, Spell]]:
    """(chapter, value) pairs in chapter order -> runs of one value; the last run lasts to the end of the book."""
    runs: list[list[Any]] = []
    for chapter, value in values:
        if runs and runs[-1][0] == value and runs[-1][2] == chapter - 1:
            runs[-1][2] = chapter
        else:
            runs.append([value, chapter, chapter])
    return [(value, Spell(start, end if i < len(runs) - 1 else CHAPTERS)) for i, (value, start, end) in enumerate(runs)]


class Replay:
    """The chapter-by-chapter view of one graph: spells and values over time, computed once."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.reveal = reveal_chapters(graph)
        #: The projection as a reader knows it after each chapter 1..23.
        self.cuts: dict[int, nx.MultiDiGraph] = {n: to_networkx(as_of(graph, n)) for n in range(1, CHAPTERS + 1)}
        self.completed = self._completions()

    @cached_property
    def copresence_cuts(self) -> dict[int, nx.Graph]:
        """The co-presence layer as a reader knows it after each chapter."""
        return {n: coparticipation_layer(cut) for n, cut in self.cuts.items()}

    def _completions(self) -> dict[str, int]:
        """Character id -> the chapter that tells their completion."""
        found: dict[str, int] = {}
        for person, event in self.graph.subject_objects(NLMG.fate):
            chapter = self.reveal.get(event)
            if chapter is not None:
                found[node_id(person)] = min(chapter, found.get(node_id(person), chapter))
        return found

    def node_spell(self, node: str, data: dict[str, Any], *, until_completion: bool = True) -> Spell | None:
        """When a node is shown: from its first chapter to the end, or to its completion for a character
        (unless ``until_completion`` is false: in the whole graph later chapters still remember them)."""
        start = data.get("first_chapter")
        if start is None:
            return None
        end = self.completed.get(node, CHAPTERS) if until_completion and data.get("kind") == "character" else CHAPTERS
        return Spell(start, max(start, end))

    def completion_values(self, node: str, data: dict[str, Any]) -> list[tuple[Any, Spell]]:
        """``completed`` over time for a character whose completion the book tells: false, then true."""
        chapter, start = self.completed.get(node), data.get("first_chapter")
        if chapter is None or start is None or data.get("kind") != "character":
            return []
        before = [(False, Spell(start, chapter - 1))] if chapter > start else []
        return [*before, (True, Spell(chapter, CHAPTERS))]

    def _break_ups(self) -> dict[frozenset[str], list[int]]:
        """Pair of characters -> the chapters that tell a break-up between them."""
        found: dict[frozenset[str], list[int]] = {}
        for event in self.graph.subjects(SEM.eventType, EVTYPE["break-up"]):
            actors = {
                node_id(self.graph.value(role, RDF.value))
                for role in self.graph.objects(event, SEM.hasActor)
                if self.graph.value(role, SEM.roleType) != ROLE.witness
            }
            chapter = self.reveal.get(event)
            if chapter is not None:
                for a in actors:
                    for b in actors - {a}:
                        found.setdefault(frozenset((a, b)), []).append(chapter)
        return found

    def relationship_spells(self, projection: nx.MultiDiGraph) -> dict[str, Spell]:
        """Relationship id -> when it is shown (see the module doc for the rules)."""
        break_ups = self._break_ups()
        stretches: dict[tuple, list[tuple[int, str]]] = {}
        edges = [(s, t, k, d) for s, t, k, d in projection.edges(keys=True, data=True) if d["kind"] == "relationship" and d.get("first_chapter")]
        for s, t, k, d in edges:
            pair = frozenset((s, t)) if d["symmetric"] else (s, t)
            stretches.setdefault((pair, d["type"]), []).append((d["first_chapter"], k))
        spells = {}
        for s, t, k, d in edges:
            start = d["first_chapter"]
            ends = [self.completed[p] for p in (s, t) if p in self.completed]
            if d.get("overturned_in"):
                ends.append(d["overturned_in"] - 1)
            pair = frozenset((s, t)) if d["symmetric"] else (s, t)
            ends += [first - 1 for first, other in stretches[(pair, d["type"])] if other != k and first > start]
            if d["type"] == slug(RELTYPE.romance):
                ends += [c for c in break_ups.get(frozenset((s, t)), []) if c >= start]
            spells[k] = Spell(start, max(min(ends, default=CHAPTERS), start))
        return spells

    def node_values(self, node: str, attribute: str) -> list[tuple[Any, Spell]]:
        """The value of a node attribute a reader knows after each chapter, as runs."""
        return merge_runs((n, cut.nodes[node][attribute]) for n, cut in self.cuts.items() if node in cut and cut.nodes[node].get(attribute))

    def edge_values(self, source: str, target: str, key: str, attribute: str) -> list[tuple[Any, Spell]]:
        """The value of an edge attribute a reader knows after each chapter, as runs."""
        return merge_runs(
            (n, cut.edges[source, target, key][attribute])
            for n, cut in self.cuts.items()
            if cut.has_edge(source, target, key) and cut.edges[source, target, key].get(attribute)
        )
