"""A small streaming XML writer for the network files: each element written as it comes, two spaces
of indent a level, an element with no content closed short, text and attribute values escaped. The
bytes are those ``xml.etree.ElementTree`` writes for the same tree after ``ElementTree.indent``
(``tostring`` with a declaration, then a newline), without building the tree first (several times
faster for the GEXF and GraphML exports).

>>> out = XmlWriter()
>>> out.start("a", {"x": 'Tommy & "Ruth"'})
>>> out.leaf("b", text="<Hailsham>")
>>> out.leaf("c")
>>> out.end()
>>> print(out.getvalue().decode(), end="")
<?xml version='1.0' encoding='utf-8'?>
<a x="Tommy &amp; &quot;Ruth&quot;">
  <b>&lt;Hailsham&gt;</b>
  <c />
</a>
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

__all__ = ["XmlWriter"]

#: Escaped in attribute values besides ``&``, ``<`` and ``>`` (as ElementTree does: a line break
#: written as a character reference survives a parser's normalisation of line ends).
_ATTRIBUTE_ENTITIES = {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"}
#: Whether a value needs escaping at all (most do not: escaping only those is most of the speed; one
#: search over an element's attribute values together tells whether any does).
_ATTRIBUTE_SPECIAL = re.compile(r'[&<>"\r\n\t]')
_TEXT_SPECIAL = re.compile(r"[&<>]")
_INDENT = "  "


def _text(value: str) -> str:
    return escape(value) if _TEXT_SPECIAL.search(value) else value


class XmlWriter:
    """An XML document written element by element (``start`` ... ``end`` around children, ``leaf``
    for an element without children); ``getvalue`` gives the UTF-8 document."""

    def __init__(self) -> None:
        self._parts: list[str] = ["<?xml version='1.0' encoding='utf-8'?>\n"]
        self._open: list[str] = []
        self._indent = ""
        #: The innermost open element's start tag still lacks its ``>``: it has no child yet.
        self._bare = False

    @staticmethod
    def _head(name: str, attributes: dict[str, str] | None) -> str:
        if not attributes:
            return name
        if _ATTRIBUTE_SPECIAL.search("".join(attributes.values())):
            attributes = {key: escape(value, _ATTRIBUTE_ENTITIES) for key, value in attributes.items()}
        return name + "".join([f' {key}="{value}"' for key, value in attributes.items()])

    def start(self, name: str, attributes: dict[str, str] | None = None) -> None:
        """Open element ``name``; what follows until the matching ``end`` is its content."""
        self._parts.append(f">\n{self._indent}<{self._head(name, attributes)}" if self._bare else f"{self._indent}<{self._head(name, attributes)}")
        self._open.append(name)
        self._indent += _INDENT
        self._bare = True

    def leaf(self, name: str, attributes: dict[str, str] | None = None, text: str | None = None) -> None:
        """An element without children, holding ``text`` if any."""
        element = f"{self._indent}<{self._head(name, attributes)}>{_text(text)}</{name}>\n" if text else f"{self._indent}<{self._head(name, attributes)} />\n"
        self._parts.append(f">\n{element}" if self._bare else element)
        self._bare = False

    def end(self) -> None:
        """Close the innermost open element (short, ``<name ... />``, if nothing went into it)."""
        name = self._open.pop()
        self._indent = self._indent[: -len(_INDENT)]
        self._parts.append(" />\n" if self._bare else f"{self._indent}</{name}>\n")
        self._bare = False

    def getvalue(self) -> bytes:
        """The document as UTF-8.

        Raises:
            ValueError: an element is still open.
        """
        if self._open:
            raise ValueError(f"element <{self._open[-1]}> is still open")
        return "".join(self._parts).encode("utf-8", "xmlcharrefreplace")
