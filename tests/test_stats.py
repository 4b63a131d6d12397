"""Stats: every chapter covered; counts by type."""

import json

from graph import as_of, stats
from graph.cli import main


def test_every_chapter_has_at_least_six_events(graph):
    result = stats(graph)
    assert result.uncovered_chapters == []
    assert [row["chapter"] for row in result.per_chapter] == list(range(1, 24))
    assert all(row["events"] >= 6 for row in result.per_chapter)


def test_counts_by_type(graph):
    counts = stats(graph).by_type
    assert counts["nlmg:Chapter"] == 23 and counts["nlmg:Part"] == 3
    assert counts["nlmg:Character"] >= 35 and counts["nlmg:Event"] >= 6 * 23


def test_stats_as_of_a_chapter_stop_there(graph):
    early = stats(as_of(graph, 9))
    assert [row["chapter"] for row in early.per_chapter] == list(range(1, 10))


def test_cli_stats_json(capsys):
    assert main(["stats", "--format", "json", "--as-of", "12"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["per_chapter"]) == 12 and data["uncovered_chapters"] == []
