"""The storyline chart's layout: each character a line from left to right, lines running together
while their characters share an event or a place, on either time axis.

Two axes (``order``): ``"discourse"`` (as told: the events in the order the chapters tell them) and
``"story"`` (as lived: by story phase, then as told). The x axis is a sequence of *slices*; a slice
is one event, or a run of consecutive events with the same people in the same chapter (or phase).
At each slice every active character belongs to one *group*: the people present at the slice's
event, or, for everyone else, the people whose latest known place is the same setting. A line
starts at its character's first event on the axis and ends at their completion (``nlmg:fate``)
once the reader has been told it; other lines run to the right edge. A slice is a *jump back* when
its event is set in an earlier story phase than the event told just before it (among all events,
drawn or not): the shape of Kathy's memory, drawn as a strip on the as-told axis. Characters not
drawn as lines can be shown as marks at their events (``other_marks``).

The layout follows the pipeline of StoryFlow (Liu, Wu, Wei, Liu and Liu, "StoryFlow: Tracking the
Evolution of Stories", IEEE TVCG 19(12), 2013): first an *ordering* of the lines in each slice that
keeps every group contiguous and reduces crossings, by alternating forward and backward sweeps of
the barycentre heuristic for layered graphs (Sugiyama, Tagawa and Toda, IEEE SMC 11(2), 1981),
keeping the sweep with the fewest crossings; then an *alignment*, slice by slice from the left: a
dynamic programme over the groups of a slice chooses which groups stay where their members already
were, keeping as many lines straight (fewer wiggles) as the order allows, and packs the others
tight (less white space). Crossings, wiggles and white space are the three costs named by Tanahashi
and Ma ("Design Considerations for Optimizing Storyline Visualizations", IEEE TVCG 18(12), 2012).
StoryFlow aligns all slices at once and compacts by quadratic programming; aligning one slice
pair at a time and packing tight is simpler, and enough for the dozen lines of this novel.

Everything is computed from ``as_of(graph, chapter)``, so a layout never depends on (or hints at)
anything told after ``chapter``.

>>> from graph import load
>>> layout = storyline(load(), 1)
>>> layout.labels["kathy-h"], layout.slices[0].chapter
('Kathy H.', 1)
"""

from __future__ import annotations

from bisect import bisect, insort
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import networkx as nx
from rdflib import Graph
from rdflib.namespace import RDF, SDO, SKOS

from graph.namespaces import NLMG
from graph.places import deepest_places
from graph.project import to_networkx
from graph.queries import _discourse_key, _setting, _story_key
from graph.spoilers import as_of

__all__ = [
    "GROUP_GAP",
    "LINE_GAP",
    "MAIN_COUNT",
    "ORDERS",
    "EventFacts",
    "Slice",
    "Storyline",
    "crossings",
    "event_facts",
    "main_characters",
    "other_marks",
    "storyline",
    "wiggles",
]

ORDERS = ("discourse", "story")
#: How many characters the chart shows by default.
MAIN_COUNT = 12
#: Vertical distance between two lines of one group, and the least gap between two groups.
LINE_GAP = 14.0
GROUP_GAP = 32.0
SWEEPS = 4

#: The lines of one slice, top to bottom; its groups (the people present first).
Order = tuple[str, ...]
Groups = tuple[frozenset[str], ...]


@dataclass(frozen=True)
class Slice:
    """One step of the x axis: one event, or consecutive events with the same people."""

    events: tuple[str, ...]
    chapter: int
    phase_rank: int | None
    present: frozenset[str]
    place: str | None
    jump_back: bool


@dataclass(frozen=True)
class Storyline:
    """A computed layout. ``rows[c][i]`` is the y of character ``c`` at slice ``i`` (``None`` off its
    line); ``phases`` the labels of the story phases drawn; ``fates`` the slice of each told completion; ``met`` the chapter each character is first
    met; ``descriptions`` each event's label, description and first chapter."""

    chapter: int
    order: str
    characters: tuple[str, ...]
    labels: dict[str, str]
    slices: tuple[Slice, ...]
    groups: tuple[tuple[frozenset[str], ...], ...]
    rows: dict[str, tuple[float | None, ...]]
    fates: dict[str, int]
    met: dict[str, int]
    phases: dict[int, str]
    descriptions: dict[str, tuple[str, str, int]]

    def span(self, character: str) -> tuple[int, int]:
        """First and last slice of a character's line."""
        active = [i for i, y in enumerate(self.rows[character]) if y is not None]
        return active[0], active[-1]

    def order_at(self, index: int) -> list[str]:
        """The characters at slice ``index``, top to bottom."""
        here = [(y, c) for c, ys in self.rows.items() if (y := ys[index]) is not None]
        return [c for _, c in sorted(here)]


@dataclass(frozen=True)
class EventFacts:
    """What a layout reads of one projection's events, gathered in one pass over its edges (the
    choice of main characters, the layouts of both axes and their marks can share it): the events
    in the order of each axis, the people present at each (participants not merely mentioned), the
    setting of each event the book places, each (completion event, its subject), and how many
    participations each person has, present and in any role."""

    axes: dict[str, tuple[str, ...]]
    present: dict[str, frozenset[str]]
    settings: dict[str, str]
    completions: tuple[tuple[str, str], ...]
    times_present: Counter[str]
    times_named: Counter[str]


def event_facts(net: nx.MultiDiGraph) -> EventFacts:
    """The ``EventFacts`` of a projection."""
    present: dict[str, set[str]] = {}
    named: dict[str, list[str]] = {}
    completions = []
    times_present: Counter[str] = Counter()
    times_named: Counter[str] = Counter()
    for source, targets in net.adjacency():
        for target, keyed in targets.items():
            for data in keyed.values():
                if data["kind"] == "place":
                    named.setdefault(source, []).append(target)
                elif data["kind"] == "participant":
                    times_named[target] += 1
                    if data.get("role") != "mentioned":
                        times_present[target] += 1
                        present.setdefault(source, set()).add(target)
                    if data.get("role") == "subject" and net.nodes[source].get("event_type") == "completion":
                        completions.append((source, target))
    places = deepest_places(net, named)
    settings = {place: _setting(net, place) for place in set(places.values())}
    events = [n for n, d in net.nodes(data=True) if d["kind"] == "event"]
    return EventFacts(
        axes={
            "discourse": tuple(sorted(events, key=lambda e: _discourse_key(net, e))),
            "story": tuple(sorted(events, key=lambda e: _story_key(net, e))),
        },
        present={event: frozenset(people) for event, people in present.items()},
        settings={event: settings[place] for event, place in places.items()},
        completions=tuple(completions),
        times_present=times_present,
        times_named=times_named,
    )


def main_characters(net: nx.MultiDiGraph, count: int = MAIN_COUNT, *, events: EventFacts | None = None) -> list[str]:
    """The ``count`` characters present at the most events of ``net`` (ties: most events in any
    role, then first met, then name). Pass a projection cut with ``as_of``: the choice then
    reveals nothing about later chapters (``events``: its ``event_facts`` when the caller has them)."""
    facts = events if events is not None else event_facts(net)
    present, anywhere = facts.times_present, facts.times_named
    ranked = sorted(present, key=lambda c: (-present[c], -anywhere[c], net.nodes[c].get("first_chapter") or 99, net.nodes[c]["label"]))
    return ranked[:count]


def _slices(net: nx.MultiDiGraph, facts: EventFacts, order: str, characters: set[str]) -> list[Slice]:
    events = facts.axes[order]
    told = sorted(events, key=lambda e: _discourse_key(net, e))
    previous_rank = {e: net.nodes[p].get("phase_rank") for p, e in pairwise(told)}
    runs: list[tuple[list[str], int, int | None, frozenset[str], str | None, bool]] = []  # a slice's fields, its events still growing
    for event in events:
        data = net.nodes[event]
        present = facts.present.get(event, frozenset()) & characters
        if not present:
            continue
        rank, before = data.get("phase_rank"), previous_rank.get(event)
        jump_back = rank is not None and before is not None and rank < before
        chapter, place = data["first_chapter"], facts.settings.get(event)
        if runs:
            run, last_chapter, last_rank, last_present, last_place, _ = runs[-1]
            same_time = last_chapter == chapter if order == "discourse" else last_rank == rank
            if same_time and last_present == present and last_place == place and not jump_back:
                run.append(event)
                continue
        runs.append(([event], chapter, rank, present, place, jump_back))
    return [Slice(tuple(run), *fields) for run, *fields in runs]


def _fates(facts: EventFacts, slices: list[Slice], characters: set[str]) -> dict[str, int]:
    """Character -> the slice of their completion, for completions the reader has been told."""
    at = {event: i for i, s in enumerate(slices) for event in s.events}
    return {person: at[event] for event, person in facts.completions if person in characters and event in at}


def _groups(slices: list[Slice], spans: dict[str, tuple[int, int]]) -> list[Groups]:
    """At each slice: the people present, then the others grouped by their latest known setting."""
    where: dict[str, str | None] = {}
    result = []
    for i, piece in enumerate(slices):
        for person in piece.present:
            if piece.place is not None:
                where[person] = piece.place
        others: dict[str | None, set[str]] = {}
        for person, (first, last) in spans.items():
            if first <= i <= last and person not in piece.present:
                others.setdefault(where.get(person), set()).add(person)
        result.append((piece.present, *(frozenset(people) for _, people in sorted(others.items(), key=lambda kv: str(kv[0])))))
    return result


@lru_cache(maxsize=1 << 13)
def _reorder(neighbour_order: Order, order: Order, slice_groups: Groups, labelled: frozenset[tuple[str, str]]) -> Order:
    """One slice's order by the barycentre heuristic: each line at its position in the neighbouring
    slice (``neighbour_order``), a line absent there just above its own position; groups stay
    contiguous, ordered by their members' mean position there (ties: by label; ``labelled`` holds
    (character, label) pairs). Memoised: the layouts of consecutive chapters share most slices."""
    labels = dict(labelled)
    neighbour = {c: k for k, c in enumerate(neighbour_order)}
    current = {c: k for k, c in enumerate(order)}
    # Unique keys (distinct integers, distinct halves), so no two members ever tie.
    place = {c: neighbour.get(c, k - 0.5) for c, k in current.items()}
    ranked = []
    for group in slice_groups:
        members = sorted(group, key=place.__getitem__)
        known = [neighbour[c] for c in members if c in neighbour]
        centre = sum(known) / len(known) if known else sum(map(current.__getitem__, members)) / len(members)
        ranked.append((centre, labels[members[0]], members))
    ranked.sort()
    return tuple([c for _, _, members in ranked for c in members])


def _sweep(groups: list[Groups], orders: list[Order], forward: bool, labels: dict[str, str]) -> set[int]:
    """One barycentre sweep: order each slice by the positions of its lines in the slice before
    (forward) or after (backward). Returns the slices whose order changed."""
    indices = range(1, len(groups)) if forward else range(len(groups) - 2, -1, -1)
    changed = set()
    labelled = frozenset(labels.items())  # hashed once, for every lookup of this sweep
    for i in indices:
        j = i - 1 if forward else i + 1
        if orders[j] == orders[i] and groups[j] == groups[i]:
            continue  # the same groups in the same order as the neighbour: the barycentres give that order again
        order = _reorder(orders[j], orders[i], groups[i], labelled)
        if order != orders[i]:
            orders[i] = order
            changed.add(i)
    return changed


def _initial_orders(groups: list[Groups], labels: dict[str, str]) -> list[Order]:
    """The naive order: every line at the rank of its first appearance, groups kept together."""
    first: dict[str, int] = {}
    for slice_groups in groups:
        for group in slice_groups:
            for person in sorted((c for c in group if c not in first), key=labels.__getitem__):
                first[person] = len(first)
    orders = []
    for slice_groups in groups:
        group_of = {c: g for g in slice_groups for c in g}
        blocks: dict[frozenset[str], list[str]] = {}  # in the order of each group's first line to appear
        for person in first:
            if (group := group_of.get(person)) is not None:
                blocks.setdefault(group, []).append(person)
        orders.append(tuple(c for block in blocks.values() for c in block))
    return orders


@lru_cache(maxsize=1 << 13)
def _pair_crossings(before: Order, after: Order) -> int:
    """How many pairs of lines cross between two consecutive slices (memoised like ``_reorder``)."""
    if before == after:
        return 0  # the same order twice: no line crosses another (the common case)
    rank = {c: k for k, c in enumerate(after)}
    total = 0
    seen: list[int] = []
    for r in (rank[c] for c in before if c in rank):
        total += len(seen) - bisect(seen, r)  # lines above this one in ``before`` that end below it
        insort(seen, r)
    return total


def _crossings_of(orders: list[Order]) -> int:
    return sum(_pair_crossings(before, after) for before, after in pairwise(orders))


def _best_orders(groups: list[Groups], labels: dict[str, str]) -> list[Order]:
    """The orders of the sweep with the fewest crossings (the first such), counting crossings again
    only next to the slices a sweep changed, and stopping once a round of sweeps changes nothing
    (every later round would repeat it)."""
    orders = _initial_orders(groups, labels)
    pairs = [_pair_crossings(before, after) for before, after in pairwise(orders)]
    best, best_cost = list(orders), sum(pairs)
    for _ in range(SWEEPS):
        start = list(orders)
        for forward in (True, False):
            for k in {k for i in _sweep(groups, orders, forward, labels) for k in (i - 1, i) if 0 <= k < len(pairs)}:
                pairs[k] = _pair_crossings(orders[k], orders[k + 1])
            if (cost := sum(pairs)) < best_cost:
                best, best_cost = list(orders), cost
        if orders == start:
            break
    return best


def _straight_tops(members: list[str], previous: dict[str, float]) -> dict[float, int]:
    """Where a group's top may go to keep some of its lines straight -> how many it keeps."""
    tops = [previous[c] - LINE_GAP * j for j, c in enumerate(members) if c in previous]
    return {top: sum(1 for t in tops if abs(t - top) < 1e-6) for top in set(tops) if top >= 0}


def _tops(blocks: list[list[str]], previous: dict[str, float]) -> list[float]:
    """The top of each group in one slice, keeping as many lines straight as the order allows
    (``previous``: each line's y at the slice before).

    A dynamic programme over the groups, top to bottom: a group either sits where some of its
    members were (``_straight_tops``), or is free and packed tight under the group above. Ties go
    to the layout with less white space.
    """
    heights = [LINE_GAP * (len(b) - 1) for b in blocks]
    need_before = [0.0]
    for height in heights:
        need_before.append(need_before[-1] + height + GROUP_GAP)
    # best[(i, top)] = (score, previous fixed choice or None)
    best: dict[tuple[int, float], tuple[float, tuple[int, float] | None]] = {}
    for i, block in enumerate(blocks):
        for top, kept in _straight_tops(block, previous).items():
            options: list[tuple[float, tuple[int, float] | None]] = []
            if top >= need_before[i]:
                options.append((0.0, None))
            for (j, top_j), (score_j, _) in best.items():
                if j < i and top >= top_j + need_before[i] - need_before[j]:
                    options.append((score_j, (j, top_j)))
            if options:
                score, back = max(options, key=lambda o: o[0])
                best[(i, top)] = (score + kept - 1e-6 * top, back)
    tops: list[float | None] = [None] * len(blocks)
    choice = max(best, key=lambda k: best[k][0]) if best and max(v[0] for v in best.values()) > 0 else None
    while choice is not None:
        tops[choice[0]] = choice[1]
        choice = best[choice][1]
    placed: list[float] = []
    for i, top in enumerate(tops):
        placed.append(top if top is not None else (placed[-1] + heights[i - 1] + GROUP_GAP if placed else 0.0))
    return placed


@lru_cache(maxsize=1 << 13)
def _align_slice(slice_groups: Groups, order: Order, before: tuple[tuple[str, float], ...]) -> tuple[tuple[str, float], ...]:
    """(character, y) of every line of one slice, top to bottom, given the same of the slice before
    (memoised like ``_reorder``)."""
    group_of = {c: g for g in slice_groups for c in g}
    blocks: list[list[str]] = []
    for person in order:
        if blocks and group_of[person] is group_of[blocks[-1][0]]:
            blocks[-1].append(person)
        else:
            blocks.append([person])
    tops = _tops(blocks, dict(before))
    return tuple((person, top + LINE_GAP * j) for block, top in zip(blocks, tops, strict=True) for j, person in enumerate(block))


def _align(groups: list[Groups], orders: list[Order]) -> list[dict[str, float]]:
    """y of every line at every slice (the alignment step), slice by slice from the left."""
    rows: list[dict[str, float]] = []
    ys: tuple[tuple[str, float], ...] = ()
    for slice_groups, order in zip(groups, orders, strict=True):
        ys = _align_slice(slice_groups, order, ys)
        rows.append(dict(ys))
    return rows


def _phase_labels(graph: Graph, ranks: set[int | None]) -> dict[int, str]:
    """Rank -> label of the story phases of the events drawn (only those: the others would outline the story)."""
    result = {}
    for phase in graph.subjects(RDF.type, NLMG.StoryPhase):
        rank = int(graph.value(phase, SDO.position))
        if rank in ranks:
            result[rank] = str(graph.value(phase, SKOS.prefLabel))
    return result


def storyline(
    graph: Graph,
    chapter: int,
    order: str = "discourse",
    characters: list[str] | None = None,
    *,
    optimise: bool = True,
    projection: nx.MultiDiGraph | None = None,
    events: EventFacts | None = None,
) -> Storyline:
    """The storyline layout of what a reader knows after ``chapter``.

    Args:
        graph: the whole graph (it is cut at ``chapter`` here).
        chapter: the reader's chapter, 1 to 23.
        order: ``"discourse"`` (as told) or ``"story"`` (as lived).
        characters: character ids to draw; default the main characters as of ``chapter``.
        optimise: order the lines to reduce crossings (``False``: the naive order of first
            appearance, the baseline the optimised layout is measured against).
        projection: ``to_networkx(as_of(graph, chapter))`` when the caller already has it
            (it is the slow part; many layouts of one chapter can share it).
        events: ``event_facts(projection)`` when the caller already has it (the layouts and
            marks of one chapter can share it).
    """
    if order not in ORDERS:
        raise ValueError(f"order must be 'discourse' or 'story', not {order!r}")
    net = projection if projection is not None else to_networkx(as_of(graph, chapter))
    facts = events if events is not None else event_facts(net)
    chosen = main_characters(net, events=facts) if characters is None else list(characters)
    unknown = sorted(c for c in chosen if net.nodes.get(c, {}).get("kind") != "character")
    if unknown:
        raise ValueError(f"not a character known as of chapter {chapter}: {', '.join(unknown)}")
    slices = _slices(net, facts, order, set(chosen))
    fates = _fates(facts, slices, set(chosen))
    spans = {}
    for person in chosen:
        seen = [i for i, s in enumerate(slices) if person in s.present]
        if seen:
            spans[person] = (seen[0], max(seen[-1], fates[person]) if person in fates else len(slices) - 1)
    labels = {c: str(net.nodes[c]["label"]) for c in spans}
    groups = _groups(slices, spans)
    orders = _best_orders(groups, labels) if optimise else _initial_orders(groups, labels)
    rows = _align(groups, orders)
    people = tuple(sorted(spans, key=lambda c: (spans[c][0], labels[c])))
    return Storyline(
        chapter=chapter,
        order=order,
        characters=people,
        labels=labels,
        slices=tuple(slices),
        groups=tuple(groups),
        rows={c: tuple(r.get(c) for r in rows) for c in people},
        fates=fates,
        phases=_phase_labels(graph, {s.phase_rank for s in slices}),
        met={c: int(net.nodes[c]["first_chapter"]) for c in people},
        descriptions={e: (str(net.nodes[e]["label"]), str(net.nodes[e]["description"]), int(net.nodes[e]["first_chapter"])) for s in slices for e in s.events},
    )


def other_marks(net: nx.MultiDiGraph, layout: Storyline, others: list[str], *, events: EventFacts | None = None) -> dict[str, list[tuple[int, str]]]:
    """For characters not drawn as lines: each event they are present at, as (slice, event), the
    slice being the one that holds the event or, if none does, the next one on the axis (the
    last if none follows). ``net`` is the projection the layout was computed from (``events``
    its ``event_facts`` when the caller already has them)."""
    facts = events if events is not None else event_facts(net)
    at = {event: i for i, s in enumerate(layout.slices) for event in s.events}
    wanted, marks = set(others), {c: [] for c in others}
    upcoming = 0
    for event in facts.axes[layout.order]:
        for person in sorted(facts.present.get(event, frozenset()) & wanted):
            marks[person].append((min(at.get(event, upcoming), len(layout.slices) - 1), event))
        if event in at:
            upcoming = at[event] + 1
    return {c: m for c, m in marks.items() if m}


def crossings(layout: Storyline) -> int:
    """How many times two lines cross between consecutive slices."""
    return _crossings_of([tuple(layout.order_at(i)) for i in range(len(layout.slices))])


def wiggles(layout: Storyline) -> int:
    """How many times a line moves up or down between consecutive slices."""
    return sum(1 for ys in layout.rows.values() for a, b in pairwise(ys) if a is not None and b is not None and abs(a - b) > 1e-6)
