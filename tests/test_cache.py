"""The cache of the validated graph (issue 15): keyed by the content of the data files, so an edit is seen
by the very next command; a damaged cache is rebuilt, never trusted; unchanged data is not validated twice."""

from __future__ import annotations

import sys

import pytest

from graph import cache
from graph.cli import main
from graph.problems import DataError


def _entry_folder(data):
    return cache._Entry(cache.data_key(data), data).folder


def test_the_next_command_sees_an_edit(data_copy, capsys):
    assert main(["--data", str(data_copy), "relations", "Kathy", "--format", "csv"]) == 0
    assert "Ruth," in capsys.readouterr().out
    path = data_copy / "characters.ttl"
    path.write_text(path.read_text(encoding="utf-8").replace('skos:prefLabel "Ruth"@en', 'skos:prefLabel "Ruth the Edited"@en', 1), encoding="utf-8")
    assert main(["--data", str(data_copy), "relations", "Kathy", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "Ruth the Edited," in out and "\nRuth," not in out


def test_an_edit_that_breaks_the_data_is_refused_at_once(data_copy, capsys):
    assert main(["--data", str(data_copy), "stats"]) == 0
    path = data_copy / "places.ttl"
    path.write_text(path.read_text(encoding="utf-8").replace("    nlmg:isReal true ;", '    nlmg:isReal "yes" ;', 1), encoding="utf-8")
    assert main(["--data", str(data_copy), "stats"]) == 1
    assert "nlmg:isReal takes true or false" in capsys.readouterr().err


def test_unchanged_data_is_validated_once(data_copy, monkeypatch):
    cache.checked_graph(data_copy)
    cache._loaded.clear()

    def must_not_run(*_args, **_kwargs):
        raise AssertionError("validated again")

    monkeypatch.setattr(sys.modules["graph.validate"], "check", must_not_run)
    assert len(cache.checked_graph(data_copy)) > 9000
    assert cache.validation(data_copy).conforms


def test_invalid_data_is_remembered_with_its_problems(data_copy, monkeypatch):
    (data_copy / "characters.ttl").write_text("@prefix : <https://w3id.org/nlmg/id/> .\n:oops :is :broken .\n", encoding="utf-8")
    with pytest.raises(DataError) as first:
        cache.checked_graph(data_copy)
    monkeypatch.setattr(sys.modules["graph.validate"], "check", lambda *_: pytest.fail("validated again"))
    with pytest.raises(DataError) as second:
        cache.checked_graph(data_copy)
    assert [str(p) for p in second.value.problems] == [str(p) for p in first.value.problems]


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage"])
@pytest.mark.parametrize("name", ["graph.pickle", "projection-05.pickle", "verdict.json"])
def test_a_damaged_cache_file_is_rebuilt_not_trusted(data_copy, damage, name):
    expected = sorted(cache.checked_projection(data_copy, as_of=5).nodes)
    path = _entry_folder(data_copy) / name
    blob = path.read_bytes()
    path.write_bytes({"truncate": blob[: len(blob) // 2], "flip": blob[:-10] + bytes(b ^ 0xFF for b in blob[-10:]), "garbage": b"not a cache"}[damage])
    cache._loaded.clear()
    assert sorted(cache.checked_projection(data_copy, as_of=5).nodes) == expected
    assert len(cache.checked_graph(data_copy)) > 9000


def test_the_ntriples_file_is_the_graph(data_copy):
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(cache.checked_ntriples(data_copy)), format=ox.RdfFormat.N_TRIPLES)
    assert len(store) == len(cache.checked_graph(data_copy))


def test_a_cache_that_cannot_be_written_only_costs_time(data_copy, tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("NLMG_CACHE", str(blocker / "cache"))
    assert main(["--data", str(data_copy), "relations", "Ruth"]) == 0
    assert "Kathy H." in capsys.readouterr().out
