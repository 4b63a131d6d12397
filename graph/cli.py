"""The ``nlmg`` command line: parse arguments, call the library, print. No logic of its own.

Exit codes: 0 success (and, for ``validate``, data conforms); 1 the data has problems;
2 bad usage or input (an unknown name, a chapter out of range, a malformed query).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from graph import paths
from graph.load import load
from graph.problems import DataError
from graph.render import FORMATS, render
from graph.spoilers import CHAPTERS, as_of
from graph.stats import stats
from graph.validate import validate

__all__ = ["main"]


class UsageError(Exception):
    """Bad input from the person at the keyboard: printed as is, exit 2."""


def _chapter(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a chapter number (1 to {CHAPTERS})") from None
    if not 1 <= number <= CHAPTERS:
        raise argparse.ArgumentTypeError(f"chapter {number} does not exist: the novel has chapters 1 to {CHAPTERS}")
    return number


def _graph(args: argparse.Namespace):
    """The loaded graph, cut at ``--as-of`` when given."""
    graph = load(args.data)
    return as_of(graph, args.as_of) if getattr(args, "as_of", None) else graph


def cmd_validate(args: argparse.Namespace) -> int:
    report = validate(args.data)
    if args.format == "json":
        print(json.dumps(report.as_dict(), indent=2))
    else:
        for problem in report.problems:
            print(problem)
        timing = ", ".join(f"{k} {v:.2f}s" for k, v in report.seconds.items())
        verdict = "valid" if report.conforms else f"{len(report.problems)} problem(s)"
        print(f"{verdict}: {report.files} files, {report.triples} triples ({timing})", file=sys.stderr if report.problems else sys.stdout)
    return 0 if report.conforms else 1


def cmd_stats(args: argparse.Namespace) -> int:
    result = stats(_graph(args))
    if args.format == "json":
        print(json.dumps(result.as_dict(), indent=2))
        return 0
    print(render([{"type": k, "count": v} for k, v in result.by_type.items()], args.format))
    print()
    print(render(result.per_chapter, args.format))
    if args.format == "table":
        missing = ", ".join(map(str, result.uncovered_chapters)) or "none"
        print(f"\n{result.triples} triples; chapters without events: {missing}")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    report = validate(args.data)
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if not report.conforms:
        print(f"{len(report.problems)} problem(s): fix the data, then build again (nothing was written)", file=sys.stderr)
        return 1
    out = Path(args.output) if args.output else paths.output_dir()
    print(f"valid: {report.files} files, {report.triples} triples")
    for line in build_outputs(load(args.data), out):
        print(line)
    return 0


def build_outputs(graph, out: Path) -> list[str]:
    """Write every generated file to ``out``; return one line per output for the person."""
    from graph.export import export_all

    written = export_all(graph, out / "exports")
    return [f"exports: {out / 'exports'} ({len(written)} files)"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nlmg", description="The Never Let Me Go knowledge graph.")
    parser.add_argument("--data", type=Path, default=None, help="folder of Turtle files (default: data/)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, func: Callable[[argparse.Namespace], int], help_text: str, *, as_of_option: bool = False,
                formats: Sequence[str] = FORMATS) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        if as_of_option:
            p.add_argument("--as-of", type=_chapter, metavar="N", help="only what a reader knows after chapter N (spoiler-safe)")
        if formats:
            p.add_argument("--format", "-f", choices=formats, default=formats[0])
        return p

    command("validate", cmd_validate, "check syntax, SHACL shapes and integrity of data/", formats=("text", "json"))
    command("stats", cmd_stats, "counts by type, events and relationships per chapter", as_of_option=True)
    build = command("build", cmd_build, "validate, then write every export and map to output/", formats=())
    build.add_argument("--output", type=Path, default=None, help="output folder (default: output/)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    try:
        return args.func(args)
    except DataError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print("the data has problems: run 'nlmg validate' for the full list", file=sys.stderr)
        return 1
    except (UsageError, ValueError, LookupError) as error:
        print(f"nlmg: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
