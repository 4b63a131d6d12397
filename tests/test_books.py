"""A shelf of books (``graph.books``): each book checked and built on its own, problems named in the files people edit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import paths
from graph.books import books
from graph.datafiles import data_files
from graph.shelf import write_shelf

ROOT = Path(__file__).resolve().parent.parent
KATHY = "https://w3id.org/nlmg/id/kathy-h"
KATHY_OF_BOOK_2 = "https://w3id.org/nlmg/id/shelf-2/kathy-h"


@pytest.fixture()
def shelf(tmp_path: Path) -> Path:
    return write_shelf(2, tmp_path / "shelf")


def _nlmg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graph", *args], capture_output=True, text=True, cwd=ROOT, check=False)


def test_the_novels_data_folder_is_one_book():
    (book,) = books()
    assert book.name == ""
    assert [path for _, path in book.files] == data_files(paths.data_dir().absolute())


def test_a_sub_folder_with_a_book_of_its_own_overlays_the_shared_files(shelf: Path):
    top, second = books(shelf)
    assert (top.name, second.name) == ("", "shelf-002")
    files = dict(second.files)
    assert files["characters.ttl"] == shelf / "shelf-002" / "characters.ttl"  # its own
    assert files["ontology.ttl"] == shelf / "ontology.ttl"  # shared
    assert files["shapes.ttl"] == shelf / "shapes.ttl"
    assert not any("shelf-002" in str(path) for _, path in top.files)
    assert {rel for rel, _ in top.files} == {rel for rel, _ in second.files}


def test_each_book_of_a_shelf_is_checked_and_its_problems_name_the_edited_file(shelf: Path):
    broken = shelf / "shelf-002" / "places.ttl"
    lines = broken.read_text(encoding="utf-8").splitlines()
    broken.write_text("\n".join([*lines, "this is not turtle ."]) + "\n", encoding="utf-8")
    result = _nlmg("--data", str(shelf), "validate")
    assert result.returncode == 1
    assert f"{broken}:{len(lines) + 1}:" in result.stdout + result.stderr


def test_a_book_may_not_lean_on_another_books_individuals(shelf: Path):
    """Book 2 naming the first book's Kathy: she is not declared in book 2, and validation says so."""
    relationships = shelf / "shelf-002" / "relationships.ttl"
    text = relationships.read_text(encoding="utf-8").replace("nlmg:source :kathy-h", f"nlmg:source <{KATHY}>", 1)
    assert f"<{KATHY}>" in text
    relationships.write_text(text, encoding="utf-8")
    result = _nlmg("--data", str(shelf), "validate")
    assert result.returncode == 1
    assert ":kathy-h is used but never declared" in result.stdout


def test_a_shelf_build_writes_each_book_into_a_folder_of_its_own(shelf: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = _nlmg("--data", str(shelf), "build", "--output", str(out))
    assert result.returncode == 0, result.stderr
    first = {str(t.subject) for t in ox.parse(path=str(out / "exports" / "nlmg.nt"), format=ox.RdfFormat.N_TRIPLES)}
    second = {str(t.subject) for t in ox.parse(path=str(out / "shelf-002" / "exports" / "nlmg.nt"), format=ox.RdfFormat.N_TRIPLES)}
    assert f"<{KATHY}>" in first and f"<{KATHY_OF_BOOK_2}>" not in first
    assert f"<{KATHY_OF_BOOK_2}>" in second and f"<{KATHY}>" not in second
    assert (out / "index.html").is_file() and (out / "shelf-002" / "index.html").is_file()
    assert (out / "ontology" / "index.html").is_file() and not (out / "shelf-002" / "ontology").exists()


def test_the_commands_see_a_shelf_as_the_union_of_its_books(shelf: Path):
    """After validation book by book, a query verb reads every book: each Ruth knows only her own book's Kathy."""
    assert _nlmg("--data", str(shelf), "validate").returncode == 0
    second = _nlmg("--data", str(shelf), "relations", "shelf-2/ruth", "-f", "csv")
    first = _nlmg("--data", str(shelf), "relations", "ruth", "-f", "csv")
    assert second.returncode == first.returncode == 0, second.stderr + first.stderr
    assert "shelf-2/kathy-h" in second.stdout and ",kathy-h," not in second.stdout
    assert ",kathy-h," in first.stdout and "shelf-2/" not in first.stdout

