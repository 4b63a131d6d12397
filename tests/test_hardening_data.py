"""Broken data from the reliability review (issue 11): ``validate`` names the file, line and fix, and every
other command refuses the data the same way ``build`` does (the problem list, exit 1), never a traceback,
never exit 2, never a file written.

Each case reproduced a failure before the fix: ``validate`` said "valid" (phase, cycles, two labels), or
exited 2 with no file (chapter "one"), or a later command crashed (``place``, ``map``, every verb).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from graph.cli import main

ROOT = Path(__file__).resolve().parent.parent
BROKEN = Path(__file__).resolve().parent / "data" / "broken"


def _edit(name: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(data: Path) -> None:
        path = data / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is no longer in {name}: update the test"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def _drop_in(name: str) -> Callable[[Path], None]:
    return lambda data: shutil.copy(BROKEN / name, data / name)


#: case -> (how to break a copy of data/, the file the problem is reported in, words of the message)
CASES: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "phase without a position": (
        _edit("ontology.ttl", "phase:early-hailsham a nlmg:StoryPhase ; skos:inScheme nlmg:StoryPhases ; schema:position 1 ;",
              "phase:early-hailsham a nlmg:StoryPhase ; skos:inScheme nlmg:StoryPhases ;"),
        "ontology.ttl",
        "story phase needs one schema:position",
    ),
    "place inside its own part (2-cycle)": (
        _edit("places.ttl", ":hailsham a nlmg:Place ;", ":hailsham a nlmg:Place ;\n    schema:containedInPlace :hailsham-pavilion ;"),
        "places.ttl",
        ":hailsham is inside itself",
    ),
    "place inside itself": (_drop_in("place-inside-itself.ttl"), "place-inside-itself.ttl", "inside itself"),
    "chapter position 'one'": (
        _edit("book.ttl", "skos:prefLabel \"Chapter One\"@en ; schema:position 1 ;", "skos:prefLabel \"Chapter One\"@en ; schema:position \"one\" ;"),
        "book.ttl",
        "a chapter needs one schema:position",
    ),
    "event position 'first'": (
        _edit("events/chapter-01.ttl", "schema:position 1 ;", 'schema:position "first" ;'),
        "chapter-01.ttl",
        "schema:position is the event's order",
    ),
    "relationship target is a place": (_drop_in("relationship-to-a-place.ttl"), "relationship-to-a-place.ttl", "nlmg:target, a declared character"),
    "isReal 'yes'": (_edit("places.ttl", "    nlmg:isReal true ;", '    nlmg:isReal "yes" ;'), "places.ttl", "nlmg:isReal takes true or false"),
    "two English prefLabels": (
        _edit("characters.ttl", 'skos:prefLabel "Ruth"@en', 'skos:prefLabel "Ruth"@en, "Ruthie"@en'),
        "characters.ttl",
        "two skos:prefLabel",
    ),
    "two chapters at position 1": (
        _edit("book.ttl", "skos:prefLabel \"Chapter Two\"@en ; schema:position 2 ;", "skos:prefLabel \"Chapter Two\"@en ; schema:position 1 ;"),
        "book.ttl",
        "both have schema:position 1",
    ),
    "byte-order mark": (lambda d: (d / "themes.ttl").write_bytes(b"\xef\xbb\xbf" + (d / "themes.ttl").read_bytes()), "themes.ttl", "byte-order mark"),
}

#: Every command that reads the data, with arguments that work on good data.
COMMANDS = [
    ["stats"],
    ["relations", "Ruth"],
    ["path", "Ruth", "Tommy"],
    ["ego", "Ruth"],
    ["common", "Ruth", "Tommy"],
    ["place", "Hailsham"],
    ["timeline", "Kathy"],
    ["metrics"],
    ["query", "chapters"],
    ["recap", "--as-of", "9"],
    ["where", "--as-of", "14"],
    ["export", "--output", "{out}/exports"],
    ["site", "--output", "{out}"],
    ["build", "--output", "{out}"],
]


#: Cases that cannot share a data folder with the others: a file that does not parse stops validation
#: there, and a duplicate chapter number needs chapter one to keep its number.
ALONE = {"byte-order mark", "two chapters at position 1"}


@pytest.fixture(scope="module")
def all_broken(tmp_path_factory: pytest.TempPathFactory) -> str:
    """``validate``'s output on one copy of data/ holding every breakage but the parse-level ones (one validation, not ten)."""
    data = tmp_path_factory.mktemp("broken") / "data"
    shutil.copytree(ROOT / "data", data)
    for name, (breaks, _, _) in CASES.items():
        if name not in ALONE:
            breaks(data)
    return _validate(data)


def _validate(data: Path) -> str:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["--data", str(data), "validate"]) == 1
    return out.getvalue()


@pytest.mark.parametrize("case", list(CASES))
def test_validate_names_file_line_and_fix(case, all_broken, data_copy):
    breaks, file, words = CASES[case]
    if case in ALONE:
        breaks(data_copy)
        out = _validate(data_copy)
    else:
        out = all_broken
    found = [line for line in out.splitlines() if words in line]
    assert found, out
    assert re.search(rf"{re.escape(file)}:\d+: ", found[0]) and "Fix: " in found[0]


def _refused(data: Path, command: list[str], words: str, out: Path, capsys) -> None:
    (out / "maps").mkdir(parents=True)
    (out / "maps" / "characters.html").write_text("the user's map")
    argv = ["--data", str(data), *(part.format(out=out) for part in command)]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert words in err and "problem(s) in the data" in err and "Traceback" not in err
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == ["maps", "maps/characters.html"]
    assert (out / "maps" / "characters.html").read_text() == "the user's map"


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_every_command_refuses_invalid_data_like_build(command, data_copy, tmp_path, capsys):
    """All commands reach the data through one function: one kind of breakage (the one that crashed six) suffices."""
    breaks, _, words = CASES["phase without a position"]
    breaks(data_copy)
    _refused(data_copy, command, words, tmp_path / "out", capsys)


def test_the_companion_refuses_a_relationship_to_a_place(data_copy, tmp_path, capsys):
    """The review's ``nlmg: 'kind'`` (exit 2): the map met an edge to a node that is not a character."""
    breaks, _, words = CASES["relationship target is a place"]
    breaks(data_copy)
    _refused(data_copy, ["site", "--output", "{out}"], words, tmp_path / "out", capsys)


def test_a_broken_command_in_a_fresh_process_prints_no_traceback(data_copy):
    CASES["place inside itself"][0](data_copy)
    result = subprocess.run(
        [sys.executable, "-m", "graph", "--data", str(data_copy), "place", "Hailsham"], capture_output=True, text=True, cwd=ROOT, check=False, timeout=120
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr and "inside itself" in result.stderr


def test_a_named_pipe_is_refused_not_read(data_copy):
    os.mkfifo(data_copy / "pipe.ttl")
    command = [sys.executable, "-m", "graph", "--data", str(data_copy), "validate"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=60, check=False)
    assert result.returncode == 1 and "pipe.ttl: is a named pipe" in result.stdout


def test_a_huge_file_is_refused_before_it_is_read(data_copy, capsys):
    with open(data_copy / "huge.ttl", "wb") as stream:  # 60 MB, sparse: no disk used, and never read
        stream.truncate(60 * 2**20)
    assert main(["--data", str(data_copy), "validate"]) == 1
    assert "huge.ttl: the file is 60 MB; a data file may be at most 16 MB" in capsys.readouterr().out


def test_many_undeclared_names_are_counted_not_each_searched(data_copy, capsys):
    lines = ["@prefix : <https://w3id.org/nlmg/id/> ."] + [f":thing-{i} :says :other-{i} ." for i in range(150)]
    (data_copy / "junk.ttl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["--data", str(data_copy), "validate"]) == 1
    assert "more IRIs are used but never declared" in capsys.readouterr().out


@pytest.mark.parametrize("content", ["", "@prefix : <https://w3id.org/nlmg/id/> .\n"], ids=["empty", "prefixes only"])
def test_a_folder_with_no_book_in_it_is_refused(tmp_path, content, capsys):
    (tmp_path / "one.ttl").write_text(content, encoding="utf-8")
    shutil.copy(ROOT / "data" / "shapes.ttl", tmp_path / "shapes.ttl")
    assert main(["--data", str(tmp_path), "stats"]) == 1
    assert "the data declares no chapter" in capsys.readouterr().err
