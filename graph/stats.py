"""Counts of the graph: entities by type, events and relationships per chapter, uncovered chapters.

>>> from graph import load
>>> s = stats(load())
>>> s.uncovered_chapters
[]
>>> sum(s.verification.values()) == sum(s.by_type[f"nlmg:{k}"] for k in ("Character", "Place", "Event", "Relationship", "Belief"))
True
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

from rdflib import Graph
from rdflib.namespace import RDF

from graph.namespaces import LEVEL, NLMG
from graph.problems import short_name
from graph.spoilers import chapter_numbers

__all__ = ["COUNTED_TYPES", "VERIFIED_TYPES", "GraphStats", "stats", "verification_levels"]

#: The classes counted by ``stats``, in display order.
COUNTED_TYPES = (
    NLMG.Character,
    NLMG.Place,
    NLMG.Event,
    NLMG.Relationship,
    NLMG.StoryObject,
    NLMG.Motif,
    NLMG.Belief,
    NLMG.Theme,
    NLMG.Chapter,
    NLMG.Part,
)

#: The statements that record how they were verified (nlmg:verification).
VERIFIED_TYPES = (NLMG.Event, NLMG.Relationship, NLMG.Belief, NLMG.Character, NLMG.Place)

#: The verification levels, strongest first, as keys of ``GraphStats.verification``; "unrecorded" counts the rest.
LEVELS = ("text", "two-sources", "one-source", "uncertain")


@dataclass(frozen=True)
class GraphStats:
    """Counts by type, per-chapter coverage and the chapters that have no event."""

    triples: int
    by_type: dict[str, int]
    per_chapter: list[dict[str, int]]
    uncovered_chapters: list[int]
    verification: dict[str, int]

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def stats(graph: Graph) -> GraphStats:
    """Count what ``graph`` holds (pass ``as_of(graph, n)`` for a reader's view)."""
    by_type = {short_name(str(t)): len(set(graph.subjects(RDF.type, t))) for t in COUNTED_TYPES}
    numbers = chapter_numbers(graph)
    counts: dict[str, Counter[int]] = {"events": Counter(), "relationships": Counter()}
    for kind, cls in (("events", NLMG.Event), ("relationships", NLMG.Relationship)):
        for thing in graph.subjects(RDF.type, cls):
            for chapter in set(graph.objects(thing, NLMG.toldIn)):
                if chapter in numbers:
                    counts[kind][numbers[chapter]] += 1
    per_chapter = [{"chapter": n, "events": counts["events"][n], "relationships": counts["relationships"][n]} for n in sorted(numbers.values())]
    uncovered = [row["chapter"] for row in per_chapter if row["events"] == 0]
    return GraphStats(len(graph), by_type, per_chapter, uncovered, verification_levels(graph))


def verification_levels(graph: Graph) -> dict[str, int]:
    """How many statements (events, relationships, beliefs, characters, places) stand at each verification level."""
    counts = dict.fromkeys((*LEVELS, "unrecorded"), 0)
    statements = {s for cls in VERIFIED_TYPES for s in graph.subjects(RDF.type, cls)}
    for statement in statements:
        level = graph.value(statement, NLMG.verification)
        key = str(level).removeprefix(str(LEVEL)) if level is not None else "unrecorded"
        counts[key if key in counts else "unrecorded"] += 1
    return counts
