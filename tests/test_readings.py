"""Readings: centralities and communities on stated facts, then with Kathy's claims, then with rumours
and beliefs; expectations from the book."""

import pytest

from graph.cli import main
from graph.readings import READINGS, rank_stability, reading_communities, reading_graphs, reading_metrics

THE_THREE = {"kathy-h", "ruth", "tommy-d"}


@pytest.fixture(scope="module")
def ranks(graph):
    return {r["id"]: r for r in rank_stability(graph)}


def test_each_reading_accepts_more_than_the_last(graph):
    graphs = reading_graphs(graph)
    sizes = [graphs[r].number_of_edges() for r in READINGS]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]
    statuses = {d.get("status") for _, _, d in graphs["stated"].edges(data=True)}
    assert statuses == {"stated"}


def test_kathy_ruth_and_tommy_lead_every_reading(graph):
    for reading in READINGS:
        top = {r["id"] for r in reading_metrics(graph) if r["reading"] == reading and r["rank"] <= 3}
        assert top == THE_THREE, reading


def test_the_three_friends_hold_their_rank_whatever_one_believes(ranks):
    assert all(ranks[p]["spread"] == 0 for p in THE_THREE)
    assert ranks["kathy-h"]["stated"] == 1  # the narrator


def test_ruths_possible_exists_only_as_a_rumour(ranks):
    """The woman in the Cromer office is thought to be Ruth's model, until chapter 14 shows she is not."""
    woman = ranks["cromer-office-woman"]
    assert woman["stated"] is None and woman["narrated"] is None and woman["believed"] is not None


def test_madame_weighs_more_in_the_students_beliefs_than_in_the_facts(ranks):
    """The students' rumours turn on Madame (she is afraid of them; her Gallery); the facts seldom do."""
    assert ranks["madame"]["believed"] < ranks["madame"]["stated"]


def test_the_veterans_form_their_own_community_in_every_reading(graph):
    for reading in READINGS:
        groups = [set(c["members"]) for c in reading_communities(graph) if c["reading"] == reading]
        assert any({"Chrissie", "Rodney"} <= g and "Kathy H." not in g for g in groups), reading


def test_nlmg_metrics_readings_prints_the_ranks(capsys):
    assert main(["metrics", "--readings", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("id,label,stated,narrated,believed") and "Kathy H." in out
