"""The standalone storyline SVG (``nlmg storyline``): well-formed for two XML parsers (Python's expat and
Chromium's), and readable at 1400 px: Chromium measures every label box and no two overlap."""

from __future__ import annotations

from pathlib import Path
from xml.dom import minidom

import pytest

from graph.cli import main

SVG = "http://www.w3.org/2000/svg"

LABEL_BOXES = """() => [...document.querySelectorAll('g.labels text')].map(t => {
    const b = t.getBBox(); return {text: t.textContent, x: b.x, y: b.y, w: b.width, h: b.height};
})"""


def overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    pairs = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]:
                pairs.append((a["text"], b["text"]))
    return pairs


@pytest.fixture(scope="module")
def charts(tmp_path_factory) -> dict[tuple[int, str], Path]:
    folder = tmp_path_factory.mktemp("storyline")
    made = {}
    for chapter in (9, 14, 23):
        for order in ("discourse", "story"):
            path = folder / f"storyline-{chapter}-{order}.svg"
            assert main(["storyline", "--as-of", str(chapter), "--order", order, "--out", str(path)]) == 0
            made[(chapter, order)] = path
    return made


def test_the_svg_is_well_formed_xml(charts):
    for path in charts.values():
        document = minidom.parse(str(path))
        root = document.documentElement
        assert root.tagName == "svg" and root.namespaceURI == SVG
        assert root.getAttribute("width") == "1400"
        assert not document.getElementsByTagName("script")


@pytest.mark.parametrize("key", [(9, "discourse"), (14, "discourse"), (23, "discourse"), (9, "story"), (14, "story"), (23, "story")])
def test_no_two_labels_overlap_at_1400_px(browser, charts, key):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.goto(charts[key].as_uri())
        assert page.evaluate("document.documentElement.namespaceURI") == SVG
        assert page.evaluate("document.getElementsByTagName('parsererror').length") == 0
        boxes = page.evaluate(LABEL_BOXES)
    finally:
        page.close()
    assert len(boxes) == 12  # the twelve main characters
    assert all(b["w"] > 0 and b["x"] >= 0 and b["x"] + b["w"] <= 1400 for b in boxes)
    assert overlapping(boxes) == []


def test_the_jump_back_strip_starts_in_chapter_1(browser, charts):
    page = browser.new_page()
    try:
        page.goto(charts[(23, "discourse")].as_uri())
        titles = page.evaluate("[...document.querySelectorAll('g.jumps rect title')].map(t => t.textContent)")
    finally:
        page.close()
    assert titles and titles[0].startswith("Jump back in time, chapter 1:")


def test_a_reader_at_chapter_9_meets_no_veteran(charts):
    text = charts[(9, "discourse")].read_text(encoding="utf-8")
    assert "Chrissie" not in text and "Rodney" not in text and "Keffers" not in text
    assert "Ruth" in text


def test_the_file_must_be_svg(tmp_path, capsys):
    assert main(["storyline", "--out", str(tmp_path / "chart.png")]) == 2
    assert "ending in .svg" in capsys.readouterr().err
    assert not (tmp_path / "chart.png").exists()


def test_the_as_lived_axis_names_the_phases_in_story_order(charts):
    document = minidom.parse(str(charts[(23, "story")]))
    axis = next(g for g in document.getElementsByTagName("g") if g.getAttribute("class") == "axis")
    ticks = [t.firstChild.data for t in axis.getElementsByTagName("text")][1:]
    assert ticks == ["before Kathy's time", "early Hailsham years", "senior years at Hailsham", "the Cottages", "the carer years", "the narrating present"]


def test_a_width_too_small_for_the_labels_is_refused(tmp_path, capsys):
    assert main(["storyline", "--width", "100", "--out", str(tmp_path / "chart.svg")]) == 2
    assert "from 600 to 10000" in capsys.readouterr().err
    assert not (tmp_path / "chart.svg").exists()


def test_no_two_labels_overlap_at_any_chapter(browser, graph, tmp_path):
    from graph.storyline import ORDERS, storyline
    from graph.storyline_svg import geometry, write_svg
    from graph.visibility import cuts, triple_chapters

    projections = cuts(triple_chapters(graph))
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        for chapter, net in projections.items():
            for order in ORDERS:
                path = write_svg(geometry(storyline(graph, chapter, order, projection=net)), tmp_path / f"{chapter}-{order}.svg")
                page.goto(path.as_uri())
                boxes = page.evaluate(LABEL_BOXES)
                assert overlapping(boxes) == [], (chapter, order)
                assert all(b["x"] >= 0 and b["x"] + b["w"] <= 1400 for b in boxes), (chapter, order)
    finally:
        page.close()
