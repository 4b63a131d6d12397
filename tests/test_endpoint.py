"""The local SPARQL endpoint (``nlmg serve``): protocol, formats, spoiler cut, limits, page and files.

One server for the module (short time limit, small row limit), queried with SPARQLWrapper and
plain HTTP; expectations come from the novel and from the spec.
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import re
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import RDF, SKOS, Graph, Literal, Namespace
from SPARQLWrapper import CSV, JSON, JSONLD, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper

from graph.cli import main
from graph.endpoint import start_server

ID = Namespace("https://w3id.org/nlmg/id/")
NLMG = Namespace("https://w3id.org/nlmg/ontology#")
RESULTS = "{http://www.w3.org/2005/sparql-results#}"
CHAPTER_COUNT = "SELECT (COUNT(?c) AS ?n) WHERE { ?c a nlmg:Chapter }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # about 10^12 solutions
TIMEOUT = 1.5
MAX_ROWS = 1000


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with output/ (the companion, the ontology pages and an old map), a named query and a file outside output/."""
    root = tmp_path_factory.mktemp("site")
    (root / "output" / "maps").mkdir(parents=True)
    (root / "output" / "index.html").write_text("<h1>outputs</h1>", encoding="utf-8")
    (root / "output" / "ontology").mkdir()
    (root / "output" / "ontology" / "index.html").write_text("<h1>the ontology</h1>", encoding="utf-8")
    (root / "output" / "maps" / "characters.html").write_text("<h1>the character map</h1>", encoding="utf-8")
    (root / "secret.txt").write_text("not for the web", encoding="utf-8")
    (root / "queries" / "competency").mkdir(parents=True)
    (root / "queries" / "competency" / "who-is-ruth.rq").write_text(
        "# title: Who is Ruth?\n# description: Ruth's name and groups.\nSELECT ?label WHERE { :ruth skos:prefLabel ?label }\n", encoding="utf-8"
    )
    return root


@pytest.fixture(scope="module")
def server(site: Path, graph: Graph):
    endpoint, url = start_server(
        graph, port=0, timeout=TIMEOUT, max_rows=MAX_ROWS, workers=2, output_dir=site / "output", queries_dir=site / "queries", quiet=True
    )
    yield endpoint, url
    endpoint.shutdown()


@pytest.fixture(scope="module")
def url(server) -> str:
    return server[1]


def wrapper(url: str, query: str, fmt: str, **params: str) -> SPARQLWrapper:
    client = SPARQLWrapper(url + "sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    for key, value in params.items():
        client.addParameter(key, value)
    return client


def fetch(url: str, path: str, *, data: bytes | None = None, headers: dict[str, str] | None = None, method: str | None = None) -> tuple[int, dict, bytes]:
    """(status, headers, body), errors included."""
    request = urllib.request.Request(url + path.lstrip("/"), data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def ask(url: str, query: str, **params: str) -> tuple[int, dict, bytes]:
    return fetch(url, "sparql?" + urllib.parse.urlencode({"query": query, **params}), headers={"Accept": "application/sparql-results+json"})


def raw_get(url: str, path: str) -> tuple[int, bytes]:
    """A GET with the path sent exactly as written (urllib and browsers would clean up '..')."""
    host, port = urllib.parse.urlsplit(url).netloc.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# -- result formats -------------------------------------------------------------------------------


def test_json_kathy_is_a_character(url: str) -> None:
    query = "SELECT ?label WHERE { :kathy-h a nlmg:Character ; skos:prefLabel ?label }"
    result = wrapper(url, query, JSON).query().convert()
    assert [b["label"]["value"] for b in result["results"]["bindings"]] == ["Kathy H."]
    assert result["results"]["bindings"][0]["label"]["xml:lang"] == "en"


def test_xml_ruths_label(url: str) -> None:
    document = wrapper(url, "SELECT ?label WHERE { :ruth skos:prefLabel ?label }", XML).query().convert()
    literals = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert literals == ["Ruth"]


def test_csv_chapter_count(url: str) -> None:
    body = wrapper(url, CHAPTER_COUNT, CSV).query().convert()
    assert list(csv.reader(io.StringIO(body.decode("utf-8")))) == [["n"], ["23"]]


def test_tsv_part_two_arrivals(url: str) -> None:
    query = "SELECT ?who WHERE { ?who a nlmg:Character ; nlmg:firstChapter :chapter-10 }"
    body = wrapper(url, query, TSV).query().convert().decode("utf-8")
    lines = body.strip().splitlines()
    assert lines[0] == "?who"
    assert {"<https://w3id.org/nlmg/id/chrissie>", "<https://w3id.org/nlmg/id/rodney>"} <= set(lines[1:])


def test_turtle_construct(url: str) -> None:
    query = "CONSTRUCT { :ruth skos:prefLabel ?label } WHERE { :ruth skos:prefLabel ?label }"
    body = wrapper(url, query, TURTLE).query().convert()
    graph = Graph().parse(data=body, format="turtle")
    assert set(graph) == {(ID.ruth, SKOS.prefLabel, Literal("Ruth", lang="en"))}


def test_jsonld_describe(url: str) -> None:
    response = wrapper(url, "DESCRIBE :kathy-h", JSONLD).query().response
    assert response.headers["Content-Type"].startswith("application/ld+json")
    graph = Graph().parse(data=response.read(), format="json-ld")
    assert (ID["kathy-h"], RDF.type, NLMG.Character) in graph
    assert (ID["kathy-h"], SKOS.prefLabel, Literal("Kathy H.", lang="en")) in graph


def test_ntriples(url: str) -> None:
    query = urllib.parse.quote("CONSTRUCT WHERE { :tommy-d skos:prefLabel ?label }")
    status, headers, body = fetch(url, f"sparql?query={query}", headers={"Accept": "application/n-triples"})
    assert status == 200 and headers["Content-Type"].startswith("application/n-triples")
    assert set(Graph().parse(data=body.decode("utf-8"), format="nt")) == {(ID["tommy-d"], SKOS.prefLabel, Literal("Tommy D.", lang="en"))}


def test_ask_in_json_and_xml(url: str) -> None:
    assert wrapper(url, "ASK { :madame a nlmg:Character }", JSON).query().convert()["boolean"] is True
    document = wrapper(url, "ASK { :madame a nlmg:Place }", XML).query().convert()
    assert document.getElementsByTagName("boolean")[0].firstChild.data == "false"


def test_defaults_without_accept(url: str) -> None:
    status, headers, body = fetch(url, "sparql?" + urllib.parse.urlencode({"query": CHAPTER_COUNT}))
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "23"
    status, headers, _ = fetch(url, "sparql?" + urllib.parse.urlencode({"query": "DESCRIBE :ruth"}), headers={"Accept": "*/*"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")


def test_not_acceptable(url: str) -> None:
    status, _, body = fetch(url, "sparql?" + urllib.parse.urlencode({"query": CHAPTER_COUNT}), headers={"Accept": "image/png"})
    assert status == 406 and b"Accept" in body
    status, _, _ = fetch(url, "sparql?" + urllib.parse.urlencode({"query": CHAPTER_COUNT}), headers={"Accept": "text/turtle"})
    assert status == 406


# -- protocol -------------------------------------------------------------------------------------


def test_get_and_both_posts_agree(url: str) -> None:
    accept = {"Accept": "text/csv"}
    by_get = fetch(url, "sparql?" + urllib.parse.urlencode({"query": CHAPTER_COUNT}), headers=accept)
    form = urllib.parse.urlencode({"query": CHAPTER_COUNT}).encode()
    by_form = fetch(url, "sparql", data=form, headers={**accept, "Content-Type": "application/x-www-form-urlencoded"})
    direct = fetch(url, "sparql", data=CHAPTER_COUNT.encode(), headers={**accept, "Content-Type": "application/sparql-query"})
    for status, _, body in (by_get, by_form, direct):
        assert status == 200
        assert body.decode().split() == ["n", "23"]


def test_sparqlwrapper_posts(url: str) -> None:
    for request_method in ("urlencoded", POSTDIRECTLY):
        client = wrapper(url, "SELECT ?label WHERE { :miss-emily skos:prefLabel ?label }", JSON)
        client.setMethod(POST)
        client.setRequestMethod(request_method)
        assert [b["label"]["value"] for b in client.query().convert()["results"]["bindings"]] == ["Miss Emily"]


def test_as_of_hides_part_two(url: str) -> None:
    query = "ASK { :chrissie a nlmg:Character }"
    assert wrapper(url, query, JSON, as_of="9").query().convert()["boolean"] is False
    assert wrapper(url, query, JSON, as_of="10").query().convert()["boolean"] is True
    assert wrapper(url, query, JSON).query().convert()["boolean"] is True
    assert wrapper(url, "ASK { :kathy-h a nlmg:Character }", JSON, as_of="9").query().convert()["boolean"] is True


def test_as_of_does_not_leak_through_named_graphs(url: str) -> None:
    status, _, body = ask(url, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", as_of="9")
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "0"


def test_chapter_cuts_are_named_graphs(url: str) -> None:
    status, _, body = ask(url, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "23"
    cut = "<https://w3id.org/nlmg/graph/as-of/9>"
    assert json.loads(ask(url, f"ASK FROM {cut} {{ :chrissie a nlmg:Character }}")[2])["boolean"] is False
    assert json.loads(ask(url, f"ASK {{ GRAPH {cut} {{ :ruth a nlmg:Character }} }}")[2])["boolean"] is True


@pytest.mark.parametrize("chapter", ["0", "24", "nine"])
def test_as_of_out_of_range(url: str, chapter: str) -> None:
    status, headers, body = ask(url, CHAPTER_COUNT, as_of=chapter)
    assert status == 400 and b"1 to 23" in body and headers["Content-Type"].startswith("text/plain")


def test_bad_syntax_is_a_clear_400_without_traceback(url: str) -> None:
    status, headers, body = ask(url, "SELECT ?x WHERE { ?x a nlmg:Character ")
    assert status == 400 and headers["Content-Type"].startswith("text/plain")
    assert b"line 1" in body and b"Traceback" not in body


def test_missing_query_and_wrong_body_type(url: str) -> None:
    assert fetch(url, "sparql", data=b"", headers={"Content-Type": "application/x-www-form-urlencoded"})[0] == 400
    status, _, _ = fetch(url, "sparql", data=b"{}", headers={"Content-Type": "application/json"})
    assert status == 415
    assert fetch(url, "sparql", data=b"x", method="PUT")[0] == 405


def test_cors_and_preflight(url: str) -> None:
    request_headers = {"Origin": "https://yasgui.org", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    status, headers, _ = fetch(url, "sparql", method="OPTIONS", headers=request_headers)
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"] and "content-type" in headers["Access-Control-Allow-Headers"].lower()
    assert ask(url, CHAPTER_COUNT)[1]["Access-Control-Allow-Origin"] == "*"


# -- safety ---------------------------------------------------------------------------------------


def test_updates_are_refused(url: str) -> None:
    insert = "INSERT DATA { :kathy-h skos:prefLabel 'Kath the Intruder' }"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    answers = [
        fetch(url, "sparql", data=urllib.parse.urlencode({"update": insert}).encode(), headers=form),
        fetch(url, "sparql", data=urllib.parse.urlencode({"query": insert}).encode(), headers=form),
        fetch(url, "sparql", data=insert.encode(), headers={"Content-Type": "application/sparql-update"}),
        ask(url, insert),
        ask(url, "DELETE WHERE { ?s ?p ?o }"),
    ]
    for status, _, body in answers:
        assert status == 403 and b"read-only" in body
    result = wrapper(url, "SELECT ?label WHERE { :kathy-h skos:prefLabel ?label }", JSON).query().convert()
    assert [b["label"]["value"] for b in result["results"]["bindings"]] == ["Kathy H."]


def test_service_and_load_are_refused(url: str) -> None:
    status, _, body = ask(url, "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }")
    assert status == 403 and b"SERVICE" in body
    status, _, body = ask(url, "LOAD <https://example.org/data.ttl>")
    assert status == 403 and b"LOAD" in body


def test_runaway_query_is_stopped_and_the_server_recovers(url: str) -> None:
    status, headers, body = ask(url, RUNAWAY)
    assert status == 504 and headers["Content-Type"].startswith("text/plain")
    assert f"{TIMEOUT:g} s".encode() in body and b"stopped" in body
    for _ in range(3):  # the other worker answers at once, the killed one's successor soon after
        status, _, body = ask(url, CHAPTER_COUNT)
        assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "23"


def test_result_size_limit(url: str) -> None:
    status, _, body = ask(url, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 400 and f"more than {MAX_ROWS} rows".encode() in body
    status, _, body = ask(url, f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {MAX_ROWS}")
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == MAX_ROWS


def test_request_too_large(url: str) -> None:
    padding = "#" + "x" * 70_000 + "\n"
    form = urllib.parse.urlencode({"query": padding + CHAPTER_COUNT}).encode()
    status, _, body = fetch(url, "sparql", data=form, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413 and b"65,536 bytes" in body
    status, _, _ = fetch(url, "sparql", data=(padding + CHAPTER_COUNT).encode(), headers={"Content-Type": "application/sparql-query"})
    assert status == 413
    assert ask(url, CHAPTER_COUNT)[0] == 200


def test_eight_concurrent_clients(url: str) -> None:
    queries = {
        CHAPTER_COUNT: "23",
        "SELECT ?l WHERE { :ruth skos:prefLabel ?l }": "Ruth",
        "SELECT ?l WHERE { :kathy-h skos:prefLabel ?l }": "Kathy H.",
        "SELECT ?l WHERE { :tommy-d skos:prefLabel ?l }": "Tommy D.",
    }
    failures: list[str] = []

    def client(number: int) -> None:
        for round_ in range(6):
            query, expected = list(queries.items())[(number + round_) % len(queries)]
            status, _, body = ask(url, query)
            values = [v["value"] for b in json.loads(body)["results"]["bindings"] for v in b.values()] if status == 200 else []
            if values != [expected]:
                failures.append(f"client {number}: {status} {body[:100]!r}")

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == []


# -- the page and the files -----------------------------------------------------------------------


def test_page_lists_named_queries_and_built_pages(url: str) -> None:
    status, headers, body = fetch(url, "")
    page = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "Who is Ruth?" in page and "competency/who-is-ruth" in page
    assert "skos:prefLabel ?label" in page  # the example's text, ready to load into the editor
    assert '<textarea id="query"' in page
    assert len(re.findall(r'<option value="\d+">after chapter', page)) == 23
    assert 'href="/output/index.html"' in page and 'href="/output/ontology/index.html"' in page
    assert "/output/maps/" not in page  # the build writes no map pages any more: none is listed
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page), "the page must not load anything from the network"


def test_output_files_are_served(url: str) -> None:
    status, headers, body = fetch(url, "output/maps/characters.html")
    assert status == 200 and headers["Content-Type"].startswith("text/html") and b"character map" in body
    assert fetch(url, "output/")[2] == b"<h1>outputs</h1>"
    assert fetch(url, "output/maps/nowhere.html")[0] == 404
    assert fetch(url, "output/maps/characters.html", data=b"x", method="POST")[0] == 405


@pytest.mark.parametrize(
    "path",
    ["/output/../pyproject.toml", "/output/../secret.txt", "/output/%2e%2e/secret.txt", "/output/..%2fsecret.txt", "/output/maps/../../secret.txt"],
)
def test_path_traversal_is_refused(url: str, path: str) -> None:
    status, body = raw_get(url, path)
    assert status in (403, 404)
    assert b"not for the web" not in body and b"[project]" not in body


# -- the page in a browser, and the command ------------------------------------------------------


def test_page_runs_an_example_in_a_browser(url: str, browser) -> None:
    page = browser.new_page()
    try:
        page.goto(url)
        page.get_by_role("button", name="Who is Ruth?").click()
        page.wait_for_selector("#results td")
        assert page.locator("#results td").all_inner_texts() == ["Ruth @en"]
        page.locator("#as-of").select_option("9")
        page.fill("#query", "SELECT ?who WHERE { ?who a nlmg:Character } ")
        page.click("#run")
        page.wait_for_function("document.querySelector('#status').textContent.includes('rows')")
        names = page.locator("#results td").all_inner_texts()
        assert ":kathy-h" in names and ":chrissie" not in names
        page.fill("#query", "INSERT DATA { :a :b :c }")
        page.click("#run")
        page.wait_for_selector("#error", state="visible")
        assert "403" in page.inner_text("#error")
    finally:
        page.close()


def test_serve_command_rejects_bad_limits(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as refused:
        main(["serve", "--timeout", "0"])
    assert refused.value.code == 2 and "time limit" in capsys.readouterr().err
    assert main(["serve", "--workers", "0"]) == 2


def test_serve_command_prints_the_url_and_stops_on_sigterm() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "graph", "serve", "--port", "0", "--workers", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        line = process.stdout.readline()  # type: ignore[union-attr]
        match = re.search(r"(http://127\.0\.0\.1:\d+/)sparql", line)
        assert match, line
        status, _, body = ask(match.group(1), CHAPTER_COUNT)
        assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "23"
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0
        assert "Traceback" not in process.stderr.read()  # type: ignore[union-attr]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_results_xml_is_well_formed(url: str) -> None:
    status, headers, body = fetch(url, "sparql?" + urllib.parse.urlencode({"query": CHAPTER_COUNT}), headers={"Accept": "application/sparql-results+xml"})
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+xml")
    assert [e.text for e in ET.fromstring(body).iter(f"{RESULTS}literal")] == ["23"]
