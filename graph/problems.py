"""Problems found in the data, said in plain words: where, what is wrong, how to fix it.

>>> print(Problem("data/x.ttl", 3, "a character has no group", "add nlmg:group", rule="shape"))
data/x.ttl:3: a character has no group. Fix: add nlmg:group.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib import URIRef

__all__ = ["DataError", "Problem", "SourceIndex", "short_name"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the data."""

    file: str | None
    line: int | None
    message: str
    fix: str
    rule: str = ""
    node: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: " if self.file and self.line else f"{self.file}: " if self.file else ""
        return f"{where}{self.message}. Fix: {self.fix}."

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class DataError(Exception):
    """Raised when the data cannot be loaded; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def short_name(iri: str) -> str:
    """The prefixed form of an IRI where a project prefix covers it.

    >>> short_name("https://w3id.org/nlmg/id/kathy-h")
    ':kathy-h'
    >>> short_name("https://w3id.org/nlmg/ontology#Character")
    'nlmg:Character'
    """
    from graph.namespaces import PREFIXES  # imported here: a cached command never needs rdflib

    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(best):
            best, name = namespace, f"{prefix}:{iri[len(namespace) :]}"
    return name if best else f"<{iri}>"


class SourceIndex:
    """Finds the file and line where an IRI is written, to point a person at it."""

    def __init__(self, files: list[Path], root: Path | None = None) -> None:
        self.files = files
        self.root = root

    @cached_property
    def _lines(self) -> dict[Path, list[str]]:
        return {f: f.read_text(encoding="utf-8").splitlines() for f in self.files}

    def display(self, path: Path) -> str:
        """The path as a person should see it: relative to the root where possible."""
        if self.root is not None:
            try:
                return str(path.resolve().relative_to(self.root.resolve()))
            except ValueError:
                pass
        return str(path)

    def locate(self, iri: URIRef | str, *, as_subject: bool = True) -> tuple[str | None, int | None]:
        """(file, line) where ``iri`` is declared (``:x a ...``), else where it starts a statement, else where it first appears."""
        name = short_name(str(iri))
        patterns = [re.escape(name), re.escape(f"<{iri}>")]
        word = rf"(?:{'|'.join(patterns)})(?![\w-])"
        declares, starts, anywhere = re.compile(rf"^\s*{word}\s+a\s"), re.compile(rf"^\s*{word}"), re.compile(rf"(?<![\w:-]){word}")
        first_statement: tuple[str | None, int | None] = (None, None)
        first_use: tuple[str | None, int | None] = (None, None)
        for path, lines in self._lines.items():
            for number, text in enumerate(lines, start=1):
                if as_subject and starts.search(text):
                    if declares.search(text):
                        return self.display(path), number
                    if first_statement[0] is None:
                        first_statement = (self.display(path), number)
                if first_use[0] is None and not text.lstrip().startswith("#") and anywhere.search(text):
                    first_use = (self.display(path), number)
        return first_statement if first_statement[0] is not None else first_use
