"""The spoiler cut: the graph as a reader knows it after a given chapter.

Every resource has a *reveal chapter*: a chapter its own number, an entity its
``nlmg:firstChapter``, an event, relationship, belief or late-revealed statement the first of its
``nlmg:toldIn`` chapters. ``as_of(graph, n)`` drops every resource revealed after chapter ``n``,
every triple that mentions one (so citations of later chapters go too), the blank nodes that hung
from them, the triples that late reveals asserted, and re-derives the relationship shortcuts from
the relationship nodes that remain.

>>> from graph import load
>>> from graph.namespaces import ID
>>> reveal_chapter(load(), ID["chrissie"])  # the veterans enter the story in chapter 10
10
>>> reveal_chapter(load(), ID["chapter-12"])
12
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Node
from rdflib.namespace import RDF, SDO

from graph.book import CHAPTERS
from graph.derive import add_relationship_shortcuts, shortcut_properties
from graph.namespaces import NLMG, bind_prefixes

Triple = tuple[Node, Node, Node]

__all__ = ["CHAPTERS", "as_of", "chapter_numbers", "reveal_chapter", "reveal_chapters"]


def chapter_numbers(graph: Graph) -> dict[Node, int]:
    """Chapter resource -> its number (``schema:position``); a position that is not a whole number is
    left out (``validate`` reports it)."""
    numbers = {}
    for chapter, position in graph.subject_objects(SDO.position):
        value = position.toPython() if isinstance(position, Literal) else None
        if isinstance(value, int) and not isinstance(value, bool) and (chapter, RDF.type, NLMG.Chapter) in graph:
            numbers[chapter] = value
    return numbers


def reveal_chapters(graph: Graph) -> dict[Node, int]:
    """Resource -> the chapter where the reader first learns of it (only resources that have one)."""
    numbers = chapter_numbers(graph)
    reveal: dict[Node, int] = dict(numbers)
    for prop in (NLMG.firstChapter, NLMG.toldIn):
        for thing, chapter in graph.subject_objects(prop):
            if chapter in numbers and numbers[chapter] < reveal.get(thing, CHAPTERS + 1):
                reveal[thing] = numbers[chapter]
    return reveal


def reveal_chapter(graph: Graph, resource: Node) -> int | None:
    """The chapter where the reader first learns of ``resource``; ``None`` if it has none."""
    return reveal_chapters(graph).get(resource)


def _check_chapter(chapter: int) -> None:
    if isinstance(chapter, bool) or not isinstance(chapter, int) or not 1 <= chapter <= CHAPTERS:
        raise ValueError(f"chapter must be a whole number from 1 to {CHAPTERS}, not {chapter!r}")


def as_of(graph: Graph, chapter: int) -> Graph:
    """A new graph holding only what a reader knows after ``chapter`` (1..23).

    ``as_of(g, 23)`` keeps everything. The input graph is not changed.

    Raises:
        ValueError: if ``chapter`` is not a whole number from 1 to 23.
    """
    _check_chapter(chapter)
    reveal = reveal_chapters(graph)
    hidden = {node for node, number in reveal.items() if number > chapter}
    late_triples = _late_reveal_triples(graph, hidden)
    shortcut_props = {prop for prop, _ in shortcut_properties(graph).values()}

    everything = list(graph)
    kept = [
        triple
        for triple in everything
        if not (triple[0] in hidden or triple[2] in hidden or triple[1] in shortcut_props or triple in late_triples)
    ]
    result = bind_prefixes(Graph())
    for triple in _without_orphaned_blank_nodes(everything, kept):
        result.add(triple)
    return add_relationship_shortcuts(result)


def _late_reveal_triples(graph: Graph, hidden: set[Node]) -> set[Triple]:
    """Triples asserted only by late-revealed statements that are still hidden."""

    def triple_of(statement: Node) -> Triple:
        return (graph.value(statement, RDF.subject), graph.value(statement, RDF.predicate), graph.value(statement, RDF.object))  # type: ignore[return-value]

    statements = set(graph.subjects(RDF.type, RDF.Statement))
    still_hidden = {triple_of(s) for s in statements if s in hidden}
    already_told = {triple_of(s) for s in statements if s not in hidden}
    return still_hidden - already_told


def _without_orphaned_blank_nodes(everything: list[Triple], kept: list[Triple]) -> list[Triple]:
    """``kept`` without the blank nodes that hung from a dropped triple (and what hangs from them): a blank node
    that is an object of ``everything`` but no longer of what is kept."""
    hung = {o for _, _, o in everything if isinstance(o, BNode)}
    while True:
        still_hung = {o for _, _, o in kept if isinstance(o, BNode)}
        orphans = {s for s, _, _ in kept if isinstance(s, BNode) and s in hung and s not in still_hung}
        if not orphans:
            return kept
        kept = [triple for triple in kept if triple[0] not in orphans]
