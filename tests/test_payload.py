"""The companion's payload against ``as_of``: at every chapter, what the payload shows equals the projection of the cut."""

from __future__ import annotations

import json

import pytest

from graph.derive import shortcut_properties
from graph.payload import build_payload, prune, state_at
from graph.spoilers import CHAPTERS
from graph.visibility import triple_chapters


def _attrs(data: dict) -> dict:
    return {k: v for k, v in data.items() if k not in ("iri", "kind")}


@pytest.mark.parametrize("chapter", range(1, CHAPTERS + 1))
def test_payload_equals_the_projection_of_as_of(payload, projection_as_of, chapter):
    expected = projection_as_of(chapter)
    nodes = {n["id"]: state_at(n, chapter) for n in payload["nodes"] if state_at(n, chapter) is not None}
    assert set(nodes) == set(expected.nodes)
    for node, data in expected.nodes(data=True):
        assert nodes[node] == _attrs(data), node
    edges = {e["id"]: (e, state_at(e, chapter)) for e in payload["edges"] if state_at(e, chapter) is not None}
    wanted = {f"{s}|{t}|{k}": d for s, t, k, d in expected.edges(keys=True, data=True)}
    assert set(edges) == set(wanted)
    for ident, data in wanted.items():
        edge, state = edges[ident]
        assert edge["kind"] == data["kind"]
        if data["kind"] == "relationship":
            assert state == _attrs(data), ident
        if data["kind"] == "participant":
            assert state["role"] == data["role"], ident


@pytest.mark.parametrize("chapter", range(1, CHAPTERS + 1))
def test_visible_from_gives_exactly_the_cut_of_as_of(graph, cut_as_of, chapter):
    shortcuts = {prop for prop, _ in shortcut_properties(graph).values()}  # as_of re-derives them from the relationships it keeps
    kept = {t for t, c in triple_chapters(graph).items() if c <= chapter}
    assert kept == {t for t in cut_as_of(chapter) if t[1] not in shortcuts}


def test_book_facts_in_the_payload(payload):
    nodes = {n["id"]: n for n in payload["nodes"]}
    assert nodes["chrissie"]["visible_from"] == 10  # the veterans arrive with Part Two
    assert "Marie-Claude" not in state_at(nodes["madame"], 21)["alt_labels"]
    assert "Marie-Claude" in state_at(nodes["madame"], 22)["alt_labels"]  # Miss Emily names her in chapter 22


def test_prune_drops_everything_later():
    data = {"a": [{"visible_from": 3, "x": 1}, {"visible_from": 10, "x": 2}], "b": {"visible_from": 12}}
    data["c"] = {"versions": [{"visible_from": 1}, {"visible_from": 9}]}
    assert prune(data, 9) == {"a": [{"visible_from": 3, "x": 1}], "c": {"versions": [{"visible_from": 1}, {"visible_from": 9}]}}


def test_a_cut_payload_holds_nothing_later(graph):
    cut = json.dumps(build_payload(graph, max_chapter=9), ensure_ascii=False)
    assert "Chrissie" not in cut and "Marie-Claude" not in cut and "chrissie" not in cut


def section_for_test(graph, chapters, max_chapter):
    """A payload section as another module would add it: items keyed by visible_from."""
    return [{"visible_from": 1, "text": "known from the start"}, {"visible_from": 22, "text": "Marie-Claude"}]


def test_a_registered_section_is_cut_like_the_rest(graph, monkeypatch):
    from graph import payload as module

    monkeypatch.setitem(module.SECTIONS, "extra", f"{__name__}:section_for_test")
    assert [item["text"] for item in build_payload(graph, max_chapter=21)["extra"]] == ["known from the start"]
    assert len(build_payload(graph)["extra"]) == 2
