"""Validation of the data: Turtle syntax, SHACL shapes (rudof, ``graph.shacl``) and integrity checks.

Each problem names the file and line, what is wrong and how to fix it, in plain words.

>>> report = validate()
>>> report.conforms
True
"""

from __future__ import annotations

import difflib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Node, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SDO, SH, XSD
from rdflib.plugins.parsers.notation3 import BadSyntax

from graph import paths
from graph.books import Book, books, for_each_book, in_edited_files
from graph.derive import derived_predicates
from graph.load import Parsed, data_files, loaded_from, merged, parse_each, syntax_problem, unreadable
from graph.namespaces import NLMG, SEM
from graph.problems import DataError, Problem, SourceIndex, short_name
from graph.shacl import shape_results
from graph.spoilers import CHAPTERS, chapter_numbers, reveal_chapters

__all__ = ["MAX_REPORTED", "ValidationReport", "check", "validate"]

#: The most problems of one kind described one by one; the rest are counted (each costs a search of the files).
MAX_REPORTED = 100

#: Vocabularies whose terms need no declaration in data/.
_BUILT_IN = (str(RDF), str(RDFS), str(OWL), str(XSD), str(SH))
#: Predicates whose objects are documents or namespaces, not things of the graph.
_POINTS_OUTSIDE = {RDFS.isDefinedBy, RDFS.seeAlso, OWL.sameAs, SDO.license, SDO.sameAs}


@dataclass
class ValidationReport:
    """What ``validate`` found, and how long each step took."""

    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    triples: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def conforms(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, object]:
        return {
            "conforms": self.conforms,
            "files": self.files,
            "triples": self.triples,
            "seconds": self.seconds,
            "problems": [p.as_dict() for p in self.problems],
        }


def validate(data_dir: Path | None = None, shapes: Path | None = None) -> ValidationReport:
    """Check every file under ``data_dir`` (default ``data/``) against syntax, shapes and integrity."""
    return check(data_dir, shapes)[0]


def check(data_dir: Path | None = None, shapes: Path | None = None, parsed: Parsed | None = None) -> tuple[ValidationReport, Graph | None]:
    """``validate``, and the loaded graph (derived triples added) it checked, or ``None`` when a file does not parse.

    The graph is the one ``load`` returns: a caller that needs both pays for one parse. ``parsed``: the
    files of ``data_dir`` already parsed (``graph.load.parse``), checked as they are.
    """
    report = ValidationReport()
    root = paths.root_dir()
    try:
        shelf = books(data_dir)
        if len(shelf) > 1 and shapes is None:
            return _shelf_report(shelf), None
        files = data_files(data_dir)
        report.files = len(files)
        started = time.perf_counter()
        per_file = parsed.files if parsed is not None else parse_each(files)
    except DataError as error:
        report.problems = error.problems
        return report, None
    raw = merged(per_file.values(), store="SimpleMemory")  # read by the checks below only
    report.seconds["parse"] = time.perf_counter() - started
    index = SourceIndex(files, root)

    started = time.perf_counter()
    undeclared = _undeclared_iris(raw, index)
    report.problems += undeclared
    report.problems += _declared_twice(per_file, index)
    numbering = _chapters_numbered(raw, index)
    report.problems += numbering
    if not numbering:  # both compare chapter numbers: with the numbering broken they would only add noise
        report.problems += _events_in_their_chapter_file(per_file, raw, index)
        report.problems += _chapter_order(raw, index)
    report.problems += _authored_derived_triples(raw, index)
    report.problems += _places_inside_themselves(raw, index)
    report.seconds["integrity"] = time.perf_counter() - started

    started = time.perf_counter()
    loaded = parsed.graph if parsed is not None else loaded_from(per_file)
    report.triples = len(loaded)
    already_said = {p.node for p in undeclared}
    shapes_path = shapes or paths.shapes_file(data_dir)
    report.problems += _shape_problems(loaded, raw, index, shapes_path, already_said)
    report.seconds["shacl"] = time.perf_counter() - started
    return report, loaded


def _book_report(book: Book) -> ValidationReport:
    """``validate`` of one book of a shelf, its problems naming the data files themselves."""
    from graph.cache import release, validation  # the book's verdict and graph are cached for the commands that follow

    report = validation(book.folder())
    release()  # a worker holding every book it checked would slow as it grew
    report.problems = in_edited_files(report.problems)
    return report


def _shelf_report(shelf: list[Book]) -> ValidationReport:
    """A shelf is valid when each of its books is (checked apart, in parallel); the files shared by the books count once."""
    merged = ValidationReport()
    for report in for_each_book(_book_report, shelf):
        merged.problems += [p for p in report.problems if p not in merged.problems]
        merged.triples += report.triples
        for step, seconds in report.seconds.items():
            merged.seconds[step] = merged.seconds.get(step, 0.0) + seconds
    merged.files = len({path.resolve() for book in shelf for _, path in book.files if path.suffix == ".ttl" and path.name != "shapes.ttl"})
    return merged


def _label(graph: Graph, node: Node) -> str:
    return short_name(str(node)) if isinstance(node, URIRef) else "a blank node"


def _owner(graph: Graph, node: Node) -> Node:
    """The IRI a blank node hangs from (a participant node's event), or the node itself."""
    seen: set[Node] = set()
    while isinstance(node, BNode) and node not in seen:
        seen.add(node)
        parent = next(graph.subjects(None, node), None)
        if parent is None:
            break
        node = parent
    return node


def _undeclared_iris(raw: Graph, index: SourceIndex) -> list[Problem]:
    declared = {s for s in raw.subjects(RDF.type, None) if isinstance(s, URIRef)}
    used: set[URIRef] = set()
    for s, p, o in raw:
        used.update(t for t in (s, p) if isinstance(t, URIRef))
        if isinstance(o, URIRef) and p not in _POINTS_OUTSIDE:
            used.add(o)
    names = {short_name(str(d)): d for d in declared}
    missing = sorted(iri for iri in used - declared if not str(iri).startswith(_BUILT_IN))
    problems = []
    for iri in missing[:MAX_REPORTED]:
        name = short_name(str(iri))
        guesses = difflib.get_close_matches(name, list(names), n=3, cutoff=0.75)
        hint = f"did you mean {', '.join(guesses)}? Otherwise declare it" if guesses else "declare it"
        file, line = index.locate(iri, as_subject=False)
        problems.append(
            Problem(
                file,
                line,
                f"{name} is used but never declared (no 'a <Class>' for it anywhere in data/)",
                f"{hint} with its type, label and first chapter, or correct the spelling",
                rule="undeclared-iri",
                node=str(iri),
            )
        )
    if len(missing) > MAX_REPORTED:
        problems.append(
            Problem(
                None,
                None,
                f"{len(missing) - MAX_REPORTED} more IRIs are used but never declared (the first {MAX_REPORTED} are listed above)",
                "fix those first: a file of undeclared names is usually a wrong file in the data folder",
                rule="undeclared-iri",
            )
        )
    return problems


def _chapters_numbered(raw: Graph, index: SourceIndex) -> list[Problem]:
    """Each book's chapters are numbered 1 to 23, each number once: every spoiler cut and order relies on it.

    A chapter's book is the book of its part (``schema:isPartOf`` twice); a shelf of books is checked book by book.
    """
    if not set(raw.subjects(RDF.type, NLMG.Chapter)):
        fix = "add book.ttl, which declares :chapter-01 to :chapter-23"
        return [Problem(None, None, "the data declares no chapter (nothing is a nlmg:Chapter)", fix, rule="chapters")]
    by_book: dict[Node | None, dict[int, list[Node]]] = {}
    for chapter, number in chapter_numbers(raw).items():
        part = raw.value(chapter, SDO.isPartOf)
        book = raw.value(part, SDO.isPartOf) if part is not None else None
        by_book.setdefault(book, {}).setdefault(number, []).append(chapter)
    problems = []
    for book, by_number in sorted(by_book.items(), key=lambda item: str(item[0])):
        of_book = f" of {short_name(str(book))}" if len(by_book) > 1 and book is not None else ""
        for number in range(1, CHAPTERS + 1):
            holders = sorted(by_number.get(number, []))
            if len(holders) == 1:
                continue
            if holders:
                file, line = index.locate(holders[1])
                names = " and ".join(short_name(str(h)) for h in holders)
                problems.append(Problem(file, line, f"{names} both have schema:position {number}", "give each chapter its own number", rule="chapters"))
            else:
                fix = f"declare :chapter-{number:02d} with schema:position {number} in book.ttl"
                problems.append(Problem(None, None, f"no chapter{of_book} has schema:position {number}", fix, rule="chapters"))
    return problems


def _places_inside_themselves(raw: Graph, index: SourceIndex) -> list[Problem]:
    """``schema:containedInPlace`` has no cycle: 'what happens inside a place' must come to an end."""
    import networkx as nx

    inside = nx.DiGraph(list(raw.subject_objects(SDO.containedInPlace)))
    problems = []
    for component in nx.strongly_connected_components(inside):
        first = min(component)
        if len(component) == 1 and not inside.has_edge(first, first):
            continue
        loop = [s for s, _ in nx.find_cycle(inside.subgraph(component), first)]
        file, line = index.locate(first)
        chain = " in ".join(short_name(str(n)) for n in [*loop, first])
        problems.append(
            Problem(
                file,
                line,
                f"{short_name(str(first))} is inside itself through schema:containedInPlace ({chain})",
                "remove the schema:containedInPlace that points back into the place",
                rule="place-cycle",
                node=str(first),
            )
        )
    return sorted(problems, key=lambda p: (p.file or "", p.line or 0))


def _declared_twice(per_file: dict[Path, Graph], index: SourceIndex) -> list[Problem]:
    """One subject's triples live in one file: a thing typed in two files is declared twice."""
    homes: dict[URIRef, list[Path]] = {}
    for path, part in per_file.items():
        for subject in set(part.subjects(RDF.type, None)):
            if isinstance(subject, URIRef):
                homes.setdefault(subject, []).append(path)
    problems = []
    for subject, files in sorted(homes.items()):
        if len(files) > 1:
            names = " and ".join(index.display(f) for f in files)
            file, line = index.display(files[1]), _line_of(index, subject, files[1])
            problems.append(
                Problem(
                    file,
                    line,
                    f"{short_name(str(subject))} is declared in {names}",
                    "keep its statements in one file and delete the other declaration",
                    rule="declared-twice",
                    node=str(subject),
                )
            )
    return problems


def _events_in_their_chapter_file(per_file: dict[Path, Graph], raw: Graph, index: SourceIndex) -> list[Problem]:
    """``events/chapter-NN.ttl`` holds the events first told in chapter NN, named ``:eNN-...``."""
    reveal = reveal_chapters(raw)
    problems = []
    for path, part in per_file.items():
        match = re.fullmatch(r"chapter-(\d+)\.ttl", path.name)
        if match is None:
            continue
        chapter = int(match.group(1))
        for event in sorted(part.subjects(RDF.type, NLMG.Event)):
            first, name = reveal.get(event), short_name(str(event))
            if first == chapter and str(event).rsplit("/", 1)[-1].startswith(f"e{chapter:02d}-"):
                continue
            told = f"is first told in chapter {first}" if first is not None else "cites no chapter"
            problems.append(
                Problem(
                    index.display(path),
                    _line_of(index, event, path),
                    f"{name} {told}, but chapter-{chapter:02d}.ttl holds the events first told in chapter {chapter}",
                    f"move it to events/chapter-{first:02d}.ttl and name it :e{first:02d}-..." if first else "cite its chapters with nlmg:toldIn",
                    rule="event-file",
                    node=str(event),
                )
            )
    return problems


def _line_of(index: SourceIndex, subject: URIRef, path: Path) -> int | None:
    return SourceIndex([path], index.root).locate(subject)[1]


def _authored_derived_triples(raw: Graph, index: SourceIndex) -> list[Problem]:
    problems = []
    for prop in sorted(derived_predicates(raw)):
        for subject, obj in raw.subject_objects(prop):
            file, line = index.locate(subject)
            problems.append(
                Problem(
                    file,
                    line,
                    f"{_label(raw, subject)} {short_name(str(prop))} {_label(raw, obj)} is written by hand, but loading derives it",
                    "remove it: write a relationship node or a participant instead (see data/README.md, 'What loading adds')",
                    rule="derived-triple-authored",
                    node=str(subject),
                )
            )
    return problems


def _chapter_order(raw: Graph, index: SourceIndex) -> list[Problem]:
    """Nothing can take part in a statement told before the reader has met it."""
    reveal = reveal_chapters(raw)
    links = [
        (SEM.hasPlace, "place"),
        (NLMG.involves, "object"),
        (NLMG.source, "source"),
        (NLMG.target, "target"),
        (NLMG.heldBy, "holder"),
        (RDF.subject, "subject"),
    ]
    pairs: list[tuple[Node, Node, str]] = [(s, o, what) for prop, what in links for s, o in raw.subject_objects(prop)]
    pairs += [(event, person, "participant") for event, role in raw.subject_objects(SEM.hasActor) if (person := raw.value(role, RDF.value)) is not None]
    problems = []
    for told, thing, what in pairs:
        told_at, met_at = reveal.get(told), reveal.get(thing)
        if told_at is None or met_at is None or met_at <= told_at:
            continue
        owner = _owner(raw, told)
        file, line = index.locate(owner)
        problems.append(
            Problem(
                file,
                line,
                f"{_label(raw, owner)} is told in chapter {told_at}, but its {what} {_label(raw, thing)} has nlmg:firstChapter chapter {met_at}",
                f"check both in the book: move {_label(raw, thing)}'s nlmg:firstChapter back to chapter {told_at} or earlier, or correct the citation",
                rule="chapter-order",
                node=str(owner),
            )
        )
    return problems


def _split(message: str) -> tuple[str, str]:
    what, _, fix = message.partition(": ")
    return (what, fix) if fix else (message, "see data/README.md for the expected form")


def _shape_problems(loaded: Graph, raw: Graph, index: SourceIndex, shapes_path: Path, already_said: set[str | None]) -> list[Problem]:
    """SHACL results in plain words; a result about an IRI already reported as undeclared is left out."""
    refused = unreadable(shapes_path)
    if refused is not None:
        return [Problem(refused.file, None, f"cannot read the SHACL shapes: {refused.message}", refused.fix, rule="shapes")]
    shapes_text = shapes_path.read_text(encoding="utf-8", errors="replace")
    try:
        shapes = Graph().parse(data=shapes_text, format="turtle")
    except BadSyntax as error:
        found = syntax_problem(shapes_path, error, shapes_text)
        return [Problem(found.file, found.line, f"the SHACL shapes do not parse: {found.message}", found.fix, rule="shapes")]
    except Exception as error:
        return [Problem(str(shapes_path), None, f"cannot read the SHACL shapes ({error})", "fix the shapes file", rule="shapes")]
    try:
        results = shape_results(loaded, shapes)
    except ValueError as error:
        return [Problem(str(shapes_path), None, f"the SHACL engine cannot use the shapes ({error})", "fix the shapes file", rule="shapes")]
    problems = set()
    for result in results:
        focus, value = result.focus, result.value
        if value is not None and str(value) in already_said:
            continue
        owner = _owner(raw, focus)
        what, fix = _split(result.message)
        file, line = index.locate(owner)
        subject = _label(raw, owner) + ("'s participant" if owner != focus else "")
        shown = f" (found: {_label(raw, value) if isinstance(value, URIRef) else value})" if value is not None and not isinstance(value, BNode) else ""
        problems.add(Problem(file, line, f"{subject}: {what}{shown}", fix, rule=short_name(result.source_shape), node=str(owner)))
    return sorted(problems, key=lambda p: (p.file or "", p.line or 0, p.message))
