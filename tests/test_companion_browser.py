"""The reader's companion in headless Chromium, from ``file://``: every view at chapters 1, 9, 17 and 23.

Each view is checked against the Python answer (the projection of ``as_of``, ``graph.recap.recap``), against
facts of the book written here, and by axe-core (no serious or critical violation). Nothing may leave the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

from graph.cli import main
from graph.paths import output_dir
from graph.payload import state_at
from graph.project import coparticipation_layer, relationship_layer
from graph.queries import ego_network
from graph.recap import recap
from graph.slices import sliced

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"
VIEWS = ("map", "cards", "recap", "beliefs", "changes", "search", "downloads")
CHAPTERS = (1, 9, 17, 23)


@dataclass
class Opened:
    """One opened page, with every request it made and every error it logged."""

    page: object
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def js(self, expression: str, arg: object = None) -> object:
        return self.page.evaluate(expression, arg)

    def text(self, selector: str = "main") -> str:
        return self.page.inner_text(selector)

    def assert_clean(self) -> None:
        leaving = [url for url in self.requests if urlparse(url).scheme not in ("file", "data")]
        assert not leaving, f"requests left file://: {leaving}"
        assert not self.errors, f"console or page errors: {self.errors}"
        assert not self.dialogs, f"a script ran a dialog: {self.dialogs}"


@dataclass
class Tab:
    """The one browser tab of a test module, the page opened in it last (which its events are recorded for), and
    the page a reader's navigation may go on from: the address and width of a page only ``switch=True`` opens used."""

    page: object
    devtools: object
    current: Opened | None = None
    switchable: tuple[str, int] | None = None


@pytest.fixture(scope="module")
def tab(browser) -> Iterator[Tab]:
    """One tab for the module: a page opened afresh in it costs a third of a new browser context (its renderer process)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    tab = Tab(page, context.new_cdp_session(page))

    def record(kind: str, text: str) -> None:
        if tab.current is not None:
            getattr(tab.current, kind).append(text)

    page.on("request", lambda request: record("requests", request.url))
    page.on("console", lambda message: record("errors", message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: record("errors", str(error)))
    page.on("dialog", lambda dialog: (record("dialogs", dialog.message), dialog.dismiss()))
    yield tab
    context.close()


#: Set the address's fragment as a link in the page does, and wait until the page has shown it (``hashchange``).
_SWITCH = """(fragment) => new Promise((done) => {
    const before = location.hash;
    addEventListener("hashchange", () => setTimeout(done), {once: true});
    location.hash = fragment;
    if (location.hash === before) done();
})"""


@pytest.fixture()
def open_page(tab, site) -> Iterator[Callable[..., Opened]]:
    """Open a page as a first visit would: a full load into a blank tab, with nothing stored for file:// (the reader's place).

    With ``switch=True`` the page may instead go to ``fragment`` the way a reader switches view or chapter (the app's
    ``hashchange``), when the tab holds the same file at the same width, opened and used only by such switches
    (read-only checks: nothing clicked or chosen). It saves a load of the page and of axe-core.
    """

    def opener(fragment: str, page_file: Path | None = None, width: int = 1400, wait_map: bool = False, switch: bool = False) -> Opened:
        page = tab.page
        address = (page_file or site).as_uri()
        tab.current = None
        if switch and tab.switchable == (address, width):
            opened = tab.current = Opened(page)
            page.evaluate(_SWITCH, fragment)
        else:
            page.goto("about:blank")  # from a blank page, a URL differing only in its fragment is still loaded afresh
            tab.devtools.send("Storage.clearDataForOrigin", {"origin": "file://", "storageTypes": "all"})
            page.set_viewport_size({"width": width, "height": 900})
            opened = tab.current = Opened(page)
            page.goto(address + fragment)
        tab.switchable = (address, width) if switch else None
        page.wait_for_selector("main[data-view]", state="attached", timeout=30_000)
        if wait_map:
            page.wait_for_selector("body[data-stabilized='true']", state="attached", timeout=30_000)
        return opened

    yield opener
    tab.current = None


def _axe(opened: Opened) -> list[str]:
    """axe-core's serious and critical violations on the page (axe-core is added to the page once)."""
    if not opened.js("typeof axe === 'object'"):
        opened.page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = opened.js("async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(v => [v.impact, v.id, v.nodes.length, v.help])")
    return [f"{impact} {rule} ({count}): {why}" for impact, rule, count, why in result if impact in ("serious", "critical")]


# -- every view at every key chapter: against the Python answer, clean, accessible ------------------------------


@pytest.mark.parametrize("chapter", CHAPTERS)
@pytest.mark.parametrize("view", VIEWS)
def test_every_view_is_clean_and_accessible(view, chapter, open_page):
    if not AXE.is_file():
        pytest.skip("axe-core is missing: `make test` runs `npm ci --prefix tests/js` first")
    opened = open_page(f"#chapter={chapter}&view={view}" + ("&id=kathy-h" if view == "cards" else "&q=ruth" if view == "search" else ""), switch=True)
    assert opened.js("document.querySelector('main').dataset.view") == view
    assert opened.page.locator("#chapter").input_value() == str(chapter)
    violations = _axe(opened)
    assert not violations, "\n".join(violations)
    opened.assert_clean()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_map_shows_the_projection_of_as_of(chapter, open_page, projection_as_of):
    opened = open_page(f"#chapter={chapter}&view=map", wait_map=True)
    cut = projection_as_of(chapter)
    layer = relationship_layer(cut)
    assert set(opened.js("window.nlmg.nodeSet.getIds()")) == set(layer.nodes)
    assert opened.js("window.nlmg.edgeSet.length") == layer.number_of_edges()
    opened.page.select_option("#map-mode", "scenes")
    scenes = coparticipation_layer(cut)
    assert opened.js("window.nlmg.edgeSet.length") == scenes.number_of_edges()
    opened.page.select_option("#map-mode", "everything")
    shown = {n for n, d in cut.nodes(data=True) if d["kind"] != "theme"}  # themes are hidden until ticked
    assert set(opened.js("window.nlmg.nodeSet.getIds()")) == shown
    assert opened.js("window.nlmg.edgeSet.length") == sum(1 for s, t in cut.edges() if s in shown and t in shown)
    opened.assert_clean()


@pytest.mark.parametrize(("chapter", "part", "ego"), [(9, 1, "ruth"), (17, 2, "tommy-d"), (23, 3, "miss-emily"), (23, None, "kathy-h")])
def test_part_and_ego_modes_are_the_python_views(chapter, part, ego, open_page, projection_as_of):
    cut = projection_as_of(chapter)
    opened = open_page(f"#chapter={chapter}&view=map" + (f"&part={part}" if part else ""), wait_map=True)
    layer = relationship_layer(sliced(cut, part=part)) if part else relationship_layer(cut)
    assert opened.js("window.nlmg.edgeSet.length") == layer.number_of_edges()
    opened.page.select_option("#map-ego", ego)
    expected = ego_network(layer, ego)
    assert set(opened.js("window.nlmg.nodeSet.getIds()")) == set(expected.nodes)
    assert opened.js("window.nlmg.edgeSet.length") == expected.number_of_edges()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_cards_list_the_characters_of_as_of(chapter, open_page, projection_as_of):
    opened = open_page(f"#chapter={chapter}&view=cards")
    names = opened.page.locator("nav.index li").all_inner_texts()
    expected = sorted(d["label"] for _, d in projection_as_of(chapter).nodes(data=True) if d["kind"] == "character")
    assert sorted(names) == expected


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_story_so_far_is_the_text_of_nlmg_recap(chapter, open_page, payload):
    opened = open_page(f"#chapter={chapter}&view=recap")
    sentences = [line.rsplit(" (chapter ", 1)[0] for line in opened.page.locator("ol.sentences li").all_inner_texts()]
    assert sentences == [row["text"] for row in recap(payload, chapter)]
    opened = open_page(f"#chapter={chapter}&view=recap&order=story&character=kathy-h")
    sentences = [line.rsplit(" (chapter ", 1)[0] for line in opened.page.locator("ol.sentences li").all_inner_texts()]
    assert sentences == [row["text"] for row in recap(payload, chapter, character="kathy-h", order="story")]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_ledger_holds_the_beliefs_of_as_of(chapter, open_page, projection_as_of):
    opened = open_page(f"#chapter={chapter}&view=beliefs")
    shown = set(opened.js("[...document.querySelectorAll('tr[data-belief]')].map(r => r.dataset.belief)"))
    assert shown == {n for n, d in projection_as_of(chapter).nodes(data=True) if d["kind"] == "belief"}


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_what_the_chapter_changed_names_its_newcomers(chapter, open_page, projection_as_of):
    opened = open_page(f"#chapter={chapter}&view=changes")
    text = opened.text()
    before = set(projection_as_of(chapter - 1).nodes) if chapter > 1 else set()
    for node, data in projection_as_of(chapter).nodes(data=True):
        if data["kind"] == "character" and node not in before:
            assert data["label"] in text


# -- facts of the book ------------------------------------------------------------------------------------------


def test_a_reader_at_chapter_12_finds_chrissie_and_nothing_later(open_page, payload):
    opened = open_page("#chapter=12&view=cards&id=chrissie")
    assert opened.page.inner_text("#card-title") == "Chrissie"  # a veteran at the Cottages, met in chapter 10
    assert "veteran at the Cottages" in opened.text()
    later = {n["id"]: state_at(n, 23)["label"] for n in payload["nodes"] if n["visible_from"] > 12}
    assert "madame" not in later and "e22-what-the-gallery-was-for" in later
    for label in later.values():
        found = opened.js("([text, chapter]) => NLMG.search(text, chapter).map(h => h.id)", [label, 12])
        assert not set(found) & set(later), f"{label!r} (told after chapter 12) is findable at chapter 12"
    opened.page.fill("#search", "Marie-Claude")
    opened.page.press("#search", "Enter")
    assert opened.page.inner_text("#search-count").startswith("0 found")
    opened.assert_clean()


def test_madames_name_only_from_chapter_22(open_page):
    opened = open_page("#chapter=21&view=search&q=Marie-Claude")
    assert opened.page.inner_text("#search-count").startswith("0 found")
    opened = open_page("#chapter=22&view=search&q=Marie-Claude")
    assert opened.page.locator("ul.hits li").all_inner_texts() == ["Madame (character) on the map"]
    opened = open_page("#chapter=22&view=changes")
    assert "Marie-Claude" in opened.text()  # Miss Emily names her: a late reveal renames Madame
    assert "what Madame takes the art for" in opened.text()  # the Gallery belief is overturned in chapter 22


def test_a_reader_at_chapter_9_has_not_met_the_veterans(open_page):
    opened = open_page("#chapter=9&view=cards&id=chrissie")
    assert "Chrissie" not in opened.page.inner_text("nav.index") and "Rodney" not in opened.page.inner_text("nav.index")
    opened = open_page("#chapter=9&view=search&q=Chrissie")
    assert opened.page.inner_text("#search-count").startswith("0 found")


def test_rumours_at_chapter_12_hold_the_possibles(open_page):
    opened = open_page("#chapter=12&view=beliefs")
    row = opened.page.locator("tr[data-belief='belief-possibles']")
    assert row.count() == 1 and "not yet" in row.inner_text()


# -- the reader's place, the keyboard, the two widths -----------------------------------------------------------


def test_the_first_visit_asks_and_the_place_is_remembered(open_page, site):
    opened = open_page("")
    assert opened.page.locator("dialog#ask-place").is_visible()
    opened.page.select_option("#ask-chapter", "5")
    opened.page.click("dialog#ask-place button")
    opened.page.wait_for_url(re.compile(r"chapter=5"), timeout=10_000)  # the dialog's close event sets the place
    opened.page.goto(site.as_uri())
    opened.page.wait_for_selector("main[data-view]", state="attached")
    assert opened.page.locator("#chapter").input_value() == "5" and not opened.page.locator("dialog#ask-place").is_visible()


def test_everything_works_with_the_keyboard(open_page):
    opened = open_page("#chapter=12&view=map")
    opened.page.focus("#chapter")
    opened.page.keyboard.press("ArrowDown")  # a native select: the arrow picks the next chapter
    assert "chapter=13" in opened.page.url
    opened.page.focus("#tabs a[data-view='cards']")
    opened.page.keyboard.press("Enter")
    opened.page.wait_for_selector("main[data-view='cards']")
    opened.page.keyboard.press("Tab")
    first = opened.js("document.activeElement.tagName")
    assert first in ("A", "SELECT", "INPUT", "BUTTON", "SUMMARY")


@pytest.mark.parametrize("width", (375, 1400))
def test_every_view_fits_the_width(width, open_page):
    for view in VIEWS:
        opened = open_page(f"#chapter=12&view={view}&id=ruth", width=width)
        overflow = opened.js("document.documentElement.scrollWidth")
        assert overflow <= width + 1, f"{view} is {overflow} px wide at {width} px"
    opened = open_page("#chapter=12&view=map", width=width, wait_map=True)
    opened.page.screenshot(path=str(output_dir() / f"companion-{width}.png"), full_page=width == 375)


# -- no label can change how the page is parsed (review F5 and its payloads) ------------------------------------

PAYLOADS = {
    "A": "<img src=x onerror=alert('IMG')>",
    "B": "</script><script>alert('SCRIPT')</script>",
    "C": "<!--<script>",
}


#: Where the review put its payloads: a character's label and description, a place, a group, a relationship type.
FIELDS = {
    "characters.ttl": ['skos:prefLabel "Ruth"@en ;', "schema:description \"Kathy's closest friend"],
    "places.ttl": ['skos:prefLabel "Hailsham"@en ;'],
    "ontology.ttl": ['skos:prefLabel "Hailsham student"@en', 'skos:prefLabel "friendship"@en'],
}


def _poisoned(data: Path, bad: str) -> None:
    """Put ``bad`` into every field of FIELDS (inside the quotes, after the text already there)."""
    for name, anchors in FIELDS.items():
        path = data / name
        text = path.read_text(encoding="utf-8")
        for anchor in anchors:
            quote = anchor.index('"') + 1
            closing = anchor.find('"', quote)
            poisoned = anchor[:closing] + " " + bad + anchor[closing:] if closing > 0 else anchor + " " + bad
            assert anchor in text, anchor
            text = text.replace(anchor, poisoned, 1)
        path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("variant", sorted(PAYLOADS))
def test_labels_cannot_break_or_script_the_page(variant, data_copy, tmp_path, open_page, capsys):
    bad = PAYLOADS[variant].replace('"', "'")
    _poisoned(data_copy, bad)
    out = tmp_path / "out"
    assert main(["--data", str(data_copy), "site", "--output", str(out)]) == 0, capsys.readouterr().err
    page = out / "index.html"
    opened = open_page("#chapter=23&view=cards&id=ruth", page_file=page)
    assert opened.page.inner_text("#card-title") == f"Ruth {bad}"  # shown as text
    assert f"Kathy's closest friend {bad}" in opened.text() and f"Hailsham student {bad}" in opened.text()
    for fragment in ("#chapter=23&view=recap", "#chapter=23&view=search&q=Hailsham", "#chapter=23&view=beliefs", "#chapter=23&view=changes&of=1"):
        opened.page.goto(page.as_uri() + fragment)
        opened.page.wait_for_selector("main[data-view]", state="attached")
        assert opened.js("document.querySelectorAll('img, svg, iframe, object').length") == 0
        assert opened.js("document.scripts.length") == 3  # the data block, vis-network, the app: nothing injected
    opened.page.goto(page.as_uri() + "#chapter=23&view=map&focus=ruth")
    opened.page.wait_for_selector("body[data-stabilized='true']", state="attached", timeout=30_000)
    assert opened.js("document.querySelectorAll('canvas').length") == 1
    assert f"Ruth {bad}" in opened.page.inner_text("aside.panel")
    opened.assert_clean()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_visible_at_in_the_page_is_state_at_in_python(chapter, open_page, payload):
    opened = open_page(f"#chapter={chapter}&view=downloads")
    shown = opened.js(
        "(c) => ({nodes: NLMG.payload.nodes.map(n => NLMG.visibleAt(n, c)), edges: NLMG.payload.edges.map(e => NLMG.visibleAt(e, c)),"
        " recap: NLMG.payload.recap.map(r => NLMG.visibleAt(r, c))})",
        chapter,
    )
    for section in ("nodes", "edges", "recap"):
        assert shown[section] == [state_at(item, chapter) for item in payload[section]], section
