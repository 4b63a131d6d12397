"""Benchmark: the speed table of issue 15, each figure beside its target and its naive baseline.

Every command is timed as a whole process (``python -m graph ...``), median of ``--runs`` runs, wall
clock and CPU (user + system of the child, which the load of other processes does not inflate).
"now" is the command as shipped: data validated once and read from the cache (``graph.cache``).
The naive baseline is the same work done the straightforward way: a cold cache (every file parsed
and validated on every call), or a script that parses all of data/ with rdflib and then answers.

``make test`` is timed once, as CI runs it: in a fresh clone of the committed HEAD (its own virtual environment,
npm packages and cache of loaded graphs), installing included; ``--no-make-test`` leaves it out (it takes minutes).

Run: ``.venv/bin/python benchmarks/bench_commands.py [--runs N] [--no-make-test]`` (or ``make bench``).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import median_ms

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
VERBS = {
    "relations Ruth": ["relations", "Ruth"],
    "path Tommy Madame": ["path", "Tommy", "Madame"],
    "ego Ruth": ["ego", "Ruth"],
    "common Ruth Tommy": ["common", "Ruth", "Tommy"],
    "place Hailsham": ["place", "Hailsham"],
    "timeline Kathy": ["timeline", "Kathy"],
    "relations Ruth --as-of 9": ["relations", "Ruth", "--as-of", "9"],
}
NAIVE_RELATIONS = (
    "from graph.load import load; from graph.project import to_networkx; from graph.queries import relations; "
    "from graph.render import render; print(render(relations(to_networkx(load()), 'Ruth')))"
)
NAIVE_HELP = "import rdflib, pyshacl, networkx, pyoxigraph; from graph.cli import main; main(['--help'])"


def timed(argv: list[str], runs: int, env: dict[str, str], fresh_cache: bool = False) -> tuple[float, float]:
    """Median (wall seconds, CPU seconds) of running ``argv`` ``runs`` times."""
    walls, cpus = [], []
    for _ in range(runs):
        run_env = {**env, "NLMG_CACHE": tempfile.mkdtemp(prefix="nlmg-cold-")} if fresh_cache else env
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, env=run_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def edited_build(build: list[str], runs: int, env: dict[str, str]) -> tuple[float, float]:
    """Median (wall, CPU) of a build just after a data file was edited (a copy of data/: each run appends a
    line to one file, so the content key changes and the data are validated and built anew)."""
    data = Path(tempfile.mkdtemp(prefix="nlmg-data-")) / "data"
    shutil.copytree(ROOT / "data", data)
    edited_env = {**env, "NLMG_DATA": str(data)}
    subprocess.run(build, cwd=ROOT, env=edited_env, stdout=subprocess.DEVNULL, check=True)  # the cache as a user has it
    figures = []
    for n in range(runs):
        with (data / "characters.ttl").open("a", encoding="utf-8") as handle:
            handle.write(f"# edited {n}\n")
        figures.append(timed(build, 1, edited_env))
    return statistics.median(f[0] for f in figures), statistics.median(f[1] for f in figures)


def row(what: str, now: tuple[float, float] | str, naive: tuple[float, float] | str, target: str) -> None:
    def cell(value: tuple[float, float] | str) -> str:
        return value if isinstance(value, str) else f"{value[0]:7.2f} s ({value[1]:5.2f} CPU)"

    print(f"{what:30s} {cell(now):>24s} {cell(naive):>24s}   {target}")


def make_test_in_a_fresh_clone() -> str:
    """``make test`` in a fresh clone of HEAD: its wall time and the tests passed, or where the log of a failure is."""
    folder = Path(tempfile.mkdtemp(prefix="nlmg-clone-")) / "nlmg"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(folder)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "VIRTUAL_ENV")}
    env["NLMG_CACHE"] = tempfile.mkdtemp(prefix="nlmg-clone-cache-")
    log = folder.parent / "make-test.log"
    started = time.perf_counter()
    with log.open("w") as output:
        finished = subprocess.run(["make", "test"], cwd=folder, env=env, stdout=output, stderr=subprocess.STDOUT, check=False)
    seconds = time.perf_counter() - started
    passed = re.findall(r"(\d+) passed", log.read_text(encoding="utf-8", errors="replace"))
    if finished.returncode != 0 or not passed:
        return f"failed: {log}"
    shutil.rmtree(folder.parent)  # a gigabyte of virtual environment
    return f"{int(seconds // 60)} min {seconds % 60:4.1f} s, {passed[-1]} passed"


def named_query_medians(env: dict[str, str]) -> tuple[float, float, int]:
    """Median ms of every named query on Oxigraph (loaded from the cached N-Triples) and on rdflib's own engine."""
    os.environ.update(env)
    import pyoxigraph as ox

    from graph import sparql
    from graph.cache import checked_graph, checked_ntriples
    from graph.namespaces import PREFIXES

    store = ox.Store()
    store.bulk_load(path=str(checked_ntriples()), format=ox.RdfFormat.N_TRIPLES)
    queries = list(sparql.named_queries().values())
    oxigraph = statistics.median(median_ms(lambda q=q: sparql.run(store, q.text), runs=5) for q in queries)
    graph = checked_graph()
    naive = statistics.median(median_ms(lambda q=q: list(graph.query(q.text, initNs=PREFIXES)), runs=1, budget=2.0) for q in queries[:20])
    return oxigraph, naive, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median); default 3")
    parser.add_argument("--no-make-test", action="store_true", help="do not time make test in a fresh clone (minutes)")
    options = parser.parse_args()
    runs = options.runs
    env = {**os.environ, "NLMG_CACHE": tempfile.mkdtemp(prefix="nlmg-bench-")}
    nlmg = [PYTHON, "-m", "graph"]
    out = Path(tempfile.mkdtemp(prefix="nlmg-build-"))
    print(f"issue 15, measured on {os.cpu_count()} cores (load average {os.getloadavg()[0]:.1f}); median of {runs}; wall (CPU)\n")
    print(f"{'what':30s} {'now':>24s} {'naive baseline':>24s}   target")
    row("nlmg --help", timed([*nlmg, "--help"], runs, env), timed([PYTHON, "-c", NAIVE_HELP], runs, env), "<= 0.15 s")
    subprocess.run([*nlmg, "validate"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, check=True)  # the cache, as after any command
    row("nlmg validate", timed([*nlmg, "validate"], runs, env), timed([*nlmg, "validate"], runs, env, fresh_cache=True), "unchanged data: not re-run")
    build = [*nlmg, "build", "--output", str(out)]
    row("nlmg build, unchanged data", timed(build, runs, env), "-", "files copied from the cache")
    row("nlmg build after a data edit", edited_build(build, runs, env), "-", "<= 2 s")
    row("nlmg build, cold cache", timed(build, runs, env, fresh_cache=True), "-", "<= 2 s (first build on a machine)")
    for name, argv in VERBS.items():
        naive = timed([PYTHON, "-c", NAIVE_RELATIONS], runs, env) if name == "relations Ruth" else "-"
        row(f"nlmg {name}", timed([*nlmg, *argv], runs, env), naive, "<= 0.25 s warm")
    oxigraph, naive, count = named_query_medians(env)
    row(f"named queries ({count}), median", f"{oxigraph:7.2f} ms", f"{naive:7.2f} ms (rdflib, 20)", "<= 2 ms (endpoint: bench_sparql.py)")
    site = (out / "index.html").stat().st_size / 2**20
    row("site (the companion) size", f"{site:7.1f} MB", "12 MB (14 map pages)", "<= 2 MB")
    if not options.no_make_test:
        row("make test, fresh clone of HEAD", make_test_in_a_fresh_clone(), "-", "<= 3 min, no test dropped")


if __name__ == "__main__":
    main()
