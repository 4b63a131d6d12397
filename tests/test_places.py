"""The board of places (graph/places.py) and ``nlmg where`` / ``nlmg place``, against facts of the book."""

from __future__ import annotations

from itertools import pairwise

import pytest

from graph import as_of
from graph.cli import main
from graph.places import ancestors, counts_by_part, place_events, place_tree, whereabouts
from graph.project import to_networkx

NORFOLK_PARTY = {"Kathy H.", "Ruth", "Tommy D.", "Chrissie", "Rodney"}


@pytest.fixture(scope="module")
def at_14(graph):
    return to_networkx(as_of(graph, 14))


def test_as_of_chapter_14_the_norfolk_party_is_in_norfolk(at_14):
    where = {r["label"]: r for r in whereabouts(at_14)}
    for person in NORFOLK_PARTY:
        assert "Norfolk" in where[person]["within"], person
        assert where[person]["chapter"] == 14
    assert "Norfolk" not in where["Miss Emily"]["within"]  # she stays at Hailsham


def test_as_of_chapter_9_everyone_is_still_at_hailsham_or_beyond_it(graph):
    where = {r["label"]: r for r in whereabouts(to_networkx(as_of(graph, 9)))}
    assert "Chrissie" not in where  # met only at the Cottages, in chapter 10
    assert "Hailsham" in where["Tommy D."]["within"]


def test_trails_list_where_someone_has_been(at_14):
    tommy = next(r for r in whereabouts(at_14) if r["label"] == "Tommy D.")
    trail = tommy["trail"]
    assert trail.index("Hailsham") < trail.index("the Cottages") < trail.index("Cromer")
    assert all(a != b for a, b in pairwise(trail))


def test_as_lived_the_latest_place_can_differ_from_as_told(graph):
    net = to_networkx(as_of(graph, 15))
    told = {r["label"]: r["place_label"] for r in whereabouts(net, "discourse")}
    lived = {r["label"]: r for r in whereabouts(net, "story")}
    assert told["Tommy D."] == "Cromer"
    assert "Norfolk" in lived["Tommy D."]["within"]  # the Cottages years end, so far, in Norfolk
    with pytest.raises(ValueError, match="order must be"):
        whereabouts(net, "backwards")


def test_the_hierarchy_holds_the_books_places(projection):
    tree = {r["id"]: r for r in place_tree(projection)}
    assert ancestors(projection, "cromer") == ["cromer", "norfolk", "england"]
    assert tree["hailsham-pond"]["parent"] == "hailsham" and tree["hailsham-pavilion"]["parent"] == "hailsham"
    assert tree["norfolk"]["real"] and tree["cromer"]["real"] and tree["dover"]["real"]
    assert not tree["hailsham"]["real"] and not tree["the-cottages"]["real"]
    order = list(tree)
    assert order.index("hailsham") < order.index("hailsham-pond")  # parents before children


def test_events_per_place_and_counts_per_part(projection):
    counts = counts_by_part(projection)
    assert counts["hailsham"][1] > counts["hailsham"][2] + counts["hailsham"][3]  # Part One is the Hailsham part
    assert counts["norfolk"][2] > 0 and counts["norfolk"][1] == 0  # the trip is in Part Two
    assert all(counts["norfolk"][p] >= counts["cromer"][p] for p in (1, 2, 3))  # counts roll up into the places holding them
    pond = place_events(projection, "hailsham-pond")
    assert pond and all(e["chapter"] >= 1 for e in pond)
    assert [e["chapter"] for e in pond] == sorted(e["chapter"] for e in pond)


def test_nlmg_where_prints_who_is_where(capsys):
    assert main(["where", "--as-of", "14"]) == 0
    out = capsys.readouterr().out
    for line in out.splitlines():
        if line.startswith(("Ruth ", "Chrissie ", "Rodney ")):
            assert "Norfolk" in line
    assert main(["where", "--as-of", "14", "--order", "story", "--format", "json"]) == 0
    assert '"place_label"' in capsys.readouterr().out


def test_nlmg_place_keeps_working(capsys):
    assert main(["place", "Norfolk", "--as-of", "14"]) == 0
    assert "The woman in the office" in capsys.readouterr().out
