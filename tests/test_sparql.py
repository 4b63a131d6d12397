"""SPARQL: read-only, clear errors, every result format."""

import json

import pytest

from graph.sparql import QueryError, check_read_only, run, serialize


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
