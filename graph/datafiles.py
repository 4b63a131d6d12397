"""Which files make the data: every ``.ttl`` under the data folder, each a regular file of bounded size.

Nothing here parses RDF (or imports rdflib): a command that finds the data in the cache only lists and hashes files.

>>> [f.name for f in data_files()][:2]
['beliefs.ttl', 'book.ttl']
"""

from __future__ import annotations

import stat
from pathlib import Path

from graph import paths
from graph.problems import DataError, Problem

__all__ = ["MAX_FILE_BYTES", "data_files", "unreadable"]

#: The largest data file read (a bigger one is refused, not parsed for minutes): the novel's largest is 0.1 MB.
MAX_FILE_BYTES = 16 * 1024 * 1024


def data_files(data_dir: Path | None = None) -> list[Path]:
    """Every Turtle file of the graph under ``data_dir``, in a stable order (shapes and hidden files excluded).

    Raises:
        DataError: the folder is missing or holds no ``.ttl`` file; a file is not a regular file (a FIFO,
            a folder, a dangling link) or is larger than ``MAX_FILE_BYTES``.
    """
    folder = Path(data_dir) if data_dir is not None else paths.data_dir()
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "does not exist"
        raise DataError(
            [Problem(str(folder), None, f"the data folder {what}", "point --data (or NLMG_DATA) at the folder holding the .ttl files", rule="files")]
        )
    found = sorted(f for f in folder.rglob("*.ttl") if f.name != "shapes.ttl" and not any(part.startswith(".") for part in f.relative_to(folder).parts))
    if not found:
        raise DataError(
            [Problem(str(folder), None, "the data folder holds no .ttl file", "point --data (or NLMG_DATA) at the folder holding the .ttl files", rule="files")]
        )
    problems = [problem for path in found if (problem := unreadable(path)) is not None]
    if problems:
        raise DataError(problems)
    return found


def unreadable(path: Path) -> Problem | None:
    """Why ``path`` cannot be read as a data file without blocking or exhausting memory, if it cannot."""
    try:
        status = path.stat()
    except OSError as error:
        return Problem(str(path), None, f"cannot read the file ({error.strerror})", "remove it or make it a readable file (a broken link?)", rule="files")
    if not stat.S_ISREG(status.st_mode):
        kind = "a folder" if stat.S_ISDIR(status.st_mode) else "a named pipe" if stat.S_ISFIFO(status.st_mode) else "not a regular file"
        fix = "remove it from the data folder or rename it so that it does not end in .ttl"
        return Problem(str(path), None, f"is {kind}, not a Turtle file", fix, rule="files")
    if status.st_size > MAX_FILE_BYTES:
        return Problem(
            str(path),
            None,
            f"the file is {status.st_size / 2**20:.0f} MB; a data file may be at most {MAX_FILE_BYTES // 2**20} MB",
            "split it into smaller files (one subject's statements in one file), or move it out of the data folder",
            rule="files",
        )
    return None
