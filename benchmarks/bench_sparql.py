"""SPARQL speed: Oxigraph in process vs the local endpoint vs rdflib, endpoint throughput, time-out cost.

For each named query in ``queries/`` (or, while there are none, eight representative built-in ones):
the median latency of ``sparql.run`` on an in-process Oxigraph store (the CLI engine), of the same
query through the endpoint (HTTP on loopback, JSON results), and of rdflib's own engine
(``graph.query(text, initNs=PREFIXES)``, results iterated), with the rdflib/Oxigraph ratio. Then the
endpoint's throughput with 1, 4 and 8 concurrent clients, and what a runaway query costs (time to
the 504, time until the killed worker's successor answers).

Run: ``.venv/bin/python benchmarks/bench_sparql.py [--repeat N] [--requests N] [--workers N]``.
Loopback only; every count is bounded.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from timing import median_ms

from graph import load, sparql
from graph.endpoint import start_server
from graph.namespaces import PREFIXES

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


def http_query(url: str, text: str) -> bytes:
    data = urllib.parse.urlencode({"query": text}).encode()
    request = urllib.request.Request(
        url + "sparql", data=data, headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json, text/turtle;q=0.9"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read()


def throughput(url: str, texts: list[str], clients: int, requests: int) -> tuple[float, int]:
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
            try:
                http_query(url, texts[number % len(texts)])
            except (urllib.error.URLError, OSError):
                with lock:
                    errors += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return requests / (time.perf_counter() - started), errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="timed runs per query and engine (median; default 15)")
    parser.add_argument("--budget", type=float, default=0.5, help="seconds of timed runs per query and engine, at most (default 0.5)")
    parser.add_argument("--requests", type=int, default=240, help="requests per throughput measurement (default 240)")
    parser.add_argument("--workers", type=int, default=2, help="endpoint worker processes (default 2)")
    parser.add_argument("--timeout", type=float, default=5.0, help="endpoint time limit in seconds (default 5)")
    args = parser.parse_args()

    library = {name: q.text for name, q in sparql.named_queries().items()}
    source = "queries/" if library else "built-in set (queries/ has no .rq files yet)"
    queries = library or BUILT_IN

    graph = load()
    started = time.perf_counter()
    store = sparql.to_store(graph)
    store_seconds = time.perf_counter() - started
    started = time.perf_counter()
    server, url = start_server(graph, workers=args.workers, timeout=args.timeout)
    startup = time.perf_counter() - started
    try:
        print(f"nlmg SPARQL benchmark: {len(graph)} triples, {len(queries)} queries from {source}, {os.cpu_count()} CPUs")
        print(f"in-process store: {store_seconds:.2f} s; endpoint start (23 spoiler cuts, {args.workers} workers): {startup:.2f} s\n")
        header = f"{'query':36} {'oxigraph ms':>12} {'endpoint ms':>12} {'rdflib ms':>10} {'rdflib/oxi':>10}"
        print(header)
        print("-" * len(header))
        ratios, in_process = [], {}
        for name, text in queries.items():
            try:
                oxigraph = median_ms(lambda text=text: sparql.run(store, text), runs=args.repeat, budget=args.budget)
            except sparql.QueryError as error:
                print(f"{name[:36]:36} skipped: {str(error).splitlines()[0]}")
                continue
            in_process[name] = oxigraph
            try:
                endpoint = f"{median_ms(lambda text=text: http_query(url, text), runs=args.repeat, budget=args.budget):12.2f}"
            except urllib.error.HTTPError as error:
                endpoint = f"{error.code:>12}"
            rdflib_ms = median_ms(lambda text=text: list(graph.query(text, initNs=PREFIXES)), runs=args.repeat, budget=args.budget)
            ratios.append(rdflib_ms / oxigraph)
            print(f"{name[:36]:36} {oxigraph:12.2f} {endpoint} {rdflib_ms:10.1f} {rdflib_ms / oxigraph:9.3g}x")
        if ratios:
            print(f"\nrdflib/Oxigraph: median {statistics.median(ratios):.0f}x (from {min(ratios):.2g}x to {max(ratios):.0f}x; below 1, rdflib is the faster)")

        texts = [queries[name] for name, ms in in_process.items() if ms < 50]  # the quick ones
        print(f"\nendpoint throughput ({args.requests} requests over the {len(texts)} queries under 50 ms in process, {args.workers} workers):")
        for clients in (1, 4, 8):
            rate, errors = throughput(url, texts, clients, args.requests)
            print(f"  {clients} client(s): {rate:7.1f} queries/s" + (f"  ({errors} errors)" if errors else ""))

        print(f"\nrunaway query (a triple cross-product), time limit {args.timeout:g} s:")
        started = time.perf_counter()
        try:
            http_query(url, RUNAWAY)
            status = 200
        except urllib.error.HTTPError as error:
            status = error.code
        stopped = time.perf_counter() - started
        print(f"  answered {status} after {stopped:.2f} s")
        started = time.perf_counter()
        while server.pool._idle.qsize() < args.workers and time.perf_counter() - started < 60:
            time.sleep(0.02)
        print(f"  the replacement worker was ready {time.perf_counter() - started:.2f} s later (the others answered meanwhile)")
        check = json.loads(http_query(url, "SELECT (COUNT(?c) AS ?n) WHERE { ?c a nlmg:Chapter }"))
        print(f"  afterwards: {check['results']['bindings'][0]['n']['value']} chapters, pool restarts {server.pool.restarts}")
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
