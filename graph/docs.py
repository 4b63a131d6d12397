"""Offline HTML documentation of the ontology (``data/ontology.ttl``), made with pyLODE: every class
and property with its label, definition, domain, range and super-terms, on one page with its CSS
inlined, so it opens from file:// with no network.

pyLODE is an optional dependency (the ``test`` and ``notebooks`` extras install it).
"""

from __future__ import annotations

import logging
from pathlib import Path

from graph.files import write_text

__all__ = ["DocsUnavailable", "ontology_html", "write_ontology_docs"]


class DocsUnavailable(RuntimeError):
    """pyLODE is not installed."""


def ontology_html(ontology: Path) -> str:
    """The documentation page of the ontology file ``ontology`` (made once per version of the file and of pyLODE)."""
    from importlib import metadata

    from graph.cache import made_from

    def page() -> bytes:
        try:
            from pylode import OntPub
        except ImportError as error:
            raise DocsUnavailable(f"pyLODE is needed for the ontology documentation ({error}): pip install -e '.[test]'") from None
        previous = logging.root.manager.disable
        logging.disable(logging.INFO)  # pyLODE logs its progress on the root logger
        try:
            return str(OntPub(ontology=str(ontology)).make_html(include_css=True)).encode("utf-8")
        finally:
            logging.disable(previous)

    try:
        version = metadata.version("pylode")
    except metadata.PackageNotFoundError:
        version = "missing"
    return made_from(f"ontology-pylode-{version}.html", ontology.read_bytes(), page).decode("utf-8")


def write_ontology_docs(ontology: Path, folder: Path) -> Path:
    """Write ``index.html`` documenting ``ontology`` into ``folder`` (atomically); return its path."""
    page = Path(folder) / "index.html"
    write_text(page, ontology_html(ontology))
    return page
