"""Every command's way to the data: validated once, then loaded from a cache keyed by the files' content.

The key is a SHA-256 of the code of this package and of every data file (its path, size and bytes)
and the shapes. For one key the cache folder (``paths.cache_dir()``) holds the validation verdict,
the loaded graph (a pickle, and N-Triples for Oxigraph's bulk loader) and the NetworkX projections
asked for so far (whole book, or cut at a chapter). Editing any data file changes the key, so a
command never sees stale data; unchanged data is never validated twice.

Each payload carries the SHA-256 of its bytes: a file that is truncated or altered is rebuilt, never
trusted. The folder is private to its user (mode 0700). A cache that cannot be written (a read-only
home, a full disk) only costs time.

Invalid data raises ``DataError`` with every problem: the command line prints them and exits 1.

>>> projection = checked_projection(as_of=9)
>>> "chrissie" in projection          # the veterans enter the story in chapter 10
False
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph import paths
from graph.datafiles import data_files, unreadable
from graph.files import write_bytes
from graph.problems import DataError, Problem

if TYPE_CHECKING:
    from collections.abc import Callable

    import networkx as nx
    from rdflib import Graph

    from graph.load import Parsed
    from graph.validate import ValidationReport

__all__ = ["checked_graph", "checked_ntriples", "checked_projection", "data_key", "derived_file", "derived_from_graph", "made_from", "validation"]

#: Change when the layout of an entry changes.
FORMAT = "1"
#: Entries holding a graph kept (one per valid version of the data seen most recently); older ones are deleted.
KEEP = 8
#: Entries of invalid data (a verdict only, a few kilobytes) kept.
KEEP_INVALID = 100
#: Entries used in the last ten minutes are kept whatever their number (each book of a shelf has one).
KEEP_SECONDS = 600
#: Graphs loaded in this process, by key: a command asking twice parses once.
_loaded: dict[str, Graph] = {}


@dataclass(frozen=True)
class _Entry:
    key: str
    data_dir: Path | None

    @property
    def folder(self) -> Path:
        return paths.cache_dir() / f"v{FORMAT}-{self.key[:40]}"


def _code_digest() -> bytes:
    digest = hashlib.sha256(f"{FORMAT} {sys.version}".encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.digest()


def data_key(data_dir: Path | None = None) -> str:
    """The SHA-256 (hex) of the package's code, every data file under ``data_dir`` and its shapes.

    Raises:
        DataError: the folder is missing or empty, or a file is not a readable regular file of bounded size.
    """
    files = data_files(data_dir)
    folder = Path(data_dir) if data_dir is not None else paths.data_dir()
    shapes = paths.shapes_file(data_dir)
    digest = hashlib.sha256(_code_digest())
    for path in [*files, shapes]:
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
        if path is shapes and unreadable(shapes) is not None:
            digest.update(b"unreadable\0")
            continue
        try:
            content = path.read_bytes()
        except OSError:
            content = b"\0unreadable"  # validation reports it with file and reason
        digest.update(len(content).to_bytes(8, "big") + content)
    return digest.hexdigest()


def _read(path: Path) -> bytes | None:
    """The payload of a cache file whose checksum holds; ``None`` (and the file removed) otherwise."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    checksum, _, payload = blob.partition(b"\n")
    if hashlib.sha256(payload).hexdigest().encode() != checksum:
        path.unlink(missing_ok=True)
        return None
    return payload


def _write(path: Path, payload: bytes) -> None:
    """Store ``payload`` with its checksum; a cache that cannot be written is skipped, not an error."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_bytes(path, hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)


def _unpickle(path: Path) -> Any:
    payload = _read(path)
    if payload is None:
        return None
    try:
        return pickle.loads(payload)
    except Exception:  # written by another version of a library: rebuild it
        path.unlink(missing_ok=True)
        return None


def _prune() -> None:
    with contextlib.suppress(OSError):
        entries = sorted((p for p in paths.cache_dir().glob(f"v{FORMAT}-*") if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
        valid = [p for p in entries if (p / "graph.pickle").exists()]
        invalid = [p for p in entries if p not in valid]
        recent = time.time() - KEEP_SECONDS
        for old in [p for p in valid[KEEP:] + invalid[KEEP_INVALID:] if p.stat().st_mtime < recent]:
            for file in old.iterdir():
                file.unlink(missing_ok=True)
            old.rmdir()


def _verdict(entry: _Entry, parsed: Parsed | None = None) -> dict[str, Any]:
    """The validation report of the data as a dict: from the cache, or by validating (and storing the graph);
    ``parsed``: the data files, already parsed (``graph.load.parse``)."""
    payload = _read(entry.folder / "verdict.json")
    if payload is not None:
        with contextlib.suppress(ValueError, TypeError):
            verdict = json.loads(payload)
            if isinstance(verdict.get("problems"), list):  # valid data without graph.pickle (a shelf's): loaded when needed
                return verdict
    from graph.validate import check

    report, graph = check(entry.data_dir, parsed=parsed)
    if report.conforms and graph is not None:
        _loaded[entry.key] = graph
        _write(entry.folder / "graph.pickle", pickle.dumps(graph, protocol=pickle.HIGHEST_PROTOCOL))
    verdict = report.as_dict()
    _write(entry.folder / "verdict.json", json.dumps(verdict).encode())
    _prune()
    return verdict


def _checked(data_dir: Path | None) -> _Entry:
    """The cache entry of valid data; ``DataError`` with every problem otherwise."""
    entry = _Entry(data_key(data_dir), data_dir)
    _refuse_invalid(_verdict(entry))
    return entry


def validation(data_dir: Path | None = None) -> ValidationReport:
    """The validation report of the data under ``data_dir``, validating only if these files were never validated.

    ``seconds`` is empty when the verdict came from the cache.
    """
    from graph.validate import ValidationReport

    try:
        entry = _Entry(data_key(data_dir), data_dir)
    except DataError as error:
        return ValidationReport(problems=error.problems)
    before = (entry.folder / "verdict.json").is_file()
    verdict = _verdict(entry)
    seconds = {} if before else verdict["seconds"]
    return ValidationReport([Problem(**p) for p in verdict["problems"]], verdict["files"], verdict["triples"], seconds)


def release() -> None:
    """Forget the graphs this process holds (a shelf's worker, done with one book, before the next)."""
    _loaded.clear()


def checked_graph(data_dir: Path | None = None) -> Graph:
    """The loaded graph (derived triples added) of valid data. Do not change it: it is shared in this process.

    Raises:
        DataError: every problem ``validate`` finds.
    """
    entry = _checked(data_dir)
    if entry.key not in _loaded:
        graph = _unpickle(entry.folder / "graph.pickle")
        if graph is None:
            graph = _loaded_graph(data_dir)
            _write(entry.folder / "graph.pickle", pickle.dumps(graph, protocol=pickle.HIGHEST_PROTOCOL))
        _loaded[entry.key] = graph
    return _loaded[entry.key]


def _loaded_graph(data_dir: Path | None) -> Graph:
    """The data loaded: a shelf as the union of its books' checked graphs (each parsed once, when validated)."""
    from graph.books import books
    from graph.load import load, merged

    shelf = books(data_dir)
    if len(shelf) == 1:
        return load(data_dir)
    return merged(checked_graph(book.folder()) for book in shelf)


def checked_ntriples(data_dir: Path | None = None) -> Path:
    """An N-Triples file of ``checked_graph`` (for Oxigraph's bulk loader, or any store). Read it; do not change it.

    Raises:
        DataError: every problem ``validate`` finds.
    """
    entry = _checked(data_dir)
    path = entry.folder / "graph.nt"
    checksum = entry.folder / "graph.nt.sha256"
    with contextlib.suppress(OSError):
        if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == checksum.read_text():
            return path
    content = checked_graph(data_dir).serialize(format="nt", encoding="utf-8")
    try:
        entry.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_bytes(path, content)
        write_bytes(checksum, hashlib.sha256(content).hexdigest().encode())
    except OSError:  # no cache: a private temporary file
        import tempfile

        handle, name = tempfile.mkstemp(suffix=".nt")
        os.write(handle, content)
        os.close(handle)
        return Path(name)
    return path


def checked_projection(data_dir: Path | None = None, *, as_of: int | None = None, part: int | None = None, phase: str | None = None) -> nx.MultiDiGraph:
    """The faithful NetworkX projection (``to_networkx``) of valid data, cut at chapter ``as_of`` and sliced
    to ``part`` or ``phase`` when given. A fresh copy: the caller may change it.

    Raises:
        DataError: every problem ``validate`` finds.
        ValueError: a chapter, part or phase that does not exist.
    """
    from graph.slices import sliced

    entry = _checked(data_dir)
    path = entry.folder / (f"projection-{as_of:02d}.pickle" if as_of is not None else "projection.pickle")
    projection = _unpickle(path)
    if projection is None:
        from graph.project import to_networkx
        from graph.spoilers import as_of as cut

        graph = checked_graph(data_dir)
        projection = to_networkx(cut(graph, as_of) if as_of is not None else graph)
        _write(path, pickle.dumps(projection, protocol=pickle.HIGHEST_PROTOCOL))
    if part is None and phase is None:
        return projection  # already a copy of its own: unpickled, or built for this call
    return sliced(projection, part=part, phase=phase)


def derived_file(name: str, make: Callable[[], bytes], data_dir: Path | None = None) -> bytes:
    """Bytes made from valid data alone (a build's files, say; ``name`` tells them apart): made by
    ``make`` once per version of the data, then read from the cache.

    Raises:
        DataError: every problem ``validate`` finds.
    """
    entry = _checked(data_dir)
    path = entry.folder / name
    payload = _read(path)
    if payload is None:
        payload = make()
        _write(path, payload)
    return payload


def derived_from_graph(name: str, make: Callable[[Graph], bytes], data_dir: Path | None = None) -> bytes:
    """``derived_file`` for bytes made from the loaded graph (``make(graph)``). When these files were never
    validated, a forked child (``graph.background``) validates them while this process loads and makes;
    the bytes are kept only if the data are valid.

    Raises:
        DataError: every problem ``validate`` finds (whatever ``make`` did meanwhile).
    """
    from graph import background

    entry = _Entry(data_key(data_dir), data_dir)
    if _read(entry.folder / "verdict.json") is not None:  # validated before: nothing to overlap
        return derived_file(name, lambda: make(checked_graph(data_dir)), data_dir)
    parsed = _parsed_book(data_dir)
    import networkx  # noqa: F401 - the validation's cycle check and the caller's projections: imported once, before the fork

    pending = background.start(lambda: _verdict(entry, parsed))
    try:
        payload = make(parsed.graph if parsed is not None else _loaded_graph(data_dir))
    except Exception:  # invalid data can break anything: the verdict says what is wrong
        _refuse_invalid(pending.result())
        raise
    except BaseException:
        pending.cancel()
        raise
    _refuse_invalid(pending.result())
    _write(entry.folder / name, payload)
    return payload


def made_from(name: str, source: bytes, make: Callable[[], bytes]) -> bytes:
    """Bytes that depend on ``source`` alone (and on this package's code): the ontology's pages made from its
    file, say (``name`` tells such files apart). Made by ``make`` once per version of ``source``, then read from the cache."""
    key = hashlib.sha256(_code_digest() + name.encode() + b"\0" + source).hexdigest()
    path = paths.cache_dir() / f"v{FORMAT}-{key[:40]}" / name
    payload = _read(path)
    if payload is None:
        payload = make()
        _write(path, payload)
    return payload


def _parsed_book(data_dir: Path | None) -> Parsed | None:
    """The files of one book parsed once, for validation and for the graph; ``None`` for a shelf (its
    books were parsed apart) or when a file does not parse."""
    from graph.books import books
    from graph.load import parse

    if len(books(data_dir)) > 1:
        return None
    try:
        return parse(data_dir)
    except DataError:  # the verdict names the file and line
        return None


def _refuse_invalid(verdict: dict[str, Any]) -> None:
    """Raise ``DataError`` with every problem of ``verdict``, if it has any."""
    if verdict["problems"]:
        raise DataError([Problem(**problem) for problem in verdict["problems"]]) from None
