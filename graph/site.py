"""The landing page ``output/index.html``: links to every map, export and rendered notebook.

>>> "maps/characters.html" in index_page([("characters", "Characters")], ["nlmg.ttl"], [], has_screenshot=False)
True
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from graph.files import write_text

__all__ = ["index_page", "write_index"]


def index_page(maps: list[tuple[str, str]], exports: list[str], notebooks: list[str], *, has_screenshot: bool) -> str:
    """The HTML of the index page (offline, no script)."""

    def items(rows: list[tuple[str, str]]) -> str:
        return "".join(f'<li><a href="{html.escape(href)}">{html.escape(text)}</a></li>' for href, text in rows)

    picture = '<p><a href="maps/characters.html"><img src="character-map.png" alt="The character map" width="720"></a></p>' if has_screenshot else ""
    notebook_list = items([(f"notebooks/{n}", n) for n in notebooks]) or "<li>run <code>make notebooks</code> to render them</li>"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Never Let Me Go knowledge graph</title>
<style>body{{font:15px/1.5 system-ui,sans-serif;max-width:820px;margin:2em auto;padding:0 1em;color:#222}} a{{color:#1f5fa8}}</style>
</head><body>
<h1>Never Let Me Go: the knowledge graph</h1>
<p>Who is who in Kazuo Ishiguro's novel, who loves, lies to, cares for or loses whom, where and when, chapter by chapter.
Every map has a chapter slider that shows only what a reader knows after that chapter.</p>
{picture}
<h2>Maps</h2><ul>{items([(f"maps/{name}.html", title) for name, title in maps])}</ul>
<h2>Exports</h2><ul>{items([(f"exports/{name}", name) for name in exports])}</ul>
<h2>Notebooks</h2><ul>{notebook_list}</ul>
</body></html>
"""


def _title(page: Path) -> str:
    match = re.search(r"<title>(.*?)(?: · .*)?</title>", page.read_text(encoding="utf-8", errors="replace"))
    return html.unescape(match.group(1)) if match else page.stem


def write_index(folder: Path) -> Path:
    """Write ``index.html`` into ``folder`` from the maps, exports and notebook pages there; return its path.

    The character map comes first: it is the landing view.
    """
    folder = Path(folder)
    pages = sorted((folder / "maps").glob("*.html"), key=lambda p: (p.stem != "characters", p.stem))
    maps = [(p.stem, _title(p)) for p in pages]
    exports = sorted(p.name for p in (folder / "exports").glob("*") if not p.name.startswith(".")) if (folder / "exports").is_dir() else []
    notebooks = sorted(p.name for p in (folder / "notebooks").glob("*.html")) if (folder / "notebooks").is_dir() else []
    page = index_page(maps, exports, notebooks, has_screenshot=(folder / "character-map.png").is_file())
    write_text(folder / "index.html", page)
    return folder / "index.html"
