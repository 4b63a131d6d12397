"""nlmg: the knowledge graph of Kazuo Ishiguro's *Never Let Me Go*.

>>> from graph import load, as_of
>>> g = load()                      # the whole novel, with derived triples
>>> early = as_of(g, 9)             # what a reader knows after chapter 9
>>> len(early) < len(g)
True

The names below are imported on first use, so that ``import graph.cli`` (and ``nlmg --help``) stays light.
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import Any

__all__ = ["DataError", "Problem", "ValidationReport", "as_of", "load", "reveal_chapter", "stats", "validate"]

_HOMES = {
    "DataError": "graph.problems",
    "Problem": "graph.problems",
    "ValidationReport": "graph.validate",
    "as_of": "graph.spoilers",
    "load": "graph.load",
    "reveal_chapter": "graph.spoilers",
    "stats": "graph.stats",
    "validate": "graph.validate",
}


class _Package(ModuleType):
    """``graph.load``, ``graph.stats`` and ``graph.validate`` name the functions, as they always have, even
    after their modules of the same name are imported (which would otherwise rebind them to the modules)."""

    def __getattr__(self, name: str) -> Any:
        if name not in _HOMES:
            raise AttributeError(f"module 'graph' has no attribute {name!r}")
        value = getattr(import_module(_HOMES[name]), name)
        object.__setattr__(self, name, value)
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _HOMES and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
