"""The command line: every verb documented, plain errors with exit codes, nothing half-written."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from graph.cli import _parser, main

ROOT = Path(__file__).resolve().parent.parent


def verbs() -> list[str]:
    action = next(a for a in _parser()._actions if a.dest == "command")
    return sorted(action.choices)


@pytest.mark.parametrize("verb", verbs())
def test_every_command_has_help_and_is_in_the_readme(verb, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([verb, "--help"])
    assert exit_info.value.code == 0 and capsys.readouterr().out.strip()
    assert re.search(rf"^nlmg {verb}\b", (ROOT / "README.md").read_text(), re.MULTILINE), f"'nlmg {verb}' is not in the README"


@pytest.mark.parametrize(("argv", "message"), [
    (["relations", "Tomy"], "Did you mean: Tommy D."),
    (["query", "SELECT ?x WHERE { ?x foaf:name ?n }"], "unknown prefix 'foaf:'"),
    (["query", "no-such-query"], "no named query"),
    (["query", "missing.rq"], "no such query file"),
    (["path", "Ruth", "Nobody At All"], "no node is called"),
])
def test_bad_input_is_a_plain_message_and_exit_2(argv, message, capsys):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err


@pytest.mark.parametrize(("argv", "message"), [
    (["relations", "Ruth", "--as-of", "24"], "chapter 24 does not exist"),
    (["timeline", "Kathy", "--as-of", "nine"], "not a chapter number"),
])
def test_a_bad_chapter_is_refused_by_the_argument_parser(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2 and message in capsys.readouterr().err


def test_relations_as_table_json_and_csv(capsys):
    assert main(["relations", "Chrissie", "--as-of", "12"]) == 0
    assert "Rodney" in capsys.readouterr().out
    assert main(["relations", "Chrissie", "--format", "json"]) == 0
    assert '"with": "Rodney"' in capsys.readouterr().out
    assert main(["relations", "Chrissie", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("with,id,type")


def test_timeline_in_story_order_begins_at_hailsham(capsys):
    assert main(["timeline", "Kathy", "--order", "story", "--format", "csv"]) == 0
    first_row = capsys.readouterr().out.splitlines()[1]
    assert "hailsham" in first_row


def test_build_writes_everything_and_says_where(tmp_path, capsys):
    assert main(["build", "--output", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert str(tmp_path / "index.html") in out
    assert (tmp_path / "index.html").is_file() and (tmp_path / "exports" / "nlmg.ttl").is_file()
    assert not (tmp_path / "maps").exists(), "the companion replaces the separate map pages"


def test_build_on_broken_data_writes_nothing_and_keeps_what_was_there(data_copy, tmp_path, capsys):
    (data_copy / "characters.ttl").write_text((data_copy / "characters.ttl").read_text() + "\n:oops a nlmg:Character ;\n", encoding="utf-8")
    keep = tmp_path / "out" / "index.html"
    keep.parent.mkdir()
    keep.write_text("the user's page")
    assert main(["--data", str(data_copy), "build", "--output", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "characters.ttl:" in err and "nothing was written" in err
    assert keep.read_text() == "the user's page" and sorted(p.name for p in keep.parent.iterdir()) == ["index.html"]


def test_python_dash_m_graph_is_the_same_command():
    result = subprocess.run([sys.executable, "-m", "graph", "stats", "--format", "json"], capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0 and '"uncovered_chapters": []' in result.stdout


def test_an_output_folder_that_cannot_be_written_is_a_plain_error(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert main(["export", "--output", str(blocker / "exports")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("nlmg: ") and "a-file" in err and "Traceback" not in err


def test_a_data_path_that_is_a_file_is_named_as_such(tmp_path, capsys):
    path = tmp_path / "characters.ttl"
    path.write_text("")
    assert main(["--data", str(path), "stats"]) == 1
    assert "is a file, not a folder" in capsys.readouterr().err
