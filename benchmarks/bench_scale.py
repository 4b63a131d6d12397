"""Benchmark: a synthetic shelf of 1, 10 and 100 copies of the novel (``graph.shelf``; 100 copies is about
a million triples), timing each step as a process of its own: wall seconds, CPU seconds, peak memory
(RSS) and the ratio of its time to the 1x time (linear growth is a ratio equal to the scale).

Steps: ``load`` (rdflib: parse every file, derive), ``validate`` (syntax, integrity, SHACL),
``build`` (``nlmg build``, cold cache: validate, exports, the companion), ``relations`` (``nlmg relations
ruth``: the first call projects and caches), ``relations warm`` (the same call again), ``oxigraph load``
(Oxigraph's bulk loader reading the cached N-Triples), ``named queries`` (every query of ``queries/`` on
that store, the endpoint's engine) and ``oxigraph only`` (the path past rdflib: the Turtle files
bulk-loaded straight into Oxigraph, authored triples only, no derivation or SHACL, then the named
queries). A step that runs past ``--budget`` seconds is stopped and shown as such.

Run: ``.venv/bin/python benchmarks/bench_scale.py [--scales 1 10 100] [--budget SECONDS]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Each step as a script run in a fresh process; ``DATA`` is the shelf, ``OUT`` a scratch folder.
STEPS = {
    "load": "from graph.load import load; load(DATA)",
    "validate": "from graph.validate import validate; assert validate(DATA).conforms",
    "build": "from graph.cli import main; assert main(['--data', str(DATA), 'build', '--output', str(OUT)]) == 0",
    "relations": "from graph.cli import main; assert main(['--data', str(DATA), 'relations', NAME, '-f', 'csv']) == 0",
    "relations warm": "from graph.cli import main; assert main(['--data', str(DATA), 'relations', NAME, '-f', 'csv']) == 0",
    "oxigraph load": textwrap.dedent("""
        import pyoxigraph as ox
        from graph.cache import checked_ntriples
        path = checked_ntriples(DATA)  # written from the cached graph on first use
        import time; bulk = time.perf_counter()
        store = ox.Store(); store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
        EXTRA['bulk load s'] = round(time.perf_counter() - bulk, 2)
        EXTRA['triples'] = len(store)"""),
    "named queries": textwrap.dedent("""
        import statistics, time
        import pyoxigraph as ox
        from graph import sparql
        from graph.cache import checked_ntriples
        store = ox.Store(); store.bulk_load(path=str(checked_ntriples(DATA)), format=ox.RdfFormat.N_TRIPLES)
        times = {}
        for name, query in sparql.named_queries().items():
            started = time.perf_counter(); sparql.run(store, query.text); times[name] = time.perf_counter() - started
        EXTRA['median_ms'] = round(statistics.median(times.values()) * 1000, 2)
        EXTRA['slowest'] = ", ".join(f"{n.rsplit('/', 1)[-1]} {times[n] * 1000:.0f} ms" for n in sorted(times, key=times.get)[-2:])"""),
    "oxigraph only": textwrap.dedent("""
        import statistics, time
        import pyoxigraph as ox
        from graph import sparql
        from graph.datafiles import data_files
        store = ox.Store()
        for path in data_files(DATA):
            store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
        EXTRA['triples'] = len(store)
        times = []
        for query in sparql.named_queries().values():
            started = time.perf_counter(); sparql.run(store, query.text); times.append(time.perf_counter() - started)
        EXTRA['median_ms'] = round(statistics.median(times) * 1000, 2)"""),
}
RUNNER = """
import json, resource, sys, time
from pathlib import Path
DATA, OUT, NAME, EXTRA = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], {{}}
_wall, _cpu = time.perf_counter(), time.process_time()
{body}
usage, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = time.process_time() - _cpu + workers.ru_utime + workers.ru_stime  # a shelf's books run in worker processes
import os
peak = usage.ru_maxrss + ((os.cpu_count() or 1) * workers.ru_maxrss if workers.ru_maxrss else 0)  # this process and its workers at most
print(json.dumps({{"wall": time.perf_counter() - _wall, "cpu": cpu, "rss_mb": peak / 1024, **EXTRA}}))
"""


def run_step(name: str, shelf: Path, out: Path, budget: float, env: dict[str, str], person: str) -> dict:
    script = RUNNER.format(body=textwrap.dedent(STEPS[name]))
    try:
        command = [sys.executable, "-c", script, str(shelf), str(out), person]
        done = subprocess.run(command, capture_output=True, text=True, timeout=budget, env=env, cwd=ROOT, check=False)
    except subprocess.TimeoutExpired:
        return {"stopped": f"> {budget:.0f} s"}
    if done.returncode != 0:
        return {"stopped": "failed: " + (done.stderr.strip().splitlines() or ["?"])[-1][:60]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--budget", type=float, default=300.0, help="seconds a step may take before it is stopped (default 300)")
    parser.add_argument("--steps", nargs="+", choices=list(STEPS), default=list(STEPS))
    args = parser.parse_args()
    from graph.shelf import write_shelf

    scratch = Path(tempfile.mkdtemp(prefix="nlmg-shelf-"))
    env = {**os.environ, "NLMG_CACHE": str(scratch / "cache")}
    print(f"{'scale':>5s}  {'step':14s} {'wall s':>8s} {'CPU s':>8s} {'peak MB':>8s} {'x 1x':>6s}  notes")
    first: dict[str, float] = {}
    for scale in args.scales:
        shelf = write_shelf(scale, scratch / f"shelf-{scale}")
        for name in args.steps:
            person = "ruth" if scale == 1 else "shelf-2/ruth"  # every copy has a Ruth: name one by its id
            result = run_step(name, shelf, scratch / f"out-{scale}", args.budget, env, person)
            if "stopped" in result:
                print(f"{scale:>4d}x  {name:14s} {result['stopped']:>8s}")
                continue
            first.setdefault(name, result["cpu"])
            ratio = result["cpu"] / first[name] if first[name] else float("nan")
            notes = ", ".join(f"{k} {v}" for k, v in result.items() if k not in ("wall", "cpu", "rss_mb"))
            print(f"{scale:>4d}x  {name:14s} {result['wall']:8.2f} {result['cpu']:8.2f} {result['rss_mb']:8.0f} {ratio:6.1f}  {notes}", flush=True)


if __name__ == "__main__":
    main()
