"""SPARQL: read-only, clear errors, every result format."""

import io
import json

import pytest

from graph import sparql
from graph.sparql import QueryError, check_read_only, run, run_serialized, serialize


def test_select_with_the_predeclared_prefixes(store):
    result = run(store, "SELECT ?label WHERE { :ruth skos:prefLabel ?label }")
    assert result.values("label") == ["Ruth"]


def test_ask(store):
    assert run(store, "ASK { :kathy-h nlmg:carerOf :tommy-d }").boolean is True
    assert run(store, "ASK { :tommy-d nlmg:carerOf :kathy-h }").boolean is False


def test_there_are_23_chapters(store):
    assert run(store, "SELECT (COUNT(?c) AS ?n) WHERE { ?c a nlmg:Chapter }").values("n") == ["23"]


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv", "table"])
def test_select_results_in_each_format(store, fmt):
    text = serialize(run(store, "SELECT ?label WHERE { :ruth skos:prefLabel ?label }"), fmt)
    assert "Ruth" in text
    if fmt == "json":
        assert json.loads(text)["results"]["bindings"][0]["label"]["value"] == "Ruth"


@pytest.mark.parametrize(("fmt", "marker"), [("turtle", "@prefix"), ("json-ld", "@id"), ("ntriples", "<https://w3id.org/nlmg/id/ruth>")])
def test_construct_in_each_format(store, fmt, marker):
    result = run(store, "CONSTRUCT { :ruth skos:prefLabel ?l } WHERE { :ruth skos:prefLabel ?l }")
    assert result.kind == "CONSTRUCT" and marker in serialize(result, fmt)


def test_a_syntax_error_gives_line_and_column(store):
    with pytest.raises(QueryError, match="line 2, column"):
        run(store, "SELECT ?s WHERE {\n  ?s ?p }")


def test_an_unknown_prefix_is_named(store):
    with pytest.raises(QueryError, match="unknown prefix 'foaf:'"):
        run(store, "SELECT ?s WHERE { ?s foaf:name ?n }")


@pytest.mark.parametrize("update", ["INSERT DATA { :a :b :c }", "PREFIX x: <http://x/>\nDELETE WHERE { ?s ?p ?o }", "# c\nCLEAR ALL", "LOAD <http://x/y>"])
def test_updates_are_refused(update):
    with pytest.raises(QueryError, match="read-only"):
        check_read_only(update)


def test_service_is_refused_but_the_word_in_a_string_is_fine(store):
    with pytest.raises(QueryError, match="SERVICE is not allowed"):
        run(store, "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }")
    assert run(store, 'SELECT ?x WHERE { BIND("SERVICE" AS ?x) }').values("x") == ["SERVICE"]


def test_a_result_limit_is_enforced(store):
    with pytest.raises(QueryError, match="more than 5 rows"):
        run(store, "SELECT ?s WHERE { ?s a nlmg:Event }", max_rows=5)


# -- answers written straight from the engine (the endpoint's workers) ------------------------------

EVENTS_IN_CHAPTER_1 = "SELECT ?e ?label WHERE { ?e a nlmg:Event ; nlmg:toldIn/schema:position 1 ; skos:prefLabel ?label } ORDER BY ?e"


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv", "csv"])
def test_an_answer_written_straight_holds_the_rows_a_result_parser_reads(store, fmt):
    from rdflib.query import Result

    kind, written, body = run_serialized(store, EVENTS_IN_CHAPTER_1, fmt, None, max_rows=100)
    expected = run(store, EVENTS_IN_CHAPTER_1)
    assert (kind, written) == ("SELECT", fmt) and len(expected.rows) > 3
    if fmt in ("json", "xml"):  # rdflib's own reader of SPARQL results, not Oxigraph's
        rows = [(str(row.e), str(row.label)) for row in Result.parse(io.BytesIO(body), format=fmt)]
        assert rows == [(r["e"].value, r["label"].value) for r in expected.rows]
    else:
        assert body.decode().count("\n") == len(expected.rows) + 1


def test_a_direct_answer_over_the_row_limit_is_refused(store):
    with pytest.raises(QueryError, match="more than 3 rows"):
        run_serialized(store, EVENTS_IN_CHAPTER_1, "json", None, max_rows=3)


def test_an_answer_too_large_to_write_straight_is_read_row_by_row(store, monkeypatch):
    monkeypatch.setattr(sparql, "DIRECT_BYTES", 200)
    _, _, body = run_serialized(store, EVENTS_IN_CHAPTER_1, "json", None, max_rows=100)
    assert len(body) > 200 and len(json.loads(body)["results"]["bindings"]) == len(run(store, EVENTS_IN_CHAPTER_1).rows)
    with pytest.raises(QueryError, match="more than 3 rows"):
        run_serialized(store, EVENTS_IN_CHAPTER_1, "json", None, max_rows=3)


def test_ask_and_construct_answers_and_a_missing_format(store):
    construct = "CONSTRUCT { :ruth skos:prefLabel ?l } WHERE { :ruth skos:prefLabel ?l }"
    assert run_serialized(store, "ASK { :kathy-h nlmg:carerOf :tommy-d }", "json", None, max_rows=1) == ("ASK", "json", b'{"head":{},"boolean":true}')
    assert run_serialized(store, construct, "json", None, max_rows=5) == ("CONSTRUCT", None, b"")
    kind, fmt, body = run_serialized(store, construct, None, "ntriples", max_rows=5)
    assert (kind, fmt) == ("CONSTRUCT", "ntriples") and b"Ruth" in body
