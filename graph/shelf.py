"""A synthetic shelf for scale tests: N copies of this novel's data, each a different book with IRIs of its own.

Copy 1 is the data as it is. Copy k > 1, in the sub-folder ``shelf-00k``, holds every file that names the
book's individuals (characters, places, events, relationships, beliefs, objects, the book, its parts
and chapters, its links, the sources' author), with the individuals' namespace ``https://w3id.org/nlmg/id/``
renamed to ``.../id/shelf-k/``: so ``:kathy-h`` of copy 3 is ``<https://w3id.org/nlmg/id/shelf-3/kathy-h>``,
a character of the book ``<https://w3id.org/nlmg/id/shelf-3/never-let-me-go>``. The vocabulary
(ontology, themes, shapes) is shared, once. A shelf of N copies holds N times the triples, and each book
validates as the novel does (``graph.books``: a sub-folder with a ``book.ttl`` of its own is a book).

>>> import tempfile
>>> folder = write_shelf(2, Path(tempfile.mkdtemp()) / "shelf")
>>> from graph.load import load
>>> len(load(folder)) > 1.8 * len(load())
True

(``benchmarks/bench_scale.py`` validates shelves of 1, 10 and 100 books.)
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from graph import paths
from graph.datafiles import data_files
from graph.namespaces import ID

__all__ = ["write_shelf"]

_INDIVIDUALS = re.compile(r"^(@prefix\s+:\s*<)" + re.escape(str(ID)) + r"(>)", re.MULTILINE)


def _names_individuals(path: Path) -> bool:
    """A file that says something of, or about, the book's individuals (it writes ``:name`` somewhere)."""
    return re.search(r"(^|[\s(\[,]):[\w-]+", path.read_text(encoding="utf-8"), re.MULTILINE) is not None


def write_shelf(copies: int, target: Path, source: Path | None = None) -> Path:
    """Write a shelf of ``copies`` books made from the data under ``source`` (default ``data/``) into ``target``.

    ``target`` is replaced if it exists. Returns ``target``, a data folder for ``--data``.
    """
    if copies < 1:
        raise ValueError(f"a shelf holds at least one book, not {copies}")
    source = Path(source) if source is not None else paths.data_dir()
    target = Path(target)
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)  # copy 1, the shared vocabulary and the shapes
    own = [f for f in data_files(source) if _names_individuals(f)]
    for number in range(2, copies + 1):
        for path in own:
            text = _INDIVIDUALS.sub(rf"\g<1>{ID}shelf-{number}/\g<2>", path.read_text(encoding="utf-8"))
            copy = target / f"shelf-{number:03d}" / path.relative_to(source)
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(text, encoding="utf-8")
    return target
