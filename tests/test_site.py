"""Spoiler-free builds and the recap command: ``--max-chapter 9`` files hold nothing told after chapter 9."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from graph.cli import main
from graph.companion import payload_json
from graph.namespaces import ID
from graph.visibility import triple_chapters

END_OF_PART_ONE = 9


def first_told(graph) -> dict[str, int]:
    """Every label, description and IRI (and the id of each individual) -> the first chapter whose cut holds it."""
    first: dict[str, int] = {}
    for triple, chapter in triple_chapters(graph).items():
        for term in triple:
            texts = []
            if isinstance(term, URIRef):
                texts = [str(term)] + ([str(term)[len(str(ID)) :]] if str(term).startswith(str(ID)) else [])
            elif isinstance(term, Literal) and term.datatype in (None, XSD.string) and len(str(term)) >= 4:
                texts = [str(term)]
            for text in texts:
                first[text] = min(first.get(text, chapter), chapter)
    return first


@pytest.fixture(scope="module")
def cut_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("part-one")
    assert main(["build", "--max-chapter", str(END_OF_PART_ONE), "--output", str(out)]) == 0
    return out


def test_a_part_one_build_holds_nothing_told_later(graph, cut_build):
    told = first_told(graph)
    known = "\n".join(text for text, chapter in told.items() if chapter <= END_OF_PART_ONE)
    # "Roger", an alternative name given later, is inside "Mr Roger", known from chapter 2: not new text
    later = {text for text, chapter in told.items() if chapter > END_OF_PART_ONE and text not in known}
    assert "Chrissie" in later and "Marie-Claude" in later and str(ID["chrissie"]) in later  # the oracle knows the book
    files = [p for p in cut_build.rglob("*") if p.is_file()]
    assert cut_build / "index.html" in files and any(p.suffix == ".ttl" for p in files)
    for path in files:
        content = path.read_text(encoding="utf-8", errors="replace")
        leaks = sorted(t for t in later if t in content or payload_json(t)[1:-1] in content)
        assert not leaks, f"{path.name} holds text first told after chapter {END_OF_PART_ONE}: {leaks[:5]}"


def test_the_part_one_build_still_holds_part_one(cut_build):
    page = (cut_build / "index.html").read_text(encoding="utf-8")
    assert "Kathy H." in page and "Miss Lucy" in page and '"max_chapter":9' in page


def test_site_writes_only_the_companion(tmp_path, capsys):
    assert main(["site", "--output", str(tmp_path), "--max-chapter", "12"]) == 0
    assert str(tmp_path / "index.html") in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "Chrissie" in page and "Marie-Claude" not in page


def test_recap_cites_chapters_and_keeps_to_the_cut(capsys):
    assert main(["recap", "--as-of", "12", "--from", "12", "--character", "Chrissie", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(r["chapter"] == 12 for r in rows)
    assert any("sighting of Ruth's possible" in r["text"] for r in rows)  # Chrissie and Rodney's report, chapter 12
    assert main(["recap", "--as-of", "3", "--format", "markdown", "--order", "story", "--group", "phase"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("## ") and "(chapter 3)" in text and "(chapter 4)" not in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["recap", "--as-of", "9", "--character", "Chrissie"], "no character is called 'Chrissie'"),  # not met until chapter 10
        (["recap", "--as-of", "5", "--from", "7"], "--from 7 is after --as-of 5"),
    ],
)
def test_recap_refuses_what_the_reader_cannot_ask(argv, message, capsys):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_a_cut_build_refuses_a_folder_holding_whole_book_files(tmp_path, capsys):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "03-time-and-telling.html").write_text("the whole book")
    assert main(["site", "--max-chapter", "9", "--output", str(tmp_path)]) == 2
    assert "also holds notebooks" in capsys.readouterr().err
    assert not (tmp_path / "index.html").exists()
