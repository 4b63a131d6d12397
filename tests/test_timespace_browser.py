"""The storyline and the board of places in the companion, in headless Chromium from ``file://``.

Checked against facts of the book, against the Python answers (``graph.storyline``, ``graph.places``) and by
axe-core; nothing after the reader's chapter may appear, and everything works with the keyboard.
"""

# ruff: noqa: F811  (the page fixtures are imported from the companion's browser tests, then used as arguments)
from __future__ import annotations

import pytest
from test_companion_browser import AXE, _axe, open_page, tab  # noqa: F401

from graph.places import counts_by_part, whereabouts
from graph.spoilers import reveal_chapters
from graph.storyline import storyline
from graph.storyline_svg import geometry, line_path

CHAPTERS = (1, 9, 14, 17, 23)
NORFOLK_PARTY = {"kathy-h", "ruth", "tommy-d", "chrissie", "rodney"}

LABEL_BOXES = """() => [...document.querySelectorAll('svg.storyline-chart g.labels text')].map(t => {
    const b = t.getBoundingClientRect(); return {text: t.textContent, x: b.x, y: b.y, w: b.width, h: b.height};
})"""


@pytest.mark.parametrize("view", ["storyline", "places"])
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_both_views_are_clean_and_accessible(view, chapter, open_page):
    if not AXE.is_file():
        pytest.skip("axe-core is missing: `make test` runs `npm ci --prefix tests/js` first")
    for extra in ("", "&order=story"):
        opened = open_page(f"#chapter={chapter}&view={view}{extra}", switch=True)
        assert opened.js("document.querySelector('main').dataset.view") == view
        violations = _axe(opened)
        assert not violations, "\n".join(violations)
        opened.assert_clean()


# -- the storyline ----------------------------------------------------------------------------------------------


def test_kathys_first_jump_back_is_in_chapter_1(open_page):
    opened = open_page("#chapter=23&view=storyline")
    chapters = opened.js("[...document.querySelectorAll('g.jumps rect')].map(r => Number(r.dataset.chapter))")
    assert chapters and chapters[0] == 1
    assert "first in chapter 1" in opened.page.inner_text("#storyline-jumps")
    opened = open_page("#chapter=23&view=storyline&order=story")
    assert opened.js("document.querySelectorAll('g.jumps rect').length") == 0  # the strip belongs to the as-told axis


def test_as_lived_the_tape_is_lost_before_the_norfolk_trip(open_page):
    opened = open_page("#chapter=23&view=storyline&order=story")
    events = opened.js("[...document.querySelectorAll('rect.slice')].map(r => r.dataset.events)")
    where = {event: i for i, ids in enumerate(events) for event in ids.split()}
    assert where["e06-tape-goes-missing"] < where["e13-setting-off-for-norfolk"]


@pytest.mark.parametrize("chapter", CHAPTERS)
@pytest.mark.parametrize("order", ["discourse", "story"])
def test_the_chart_is_the_python_layout_and_nothing_later(chapter, order, open_page, graph, projection_as_of):
    layout = storyline(graph, chapter, order, projection=projection_as_of(chapter))
    shape = geometry(layout)
    opened = open_page(f"#chapter={chapter}&view=storyline&order={order}")
    drawn = opened.js("[...document.querySelectorAll('g.lines path[data-character]')].map(p => [p.dataset.character, p.getAttribute('d')])")
    assert drawn == [[line["id"], line_path(shape["xs"], line)] for line in shape["lines"]]
    slices = opened.js("[...document.querySelectorAll('rect.slice')].map(r => r.dataset.events.split(' '))")
    assert slices == [list(s.events) for s in layout.slices]
    reveal = reveal_chapters(graph)
    told = {str(node).rsplit("/", 1)[-1]: n for node, n in reveal.items()}
    assert all(told[e] <= chapter for events in slices for e in events)
    opened.assert_clean()


def test_no_two_labels_overlap_at_1400_px_in_the_app(open_page):
    for order in ("discourse", "story"):
        opened = open_page(f"#chapter=23&view=storyline&order={order}", width=1600)
        opened.page.set_viewport_size({"width": 1600, "height": 900})
        boxes = opened.js(LABEL_BOXES)
        assert len(boxes) == 12
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                apart = a["x"] + a["w"] <= b["x"] or b["x"] + b["w"] <= a["x"] or a["y"] + a["h"] <= b["y"] or b["y"] + b["h"] <= a["y"]
                assert apart, (a["text"], b["text"])


def test_events_by_keyboard_and_names_open_cards(open_page):
    opened = open_page("#chapter=14&view=storyline")
    page = opened.page
    page.focus("rect.slice[tabindex='0']")
    assert "chapter 1" in page.inner_text("aside.storyline-details")
    page.keyboard.press("End")
    assert "(chapter 14)" in page.inner_text("aside.storyline-details")
    assert "null" not in page.inner_text("aside.storyline-details")
    page.keyboard.press("ArrowLeft")
    assert opened.js("document.activeElement.dataset.index") == str(opened.js("document.querySelectorAll('rect.slice').length") - 2)
    page.focus("g.labels a[data-character='ruth']")
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash.includes('view=cards')")
    assert "id=ruth" in opened.js("location.hash")
    opened.assert_clean()


def test_others_on_request(open_page):
    opened = open_page("#chapter=23&view=storyline")
    assert opened.js("document.querySelectorAll('g.others a').length") == 0
    opened.page.select_option("#storyline-others", "keffers")
    assert opened.js("[...document.querySelectorAll('g.others a')].map(a => a.dataset.character)") == ["keffers"]
    opened.page.select_option("#storyline-others", "all")
    assert opened.js("document.querySelectorAll('g.others a').length") > 10
    opened = open_page("#chapter=9&view=storyline&others=all")
    shown = opened.js("[...document.querySelectorAll('svg.storyline-chart [data-character]')].map(a => a.dataset.character)")
    assert "keffers" not in shown and "chrissie" not in shown  # met at the Cottages, in chapter 10
    opened.assert_clean()


# -- the board of places ----------------------------------------------------------------------------------------


def where_table(opened) -> dict[str, list[str]]:
    rows = opened.js("[...document.querySelectorAll('#where-table tr[data-character]')].map(r => [r.dataset.character, r.dataset.within])")
    return {person: within.split() for person, within in rows}


def test_as_of_chapter_14_the_norfolk_party_is_in_norfolk(open_page):
    opened = open_page("#chapter=14&view=places")
    where = where_table(opened)
    for person in NORFOLK_PARTY:
        assert "norfolk" in where[person], person
    opened = open_page("#chapter=14&view=places&place=cromer")
    here = opened.js("[...document.querySelectorAll('li[data-place=cromer] > .people a')].map(a => a.dataset.id)")
    assert set(here) == NORFOLK_PARTY


@pytest.mark.parametrize("chapter", CHAPTERS)
@pytest.mark.parametrize("order", ["discourse", "story"])
def test_where_everyone_is_matches_nlmg_where(chapter, order, open_page, projection_as_of):
    expected = {r["character"]: (r["place"], r["trail_places"]) for r in whereabouts(projection_as_of(chapter), order)}
    opened = open_page(f"#chapter={chapter}&view=places&order={order}")
    shown = opened.js(f"Object.fromEntries([...NLMG.places.whereabouts({chapter}, '{order}')].map(([p, w]) => [p, [w.place, w.trail]]))")
    assert {p: (place, trail) for p, (place, trail) in shown.items()} == expected
    assert set(where_table(opened)) == set(expected)


@pytest.mark.parametrize("chapter", [9, 17, 23])
def test_counts_per_place_per_part_match_python(chapter, open_page, projection_as_of):
    opened = open_page(f"#chapter={chapter}&view=places")
    shown = opened.js(f"Object.fromEntries([...NLMG.places.counts({chapter})])")
    assert shown == {place: [c[1], c[2], c[3]] for place, c in counts_by_part(projection_as_of(chapter)).items()}


def test_places_are_real_or_fictional_in_words(open_page):
    opened = open_page("#chapter=23&view=places")
    assert opened.page.inner_text("li[data-place=cromer] > .kind") == "(real place)"
    assert opened.page.inner_text("li[data-place=hailsham] > .kind") == "(fictional)"
    assert opened.js("!!document.querySelector('li[data-place=hailsham] li[data-place=hailsham-pond]')")
    opened = open_page("#chapter=9&view=places")
    assert not opened.js("document.querySelector('li[data-place=cromer]')")  # Cromer is named in chapter 12
    opened.page.click("li[data-place=hailsham] > button")
    opened.page.wait_for_function("location.hash.includes('place=hailsham')")
    assert opened.js("document.querySelector('#place-detail').textContent") == "Hailsham"
    opened.assert_clean()


@pytest.mark.parametrize("view", ["storyline", "places"])
def test_a_phone_scrolls_the_chart_not_the_page(view, open_page):
    opened = open_page(f"#chapter=23&view={view}&others=all", width=375)
    assert opened.js("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    opened.assert_clean()
