"""`nlmg query` has the endpoint's limits (issue 11): the review saw a cross product reach 3.4 GB in 60 s."""

from __future__ import annotations

import time

import pytest

from graph.cli import main

CROSS_PRODUCT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_too_many_rows_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", CROSS_PRODUCT]) == 2
    assert "more than 10000 rows" in capsys.readouterr().err


def test_a_runaway_query_is_stopped_at_the_time_limit(capsys: pytest.CaptureFixture[str]) -> None:
    started = time.monotonic()
    assert main(["query", RUNAWAY, "--timeout", "1"]) == 2
    assert time.monotonic() - started < 30  # the review killed it after 25 s; the limit stops it after 1 s
    assert "more than 1 s" in capsys.readouterr().err


def test_the_memory_limit_stops_a_query(capsys: pytest.CaptureFixture[str]) -> None:
    big = 'SELECT (STRLEN(GROUP_CONCAT(?x)) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f BIND(CONCAT(STR(?a), STR(?d), STR(?c)) AS ?x) }'
    assert main(["query", big, "--memory", "256", "--timeout", "60"]) == 2
    assert "memory" in capsys.readouterr().err


def test_the_limits_can_be_raised(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "SELECT ?s WHERE { ?s a nlmg:Event }", "--max-rows", "5"]) == 2
    capsys.readouterr()
    assert main(["query", "SELECT ?s WHERE { ?s a nlmg:Event } LIMIT 5", "--max-rows", "5", "--format", "csv"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 6


@pytest.mark.parametrize("option", ["--timeout=inf", "--timeout=0", "--max-rows=0", "--memory=10"])
def test_bad_limits_are_refused(option: str, capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = main(["query", "ASK {}", option])
    except SystemExit as refused:
        code = refused.code
    assert code == 2 and "Traceback" not in capsys.readouterr().err
