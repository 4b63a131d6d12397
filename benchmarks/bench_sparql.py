"""SPARQL speed: the endpoint against its target (median <= 2 ms, as_of no slower) and the naive ways.

For each named query in ``queries/`` (or, while there are none, eight representative built-in ones):
the median latency of ``sparql.run`` on an in-process Oxigraph store (the CLI engine); through the
endpoint (HTTP POST on a kept-alive loopback connection, JSON results) uncached (each run a query the
endpoint has not seen: a new comment, so its answer cache cannot help) and again (from that cache), for
the whole book and for ``as_of``; the naive ``as_of`` (the cut as the default graph of the dataset
of 23 cuts, as the endpoint did before it kept one store per cut) and rdflib's own engine
(``graph.query(text, initNs=PREFIXES)``). Then throughput with 1, 4 and 8 clients, the p50 and p99 of
8 clients while 2 others send runaway queries, and what a runaway query costs.

Run: ``.venv/bin/python benchmarks/bench_sparql.py [--repeat N] [--requests N] [--workers N]``.
Loopback only; every count is bounded.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import signal
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pyoxigraph as ox
from rdflib import Graph
from timing import median_ms

from graph import load, sparql
from graph.endpoint import EndpointServer, start_server
from graph.namespaces import PREFIXES
from graph.workers import as_of_graph_iri, dataset_dump

#: Used while queries/ holds no named query: lookups, joins, aggregates, paths, OPTIONAL, FILTER, ASK, CONSTRUCT.
BUILT_IN = {
    "characters-by-first-chapter": """SELECT ?character ?name ?first WHERE {
  ?character a nlmg:Character ; skos:prefLabel ?name ; nlmg:firstChapter/schema:position ?first }
ORDER BY ?first ?name""",
    "events-per-chapter": """SELECT ?n (COUNT(DISTINCT ?event) AS ?events) WHERE {
  ?event a nlmg:Event ; nlmg:toldIn ?chapter . ?chapter schema:position ?n }
GROUP BY ?n ORDER BY ?n""",
    "kathys-relationships": """SELECT ?other ?type ?label WHERE {
  { ?r nlmg:source :kathy-h ; nlmg:target ?other } UNION { ?r nlmg:target :kathy-h ; nlmg:source ?other }
  ?r nlmg:relationType ?type ; skos:prefLabel ?label }""",
    "events-tommy-and-ruth-share": """SELECT DISTINCT ?event ?label WHERE {
  ?event sem:hasActor/rdf:value :tommy-d , :ruth ; skos:prefLabel ?label }""",
    "places-inside-england": """SELECT ?place ?name WHERE { ?place schema:containedInPlace+ :england ; skos:prefLabel ?name }""",
    "events-without-a-known-place": """SELECT ?event ?label WHERE {
  ?event a nlmg:Event ; skos:prefLabel ?label . OPTIONAL { ?event sem:hasPlace ?place }
  FILTER(!BOUND(?place) || CONTAINS(LCASE(STR(?label)), "donation")) }""",
    "is-madame-a-character": """ASK { :madame a nlmg:Character ; nlmg:firstChapter ?c }""",
    "relationship-graph": """CONSTRUCT { ?a ?type ?b } WHERE { ?r a nlmg:Relationship ; nlmg:source ?a ; nlmg:target ?b ; nlmg:relationType ?type }""",
}

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def http_query(url: str, text: str, **params: str) -> bytes:
    """One query on a new connection (as urllib and SPARQLWrapper send it)."""
    data = urllib.parse.urlencode({"query": text, **params}).encode()
    request = urllib.request.Request(
        url + "sparql", data=data, headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json, text/turtle;q=0.9"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read()


class KeepAlive:
    """A client that keeps one connection open (as YASGUI in a browser, or requests.Session)."""

    def __init__(self, server: EndpointServer) -> None:
        self.address = server.server_address[:2]
        self.connection = http.client.HTTPConnection(*self.address, timeout=60)

    def query(self, text: str, **params: str) -> int:
        body = urllib.parse.urlencode({"query": text, **params})
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json, text/turtle;q=0.9"}
        try:
            self.connection.request("POST", "/sparql", body=body, headers=headers)
            response = self.connection.getresponse()
        except (ConnectionError, http.client.HTTPException):  # the server closes a connection left idle (its request deadline)
            self.connection.close()
            self.connection = http.client.HTTPConnection(*self.address, timeout=60)
            self.connection.request("POST", "/sparql", body=body, headers=headers)
            response = self.connection.getresponse()
        response.read()
        return response.status


def rdflib_ms(graph: Graph, text: str, runs: int, budget: float, cap: float = 2.0) -> float:
    """rdflib's median; ``inf`` when one run takes more than ``cap`` seconds (rdflib is pure Python: an alarm stops it), ``nan`` if it fails."""

    def stop(signum: int, frame: object) -> None:
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, cap)
    try:
        return median_ms(lambda: list(graph.query(text, initNs=PREFIXES)), runs=runs, budget=budget)
    except TimeoutError:
        return math.inf
    except Exception:  # rdflib refuses a few queries that Oxigraph answers
        return math.nan
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def fresh(text: str) -> str:
    """The same query under a comment never sent before: the endpoint cannot answer it from its cache."""
    return f"# {uuid.uuid4()}\n{text}"


def throughput(url: str, texts: list[str], clients: int, requests: int, latencies: list[float] | None = None) -> tuple[float, int]:
    """Queries per second with ``clients`` threads sharing ``requests`` requests; and the error count."""
    counter = iter(range(requests))
    lock = threading.Lock()
    errors = 0

    def client() -> None:
        nonlocal errors
        while True:
            with lock:
                number = next(counter, None)
            if number is None:
                return
            started = time.perf_counter()
            try:
                http_query(url, texts[number % len(texts)])
            except (urllib.error.URLError, OSError):
                with lock:
                    errors += 1
            if latencies is not None:
                latencies.append(time.perf_counter() - started)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return requests / (time.perf_counter() - started), errors


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def under_attack(url: str, texts: list[str], requests: int, attackers: int) -> tuple[list[float], int]:
    """Latencies (seconds) of 8 clients' fresh queries while ``attackers`` clients each send runaway queries in turn."""
    stop = threading.Event()

    def attacker() -> None:
        while not stop.is_set():
            with contextlib.suppress(urllib.error.URLError, OSError):
                http_query(url, RUNAWAY.replace("?n", f"?n{uuid.uuid4().hex}"))  # a new query each time, not one it remembers

    threads = [threading.Thread(target=attacker, daemon=True) for _ in range(attackers)]
    for thread in threads:
        thread.start()
    latencies: list[float] = []
    try:
        _, errors = throughput(url, [fresh(t) for t in texts] * 3, 8, requests, latencies)
    finally:
        stop.set()
    return latencies, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="timed runs per query and engine (median; default 15)")
    parser.add_argument("--budget", type=float, default=0.5, help="seconds of timed runs per query and engine, at most (default 0.5)")
    parser.add_argument("--requests", type=int, default=240, help="requests per throughput measurement (default 240)")
    parser.add_argument("--workers", type=int, default=2, help="endpoint worker processes (default 2)")
    parser.add_argument("--timeout", type=float, default=5.0, help="endpoint time limit in seconds (default 5)")
    parser.add_argument("--as-of", type=int, default=12, help="the spoiler cut for the as_of column (default 12)")
    args = parser.parse_args()

    library = {name: q.text for name, q in sparql.named_queries().items()}
    source = "queries/" if library else "built-in set (queries/ has no .rq files yet)"
    queries = library or BUILT_IN

    graph = load()
    started = time.perf_counter()
    store = sparql.to_store(graph)
    store_seconds = time.perf_counter() - started
    dataset = ox.Store()
    dataset.load(dataset_dump(graph), format=ox.RdfFormat.N_QUADS)
    cut_iri = as_of_graph_iri(args.as_of)
    started = time.perf_counter()
    server, url = start_server(graph, workers=args.workers, timeout=args.timeout)
    startup = time.perf_counter() - started
    client = KeepAlive(server)
    try:
        load_average = os.getloadavg()[0]
        print(f"nlmg SPARQL benchmark: {len(graph)} triples, {len(queries)} queries from {source}, {os.cpu_count()} CPUs, load average {load_average:.1f}")
        print(f"in-process store: {store_seconds:.2f} s; endpoint start (23 spoiler cuts, {args.workers} workers + quick lane + spare): {startup:.2f} s")
        print("endpoint columns: POST on a kept-alive connection; 'uncached' is the median of runs of queries the endpoint has not seen")
        print(f"(a new comment each run: no cached answer), 'again' the median of repeats (cached); as_of={args.as_of} runs on that cut's own store.\n")
        header = (
            f"{'query':36} {'oxigraph':>9} {'uncached':>8} {'again':>7} {'as_of unc.':>10} {'as_of':>7} {'naive as_of':>11} {'rdflib':>8} {'rdflib/oxi':>10}"
        )
        print(header + "\n" + "-" * len(header))
        ratios, in_process, first, again, cut_first, cut_again, naive_cut = [], {}, [], [], [], [], []
        for name, text in queries.items():
            try:
                oxigraph = median_ms(lambda text=text: sparql.run(store, text), runs=args.repeat, budget=args.budget)
            except sparql.QueryError as error:
                print(f"{name[:36]:36} skipped: {str(error).splitlines()[0]}")
                continue
            in_process[name] = oxigraph
            first.append(median_ms(lambda text=text: client.query(fresh(text)), runs=args.repeat, budget=args.budget))
            again.append(median_ms(lambda text=text: client.query(text), runs=args.repeat, budget=args.budget))
            cut_first.append(median_ms(lambda text=text: client.query(fresh(text), as_of=str(args.as_of)), runs=args.repeat, budget=args.budget))
            cut_again.append(median_ms(lambda text=text: client.query(text, as_of=str(args.as_of)), runs=args.repeat, budget=args.budget))
            naive_cut.append(median_ms(lambda text=text: sparql.run(dataset, text, graph_iri=cut_iri), runs=args.repeat, budget=args.budget))
            rdflib = rdflib_ms(graph, text, args.repeat, args.budget)
            if not math.isnan(rdflib):
                ratios.append(rdflib / oxigraph)
            print(
                f"{name[:36]:36} {oxigraph:9.2f} {first[-1]:8.2f} {again[-1]:7.2f} {cut_first[-1]:10.2f} {cut_again[-1]:7.2f} {naive_cut[-1]:11.2f} "
                f"{rdflib:8.1f} {rdflib / oxigraph:9.3g}x"
            )
        median = statistics.median
        uncached, cut_uncached, ratio = median(first), median(cut_first), median(c / w for c, w in zip(cut_first, first, strict=True))
        print(f"\nendpoint, {len(again)} named queries, uncached (a query the endpoint has not seen), median of the per-query medians:")
        print(f"  whole book:  {uncached:.2f} ms   target <= 2 ms: {'met' if uncached <= 2 else 'NOT MET'}")
        verdict = "met" if ratio <= 1 else "NOT MET"
        print(f"  as_of={args.as_of}:    {cut_uncached:.2f} ms   as_of / whole book, median of the per-query ratios: {ratio:.2f}, target <= 1: {verdict}")
        print(f"  cached answers (again): whole book {median(again):.2f} ms, as_of {median(cut_again):.2f} ms")
        print(f"  in process (sparql.run, no HTTP, no worker): {median(in_process.values()):.2f} ms")
        print(f"  naive as_of (the cut as the default graph of the 23-cut dataset, in process): median {median(naive_cut):.2f} ms")
        print(f"  naive engine (rdflib's own SPARQL, in process; inf: over 2 s): rdflib/Oxigraph median {median(ratios):.0f}x (from {min(ratios):.2g}x)")

        texts = [queries[name] for name, ms in in_process.items() if ms < 50]  # the quick ones
        print(f"\nendpoint throughput ({args.requests} requests over the {len(texts)} queries under 50 ms in process, a new connection each, not cached):")
        for clients in (1, 4, 8):
            rate, errors = throughput(url, [fresh(t) for t in texts] * 3, clients, args.requests)
            print(f"  {clients} client(s): {rate:7.1f} queries/s" + (f"  ({errors} errors)" if errors else ""))

        latencies, errors = under_attack(url, texts, args.requests, attackers=0)
        calm = percentile(latencies, 0.99) * 1000
        latencies, errors = under_attack(url, texts, args.requests, attackers=2)
        print(f"\nunder attack: 8 clients' fresh queries while 2 clients send runaway queries in turn ({args.requests} requests):")
        p50, p99 = percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000
        print(f"  p50 {p50:.1f} ms, p99 {p99:.1f} ms (without the attack: p99 {calm:.1f} ms), {errors} errors")

        print(f"\nrunaway query (a triple cross-product), time limit {args.timeout:g} s:")
        started = time.perf_counter()
        try:
            http_query(url, RUNAWAY.replace("?n", "?never_sent"))  # a query not seen before (the attack's is refused at once for 30 s)
            status = 200
        except urllib.error.HTTPError as error:
            status = error.code
        print(f"  answered {status} after {time.perf_counter() - started:.2f} s")
        check = json.loads(http_query(url, fresh("SELECT (COUNT(?c) AS ?n) WHERE { ?c a nlmg:Chapter }")))
        print(f"  afterwards: {check['results']['bindings'][0]['n']['value']} chapters, pool restarts {server.pool.restarts}")
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
