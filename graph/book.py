"""The shape of the novel: its chapter count and its three parts. Imports nothing, so that every
module (and the command line, before it loads anything) can use it.

>>> CHAPTERS, list(PARTS[2])[:2]
(23, [10, 11])
"""

from __future__ import annotations

__all__ = ["CHAPTERS", "PARTS"]

#: The novel's chapter count.
CHAPTERS = 23
#: Part number -> its chapters.
PARTS = {1: range(1, 10), 2: range(10, 18), 3: range(18, 24)}
