"""The relationship maps in a real browser: headless Chromium opens every page from ``file://``.

Expectations come from the novel (who is known by the end of Part One, what "Kath" means) and from the
spec of each page: it shows the projection named in ``graph.project`` (or ``ego_network``), cut with
``as_of`` when the chapter slider moves, and nothing is fetched from anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import networkx as nx
import pytest

from graph import as_of
from graph.files import write_bytes
from graph.maps import write_maps
from graph.paths import output_dir
from graph.project import coparticipation_layer, relationship_layer, sliced, to_networkx
from graph.queries import ego_network

EGO_PEOPLE = ("kathy-h", "tommy-d", "ruth", "miss-emily", "miss-lucy", "madame", "chrissie", "rodney")
MAP_NAMES = ("characters", "full", "coparticipation", "part-1", "part-2", "part-3", *(f"ego-{p}" for p in EGO_PEOPLE))
#: Characters first met at the Cottages, in Part Two (chapter 10 on): a reader at chapter 9 has not met them.
PART_TWO_PEOPLE = ("chrissie", "rodney", "keffers")
END_OF_PART_ONE = 9


def expected_view(name: str, projection: nx.MultiDiGraph) -> nx.Graph:
    """What a map is documented to show, computed from one projection."""
    if name == "characters":
        return relationship_layer(projection)
    if name == "full":
        return projection
    if name == "coparticipation":
        return coparticipation_layer(projection)
    if name.startswith("part-"):
        return relationship_layer(sliced(projection, part=int(name.removeprefix("part-"))))
    person = name.removeprefix("ego-")
    return ego_network(projection, person) if person in projection else nx.MultiDiGraph()


def counts(view: nx.Graph) -> dict[str, int]:
    return {"nodes": view.number_of_nodes(), "edges": view.number_of_edges()}


@dataclass
class MapPage:
    """One opened map, with every request it made and every error it logged."""

    page: object
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def js(self, expression: str, arg: object = None) -> object:
        return self.page.evaluate(expression, arg)

    def counts(self) -> dict[str, int]:
        return self.js("window.nlmg.visibleCounts()")

    def visible(self) -> set[str]:
        return set(self.js("window.nlmg.nodesView.getIds()"))

    def show_every_kind(self) -> None:
        for box in self.page.locator("[data-kind]").all():
            box.check()

    def search(self, text: str) -> None:
        self.page.fill("#search", text)
        self.page.press("#search", "Enter")

    def node_on_screen(self, node: str) -> tuple[float, float]:
        x, y = self.js("(id) => { const n = window.nlmg.network; const p = n.canvasToDOM(n.getPositions([id])[id]); return [p.x, p.y]; }", node)
        box = self.page.locator("#network").bounding_box()
        return box["x"] + x, box["y"] + y

    def assert_clean(self) -> None:
        leaving = [url for url in self.requests if urlparse(url).scheme not in ("file", "data")]
        assert not leaving, f"requests left file://: {leaving}"
        assert not self.errors, f"console or page errors: {self.errors}"


@pytest.fixture(scope="module")
def maps_dir(graph, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("maps")
    write_maps(graph, folder)
    return folder


@pytest.fixture(scope="module")
def projection_at_9(graph) -> nx.MultiDiGraph:
    return to_networkx(as_of(graph, END_OF_PART_ONE))


@pytest.fixture()
def open_map(browser, maps_dir) -> Iterator[Callable[..., MapPage]]:
    contexts = []

    def opener(name: str, fragment: str = "") -> MapPage:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        contexts.append(context)
        page = context.new_page()
        opened = MapPage(page)
        page.on("request", lambda request: opened.requests.append(request.url))
        page.on("console", lambda message: opened.errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: opened.errors.append(str(error)))
        page.goto((maps_dir / f"{name}.html").as_uri() + fragment)
        # A selector wait, not wait_for_function: the page's CSP forbids the eval that polling needs.
        page.wait_for_selector("body[data-stabilized='true']", state="attached", timeout=30_000)
        return opened

    yield opener
    for context in contexts:
        context.close()


def test_every_map_is_written(maps_dir):
    assert sorted(p.stem for p in maps_dir.glob("*.html")) == sorted(MAP_NAMES)


@pytest.mark.parametrize("name", MAP_NAMES)
def test_map_works_offline_and_shows_its_projection(name, open_map, projection, projection_at_9):
    opened = open_map(name)
    opened.show_every_kind()
    final = expected_view(name, projection)
    assert opened.counts() == counts(final)
    assert opened.visible() == set(final.nodes)

    opened.page.locator("#chapter").fill(str(END_OF_PART_ONE))
    assert opened.page.text_content("#chapter-value") == str(END_OF_PART_ONE)
    early = expected_view(name, projection_at_9)
    assert opened.counts() == counts(early)
    assert opened.visible() <= set(projection_at_9.nodes), "a node the reader has not met yet is shown"
    later = {n for n in opened.visible() if (projection.nodes[n]["first_chapter"] or 0) > END_OF_PART_ONE}
    assert not later, f"first met after chapter {END_OF_PART_ONE} but shown: {later}"

    opened.page.click("#reveal-all")
    assert opened.counts() == counts(final)
    assert opened.page.is_disabled("#reveal-all")
    assert opened.js("typeof vis") == "object", "vis-network is inlined"
    opened.assert_clean()


def test_full_map_hides_themes_until_ticked_and_kind_filters_count(open_map, projection):
    opened = open_map("full")
    theme_box = opened.page.locator('[data-kind="theme"]')
    assert not theme_box.is_checked()
    themes = [n for n, d in projection.nodes(data=True) if d["kind"] == "theme"]
    events = [n for n, d in projection.nodes(data=True) if d["kind"] == "event"]
    assert len(themes) >= 10 and len(events) >= 100
    assert opened.counts() == counts(projection.subgraph(set(projection) - set(themes)))
    theme_box.check()
    assert opened.counts() == counts(projection)
    opened.page.locator('[data-kind="event"]').uncheck()
    assert opened.counts() == counts(projection.subgraph(set(projection) - set(events)))
    assert not set(events) & opened.visible()
    opened.assert_clean()


def test_type_filters_change_the_links_shown(open_map, projection):
    opened = open_map("characters")
    view = relationship_layer(projection)
    couples = [(s, t) for s, t, d in view.edges(data=True) if d["type_label"] == "couple"]
    assert ("ruth", "tommy-d") in couples or ("tommy-d", "ruth") in couples
    opened.page.locator('[data-type="couple"]').uncheck()
    assert opened.counts() == {"nodes": view.number_of_nodes(), "edges": view.number_of_edges() - len(couples)}
    opened.page.click("#types-none")
    assert opened.counts() == {"nodes": view.number_of_nodes(), "edges": 0}
    opened.page.click("#types-all")
    assert opened.counts() == counts(view)
    opened.assert_clean()


def test_search_focuses_the_named_character(open_map):
    opened = open_map("characters")
    opened.search("Kath")
    assert opened.js("window.nlmg.network.getSelectedNodes()") == ["kathy-h"]
    assert opened.page.text_content("#panel h2") == "Kathy H."
    opened.search("Miss Lucy")
    assert opened.js("window.nlmg.network.getSelectedNodes()") == ["miss-lucy"]
    opened.search("Mr Nobody at all")
    assert "Mr Nobody at all" in opened.page.text_content("#status")
    assert "no visible node" in opened.page.text_content("#status")
    assert opened.js("window.nlmg.network.getSelectedNodes()") == ["miss-lucy"]
    opened.assert_clean()


def test_slider_keeps_part_two_people_hidden_at_chapter_9(open_map):
    opened = open_map("characters")
    assert set(PART_TWO_PEOPLE) <= opened.visible()
    opened.page.locator("#chapter").fill(str(END_OF_PART_ONE))
    assert not set(PART_TWO_PEOPLE) & opened.visible()
    assert {"kathy-h", "tommy-d", "ruth", "miss-lucy"} <= opened.visible()
    opened.search("Chrissie")  # searching must not reveal her either
    assert "no visible node" in opened.page.text_content("#status")
    assert opened.js("window.nlmg.network.getSelectedNodes()") == []
    opened.page.click("#reveal-all")
    assert set(PART_TWO_PEOPLE) <= opened.visible()
    opened.assert_clean()


def test_chapter_in_the_address_opens_the_page_at_that_chapter(open_map):
    opened = open_map("characters", "#chapter=9")
    assert opened.page.input_value("#chapter") == "9"
    assert not set(PART_TWO_PEOPLE) & opened.visible()
    opened.assert_clean()


def test_clicking_a_node_opens_its_story_in_order(open_map, projection):
    opened = open_map("characters")
    x, y = opened.node_on_screen("kathy-h")
    opened.page.mouse.click(x, y)
    assert opened.js("window.nlmg.network.getSelectedNodes()") == ["kathy-h"]
    panel = opened.page.locator("#panel")
    assert panel.locator("h2").text_content() == "Kathy H."
    assert [h.lower() for h in panel.locator("h3").all_text_contents()][:1] == [f"links ({relationship_layer(projection).degree('kathy-h')})"]
    links, events = panel.locator("ol").all()
    assert links.locator("li").count() == relationship_layer(projection).degree("kathy-h")
    her_events = [e for e, _, d in projection.in_edges("kathy-h", data=True) if d["kind"] == "participant"]
    assert events.locator("li").count() == len(her_events) > 50  # she tells the story: she is in most scenes
    cited = []
    for item in [*links.locator("li").all_text_contents(), *events.locator("li").all_text_contents()]:
        found = re.search(r"\(ch\. (\d+)", item)
        assert found, f"no chapter citation in {item!r}"
        cited.append(int(found.group(1)))
    told = cited[links.locator("li").count() :]
    assert told == sorted(told), "events are listed in the order told"
    text = panel.inner_text()
    assert not re.search(r"</?[a-z]+>|&lt;|&amp;", text), f"raw markup in the panel: {text[:200]!r}"
    tooltip = opened.page.locator("div.vis-tooltip")  # the pointer rests on her: her tooltip comes up; move it to a blank corner
    tooltip.wait_for(state="visible", timeout=5_000)
    corner = opened.page.locator("#network").bounding_box()
    opened.page.mouse.move(corner["x"] + 3, corner["y"] + 3, steps=5)
    tooltip.wait_for(state="hidden", timeout=5_000)
    write_bytes(output_dir() / "character-map.png", opened.page.screenshot())
    opened.assert_clean()


def test_tooltips_are_elements_not_markup(open_map):
    opened = open_map("characters")
    assert opened.js("window.nlmg.nodes.get().every((n) => n.title instanceof HTMLElement)")
    assert opened.js("window.nlmg.edges.get().every((e) => e.title instanceof HTMLElement)")
    opened.page.mouse.move(*opened.node_on_screen("ruth"))
    tooltip = opened.page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5_000)
    assert tooltip.locator("b").first.text_content() == "Ruth"
    assert "<b>" not in tooltip.inner_text()
    opened.assert_clean()


def test_legend_is_visible_and_names_kinds_and_groups(open_map):
    opened = open_map("characters")
    legend = opened.page.locator("#legend")
    assert legend.is_visible()
    box = legend.bounding_box()
    assert box["y"] + box["height"] <= 900 and box["width"] > 50
    text = legend.inner_text()
    for words in ("character", "Hailsham student", "guardian", "rumour"):
        assert words in text
    opened.assert_clean()
