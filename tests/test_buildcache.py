"""``nlmg build`` and ``nlmg serve`` reuse what an earlier run made of the same data, and never after the data change."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import graph.buildcache
from graph.cli import main


def _files(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_an_unchanged_build_is_copied_and_an_edit_is_seen(data_copy, tmp_path, monkeypatch, capsys):
    first, second = tmp_path / "first", tmp_path / "second"
    assert main(["--data", str(data_copy), "build", "--output", str(first)]) == 0
    printed = capsys.readouterr().out.replace(str(first), "OUT")

    def must_not_run(*args, **kwargs):
        raise AssertionError("the build was made again from unchanged data")

    with monkeypatch.context() as patch:
        patch.setattr(graph.buildcache, "render", must_not_run)
        assert main(["--data", str(data_copy), "build", "--output", str(second)]) == 0
    assert capsys.readouterr().out.replace(str(second), "OUT") == printed
    assert _files(second) == _files(first) and "ontology/index.html" in _files(second)
    assert (second / "exports" / "nlmg.nt").read_bytes() == (first / "exports" / "nlmg.nt").read_bytes()

    _rename_rodney(data_copy)
    with monkeypatch.context() as patch:
        patch.setattr(graph.buildcache, "render", must_not_run)
        with pytest.raises(AssertionError, match="made again"):
            main(["--data", str(data_copy), "build", "--output", str(second)])
    assert main(["--data", str(data_copy), "build", "--output", str(second)]) == 0
    assert '"Rodders"' in (second / "exports" / "nlmg.nt").read_text(encoding="utf-8")
    assert "Rodders" in (second / "index.html").read_text(encoding="utf-8")


def _rename_rodney(data_copy):
    characters = data_copy / "characters.ttl"
    characters.write_text(characters.read_text(encoding="utf-8").replace('skos:prefLabel "Rodney"@en', 'skos:prefLabel "Rodders"@en'), encoding="utf-8")


def test_the_endpoint_dataset_follows_the_data(data_copy):
    from graph.cache import checked_graph
    from graph.cli import _cached_dataset

    before, sizes = _cached_dataset(data_copy, checked_graph(data_copy))
    assert _cached_dataset(data_copy, checked_graph(data_copy)) == (before, sizes)
    _rename_rodney(data_copy)
    after, _ = _cached_dataset(data_copy, checked_graph(data_copy))
    assert b'"Rodney"@en' in before and b'"Rodders"@en' not in before
    assert b'"Rodders"@en' in after and b'"Rodney"@en' not in after


def test_data_that_parse_but_break_a_shape_are_refused_though_the_build_ran_beside_the_check(data_copy, tmp_path, capsys):
    """The build renders while a child process validates: a problem only the shapes see (an untagged
    label) must still stop it, with the problems ``nlmg validate`` prints, and nothing written."""
    characters = data_copy / "characters.ttl"
    characters.write_text(characters.read_text(encoding="utf-8").replace('skos:prefLabel "Rodney"@en', 'skos:prefLabel "Rodney"'), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("the user's page")
    command = [sys.executable, "-m", "graph", "--data", str(data_copy), "build", "--output", str(out)]  # a fresh process: it forks
    result = subprocess.run(command, capture_output=True, text=True, check=False, env={**os.environ, "NLMG_CACHE": str(tmp_path / "cache")})
    refused = result.stderr
    assert result.returncode == 1 and "Traceback" not in refused
    assert "must be language-tagged" in refused and "nothing was written" in refused
    assert main(["--data", str(data_copy), "validate"]) == 1
    expected = capsys.readouterr().out
    assert "characters.ttl:" in expected and "must be language-tagged" in expected
    assert [line for line in refused.splitlines() if "characters.ttl:" in line] == [line for line in expected.splitlines() if "characters.ttl:" in line]
    assert _files(out) == ["index.html"] and (out / "index.html").read_text() == "the user's page"
