"""Told and shown: the relationships the narration states against the scenes two characters share,
with expectations from the book."""

import pytest

from graph.cli import main
from graph.told_shown import by_chapter, ties_never_shown, together_without_a_tie, told_and_shown


@pytest.fixture(scope="module")
def pairs(graph):
    return {r["pair"]: r for r in told_and_shown(graph)}


def test_kathy_and_ruth_are_both_told_and_shown_from_chapter_one(pairs):
    pair = pairs[("kathy-h", "ruth")]
    assert 1 in pair["told_chapters"] and pair["both"] and pair["scenes"] > 20


def test_chrissie_and_kathy_share_the_norfolk_trip_with_no_stated_tie(graph):
    """Chrissie attaches herself to Ruth; with Kathy she shares the Cottages and the whole Norfolk trip,
    and the book gives the two no bond."""
    found = {r["pair"]: r for r in together_without_a_tie(graph)}
    assert ("chrissie", "kathy-h") in found
    assert {13, 14} <= set(found[("chrissie", "kathy-h")]["shown_chapters"])


def test_tommy_meets_madame_at_her_house_without_a_stated_tie(graph):
    found = {r["pair"]: r for r in together_without_a_tie(graph)}
    assert set(found[("madame", "tommy-d")]["shown_chapters"]) == {21, 22}


def test_martin_is_rodneys_friend_but_never_on_the_page_with_him(graph):
    """Martin has left the Cottages before Kathy's group arrives: the veterans only talk of him."""
    found = {r["pair"] for r in ties_never_shown(graph)}
    assert ("martin", "rodney") in found


def test_chapter_rows_add_up_to_the_shared_scenes(graph, pairs):
    rows = [r for r in by_chapter(graph) if {r["first"], r["second"]} == {"Kathy H.", "Tommy D."}]
    assert sum(r["scenes"] for r in rows) >= pairs[("kathy-h", "tommy-d")]["scenes"]
    assert all(r["told"] or r["scenes"] for r in rows)


def test_nlmg_metrics_told_shown_is_spoiler_safe(capsys):
    assert main(["metrics", "--told-shown", "--as-of", "9", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "Chrissie" not in out and "Kathy H." in out
