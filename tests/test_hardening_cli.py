"""Bad command-line input and hostile output folders from the reliability review (issue 11): the right exit
code, a message of bounded length, and never a half-written or hidden file where the person looks.

Each test reproduced its failure before the fix (``ego --radius -1`` exited 0, a 100,000-character name
was echoed whole, an empty data folder gave a table of zeros, the index linked a killed export's temp file...).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from graph.cli import main
from graph.files import staged_folder, write_text
from graph.site import listed_files

ROOT = Path(__file__).resolve().parent.parent


def _run(*argv: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "graph", *argv]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, env={**os.environ, **(env or {})}, timeout=120, check=False)


@pytest.mark.parametrize("argv", [["ego", "Ruth", "--radius", "-1"], ["path", "Ruth", "Tommy", "--all", "--max-hops", "-2"]])
def test_a_negative_count_is_bad_input(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2 and "is negative" in capsys.readouterr().err


@pytest.mark.parametrize("verb", [["relations"], ["timeline"], ["place"], ["ego"], ["query"]])
def test_a_huge_name_is_not_echoed_back_whole(verb, capsys):
    assert main([*verb, "A" * 100_000]) == 2
    err = capsys.readouterr().err
    assert len(err) < 1000 and "100,0" in err and "Traceback" not in err


@pytest.mark.parametrize("extra", [[], ["--all"]])
def test_a_path_from_someone_to_themselves_is_bad_input_not_unconnected(extra, capsys):
    assert main(["path", "Ruth", "ruth", *extra]) == 2
    assert "both name Ruth" in capsys.readouterr().err


def test_a_query_folder_that_is_a_file_is_bad_input(tmp_path, monkeypatch, capsys):
    (tmp_path / "queries.rq").write_text("ASK {}")
    monkeypatch.setenv("NLMG_QUERIES", str(tmp_path / "queries.rq"))
    assert main(["query", "--list"]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err


def test_a_query_file_that_is_not_utf8_is_named(tmp_path, capsys):
    (tmp_path / "bad.rq").write_bytes(b"\xff\xfe ASK {}")
    assert main(["query", str(tmp_path / "bad.rq")]) == 2
    assert "bad.rq is not UTF-8" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["stats"], ["query", "chapters"], ["relations", "Ruth"]])
def test_an_empty_data_folder_is_a_data_problem(argv, tmp_path, capsys):
    assert main(["--data", str(tmp_path), *argv]) == 1
    assert "holds no .ttl file" in capsys.readouterr().err


def test_an_empty_NLMG_DATA_means_the_default_not_the_current_folder(tmp_path):
    (tmp_path / "stray.ttl").write_text("this is not Turtle")
    result = _run("stats", "--format", "json", env={"NLMG_DATA": ""}, cwd=tmp_path)
    assert result.returncode == 0 and '"uncovered_chapters": []' in result.stdout and "stray" not in result.stderr


def test_help_imports_neither_rdflib_nor_pyshacl():
    code = "import sys; from graph.cli import _parser; _parser(); print(sorted({'rdflib', 'pyshacl', 'networkx'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "[]"


# --- outputs: staged, swapped in whole, nothing hidden listed, nothing the person had lost ---------------


def test_a_failed_writer_leaves_the_folder_as_it_was(tmp_path):
    out = tmp_path / "out"
    write_text(out / "maps" / "old.html", "old")
    with pytest.raises(RuntimeError), staged_folder(out, replaces=("maps",)) as stage:
        write_text(stage / "maps" / "new.html", "new")
        raise RuntimeError("the writer failed half-way")
    assert [p.name for p in out.rglob("*")] == ["maps", "old.html"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"], "the staging folder was left behind"


def test_a_new_set_replaces_what_it_makes_and_keeps_the_rest(tmp_path):
    out = tmp_path / "out"
    write_text(out / "maps" / "gone.html", "a map no longer made")
    write_text(out / "README.md", "the person's notes")
    write_text(out / "exports" / ".nlmg.ttl.duwgi894", "a killed write's leftover")
    with staged_folder(out, replaces=("maps",)) as stage:
        write_text(stage / "maps" / "characters.html", "new")
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == ["README.md", "exports", "maps", "maps/characters.html"]


def test_a_writer_killed_mid_set_changes_nothing_and_its_leftovers_go(tmp_path):
    out = tmp_path / "out"
    write_text(out / "index.html", "old")
    script = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from graph.files import staged_folder, write_text
        with staged_folder(Path({str(out)!r}), replaces=("index.html",)) as stage:
            write_text(stage / "index.html", "new")
            print("written", flush=True)
            time.sleep(60)
    """)
    writer = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert writer.stdout.readline().strip() == "written"
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    assert (out / "index.html").read_text() == "old"
    assert any(p.name.startswith(".out.staging-") for p in tmp_path.iterdir())
    with staged_folder(out, replaces=("index.html",)) as stage:
        write_text(stage / "index.html", "newer")
    assert (out / "index.html").read_text() == "newer"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_stale_temporary_files_go_and_the_persons_own_hidden_files_stay(tmp_path):
    stale, mine = tmp_path / ".out.abcd1234.part", tmp_path / ".vscode.settings"
    stale.write_text("a killed write")
    mine.write_text("the person's own file")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    with staged_folder(tmp_path / "out") as stage:
        write_text(stage / "index.html", "new")
    assert not stale.exists() and mine.read_text() == "the person's own file"


def test_the_index_never_lists_a_hidden_file(tmp_path):
    write_text(tmp_path / "exports" / "nlmg.ttl", "x")
    write_text(tmp_path / "exports" / ".nlmg.nt.0ty2u4py", "a truncated leftover")
    assert listed_files(tmp_path)["exports"] == ["nlmg.ttl"]


def test_a_file_too_large_to_write_names_the_path_and_leaves_no_trace(tmp_path):
    """The file-size limit stands in for a full disk: the write fails part-way (EFBIG instead of ENOSPC)."""
    out = tmp_path / "exports"
    script = textwrap.dedent(f"""
        import resource, signal, sys
        from pathlib import Path
        from graph.cli import main
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))
        sys.exit(main(["export", "--output", {str(out)!r}]))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "File too large" in result.stderr and str(out / "nlmg.") in result.stderr and "staging" not in result.stderr
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == []


def test_an_output_path_that_is_a_file_is_named(tmp_path, capsys):
    blocker = tmp_path / "afile.txt"
    blocker.write_text("keep me")
    assert main(["site", "--output", str(blocker)]) == 1
    assert f"the output folder is not a folder: {blocker}" in capsys.readouterr().err and blocker.read_text() == "keep me"


def test_an_export_leaves_no_hidden_file(tmp_path):
    assert main(["export", "--output", str(tmp_path / "exports")]) == 0
    assert [p.name for p in tmp_path.rglob(".*")] == [] and (tmp_path / "exports" / "nlmg.ttl").is_file()
