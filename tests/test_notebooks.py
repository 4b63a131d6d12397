"""The notebooks (issue 7): each runs top to bottom, is committed without outputs, keeps its early
cells spoiler-safe, and ``nlmg notebooks`` renders it to HTML; failures are reported by notebook,
cell and line. Also the ``events`` records the notebooks are built on."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import networkx as nx
import pytest

from graph import paths
from graph.cli import main
from graph.queries import events

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
#: The notebooks issue 7 asks for (and 05, issue 12), in reading order.
EXPECTED = ["01-getting-started", "02-character-network", "03-time-and-telling", "04-places-and-motifs", "05-readings"]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess, Path]:
    """``nlmg notebooks`` run once, as a person would, with its output in a temporary folder."""
    out = tmp_path_factory.mktemp("output")
    result = subprocess.run(
        [sys.executable, "-m", "graph", "notebooks"], cwd=ROOT, env={**os.environ, "NLMG_OUTPUT": str(out)}, capture_output=True, text=True, timeout=600
    )
    return result, out


@pytest.fixture(scope="module")
def nbf():
    """nbformat, imported by the tests that use it: once ``make lab`` has installed JupyterLab, jsonschema's format checks
    make that import take about 1 s (0.13 s without), paid otherwise by every process that only collects this file."""
    import nbformat.v4

    return nbformat


def _code_cells(path: Path) -> list[dict]:
    return [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]


def test_the_notebooks_are_there_in_order() -> None:
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == EXPECTED


@pytest.mark.parametrize("name", EXPECTED)
def test_committed_notebook_has_no_outputs_or_execution_counts(name: str) -> None:
    cells = _code_cells(NOTEBOOKS / f"{name}.ipynb")
    assert cells, "a notebook without code"
    assert [i for i, c in enumerate(cells) if c["outputs"] or c["execution_count"] is not None] == []


#: How far into the novel each notebook may go before its spoiler warning (as its opening cell says).
SAFE_UNTIL = {"01-getting-started": 12, "02-character-network": 9, "03-time-and-telling": 9, "04-places-and-motifs": 9, "05-readings": 9}


@pytest.mark.parametrize("name", EXPECTED)
def test_notebook_says_what_it_reveals_and_warns_before_the_ending(name: str, nbf) -> None:
    cells = nbf.read(NOTEBOOKS / f"{name}.ipynb", as_version=4).cells
    assert cells[0].cell_type == "markdown" and cells[0].source.startswith(f"# {int(name[:2])}. ")
    assert "Spoilers:" in cells[0].source and re.search(rf"chapters? (1 to )?{SAFE_UNTIL[name]}\b", cells[0].source)
    warnings = [c for c in cells if c.cell_type == "markdown" and "Spoiler warning" in c.source]
    assert len(warnings) == (0 if name == "01-getting-started" else 1)


def _names(projection: nx.MultiDiGraph) -> set[str]:
    return {name for _, d in projection.nodes(data=True) if d["kind"] != "theme" for name in [d["label"], *d["alt_labels"]]}


@pytest.mark.parametrize("name", EXPECTED)
def test_rendered_page_names_nothing_from_later_chapters_before_its_warning(
    rendered: tuple[subprocess.CompletedProcess, Path], name: str, projection: nx.MultiDiGraph, projection_as_of
) -> None:
    """Prose, code and tables above the warning name no character, place, event or thing a reader meets later."""
    _, out = rendered
    late = {n for n in _names(projection) - _names(projection_as_of(SAFE_UNTIL[name])) if len(n) >= 4}
    assert late, "the later chapters must add names"
    page = (out / "notebooks" / f"{name}.html").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)))
    early = text.split("Spoiler warning.")[0]
    assert len(early) < len(text) or name == "01-getting-started"
    assert sorted(n for n in late if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", early)) == []


@pytest.mark.parametrize("name", EXPECTED)
def test_nlmg_notebooks_runs_and_renders_each_notebook(rendered: tuple[subprocess.CompletedProcess, Path], name: str) -> None:
    result, out = rendered
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    page = out / "notebooks" / f"{name}.html"
    assert str(page) in result.stdout
    html = page.read_text(encoding="utf-8")
    assert f"{int(name[:2])}. " in html
    assert not re.search(r"<script[^>]+src=[\"']https?:", html), "the page must not load scripts from the internet"
    if name != "01-getting-started":
        assert "data:image/png;base64," in html, "the figures are inlined"


def test_the_companion_in_the_first_notebook_is_linked_relative_to_its_page(rendered: tuple[subprocess.CompletedProcess, Path]) -> None:
    _, out = rendered
    page = out / "notebooks" / "01-getting-started.html"
    source = re.search(r'<iframe[^>]*src="([^"]+)"', page.read_text(encoding="utf-8")).group(1)
    target, _, fragment = source.partition("#")
    assert fragment == "chapter=12&view=map" or fragment == "chapter=12&amp;view=map"
    assert (page.parent / unquote(target)).resolve() == (out / "up-to-chapter-12" / "index.html").resolve()
    assert "Marie-Claude" not in (out / "up-to-chapter-12" / "index.html").read_text(encoding="utf-8")  # told in chapter 22


@pytest.fixture
def broken(tmp_path: Path, nbf) -> Path:
    """A folder with a notebook that works and one that fails in its second cell, second line."""
    folder = tmp_path / "nb"
    folder.mkdir()
    v4 = nbf.v4
    good = v4.new_notebook(cells=[v4.new_markdown_cell("# fine"), v4.new_code_cell("import graph\nprint(41 + 1)")])
    bad = v4.new_notebook(cells=[v4.new_code_cell("chapters = {1: 'one'}"), v4.new_code_cell("first = chapters[1]\nlast = chapters[23]\nprint(last)")])
    nbf.write(good, folder / "01-fine.ipynb")
    nbf.write(bad, folder / "02-broken.ipynb")
    return folder


def test_a_failing_cell_is_reported_by_notebook_cell_and_line(broken: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pages"
    assert main(["notebooks", "--folder", str(broken), "--output", str(out)]) == 1
    captured = capsys.readouterr()
    assert "02-broken.ipynb, cell 2, line 2: last = chapters[23]" in captured.err
    assert "KeyError: 23" in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert "1 of 2 notebook(s) failed" in captured.err
    assert (out / "01-fine.html").is_file(), "one failure does not stop the others"
    assert not (out / "02-broken.html").exists()
    assert sorted(p.name for p in out.iterdir()) == ["01-fine.html"], "no half-written files"


def test_notebooks_can_be_chosen_by_number(broken: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pages"
    assert main(["notebooks", "01", "--folder", str(broken), "--output", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["01-fine.html"]
    assert main(["notebooks", "09", "--folder", str(broken), "--output", str(out)]) == 2
    assert "no notebook in" in capsys.readouterr().err


def test_missing_or_empty_folder_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["notebooks", "--folder", str(tmp_path / "nowhere")]) == 2
    assert "no notebook folder" in capsys.readouterr().err
    assert main(["notebooks", "--folder", str(tmp_path)]) == 2
    assert "no notebooks (*.ipynb)" in capsys.readouterr().err


def test_a_malformed_notebook_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "01-bad.ipynb").write_text("{ not json", encoding="utf-8")
    assert main(["notebooks", "--folder", str(tmp_path), "--strip"]) == 2
    err = capsys.readouterr().err
    assert "01-bad.ipynb: not a valid notebook" in err and "Traceback" not in err


def test_strip_removes_outputs_and_counts_and_keeps_the_code(tmp_path: Path, capsys: pytest.CaptureFixture[str], nbf) -> None:
    v4 = nbf.v4
    cell = v4.new_code_cell("print('hello')", execution_count=4, outputs=[v4.new_output("stream", name="stdout", text="hello\n")])
    nbf.write(v4.new_notebook(cells=[v4.new_markdown_cell("# note"), cell]), tmp_path / "01-run.ipynb")
    assert main(["notebooks", "--folder", str(tmp_path), "--strip"]) == 0
    assert "outputs stripped" in capsys.readouterr().out
    note, code = nbf.read(tmp_path / "01-run.ipynb", as_version=4).cells
    assert (note.source, code.source, code.outputs, code.execution_count) == ("# note", "print('hello')", [], None)
    assert main(["notebooks", "--folder", str(tmp_path), "--strip"]) == 0
    assert "already clean" in capsys.readouterr().out


# The records the notebooks are built on -------------------------------------------------------


def test_events_roll_places_up_to_their_setting() -> None:
    """The data's containment: Room 18 is in the main house at Hailsham; the café is in Cromer, Norfolk, England."""
    g = nx.MultiDiGraph()
    for node, kind, label, real in [
        ("room-18", "place", "Room 18", False),
        ("main-house", "place", "the main house", False),
        ("hailsham", "place", "Hailsham", False),
        ("cafe", "place", "the café", False),
        ("cromer", "place", "Cromer", True),
        ("norfolk", "place", "Norfolk", True),
        ("england", "place", "England", True),
        ("kathy-h", "character", "Kathy H.", False),
    ]:
        g.add_node(node, kind=kind, label=label, is_real=real)
    for inner, outer in [("room-18", "main-house"), ("main-house", "hailsham"), ("cafe", "cromer"), ("cromer", "norfolk"), ("norfolk", "england")]:
        g.add_edge(inner, outer, kind="part_of")
    for event, chapter, place in [("e-lunch", 13, "cafe"), ("e-lesson", 7, "room-18"), ("e-somewhere", 18, None)]:
        g.add_node(event, kind="event", label=event, chapters=[chapter], first_chapter=chapter, phases=[], phase_rank=None, event_type=None, position=1)
        g.add_edge(event, "kathy-h", kind="participant", role="agent")
        if place:
            g.add_edge(event, place, kind="place")
    records = {r["id"]: r for r in events(g)}
    assert [r["id"] for r in events(g)] == ["e-lesson", "e-lunch", "e-somewhere"]
    assert (records["e-lesson"]["setting"], records["e-lesson"]["part"]) == ("Hailsham", 1)
    assert (records["e-lunch"]["setting"], records["e-lunch"]["part"], records["e-lunch"]["place"]) == ("Norfolk", 2, "the café")
    assert (records["e-somewhere"]["setting"], records["e-somewhere"]["part"]) == ("unknown", 3)
    assert records["e-lunch"]["people"] == ["Kathy H."]


@pytest.fixture(scope="module")
def told(projection: nx.MultiDiGraph) -> list[dict]:
    return events(projection)


def test_the_book_opens_in_the_narrating_present(told: list[dict]) -> None:
    first = told[0]
    assert (first["chapter"], first["part"], first["phase"]) == (1, 1, "narrating-present")
    assert "Kathy H." in first["people"]


def test_the_visit_to_madame_is_set_in_littlehampton(told: list[dict]) -> None:
    chapter_21 = [r["setting"] for r in told if r["chapter"] == 21 and r["setting"] != "unknown"]
    assert chapter_21 and set(chapter_21) == {"Littlehampton"}


def test_kathys_tape_is_lost_in_part_one_and_comes_back_in_part_two(told: list[dict], projection: nx.MultiDiGraph) -> None:
    tape = projection.nodes["kathys-tape"]["label"]
    parts = {r["part"] for r in told if tape in r["objects"]}
    assert {1, 2} <= parts


def test_the_data_option_reaches_the_notebooks(tmp_path: Path, nbf) -> None:
    folder = tmp_path / "nb"
    folder.mkdir()
    check = "from graph import paths\nassert paths.data_dir().name == 'other-data', paths.data_dir()"
    nbf.write(nbf.v4.new_notebook(cells=[nbf.v4.new_code_cell(check)]), folder / "01-data.ipynb")
    shutil.copytree(paths.data_dir(), tmp_path / "other-data")  # valid data: the command refuses invalid data before running anything
    assert main(["--data", str(tmp_path / "other-data"), "notebooks", "--folder", str(folder), "--output", str(tmp_path / "pages")]) == 0


def test_communities_are_the_same_in_every_process() -> None:
    """The notebooks show Louvain communities: they must not change with Python's hash seed (0, 1 and 2 used to differ)."""
    code = "from graph import load, metrics\nfrom graph.project import character_graph\nprint(metrics.communities(metrics.collapse(character_graph(load()))))"
    found = {
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True, check=True).stdout
        for seed in ("0", "1", "2")
    }
    assert len(found) == 1
