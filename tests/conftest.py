"""Shared fixtures: the real graph, loaded once per test session, a scratch copy of data/, and headless Chromium."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest
from rdflib import Graph

from graph import as_of, load, paths, sparql
from graph.project import to_networkx

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update", "--disable-sync", "--no-first-run"]

#: The slowest test files, slowest first (CPU seconds per file, the browser's own processes included). ``make test`` hands
#: whole files to its two workers in collection order (``--dist loadfile --no-loadscope-reorder``): the long files start
#: first, so that both workers finish together rather than one running a long file alone at the end.
SLOWEST_FIRST = (
    "test_companion_browser.py",
    "test_notebooks.py",
    "test_timespace_browser.py",
    "test_books.py",
    "test_buildcache.py",
    "test_cache.py",
    "test_validate.py",
    "test_storyline.py",
    "test_hardening_data.py",
    "test_spoilers.py",
    "test_endpoint_safety.py",
    "test_shacl_engines.py",
    "test_payload.py",
    "test_storyline_svg.py",
    "test_ontology_owl.py",
    "test_site.py",
    "test_visibility.py",
    "test_endpoint.py",
    "test_competency.py",
    "test_verification.py",
    "test_export.py",
    "test_hardening_cli.py",
    "test_query_limits.py",
    "test_network_files.py",
    "test_endpoint_standards.py",
    "test_queries_library.py",
    "test_cli.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the slowest files first (a stable sort: the order inside a file, and of the other files, is kept)."""
    rank = {name: position for position, name in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


@pytest.fixture(scope="module", autouse=True)
def frozen_before_each_module() -> None:
    """What is alive when a module starts (the session's graphs, cuts and projections, the code imported) lives on:
    it is frozen out of the garbage collector's scans, and a full collection waits for 50 middle-generation ones, not 10. Each
    full collection walked all of it again, 0.5 s a time: 20 s of a worker's 70 s of CPU, now 5 to 8 s."""
    gc.collect()  # the previous module's garbage goes first: a frozen cycle is never freed
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, 50)


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory):
    """Every test (and every command a test starts) caches loaded graphs in a folder of the session's own."""
    import os

    os.environ["NLMG_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    yield
    os.environ.pop("NLMG_CACHE", None)


@pytest.fixture(scope="session")
def graph() -> Graph:
    """The whole novel, with derived triples (do not mutate: it is shared)."""
    return load()


@pytest.fixture(scope="session")
def projection(graph: Graph):
    """The faithful NetworkX projection of the whole novel (do not mutate)."""
    return to_networkx(graph)


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium driven by Playwright, one per test module (skips if /usr/bin/chromium is missing).

    Module-scoped so that Playwright's event loop is gone before other modules (notebooks) start theirs.
    """
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: `make browser` (part of `make test`) installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def payload(graph) -> dict:
    """The companion's payload of the whole novel, built once (do not mutate: it is shared)."""
    from graph.payload import build_payload

    return build_payload(graph)


@pytest.fixture(scope="session")
def site(graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reader's companion of the whole novel, written once (``index.html`` in a folder of its own; do not change it)."""
    from graph.site import write_site

    return write_site(graph, tmp_path_factory.mktemp("site"))


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/, for tests that break the data on purpose."""
    target = tmp_path / "data"
    shutil.copytree(paths.data_dir(), target)
    return target


@pytest.fixture(scope="session")
def store(graph):
    """The whole novel in an Oxigraph store, built once (read-only)."""
    return sparql.to_store(graph)


@pytest.fixture(scope="session")
def cut_as_of(graph):
    """``as_of(graph, N)``, the graph as a reader knows it after chapter N, built once per chapter (do not mutate: it is shared)."""
    cuts = {}

    def at(chapter: int) -> Graph:
        if chapter not in cuts:
            cuts[chapter] = as_of(graph, chapter)
        return cuts[chapter]

    return at


@pytest.fixture(scope="session")
def store_as_of(cut_as_of):
    """The graph as a reader knows it after chapter N in an Oxigraph store, built once per chapter asked for."""
    stores = {}

    def get(chapter: int):
        if chapter not in stores:
            stores[chapter] = sparql.to_store(cut_as_of(chapter))
        return stores[chapter]

    return get


@pytest.fixture(scope="session")
def projection_as_of(cut_as_of):
    """The faithful NetworkX projection of ``as_of(graph, N)`` (the Python answer a view is checked against), built once per chapter."""
    cache = {}

    def at(chapter: int):
        if chapter not in cache:
            cache[chapter] = to_networkx(cut_as_of(chapter))
        return cache[chapter]

    return at
