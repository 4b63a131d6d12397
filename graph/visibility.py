"""The spoiler cut computed once: for every triple, the chapter from which a reader may see it.

``as_of(graph, n)`` is monotone in ``n``: a triple kept at chapter ``n`` is kept at every later
chapter. So instead of projecting 23 cuts, this module gives each triple its *visible-from* chapter,
and the cut at ``n`` is exactly the triples whose chapter is at most ``n`` (the relationship
shortcuts aside: ``as_of`` re-derives them from the relationship nodes it keeps).

The rules are those of ``graph.spoilers.as_of``:

- a triple is hidden while its subject or its object is (their reveal chapter);
- a triple asserted by late-revealed ``rdf:Statement``s is hidden until the first of them is told;
- a blank node that hangs from other nodes is visible from the first chapter at which a triple
  pointing at it is (so an event's roles appear with the event).

>>> from graph import load
>>> from graph.namespaces import ID, SKOS
>>> from rdflib import Literal
>>> chapters = triple_chapters(load())
>>> chapters[(ID["madame"], SKOS.altLabel, Literal("Marie-Claude", lang="en"))]  # Miss Emily names her
22
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Callable, Iterator
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeVar

from rdflib import BNode, Graph, Literal, Node
from rdflib.namespace import RDF

from graph.derive import shortcut_properties
from graph.namespaces import NLMG
from graph.project import Reader, to_networkx
from graph.spoilers import CHAPTERS, reveal_chapters

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["CutView", "Triple", "cut_chapters", "cuts", "reader_cuts", "shared_triple_chapters", "shared_view", "triple_chapters", "whole_projection"]

Triple = tuple[Node, Node, Node]


def _late_chapters(graph: Graph, reveal: dict[Node, int]) -> dict[Triple, int]:
    """Triple asserted by reified statements -> the chapter of the first of them to be told."""
    first: dict[Triple, int] = {}
    for statement in graph.subjects(RDF.type, RDF.Statement):
        triple = (graph.value(statement, RDF.subject), graph.value(statement, RDF.predicate), graph.value(statement, RDF.object))
        told = reveal.get(statement, 1)
        if None not in triple and told < first.get(triple, told + 1):  # type: ignore[arg-type]
            first[triple] = told  # type: ignore[index]
    return first


def triple_chapters(graph: Graph) -> dict[Triple, int]:
    """Every triple of ``graph`` but the relationship shortcuts -> the first chapter whose cut holds it."""
    reveal = reveal_chapters(graph)
    late = _late_chapters(graph, reveal)
    shortcut_props = {prop for prop, _ in shortcut_properties(graph).values()}
    own: dict[Triple, int] = {}
    pointing: dict[Node, list[Triple]] = defaultdict(list)
    for triple in graph:
        s, p, o = triple
        if p in shortcut_props:
            continue
        own[triple] = max(reveal.get(s, 1), reveal.get(o, 1), late.get(triple, 1))
        if isinstance(o, BNode):
            pointing[o].append(triple)

    blank: dict[Node, int] = {}

    def blank_chapter(node: Node, seen: frozenset[Node] = frozenset()) -> int:
        """A blank node hangs from the triples pointing at it: visible once the first of them is."""
        if node not in blank:
            parents = [t for t in pointing[node] if t[0] not in seen]
            blank[node] = min((chapter_of(t, seen | {node}) for t in parents), default=1)
        return blank[node]

    def chapter_of(triple: Triple, seen: frozenset[Node] = frozenset()) -> int:
        s = triple[0]
        return max(own[triple], blank_chapter(s, seen)) if isinstance(s, BNode) and pointing.get(s) else own[triple]

    return {triple: chapter_of(triple) for triple in own}


class CutView:
    """The triples visible after one chapter, read like an rdflib graph (``value``, ``objects``, ``subjects``,
    ``subject_objects``, ``in``): the reader of ``graph.project`` runs on it at any chapter without copying triples.

    >>> from graph import load
    >>> from graph.namespaces import ID, SKOS
    >>> view = CutView(triple_chapters(load()))
    >>> view.chapter = 21
    >>> sorted(map(str, view.objects(ID["madame"], SKOS.altLabel)))
    []
    >>> view.chapter = 22
    >>> sorted(map(str, view.objects(ID["madame"], SKOS.altLabel)))
    ['Marie-Claude']
    """

    def __init__(self, chapters: dict[Triple, int], chapter: int = 23) -> None:
        self.chapter = chapter
        # Predicates are IRIs: keyed by their plain text, they compare in C (``NLMG.source`` makes a new
        # URIRef at each use, and rdflib compares two equal URIRefs in Python: a tenth of a build's 23 cuts).
        self._by_sp: dict[tuple[Node, str], list[tuple[Node, int]]] = defaultdict(list)
        self._by_po: dict[tuple[str, Node], list[tuple[Node, int]]] = defaultdict(list)
        self._by_p: dict[str, list[tuple[Node, Node, int]]] = defaultdict(list)
        self._chapters = chapters
        self._told: dict[int, set[tuple]] = defaultdict(set)
        for (s, p, o), c in sorted(chapters.items(), key=itemgetter(1)):
            key = str(p)
            self._by_sp[(s, key)].append((o, c))
            self._by_po[(key, o)].append((s, c))
            self._by_p[key].append((s, o, c))
            self._told[c].update((("sp", s, key), ("po", key, o), ("p", key), ("t", (s, p, o))))

    def objects(self, subject: Node, predicate: Node) -> Iterator[Node]:
        return (o for o, c in self._by_sp.get((subject, str(predicate)), ()) if c <= self.chapter)

    def subjects(self, predicate: Node, obj: Node) -> Iterator[Node]:
        return (s for s, c in self._by_po.get((str(predicate), obj), ()) if c <= self.chapter)

    def subject_objects(self, predicate: Node) -> Iterator[tuple[Node, Node]]:
        return ((s, o) for s, o, c in self._by_p.get(str(predicate), ()) if c <= self.chapter)

    def value(self, subject: Node, predicate: Node) -> Node | None:
        return next(self.objects(subject, predicate), None)

    def __contains__(self, triple: Triple) -> bool:
        return self._chapters.get(triple, self.chapter + 1) <= self.chapter

    def entries_told_at(self, chapter: int) -> set[tuple]:
        """The index entries (as ``LoggedView`` names them) that gain a triple at ``chapter``."""
        return self._told.get(chapter, set())


class LoggedView:
    """A ``CutView`` that notes in ``entries`` the index entries each read touches: a value read at
    one chapter still holds at the next when no triple told there falls under those entries."""

    def __init__(self, view: CutView) -> None:
        self.view = view
        self.entries: set[tuple] = set()

    def objects(self, subject: Node, predicate: Node) -> Iterator[Node]:
        self.entries.add(("sp", subject, str(predicate)))
        return self.view.objects(subject, predicate)

    def subjects(self, predicate: Node, obj: Node) -> Iterator[Node]:
        self.entries.add(("po", str(predicate), obj))
        return self.view.subjects(predicate, obj)

    def subject_objects(self, predicate: Node) -> Iterator[tuple[Node, Node]]:
        self.entries.add(("p", str(predicate)))
        return self.view.subject_objects(predicate)

    def value(self, subject: Node, predicate: Node) -> Node | None:
        return next(self.objects(subject, predicate), None)

    def __contains__(self, triple: Triple) -> bool:
        self.entries.add(("t", triple))
        return triple in self.view


class _LoggedNumbers(dict):
    """Chapter resource -> number, noting each chapter looked up in a ``LoggedView``'s entries."""

    def __init__(self, numbers: dict[Node, int], logged: LoggedView) -> None:
        super().__init__(numbers)
        self.logged = logged

    def __contains__(self, chapter: object) -> bool:
        self.logged.entries.add(("chapter", chapter))
        return super().__contains__(chapter)


class _ChapterReader(Reader):
    """A ``Reader`` of a ``CutView`` moved forward chapter by chapter (``at``): each node's and
    relationship's values are read once and kept until a triple told later falls under what they read."""

    def __init__(self, view: CutView) -> None:  # the Reader state is read in ``at``, chapter by chapter
        self.view = view
        self.logged = LoggedView(view)
        self.kept: dict[tuple, tuple[Any, set[tuple]]] = {}
        self.state: tuple | None = None
        self.chapter_number: dict[Node, int] = {}

    def at(self, chapter: int) -> None:
        """Read as a reader knows the book after ``chapter`` (called for chapters 1, 2, ... in turn)."""
        self.view.chapter = chapter
        self.logged.entries = set()
        known = dict(self.chapter_number)
        super().__init__(self.logged)  # type: ignore[arg-type]
        numbers = self.chapter_number
        told = self.view.entries_told_at(chapter) | {("chapter", c) for c in numbers.keys() | known.keys() if numbers.get(c) != known.get(c)}
        self.chapter_number = _LoggedNumbers(numbers, self.logged)
        state = (self.phase_order, self.wikidata)
        self.kept = {key: kept for key, kept in self.kept.items() if kept[1].isdisjoint(told)} if state == self.state else {}
        self.state = state

    def _kept(self, key: tuple, read: Callable[[], T]) -> T:
        if key not in self.kept:
            self.logged.entries = set()
            self.kept[key] = (read(), self.logged.entries)
        return self.kept[key][0]

    def node_attributes(self, node: Node, kind: str) -> dict[str, Any]:
        return self._kept(("node", node, kind), lambda: super(_ChapterReader, self).node_attributes(node, kind))

    def relationship_attributes(self, node: Node) -> dict[str, Any]:
        return self._kept(("relationship", node), lambda: super(_ChapterReader, self).relationship_attributes(node))

    def actor(self, role: Node) -> tuple[Node | None, str | None]:
        return self._kept(("actor", role), lambda: super(_ChapterReader, self).actor(role))


def _shortcut_chapters(graph: Graph, chapters: dict[Triple, int]) -> dict[Triple, int]:
    """Each relationship shortcut -> the first chapter whose cut re-derives it (``add_relationship_shortcuts``
    on the cut: the relationship node's type, source and target are all visible)."""
    shortcuts = shortcut_properties(graph)
    found: dict[Triple, int] = {}
    for node in graph.subjects(RDF.type, NLMG.Relationship):
        source, target, rel_type = graph.value(node, NLMG.source), graph.value(node, NLMG.target), graph.value(node, NLMG.relationType)
        if source is None or target is None or rel_type not in shortcuts:
            continue
        prop, symmetric = shortcuts[rel_type]
        needed = [(node, RDF.type, NLMG.Relationship), (node, NLMG.source, source), (node, NLMG.target, target), (node, NLMG.relationType, rel_type)]
        needed.append((rel_type, NLMG.shortcut, prop))
        if any(t not in chapters for t in needed):
            continue
        chapter = max(chapters[t] for t in needed)
        ways = [((source, prop, target), chapter)]
        if symmetric:  # the way back once the cut also tells that the type is symmetric
            ways.append(((target, prop, source), max(chapter, chapters.get((rel_type, NLMG.symmetric, Literal(True)), CHAPTERS + 1))))
        for triple, first in ways:
            if first <= CHAPTERS:
                found[triple] = min(first, found.get(triple, first))
    return found


def cut_chapters(graph: Graph) -> dict[Triple, int]:
    """Every triple of ``graph`` -> the first chapter whose cut (``as_of``) holds it, the relationship
    shortcuts included: the cut at ``n`` is exactly the triples whose chapter is at most ``n``."""
    chapters = triple_chapters(graph)
    return {**chapters, **_shortcut_chapters(graph, chapters)}


def cuts(chapters: dict[Triple, int], last: int = CHAPTERS, view: CutView | None = None) -> dict[int, nx.MultiDiGraph]:
    """The projection as a reader knows it after each chapter 1..``last`` (``to_networkx(as_of(graph, n))``,
    read through a ``CutView`` of the per-triple chapters (``view``, if one is at hand) instead of cutting the graph 23 times)."""
    reader = _ChapterReader(view if view is not None else CutView(chapters))
    result = {}
    for n in range(1, last + 1):
        reader.at(n)
        result[n] = to_networkx(reader.logged, reader=reader)  # type: ignore[arg-type]
    return result


T = TypeVar("T")
_MADE: dict[tuple[str, int], tuple[weakref.ref, int, object]] = {}


def _once(kind: str, graph: Graph, make: Callable[[Graph], T]) -> T:
    """``make(graph)``, computed once per graph object while it keeps its size (every consumer of a
    build shares the per-chapter work; the results are read, never changed)."""
    key = (kind, id(graph))
    known = _MADE.get(key)
    if known is not None and known[0]() is graph and known[1] == len(graph):
        return known[2]  # type: ignore[return-value]
    value = make(graph)
    _MADE[key] = (weakref.ref(graph, lambda _: _MADE.pop(key, None)), len(graph), value)
    return value


def shared_triple_chapters(graph: Graph) -> dict[Triple, int]:
    """``triple_chapters(graph)``, computed once per graph."""
    return _once("triples", graph, triple_chapters)


def shared_view(graph: Graph) -> CutView:
    """A ``CutView`` of ``shared_triple_chapters(graph)``, made once per graph: set its ``chapter`` before each read."""
    return _once("view", graph, lambda g: CutView(shared_triple_chapters(g)))


def reader_cuts(graph: Graph) -> dict[int, nx.MultiDiGraph]:
    """The projection of ``as_of(graph, n)`` for every chapter 1..23, computed once per graph (treat as read-only)."""
    return _once("cuts", graph, lambda g: cuts(shared_triple_chapters(g), view=shared_view(g)))


def whole_projection(graph: Graph) -> nx.MultiDiGraph:
    """``to_networkx(graph)``, computed once per graph for the exports and metrics that read it (treat as read-only)."""
    return _once("projection", graph, to_networkx)
