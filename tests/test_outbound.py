"""No query reaches another service (issue 11, item 1): every SERVICE variant, through the endpoint and `nlmg query`.

A listener on 127.0.0.1 stands for an internal service; it answers any connection with SPARQL JSON
results. Each variant must be refused or answered from the graph alone, and the listener must
receive nothing. Before the fix, ``#\\rSERVICE`` made both the endpoint and the CLI POST to it.
"""

from __future__ import annotations

import os
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from rdflib import Graph

from graph.cli import main
from graph.endpoint import start_server

LEAK = b"FROM-THE-LISTENER"


class Listener:
    """A TCP server on 127.0.0.1 that records every connection it gets."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.received: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        body = b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"literal","value":"FROM-THE-LISTENER"}}]}}'
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            with connection:
                connection.settimeout(2)
                try:
                    self.received.append(connection.recv(4096) or b"(connected)")
                    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
                except OSError:
                    self.received.append(b"(connected)")


@pytest.fixture(scope="module")
def listener() -> Listener:
    return Listener()


@pytest.fixture(scope="module")
def url(graph: Graph):
    server, url = start_server(graph, port=0, timeout=3, workers=1, quiet=True)
    yield url
    server.shutdown()


def variants(port: int) -> dict[str, str]:
    """Queries that try to reach ``127.0.0.1:port``, by what they try."""
    target = f"http://127.0.0.1:{port}/internal?x=1"
    return {
        "plain": f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        "comment ended by CR": f"SELECT * WHERE {{ #\rSERVICE <{target}> {{ ?s ?p ?o }} }}",
        "comment ended by CR LF": f"SELECT * WHERE {{ # x\r\nSERVICE <{target}> {{ ?s ?p ?o }} }}",
        "lower case": f"select * where {{ #\rservice <{target}> {{ ?s ?p ?o }} }}",
        "mixed case": f"SELECT * WHERE {{ #\rSeRvIcE <{target}> {{ ?s ?p ?o }} }}",
        "codepoint escape": f"SELECT * WHERE {{ \\u0053ERVICE <{target}> {{ ?s ?p ?o }} }}",
        "escape in the IRI": f"SELECT * WHERE {{ #\rSERVICE <http://127.0.0.1:{port}/\\u0078> {{ ?s ?p ?o }} }}",
        "silent": f"SELECT * WHERE {{ #\rSERVICE SILENT <{target}> {{ ?s ?p ?o }} }}",
        "https": f"SELECT * WHERE {{ #\rSERVICE <https://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}",
        "nested subquery": f"SELECT * WHERE {{ {{ SELECT * WHERE {{ #\rSERVICE <{target}> {{ ?s ?p ?o }} }} }} }}",
        "in FILTER EXISTS": f"ASK {{ FILTER EXISTS {{ #\rSERVICE <{target}> {{ ?s ?p ?o }} }} }}",
        "in OPTIONAL": f"SELECT * WHERE {{ :ruth skos:prefLabel ?l OPTIONAL {{ #\rSERVICE <{target}> {{ ?s ?p ?o }} }} }}",
        "variable endpoint": f"SELECT * WHERE {{ VALUES ?e {{ <{target}> }} #\rSERVICE ?e {{ ?s ?p ?o }} }}",
        "prefixed name": f"PREFIX x: <http://127.0.0.1:{port}/>\nSELECT * WHERE {{ #\rSERVICE x:y {{ ?s ?p ?o }} }}",
        "relative to BASE": f"BASE <http://127.0.0.1:{port}/>\nSELECT * WHERE {{ #\rSERVICE <y> {{ ?s ?p ?o }} }}",
        "CONSTRUCT": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ #\rSERVICE <{target}> {{ ?s ?p ?o }} }}",
        "DESCRIBE": f"DESCRIBE ?s WHERE {{ #\rSERVICE <{target}> {{ ?s ?p ?o }} }}",
        "FROM (LOAD-like)": f"SELECT * FROM <{target}> WHERE {{ ?s ?p ?o }} LIMIT 1",
        "FROM NAMED and GRAPH": f"SELECT * FROM NAMED <{target}> WHERE {{ GRAPH <{target}> {{ ?s ?p ?o }} }}",
        "LOAD": f"LOAD <{target}>",
        "LOAD after a comment": f"#\rLOAD <{target}>",
        "hostname": f"SELECT * WHERE {{ #\rSERVICE <http://localhost.localdomain:{port}/x> {{ ?s ?p ?o }} }}",
    }


def _get(url: str, query: str, **params: str) -> tuple[int, bytes]:
    address = url + "sparql?" + urllib.parse.urlencode({"query": query, **params})
    request = urllib.request.Request(address, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.mark.parametrize("name", list(variants(1)))
def test_the_endpoint_reaches_nothing(url: str, listener: Listener, name: str) -> None:
    query = variants(listener.port)[name]
    for params in ({}, {"as_of": "3"}):
        status, body = _get(url, query, **params)
        assert LEAK not in body
        assert status in (200, 400, 403), body  # refused, or answered from the graph alone (SILENT, FROM)
    assert listener.received == []


def test_a_post_and_a_named_graph_reach_nothing(url: str, listener: Listener) -> None:
    query = variants(listener.port)["comment ended by CR"]
    request = urllib.request.Request(url + "sparql", data=query.encode(), headers={"Content-Type": "application/sparql-query"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 403
    status, body = _get(url, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", **{"default-graph-uri": f"http://127.0.0.1:{listener.port}/g"})
    assert status == 200 and LEAK not in body
    assert listener.received == []


@pytest.mark.parametrize("name", ["comment ended by CR", "silent", "in FILTER EXISTS", "variable endpoint", "FROM (LOAD-like)", "LOAD after a comment"])
def test_nlmg_query_reaches_nothing(listener: Listener, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["query", variants(listener.port)[name]])
    out, err = capsys.readouterr()
    assert "FROM-THE-LISTENER" not in out
    assert code in (0, 2) and "Traceback" not in err
    assert listener.received == []


def test_the_walls_alone_stop_a_service_call(listener: Listener) -> None:
    """Without any text check: the engine itself, in a sealed process, cannot connect."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: seal, then let Oxigraph try
        try:
            import pyoxigraph as ox

            from graph.sandbox import seal

            walls = seal()
            try:
                list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/x> {{ ?s ?p ?o }} }}"))
                outcome = "answered"
            except OSError as error:
                outcome = f"refused: {error}"
            try:
                socket.create_connection(("127.0.0.1", listener.port), timeout=2).close()
                outcome += "; socket connected"
            except OSError:
                outcome += "; socket refused"
            os.write(write_end, f"{walls.netns},{walls.seccomp},{outcome}".encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        report = pipe.read().decode()
    os.waitpid(pid, 0)
    netns, seccomp, outcome = report.split(",", 2)
    assert "True" in (netns, seccomp), "neither wall went up on this machine"
    assert outcome.startswith("refused") and outcome.endswith("socket refused")
    assert listener.received == []
