"""Relationship questions, with expectations taken from the novel."""

import pytest

from graph import as_of
from graph.project import to_networkx
from graph.queries import AmbiguousName, UnknownName, all_paths, at_place, common_events, ego_network, path, relations, resolve, timeline


@pytest.mark.parametrize(
    ("name", "node"),
    [("Kath", "kathy-h"), ("kathy h.", "kathy-h"), ("Tommy D.", "tommy-d"), ("TOMMY", "tommy-d"), ("miss lucy", "miss-lucy"), ("Marie-Claude", "madame")],
)
def test_names_resolve_through_labels_and_alternative_names(projection, name, node):
    assert resolve(projection, name) == node


def test_an_unknown_name_gets_suggestions(projection):
    with pytest.raises(UnknownName, match="Tommy D"):
        resolve(projection, "Tomy", "character")


def test_an_ambiguous_name_lists_the_candidates():
    import networkx as nx

    g = nx.MultiDiGraph()
    g.add_node("a", kind="character", label="Miss X", alt_labels=["X"])
    g.add_node("b", kind="character", label="Mr X", alt_labels=["X"])
    with pytest.raises(AmbiguousName, match=r"Miss X \(a\).*Mr X \(b\)"):
        resolve(g, "x")


def test_chrissie_is_unknown_as_of_chapter_9(graph):
    with pytest.raises(UnknownName):
        relations(to_networkx(as_of(graph, 9)), "Chrissie")


def test_chrissie_and_rodney_are_a_couple_once_met(graph):
    found = relations(to_networkx(as_of(graph, 12)), "Chrissie")
    assert any(r["with"] == "Rodney" and r["type"] == "couple" and r["direction"] == "<->" for r in found)


def test_kathy_is_the_carer_of_ruth_and_of_tommy(projection):
    cared_for = {r["with"] for r in relations(projection, "Kathy") if r["type"] == "carer of" and r["direction"] == "->"}
    assert {"Ruth", "Tommy D."} <= cared_for


def test_the_path_from_tommy_to_madame_exists_by_chapter_22_and_names_its_relationships(graph):
    hops = path(to_networkx(as_of(graph, 22)), "Tommy", "Madame")
    assert hops and hops[0]["from"] == "Tommy D." and hops[-1]["to"] == "Madame"
    for hop in hops:
        assert hop["via"] and hop["chapters"] and max(hop["chapters"]) <= 22


def test_all_paths_are_simple_and_bounded(projection):
    found = all_paths(projection, "Ruth", "Chrissie", max_hops=2)
    assert found and all(len(p) <= 2 for p in found)
    with pytest.raises(ValueError):
        all_paths(projection, "Ruth", "Chrissie", max_hops=9)


def test_kathys_story_order_starts_at_hailsham_though_chapter_1_opens_in_her_carer_years(projection):
    told = timeline(projection, "Kath", order="discourse")
    lived = timeline(projection, "Kath", order="story")
    assert told[0]["chapters"][0] == 1 and "hailsham" not in told[0]["phase"]
    assert lived[0]["phase"].split(", ")[0] in ("early-hailsham", "senior-hailsham")
    assert {e["id"] for e in told} == {e["id"] for e in lived}


def test_ruth_and_tommy_share_the_trip_to_the_boat(projection):
    shared = common_events(projection, "Ruth", "Tommy")
    assert any("boat" in e["event"].lower() for e in shared)


def test_who_was_at_littlehampton(projection):
    present = {person for e in at_place(projection, "Littlehampton") for person in e["people"]}
    assert {"Kathy H.", "Tommy D.", "Miss Emily", "Madame"} <= present


def test_the_ego_network_of_ruth_holds_her_closest(projection):
    ego = ego_network(projection, "Ruth")
    assert {"kathy-h", "tommy-d", "chrissie"} <= set(ego.nodes)
    assert "judy-bridgewater" not in ego


def test_an_unknown_timeline_order_is_refused(projection):
    with pytest.raises(ValueError, match="discourse"):
        timeline(projection, "Ruth", order="alphabetical")


def test_a_hop_says_which_way_the_relationship_runs(projection):
    # Miss Lucy is Tommy's guardian, not the other way round.
    (hop,) = path(projection, "Tommy", "Miss Lucy")
    assert hop["via"] == "guardian of" and hop["direction"] == "<-"
    (back,) = path(projection, "Miss Lucy", "Tommy")
    assert back["direction"] == "->"
