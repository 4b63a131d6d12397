"""The storyline layout (graph/storyline.py): facts of the book, the rules of the chart, spoiler safety,
and the line ordering measured against the naive order."""

from __future__ import annotations

from itertools import pairwise

import pytest

from graph import reveal_chapter
from graph.namespaces import ID
from graph.storyline import GROUP_GAP, LINE_GAP, ORDERS, crossings, storyline, wiggles
from graph.storyline_svg import geometry

#: Main characters of the book a reader has met by the end (the chart shows twelve by default).
THE_THREE = {"kathy-h", "ruth", "tommy-d"}


def slice_of(layout, event: str) -> int:
    return next(i for i, s in enumerate(layout.slices) if event in s.events)


@pytest.fixture(scope="module")
def whole(graph):
    return {order: storyline(graph, 23, order) for order in ORDERS}


def test_kathys_first_jump_back_is_in_chapter_1(graph):
    # Chapter 1 opens in Kathy's present as a carer and goes back to her carer years, then to Hailsham.
    layout = storyline(graph, 23, "discourse")
    first = next(s for s in layout.slices if s.jump_back)
    assert first.chapter == 1


def test_as_lived_the_tape_is_lost_before_the_norfolk_trip(whole):
    layout = whole["story"]
    assert slice_of(layout, "e06-tape-goes-missing") < slice_of(layout, "e13-setting-off-for-norfolk")
    # ... while as told, the loss (chapter 6) also comes first, but Tommy's search for it is told only in Norfolk (chapter 15)
    told = whole["discourse"]
    assert slice_of(told, "e13-setting-off-for-norfolk") < slice_of(told, "e15-tommy-looked-for-the-tape-at-hailsham")
    assert slice_of(layout, "e15-tommy-looked-for-the-tape-at-hailsham") < slice_of(layout, "e13-setting-off-for-norfolk")


def test_lines_end_at_a_completion_once_it_is_told(graph, whole):
    # Ruth and Chrissie complete in chapter 19, Tommy in chapter 23; Kathy is still a carer at the end.
    layout = whole["discourse"]
    assert {"ruth", "chrissie", "tommy-d"} <= set(layout.fates) and "kathy-h" not in layout.fates
    ruth_end = layout.span("ruth")[1]
    assert "e19-ruth-completes" in layout.slices[ruth_end].events
    assert layout.span("kathy-h")[1] == len(layout.slices) - 1
    before = storyline(graph, 18, "discourse")  # Ruth's completion not yet told: her line runs on
    assert "ruth" not in before.fates and before.span("ruth")[1] == len(before.slices) - 1


def test_a_line_starts_at_the_characters_first_event(whole):
    layout = whole["discourse"]
    chrissie_first = layout.span("chrissie")[0]
    assert layout.slices[chrissie_first].chapter == 10  # the veterans are met at the Cottages
    assert "chrissie" in layout.slices[chrissie_first].present


@pytest.mark.parametrize("order", ORDERS)
def test_people_at_one_event_run_together(whole, order):
    layout = whole[order]
    for i, piece in enumerate(layout.slices):
        ys = sorted(layout.rows[c][i] for c in piece.present)
        assert all(b - a == pytest.approx(LINE_GAP) for a, b in pairwise(ys)), piece.events
        others = [y for c, row in layout.rows.items() if c not in piece.present and (y := row[i]) is not None]
        assert all(y < ys[0] or y > ys[-1] for y in others), f"a line runs through {piece.events}"
        assert all(abs(y - other) >= LINE_GAP - 1e-6 for y in ys for other in others)
    assert GROUP_GAP > LINE_GAP


@pytest.mark.parametrize("chapter", [1, 9, 14, 23])
@pytest.mark.parametrize("order", ORDERS)
def test_nothing_after_the_readers_chapter(graph, chapter, order):
    layout = storyline(graph, chapter, order)
    for piece in layout.slices:
        for event in piece.events:
            assert reveal_chapter(graph, ID[event]) <= chapter
    for person in layout.characters:
        assert reveal_chapter(graph, ID[person]) <= chapter
    shape = geometry(layout)
    assert all(told <= chapter for _, told in shape["events"].values())


def test_chrissie_is_not_drawn_before_chapter_10(graph):
    assert "chrissie" not in storyline(graph, 9).characters
    assert "chrissie" in storyline(graph, 10, characters=["kathy-h", "chrissie"]).characters
    assert "chrissie" in storyline(graph, 13).characters  # by the Norfolk trip she is one of the twelve


def test_the_main_characters_are_the_twelve_most_present(whole):
    layout = whole["discourse"]
    assert len(layout.characters) == 12 and set(layout.characters) >= THE_THREE
    assert {"chrissie", "rodney", "madame", "miss-emily", "miss-lucy"} <= set(layout.characters)


@pytest.mark.parametrize("order", ORDERS)
def test_the_ordering_removes_most_crossings_of_the_naive_order(graph, order):
    for chapter in (9, 17, 23):
        naive = storyline(graph, chapter, order, optimise=False)
        optimised = storyline(graph, chapter, order)
        assert crossings(optimised) <= crossings(naive) / 2, chapter
        assert wiggles(optimised) <= wiggles(naive) * 1.3, chapter


def test_the_layout_is_deterministic(graph):
    first, second = storyline(graph, 15, "story"), storyline(graph, 15, "story")
    assert first == second and geometry(first) == geometry(second)


def test_unknown_order_and_unknown_character_are_refused(graph):
    with pytest.raises(ValueError, match="order must be"):
        storyline(graph, 5, "chronological")
    with pytest.raises(ValueError, match="chrissie"):
        storyline(graph, 5, characters=["kathy-h", "chrissie"])  # not met until chapter 10
