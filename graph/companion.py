"""The reader's companion: one self-contained offline page, ``output/index.html``.

The page is the template ``web/index.html`` filled at build time with vis-network (from the pyvis
package), the app's CSS and JavaScript (``web/core.js``, then ``web/views/*.js`` in name order,
then ``web/app.js``) and the payload (``graph.payload``) as an inert ``application/json`` block in
which every ``<``, ``>`` and ``&`` is a JSON escape: no label can end the block or change how the
page is parsed.

>>> html = fill_template({"meta": {"max_chapter": 1}, "nodes": [{"label": "Ruth <!--<script>"}]})
>>> "<!--<script>" in html, "Ruth \\\\u003c!--\\\\u003cscript\\\\u003e" in html
(False, True)
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["PLACEHOLDERS", "app_script", "fill_template", "payload_json"]

#: The template's placeholders, each replaced exactly once.
PLACEHOLDERS = ("/*VIS_CSS*/", "/*APP_CSS*/", "/*PAYLOAD*/", "/*VIS_JS*/", "/*APP_JS*/")
_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _web(name: str) -> str:
    return resources.files("graph").joinpath("web", name).read_text(encoding="utf-8")


def payload_json(payload: dict[str, Any]) -> str:
    """The payload as JSON that cannot end or re-open a ``<script>`` block."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _UNSAFE[m.group()], text)


def app_script() -> str:
    """core.js, every view (in name order), then app.js: the app's JavaScript in the order it must run."""
    folder = resources.files("graph").joinpath("web", "views")
    views = sorted(p.name for p in folder.iterdir() if p.name.endswith(".js"))
    return "\n".join([_web("core.js"), *(_web(f"views/{name}") for name in views), _web("app.js")])


def _vis_assets() -> tuple[str, str]:
    import pyvis

    folder = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    return (folder / "vis-network.min.js").read_text(encoding="utf-8"), (folder / "vis-network.css").read_text(encoding="utf-8")


def _inert(code: str, closing: str, what: str) -> str:
    """``code`` that cannot end its ``<script>``/``<style>`` element early; refuse what would."""
    if "<!--" in code or closing in code.lower():
        raise ValueError(f"{what} contains '<!--' or '{closing}': it would break the page")
    return code


def fill_template(payload: dict[str, Any]) -> str:
    """The companion page holding ``payload``."""
    vis_js, vis_css = _vis_assets()
    filling = {
        "/*VIS_CSS*/": _inert(vis_css, "</style", "vis-network.css"),
        "/*APP_CSS*/": _inert(_web("app.css"), "</style", "app.css"),
        "/*PAYLOAD*/": payload_json(payload),
        "/*VIS_JS*/": _inert(vis_js, "</script", "vis-network.min.js"),
        "/*APP_JS*/": _inert(app_script(), "</script", "the app's JavaScript"),
    }
    template = _web("index.html")
    pattern = "|".join(re.escape(p) for p in PLACEHOLDERS)
    return re.sub(pattern, lambda m: filling[m.group()], template)  # one pass: nothing inserted is read again
