"""A shelf: a data folder whose sub-folders hold books of their own, each checked and built on its own.

A sub-folder with a ``book.ttl`` of its own is a separate book (``graph.shelf`` writes such folders).
Its files overlay the data folder's: the book is its own files plus every file of the data folder's
top book whose path it does not repeat (the shared vocabulary: ontology, themes, sources, shapes).
Each book is handed to the one-book code as a folder of links (kept under the cache folder), so a
shelf costs each book's work once, in parallel over the cores, and grows linearly with its books.

>>> [book.name for book in books()]
['']
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from graph import paths
from graph.datafiles import data_files
from graph.problems import Problem

__all__ = ["Book", "books", "for_each_book", "in_edited_files"]

BOOK_FILE = "book.ttl"
Result = TypeVar("Result")


@dataclass(frozen=True)
class Book:
    """One book of a shelf: its name (its sub-folder, ``""`` for the data folder's own) and its files."""

    name: str
    files: tuple[tuple[str, Path], ...]  # (path inside the book's folder, the file)

    def folder(self) -> Path:
        """A data folder holding this book's files (links to them), under the cache folder."""
        key = hashlib.sha256("\0".join(f"{rel}\0{path}" for rel, path in self.files).encode()).hexdigest()[:32]
        folder = paths.cache_dir() / "books" / key
        if not (folder / ".complete").exists():
            for rel, path in self.files:
                link = folder / rel
                link.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                if not link.is_symlink():
                    link.symlink_to(path)
            (folder / ".complete").touch()
        return folder


def _book_folders(folder: Path) -> list[Path]:
    found = {p.parent for p in folder.rglob(BOOK_FILE) if not any(part.startswith(".") for part in p.relative_to(folder).parts)}
    return sorted(found - {folder})


def books(data_dir: Path | None = None) -> list[Book]:
    """The books under ``data_dir`` (default ``data/``): one, unless sub-folders hold books of their own.

    Raises:
        DataError: as ``data_files`` does.
    """
    folder = (Path(data_dir) if data_dir is not None else paths.data_dir()).absolute()
    files = data_files(folder)
    subs = _book_folders(folder)
    if not subs:
        return [Book("", tuple((str(f.relative_to(folder)), f) for f in files))]

    folders = set(subs)

    def owner(path: Path) -> Path:
        return next((parent for parent in path.parents if parent in folders), folder)

    owned: dict[Path, dict[str, Path]] = {sub: {} for sub in [folder, *subs]}
    for path in [*files, *(paths.shapes_file(f) for f in [folder, *subs])]:
        if path.exists():
            home = owner(path)
            owned[home][str(path.relative_to(home))] = path
    top = owned[folder]
    shelf = [Book("", tuple(top.items()))] if (folder / BOOK_FILE).exists() else []
    for sub in subs:
        shared = {rel: f for rel, f in top.items() if rel not in owned[sub]}
        shelf.append(Book(str(sub.relative_to(folder)), tuple(sorted({**shared, **owned[sub]}.items()))))
    return shelf


def in_edited_files(problems: list[Problem]) -> list[Problem]:
    """``problems`` found in a book's folder, each naming the data file behind the link: the file a person edits."""
    return [replace(p, file=os.path.realpath(p.file)) if p.file and Path(p.file).is_symlink() else p for p in problems]


def for_each_book(work: Callable[[Book], Result], shelf: Iterable[Book]) -> list[Result]:
    """``work`` applied to every book, in processes of their own over the machine's cores, in order."""
    shelf = list(shelf)
    if len(shelf) == 1:
        return [work(shelf[0])]
    workers = min(len(shelf), os.cpu_count() or 1)
    # spawn, not fork: a process holding threads (Oxigraph's, say) would hand their locks to forked children;
    # and spawned workers are this process's own children, so their CPU and memory show in its resource usage
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(work, shelf, chunksize=max(1, len(shelf) // (workers * 4))))
