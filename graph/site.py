"""The site: the reader's companion as ``index.html``, listing the exports and notebook pages beside it.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> (folder / "exports").mkdir(); (folder / "exports" / "nlmg.ttl").write_text("")
0
>>> (folder / "exports" / ".nlmg.ttl.tmp123").write_text("")  # a writer's temporary file is never listed
0
>>> (folder / "exports" / "networks").mkdir(); (folder / "exports" / "networks" / "copresence.csv").write_text("")
0
>>> listed_files(folder)
{'exports': ['networks/copresence.csv', 'nlmg.ttl'], 'notebooks': []}
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from graph.files import write_text
from graph.spoilers import CHAPTERS

__all__ = ["listed_files", "write_site"]


def _visible_files(folder: Path, pattern: str) -> list[str]:
    """Files under ``folder`` (subfolders too) as paths relative to it; nothing hidden, nothing inside a hidden folder."""
    if not folder.is_dir():
        return []
    found = (p.relative_to(folder) for p in folder.rglob(pattern) if p.is_file())
    return sorted(p.as_posix() for p in found if not any(part.startswith(".") for part in p.parts))


def listed_files(folder: Path) -> dict[str, list[str]]:
    """The exports and rendered notebooks in ``folder`` (hidden files left out)."""
    return {"exports": _visible_files(Path(folder) / "exports", "*"), "notebooks": _visible_files(Path(folder) / "notebooks", "*.html")}


def write_site(graph: Graph, folder: Path, max_chapter: int = CHAPTERS, files: dict[str, list[str]] | None = None) -> Path:
    """Write the companion for ``graph`` as ``folder/index.html``, holding nothing told after ``max_chapter``;
    its downloads list ``files`` (default: the exports and notebook pages in ``folder``)."""
    from graph.companion import fill_template
    from graph.payload import build_payload

    payload = build_payload(graph, max_chapter)
    payload["files"] = files if files is not None else listed_files(folder)
    page = Path(folder) / "index.html"
    write_text(page, fill_template(payload))
    return page
