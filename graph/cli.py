"""The ``nlmg`` command line: parse arguments, call the library, print. No logic of its own.

Exit codes: 0 success (and, for ``validate``, data conforms); 1 the data has problems;
2 bad usage or input (an unknown name, a chapter out of range, a malformed query).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from graph import paths
from graph.book import CHAPTERS
from graph.problems import DataError
from graph.render import FORMATS, render

__all__ = ["main", "run"]


class UsageError(Exception):
    """Bad input from the person at the keyboard: printed as is, exit 2."""


def _whole_number(text: str, what: str) -> int:
    """``text`` as an int, or the error that it is not ``what``."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None


def _chapter(text: str) -> int:
    number = _whole_number(text, f"a chapter number (1 to {CHAPTERS})")
    if not 1 <= number <= CHAPTERS:
        raise argparse.ArgumentTypeError(f"chapter {number} does not exist: the novel has chapters 1 to {CHAPTERS}")
    return number


def _count(text: str) -> int:
    """A whole number of at least 0 (a radius, a number of hops)."""
    number = _whole_number(text, "a whole number")
    if number < 0:
        raise argparse.ArgumentTypeError(f"{number} is negative: give 0 or more")
    return number


def _seconds(text: str) -> float:
    """A time limit: a finite number of seconds above 0, at most an hour."""
    import math

    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and 0 < seconds <= 3600):
        raise argparse.ArgumentTypeError(f"the time limit must be a number of seconds above 0 and at most 3600, not {text[:40]!r}")
    return seconds


def _graph(args: argparse.Namespace):
    """The validated graph (from the cache when the data are unchanged), cut at ``--as-of`` when given."""
    from graph.cache import checked_graph

    graph = checked_graph(args.data)
    if getattr(args, "as_of", None):
        from graph.spoilers import as_of

        return as_of(graph, args.as_of)
    return graph


def cmd_validate(args: argparse.Namespace) -> int:
    from graph.cache import validation

    report = validation(args.data)
    if args.format == "json":
        print(json.dumps(report.as_dict(), indent=2))
    else:
        for problem in report.problems:
            print(problem)
        timing = ", ".join(f"{k} {v:.2f}s" for k, v in report.seconds.items())
        verdict = "valid" if report.conforms else f"{len(report.problems)} problem(s)"
        print(f"{verdict}: {report.files} files, {report.triples} triples" + (f" ({timing})" if timing else " (unchanged since last checked)"))
    return 0 if report.conforms else 1


def cmd_stats(args: argparse.Namespace) -> int:
    from graph.stats import stats

    result = stats(_graph(args))
    if args.format == "json":
        print(json.dumps(result.as_dict(), indent=2))
        return 0
    print(render([{"type": k, "count": v} for k, v in result.by_type.items()], args.format))
    print()
    print(render(result.per_chapter, args.format))
    total = sum(result.verification.values()) or 1
    print()
    print(render([{"verification": k, "statements": v, "share": f"{100 * v / total:.1f} %"} for k, v in result.verification.items()], args.format))
    if args.format == "table":
        missing = ", ".join(map(str, result.uncovered_chapters)) or "none"
        print(f"\n{result.triples} triples; chapters without events: {missing}")
    return 0


def _projection(args: argparse.Namespace):
    from graph.cache import checked_projection

    return checked_projection(args.data, as_of=getattr(args, "as_of", None), part=getattr(args, "part", None), phase=getattr(args, "phase", None))


def _print_records(records: list[dict], args: argparse.Namespace, columns: Sequence[str] | None = None, empty: str = "") -> int:
    if not records and args.format == "table":
        print(empty or "nothing found")
        return 0
    print(render(records, args.format, columns))
    return 0


def cmd_relations(args: argparse.Namespace) -> int:
    from graph.queries import relations

    columns = ["with", "type", "direction", "since", "chapters", "phases", "status"]
    return _print_records(
        relations(_projection(args), args.name),
        args,
        columns if args.format == "table" else None,
        f"no relationships of {args.name} are known" + (f" as of chapter {args.as_of}" if args.as_of else ""),
    )


def cmd_path(args: argparse.Namespace) -> int:
    from graph.queries import all_paths, path

    graph = _projection(args)
    if args.all:
        found = all_paths(graph, args.source, args.target, max_hops=args.max_hops)
        records = [{"path": i + 1, "step": j + 1, **hop} for i, hops in enumerate(found) for j, hop in enumerate(hops)]
    else:
        records = [{"step": j + 1, **hop} for j, hop in enumerate(path(graph, args.source, args.target))]
    when = f" as of chapter {args.as_of}" if args.as_of else ""
    return _print_records(records, args, empty=f"{args.source} and {args.target} are not connected{when}")


def cmd_ego(args: argparse.Namespace) -> int:
    from graph.queries import ego_network

    ego = ego_network(_projection(args), args.name, radius=args.radius)
    records = [
        {"from": ego.nodes[s]["label"], "to": ego.nodes[t]["label"], "type": d["type_label"], "chapters": d["chapters"]} for s, t, d in ego.edges(data=True)
    ]
    return _print_records(sorted(records, key=lambda r: (r["from"], r["to"])), args, empty="no relationships yet")


def cmd_common(args: argparse.Namespace) -> int:
    from graph.queries import common_events

    return _print_records(
        common_events(_projection(args), args.first, args.second),
        args,
        ["event", "chapters", "phase", "place", "roles"] if args.format == "table" else None,
        "no shared events",
    )


def cmd_place(args: argparse.Namespace) -> int:
    from graph.queries import at_place

    return _print_records(
        at_place(_projection(args), args.name), args, ["event", "chapters", "place", "people"] if args.format == "table" else None, "no events there"
    )


def cmd_timeline(args: argparse.Namespace) -> int:
    from graph.queries import timeline

    return _print_records(
        timeline(_projection(args), args.name, order=args.order),
        args,
        ["chapters", "phase", "event", "role", "place"] if args.format == "table" else None,
        "no events",
    )


def _readings(args: argparse.Namespace) -> int:
    from graph import readings

    graph = _graph(args)
    if args.format == "json":
        print(json.dumps({"ranks": readings.rank_stability(graph), "communities": readings.reading_communities(graph)}, indent=2))
        return 0
    _print_records(readings.rank_stability(graph), args, ["label", *readings.READINGS, "spread"] if args.format == "table" else None)
    if args.format == "table":
        print()
        print(render(readings.reading_communities(graph), "table"))
    return 0


def _told_shown(args: argparse.Namespace) -> int:
    from graph import told_shown

    graph = _graph(args)
    if args.format == "json":
        print(json.dumps({"pairs": told_shown.told_and_shown(graph), "by_chapter": told_shown.by_chapter(graph)}, indent=2))
        return 0
    records = [{"first": r["labels"][0], "second": r["labels"][1], **r} for r in told_shown.told_and_shown(graph)]
    columns = ["first", "second", "relationship_types", "told_chapters", "shown_chapters", "scenes"]
    return _print_records(records, args, columns if args.format == "table" else None)


def cmd_metrics(args: argparse.Namespace) -> int:
    from graph import metrics
    from graph.project import character_graph

    if args.readings:
        return _readings(args)
    if args.told_shown:
        return _told_shown(args)
    graph = _graph(args)
    if args.by == "part":
        return _print_records(metrics.metrics_by_part(graph), args)
    if args.by == "chapter":
        return _print_records(metrics.cumulative_metrics(graph), args)
    collapsed = metrics.collapse(character_graph(graph, part=args.part, phase=args.phase))
    if args.format == "json":
        print(
            json.dumps(
                {"characters": metrics.character_metrics(collapsed), "graph": metrics.graph_metrics(collapsed), "communities": metrics.communities(collapsed)},
                indent=2,
                default=str,
            )
        )
        return 0
    _print_records(metrics.character_metrics(collapsed), args, ["label", *metrics.MEASURES])
    if args.format == "table":
        print()
        print(render([{"measure": k, "value": v} for k, v in metrics.graph_metrics(collapsed).items()], "table"))
        print()
        print(render(metrics.communities(collapsed), "table"))
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    from graph import sparql

    folder = paths.queries_dir()
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "does not exist"
        raise UsageError(f"the query folder {folder} {what}: point NLMG_QUERIES at the folder holding the .rq files (or unset it)")
    if args.list:
        return _print_records([{"name": q.name, "title": q.title} for q in sparql.named_queries().values()], args)
    if args.query is None:
        raise UsageError("give a named query, a .rq file or a query in quotes (or --list)")
    candidate = Path(args.query)
    if args.query.endswith(".rq") or (len(args.query) < 1024 and "\n" not in args.query and candidate.is_file()):
        if not candidate.is_file():
            raise UsageError(f"no such query file: {candidate}")
        try:
            text = candidate.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise UsageError(f"{candidate} is not UTF-8 text: save the query as UTF-8") from None
    elif re.match(r"\s*(PREFIX|BASE|SELECT|ASK|CONSTRUCT|DESCRIBE|INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH|#)\b", args.query, re.I):
        text = args.query
    else:
        text = sparql.find_query(args.query).text
    print(_run_limited(sparql.to_store(_graph(args)), text, args))
    return 0


def _run_limited(store, text: str, args: argparse.Namespace) -> str:
    """Run ``text`` in a sealed fork with the endpoint's limits (``--timeout``, ``--max-rows``, ``--memory``); the answer as text."""
    import pyoxigraph as ox

    from graph import sparql
    from graph.namespaces import PREFIXES
    from graph.workers import Limits, RequestError, run_once

    limits = Limits(timeout=args.timeout, max_rows=args.max_rows, memory_bytes=args.memory * 1024**2)
    table_fmt = "json" if args.format == "table" else args.format if args.format in sparql.TABLE_FORMATS else None
    graph_fmt = args.format if args.format in sparql.GRAPH_FORMATS else "turtle"
    try:
        fmt, body = run_once(store, text, limits, table_fmt, graph_fmt, PREFIXES)
    except RequestError as error:
        raise UsageError(error.message) from None
    if args.format == "table" and fmt == "json":
        answer = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        return sparql.serialize(sparql.QueryResult.of(answer), "table")
    return body.decode("utf-8").rstrip("\n")


def cmd_export(args: argparse.Namespace) -> int:
    from graph.export import EXPORTS, export_all
    from graph.files import staged_folder

    out = Path(args.output) if args.output else paths.output_dir() / "exports"
    graph = _graph(args)
    with staged_folder(out, replaces=args.only or EXPORTS) as stage:
        written = export_all(graph, stage, args.only or None)
    for path in written:
        print(out / path.name)
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from graph.buildcache import build

    out = Path(args.output) if args.output else paths.output_dir()
    _check_cut_folder(out, args.max_chapter)
    lines, ontology_missing = build(args.data, out, args.max_chapter)  # refuses invalid data: DataError, nothing written
    for line in lines:
        print(line)
    if ontology_missing:
        print(f"ontology documentation not written: {ontology_missing}", file=sys.stderr)
    return 0


#: What a spoiler-free build may find in its output folder: its own earlier files (and hidden temporary ones).
CUT_BUILD_FILES = frozenset({"exports", "index.html", "ontology"})  # the ontology tells nothing of the story


def _check_cut_folder(out: Path, max_chapter: int) -> None:
    """A build cut at a chapter must not sit beside files of the whole book (rendered notebooks, old maps)."""
    if max_chapter >= CHAPTERS or not out.is_dir():
        return
    others = sorted(p.name for p in out.iterdir() if p.name not in CUT_BUILD_FILES and not p.name.startswith("."))
    if others:
        raise UsageError(
            f"{out} also holds {', '.join(others[:5])}, made from the whole book: "
            f"give --max-chapter {max_chapter} an empty --output folder, so that nothing in it tells more than chapter {max_chapter}"
        )


def cmd_site(args: argparse.Namespace) -> int:
    from graph.files import staged_folder
    from graph.site import listed_files, write_site

    out = Path(args.output) if args.output else paths.output_dir()
    _check_cut_folder(out, args.max_chapter)
    graph = _graph(args)  # only valid data reaches the page
    with staged_folder(out, replaces=("maps", "index.html")) as stage:  # the companion replaces the old map pages
        write_site(graph, stage, args.max_chapter, files=listed_files(out))
    print(f"open: {out / 'index.html'}")
    return 0


def cmd_recap(args: argparse.Namespace) -> int:
    from graph.payload import build_payload
    from graph.recap import find_character, markdown, recap

    chapter = args.as_of or CHAPTERS
    start = args.start or 1
    if start > chapter:
        raise UsageError(f"--from {start} is after --as-of {chapter}")
    payload = build_payload(_graph(args), chapter)
    character = find_character(payload, args.character, chapter) if args.character else None
    rows = recap(payload, chapter, start=start, character=character, order=args.order)
    if args.format == "markdown":
        print(markdown(rows, group=args.group))
        return 0
    return _print_records(rows, args, ["chapter", "phase", "text"], empty="nothing is told in these chapters")


def cmd_notebooks(args: argparse.Namespace) -> int:
    from graph.notebooks import NotebookError, execute_notebooks, notebook_files, strip_file
    from graph.site import write_site

    folder = args.folder or paths.root_dir() / "notebooks"
    pages_folder = args.output or paths.output_dir() / "notebooks"
    try:
        if args.strip:
            for path in notebook_files(folder):
                print(f"{path}: {'outputs stripped' if strip_file(path) else 'already clean'}")
            return 0
        env = {"NLMG_DATA": str(args.data.resolve())} if args.data else None
        outcomes = execute_notebooks(folder, pages_folder, only=args.only, env=env)
    except NotebookError as error:
        raise UsageError(str(error)) from None
    for outcome in outcomes:
        if outcome.error is None:
            print(f"{outcome.page}  ({outcome.seconds:.1f}s)")
        else:
            print(f"failed: {outcome.error}", file=sys.stderr)
    if pages_folder.resolve().parent == paths.output_dir().resolve():
        write_site(_graph(args), paths.output_dir())  # the companion lists the notebook pages
    failed = [o for o in outcomes if o.error is not None]
    if failed:
        print(f"{len(failed)} of {len(outcomes)} notebook(s) failed; no page was written for them", file=sys.stderr)
    return 1 if failed else 0


def cmd_docs(args: argparse.Namespace) -> int:
    from graph.docs import DocsUnavailable, write_ontology_docs

    data = args.data or paths.data_dir()
    out = Path(args.output) if args.output else paths.output_dir() / "ontology"
    try:
        print(write_ontology_docs(Path(data) / "ontology.ttl", out))
    except DocsUnavailable as error:
        raise UsageError(str(error)) from None
    return 0


def _cached_dataset(data_dir: Path | None, graph) -> tuple[bytes, dict[str, int]]:
    """The endpoint's dataset (``prepared_dataset``) of the whole book, made once per version of the data."""
    import pickle

    from graph.cache import derived_file
    from graph.endpoint import prepared_dataset

    return pickle.loads(derived_file("endpoint-dataset.pickle", lambda: pickle.dumps(prepared_dataset(graph), protocol=pickle.HIGHEST_PROTOCOL), data_dir))


def cmd_serve(args: argparse.Namespace) -> int:
    from graph.endpoint import start_server, wait_until_stopped

    graph = _graph(args)
    prepared = None if getattr(args, "as_of", None) else _cached_dataset(args.data, graph)
    try:
        server, url = start_server(
            graph, args.host, args.port, timeout=args.timeout, max_rows=args.max_rows, workers=args.workers, quiet=False, prepared=prepared
        )
    except OSError as error:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {error.strerror or error}") from None
    if not any(server.pool.walls.values()):
        print("warning: the query workers could not be cut off from the network here (Linux only): only the text check stops SERVICE", file=sys.stderr)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: listening on {args.host}: anyone who can reach this machine can query it", file=sys.stderr)
    print(f"SPARQL endpoint: {url}sparql\nquery page:      {url}\n(Ctrl-C stops it)", flush=True)
    wait_until_stopped(server)
    return 0


def cmd_storyline(args: argparse.Namespace) -> int:
    from graph.cache import checked_graph, checked_projection
    from graph.queries import resolve
    from graph.storyline import main_characters, storyline
    from graph.storyline_svg import geometry, write_svg

    if args.out.suffix.lower() != ".svg":
        raise UsageError(f"{args.out}: the storyline is written as SVG; give a file name ending in .svg")
    if not 600 <= args.width <= 10_000:
        raise UsageError(f"--width {args.width}: give a width from 600 to 10000 pixels (the labels need room)")
    chapter = args.as_of or CHAPTERS
    graph = checked_graph(args.data)
    net = checked_projection(args.data, as_of=chapter)
    if args.all:
        chosen = [n for n, d in net.nodes(data=True) if d["kind"] == "character"]
    else:
        chosen = main_characters(net) + [resolve(net, name, "character") for name in args.add]
    layout = storyline(graph, chapter, args.order, list(dict.fromkeys(chosen)), projection=net)
    print(write_svg(geometry(layout, args.width), args.out))
    return 0


def _trail(places: list[str], last: int = 4) -> str:
    return " > ".join((["..."] if len(places) > last else []) + places[-last:])


def cmd_where(args: argparse.Namespace) -> int:
    from graph.places import whereabouts

    records = whereabouts(_projection(args), order=args.order)
    if args.format == "table":
        records = [
            {"who": r["label"], "where": ", ".join(r["within"]), "since": r["chapter"], "event": r["event"], "trail": _trail(r["trail"])} for r in records
        ]
    return _print_records(records, args, empty="nobody has been placed yet")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nlmg", description="The Never Let Me Go knowledge graph.")
    parser.add_argument("--data", type=Path, default=None, help="folder of Turtle files (default: data/)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(
        name: str, func: Callable[[argparse.Namespace], int], help_text: str, *, as_of_option: bool = False, formats: Sequence[str] = FORMATS
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        if as_of_option:
            p.add_argument("--as-of", type=_chapter, metavar="N", help="only what a reader knows after chapter N (spoiler-safe)")
        if formats:
            p.add_argument("--format", "-f", choices=formats, default=formats[0])
        return p

    command("validate", cmd_validate, "check syntax, SHACL shapes and integrity of data/", formats=("text", "json"))
    command("stats", cmd_stats, "counts by type, events and relationships per chapter", as_of_option=True)
    build = command("build", cmd_build, "validate, then write every export and the reader's companion to output/", formats=())
    build.add_argument("--output", type=Path, default=None, help="output folder (default: output/)")
    build.add_argument("--max-chapter", type=_chapter, default=CHAPTERS, metavar="N", help="leave out everything told after chapter N (a spoiler-free build)")

    def slicing(p: argparse.ArgumentParser) -> None:
        p.add_argument("--part", type=int, choices=(1, 2, 3), help="only relationships and events told in this part")
        p.add_argument("--phase", help="only relationships and events of this story phase (e.g. cottages)")

    p = command("relations", cmd_relations, "who is related to a character, how, since when", as_of_option=True)
    p.add_argument("name")
    slicing(p)
    p = command("path", cmd_path, "how two people (or things) are connected, each hop explained", as_of_option=True)
    p.add_argument("source")
    p.add_argument("target")
    p.add_argument("--all", action="store_true", help="every path up to --max-hops, not only the shortest")
    p.add_argument("--max-hops", type=_count, default=3)
    slicing(p)
    p = command("ego", cmd_ego, "the relationship network around a character", as_of_option=True)
    p.add_argument("name")
    p.add_argument("--radius", type=_count, default=1)
    slicing(p)
    p = command("common", cmd_common, "events two characters share", as_of_option=True)
    p.add_argument("first")
    p.add_argument("second")
    slicing(p)
    p = command("place", cmd_place, "what happens at a place (and inside it), and who is there", as_of_option=True)
    p.add_argument("name")
    slicing(p)
    p = command("timeline", cmd_timeline, "a character's events, as told or as lived", as_of_option=True)
    p.add_argument("name")
    p.add_argument("--order", choices=("discourse", "story"), default="discourse")
    slicing(p)
    p = command("storyline", cmd_storyline, "draw the storyline chart (who is with whom, as told or as lived) as SVG", as_of_option=True, formats=())
    p.add_argument("--order", choices=("discourse", "story"), default="discourse", help="x axis: chapters as told (default) or story phases as lived")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.svg", help="the SVG file to write")
    p.add_argument("--add", action="append", default=[], metavar="NAME", help="draw this character too, besides the main ones (repeatable)")
    p.add_argument("--all", action="store_true", help="draw every character present at an event")
    p.add_argument("--width", type=int, default=1400, help="width in pixels (default: 1400)")
    p = command("where", cmd_where, "where everyone is as of a chapter: the place of their latest event, with the trail before it", as_of_option=True)
    p.add_argument("--order", choices=("discourse", "story"), default="discourse", help="latest as told (default) or as lived")
    p = command("metrics", cmd_metrics, "centralities, graph measures and communities of the relationship layer", as_of_option=True)
    p.add_argument("--by", choices=("none", "part", "chapter"), default="none", help="per part, or cumulatively per chapter")
    p.add_argument("--readings", action="store_true", help="ranks and communities on stated facts, then with Kathy's claims, then with rumours")
    p.add_argument("--told-shown", action="store_true", help="per pair of characters: the chapters that state a tie against the scenes they share")
    slicing(p)
    p = command(
        "query",
        cmd_query,
        "run a SPARQL query: a named one, a .rq file or inline",
        as_of_option=True,
        formats=("table", "csv", "tsv", "json", "xml", "turtle", "json-ld", "ntriples"),
    )
    p.add_argument("query", nargs="?", help="query name (see --list), path to a .rq file, or the query text")
    p.add_argument("--list", action="store_true", help="list the named queries")
    p.add_argument("--timeout", type=_seconds, default=5.0, metavar="SECONDS", help="time limit, as the endpoint's (default: 5)")
    p.add_argument("--max-rows", type=int, default=10_000, metavar="N", help="most rows (or triples) in an answer (default: 10000)")
    p.add_argument("--memory", type=int, default=4096, metavar="MB", help="memory the query may use (default: 4096)")
    p = command("site", cmd_site, "write the reader's companion (output/index.html: map, cards, recap, rumours, search)", formats=())
    p.add_argument("--output", type=Path, default=None, help="output folder (default: output/)")
    p.add_argument("--max-chapter", type=_chapter, default=CHAPTERS, metavar="N", help="leave out everything told after chapter N (a spoiler-free build)")
    p = command("recap", cmd_recap, "the story so far: one sentence per event, citing its chapter", as_of_option=True, formats=("table", "json", "markdown"))
    p.add_argument("--from", dest="start", type=_chapter, metavar="M", help="only events first told in chapter M or later")
    p.add_argument("--character", metavar="NAME", help="only the events of this character")
    p.add_argument("--order", choices=("discourse", "story"), default="discourse", help="as told (default) or as lived")
    p.add_argument("--group", choices=("chapter", "phase"), default="chapter", help="markdown headings by chapter or story phase")
    p = command("serve", cmd_serve, "a local, read-only SPARQL endpoint (/sparql) with a query page (/)", formats=())
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=7878, help="port (default: 7878; 0 picks a free one)")
    p.add_argument("--timeout", type=_seconds, default=5.0, metavar="SECONDS", help="time limit per query (default: 5)")
    p.add_argument("--max-rows", type=int, default=10_000, metavar="N", help="most rows (or triples) in an answer (default: 10000)")
    p.add_argument("--workers", type=int, default=2, metavar="N", help="query worker processes (default: 2)")
    p = command("export", cmd_export, "write Turtle, N-Triples, JSON-LD, TriG, GraphML, GEXF and CSV", as_of_option=True, formats=())
    p.add_argument("--output", type=Path, default=None, help="folder (default: output/exports)")
    p.add_argument("--only", action="append", metavar="FILE", help="only this export (repeatable), e.g. nlmg.gexf")
    p = command("docs", cmd_docs, "write the ontology's documentation (offline HTML, pyLODE) to output/ontology/", formats=())
    p.add_argument("--output", type=Path, default=None, help="folder (default: output/ontology)")
    p = command("notebooks", cmd_notebooks, "run the notebooks top to bottom and render them to HTML in output/notebooks/", formats=())
    p.add_argument("only", nargs="*", metavar="NAME", help="only the notebooks whose file name starts with NAME (e.g. 02)")
    p.add_argument("--folder", type=Path, default=None, help="notebook folder (default: notebooks/)")
    p.add_argument("--output", type=Path, default=None, help="folder for the pages (default: output/notebooks)")
    p.add_argument("--strip", action="store_true", help="only remove outputs and execution counts from the notebooks, in place")
    return parser


#: The longest message echoed: a pasted 100,000-character name is not printed back whole.
LONGEST_MESSAGE = 400


def _said(message: object) -> str:
    text = str(message)
    return text if len(text) <= LONGEST_MESSAGE else f"{text[:LONGEST_MESSAGE]}... ({len(text):,} characters in all)"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    try:
        return args.func(args)
    except DataError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problem(s) in the data: fix them, then run the command again (nothing was written)", file=sys.stderr)
        return 1
    except (UsageError, ValueError, LookupError) as error:
        print(f"nlmg: {_said(error)}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except OSError as error:  # a folder that cannot be written, a disk that is full
        where = f": {_said(error.filename)}" if error.filename else ""
        print(f"nlmg: {error.strerror or error}{where}", file=sys.stderr)
        return 1


def run() -> NoReturn:
    """The ``nlmg`` command: ``main``, then exit at once. Once its output is flushed a command is over; the
    interpreter's usual shutdown freed a build's objects one by one, 0.3 s more."""
    try:
        code = main()
    finally:
        with contextlib.suppress(BrokenPipeError, ValueError):  # a reader that went away, a stream already closed
            sys.stdout.flush()
            sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
