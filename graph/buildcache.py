"""``nlmg build``: every generated file, made once per version of what it is made from, then copied.

A build depends only on the data (the key of ``graph.cache``: the content of every data file and the
package's code), the front-end files the companion inlines, the versions of the libraries that write
the files, the chapter it is cut at and the notebook pages the companion lists. So the cache keeps the
bytes of a build beside the loaded graph, and a build with unchanged inputs only writes them out
(a fresh build names the blank nodes of the RDF exports anew, and the last digits of some measures can
differ). Invalid data still raises ``DataError`` before anything is written.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import pickle
import tempfile
from collections.abc import Iterator
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

from graph import paths
from graph.book import CHAPTERS
from graph.books import Book, books, for_each_book, in_edited_files
from graph.problems import DataError, Problem

__all__ = ["build", "render"]

#: The libraries whose versions can change the bytes of a build.
LIBRARIES = ("rdflib", "networkx", "numpy", "pyoxigraph", "pylode")
#: Where the build writes (in ``out``); what is made in one staged swap.
STAGED = ("exports", "maps", "index.html")


#: The exports a forked child writes while this process makes the rest: the RDF serialisations, read from the graph alone.
CHILD_EXPORTS = ("nlmg.ttl", "nlmg.nt", "nlmg.jsonld", "nlmg.trig", "void.ttl")


def _side_files(graph: Any, exports: Path, data_dir: Path | None, ontology: Path | None) -> str | None:
    """The child's share of a build: the RDF exports of ``graph`` into ``exports``, and the ontology's
    documentation pages into ``ontology`` (if given); ``None``, or why the pages could not be made."""
    from graph.docs import DocsUnavailable, write_ontology_docs
    from graph.export import export_all

    export_all(graph, exports, list(CHILD_EXPORTS))
    try:
        if ontology is not None:
            write_ontology_docs((data_dir or paths.data_dir()) / "ontology.ttl", ontology)
    except DocsUnavailable as error:
        return str(error)
    return None


def render(graph: Any, stage: Path, max_chapter: int, notebooks: list[str], data_dir: Path | None = None, docs: bool = True) -> tuple[int, str | None]:
    """Write the exports, the companion of ``graph`` (nothing told after ``max_chapter``) and, with ``docs``, the
    ontology's pages into ``stage``; return how many exports were written and, when the pages could not be made, why.
    Forked children (``graph.background``) write the RDF exports and the pages, and the tables, while this
    process makes the companion."""
    from graph import background
    from graph.export import EXPORTS, export_all
    from graph.site import write_site
    from graph.spoilers import as_of
    from graph.visibility import reader_cuts, whole_projection

    told = as_of(graph, max_chapter) if max_chapter < CHAPTERS else graph
    side = background.start(lambda: _side_files(told, stage / "exports", data_dir, stage / "ontology" if docs else None))
    tables = None
    try:
        reader_cuts(told)  # made once, before the fork: the child writing the tables reads them, as the companion does
        whole_projection(told)
        with _spared_by_the_collector():  # the cuts too live as long as the build
            import numpy  # noqa: F401 - the companion's layout here and the tables' centrality: imported once, before the fork

            tables = background.start(lambda: export_all(told, stage / "exports", [name for name in EXPORTS if name not in CHILD_EXPORTS]))
            write_site(graph, stage, max_chapter, files={"exports": sorted(EXPORTS), "notebooks": notebooks})  # what the folder will list
            tables.result()
    except BaseException:
        for child in (side, tables):
            if child is not None:
                child.cancel()
        raise
    return len(EXPORTS), side.result()


def _inputs(max_chapter: int, notebooks: list[str]) -> str:
    """A digest of what a build reads beyond the data: the package's other files, the libraries, its options."""
    digest = hashlib.sha256(f"{max_chapter}\0{notebooks}\0".encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name} {metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} -\0".encode())
    package = Path(__file__).parent
    for path in sorted(p for p in package.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """A build makes millions of objects and keeps most of them: while the block runs, collect the young ones
    every 10,000 allocations, not every 700 (the collector took 0.2 s of a build's CPU, now 0.07 s)."""
    previous = gc.get_threshold()
    gc.set_threshold(10_000, 10, 10)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


@contextlib.contextmanager
def _spared_by_the_collector() -> Iterator[None]:
    """Leave the objects alive now (the loaded graph; in ``render``, the cuts too) out of the garbage collector's
    scans until the block ends: they live as long as the build, and each full collection walked them all
    (0.4 s of a build's CPU). Unfrozen after (a nested block unfreezes everything), so that the process can
    still free them."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _made(graph: Any, data_dir: Path | None, max_chapter: int, notebooks: list[str], docs: bool = True) -> dict[str, Any]:
    """Build into a temporary folder: the files (relative path -> bytes), the graph's size, why the ontology pages are missing
    (``docs``: whether to write them)."""
    with tempfile.TemporaryDirectory(prefix="nlmg-build-") as folder, _spared_by_the_collector():
        stage = Path(folder)
        exports, missing = render(graph, stage, max_chapter, notebooks, data_dir, docs)
        files = {str(p.relative_to(stage)): p.read_bytes() for p in sorted(stage.rglob("*")) if p.is_file()}
    return {"triples": len(graph), "exports": exports, "files": files, "ontology_missing": missing}


def _cached_made(data_dir: Path | None, max_chapter: int, notebooks: list[str], docs: bool = True) -> dict[str, Any]:
    """``_made``, from the cache when this data, code and options were built before (data never validated
    are validated in a forked child meanwhile: ``graph.cache.derived_from_graph``).

    Raises:
        DataError: the data are invalid.
    """
    from graph.cache import derived_from_graph

    name = f"build-{_inputs(max_chapter, notebooks)[:40]}{'' if docs else '-nodocs'}.pickle"
    made = derived_from_graph(name, lambda graph: pickle.dumps(_made(graph, data_dir, max_chapter, notebooks, docs), pickle.HIGHEST_PROTOCOL), data_dir)
    return pickle.loads(made)


def _written(made: dict[str, Any], stage: Path, prefix: str) -> dict[str, Any]:
    """Write a build's staged files under ``stage/prefix``; return the rest of ``made``: its figures, and
    the files written beside the staged set (the ontology pages) still as bytes."""
    from graph.files import write_bytes

    beside = {}
    for rel, content in made["files"].items():
        if rel.split("/")[0] in STAGED:
            write_bytes(stage / prefix / rel, content)
        else:
            beside[f"{prefix}/{rel}" if prefix else rel] = content
    return {**made, "files": beside}


def _book_written(book: Book, max_chapter: int, notebooks: list[str], stage: Path) -> dict[str, Any] | list[Problem]:
    """One book of a shelf built into ``stage/<its name>`` (the ontology pages and notebooks only for the
    shelf's own book): what ``_written`` returns, or the book's problems. The book is built in a child forked
    from the worker, which ends without freeing what it made: freeing a book's objects one by one cost
    0.2 s of CPU, and left to the collector they piled up (a worker grew to 2 GB over 50 books)."""
    from graph import background

    return background.start(partial(_book_built_here, book, max_chapter, notebooks, stage)).result()


def _book_built_here(book: Book, max_chapter: int, notebooks: list[str], stage: Path) -> dict[str, Any] | list[Problem]:
    """``_book_written``'s work, in this process: the pieces in turn (the other workers keep the other cores busy)."""
    from graph import background

    background.fork_children(False)
    try:
        with _fewer_collections():
            made = _cached_made(book.folder(), max_chapter, notebooks if not book.name else [], docs=not book.name)
        return _written(made, stage, book.name)
    except DataError as error:
        return in_edited_files(error.problems)


def _write_books(shelf: list[Book], data_dir: Path | None, max_chapter: int, notebooks: list[str], stage: Path) -> dict[str, dict[str, Any]]:
    """Build each book into ``stage`` (a shelf's books in parallel, each written by the process that made it);
    return each book's figures and unstaged files by its name (``""``, the data folder's own).

    Raises:
        DataError: some book's data are invalid (every problem of every book).
    """
    if len(shelf) == 1:
        return {"": _written(_cached_made(data_dir, max_chapter, notebooks), stage, "")}
    made = for_each_book(partial(_book_written, max_chapter=max_chapter, notebooks=notebooks, stage=stage), shelf)
    problems = [problem for result in made if isinstance(result, list) for problem in result]
    if problems:
        raise DataError(problems)
    return {book.name: result for book, result in zip(shelf, made, strict=True)}  # type: ignore[misc]


def build(data_dir: Path | None, out: Path, max_chapter: int = CHAPTERS) -> tuple[list[str], str | None]:
    """Write every generated file to ``out`` (a shelf's other books into sub-folders named as theirs);
    return the lines to print and, when the ontology pages could not be made, why.

    Raises:
        DataError: the data are invalid (nothing written).
    """
    from graph.files import staged_folder, write_bytes
    from graph.site import listed_files

    notebooks = listed_files(out)["notebooks"]
    shelf = books(data_dir)
    staged_names = (*STAGED, *(book.name for book in shelf if book.name))
    with staged_folder(out, replaces=staged_names) as stage, _fewer_collections():  # the old map pages go with the old set
        made = _write_books(shelf, data_dir, max_chapter, notebooks, stage)
    for book in made.values():
        for rel, content in book["files"].items():
            write_bytes(out / rel, content)
    cut = f" (nothing after chapter {max_chapter})" if max_chapter < CHAPTERS else ""
    first = made.get("", next(iter(made.values())))
    triples = sum(book["triples"] for book in made.values())
    others = f" (and {len(made) - 1} more books, each in its folder)" if len(made) > 1 else ""
    lines = [
        f"valid: {triples} triples" + (f" in {len(made)} books" if len(made) > 1 else ""),
        f"exports: {out / 'exports'} ({first['exports']} files){others}{cut}",
        f"open:    {out / 'index.html'}{others}{cut}",
    ]
    if first["ontology_missing"] is None and "" in made:
        lines.append(f"ontology: {out / 'ontology' / 'index.html'}")
    return lines, first["ontology_missing"]
