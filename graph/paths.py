"""Where the project's folders are. Each can be moved with an environment variable.

>>> data_dir().name
'data'
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["cache_dir", "data_dir", "output_dir", "queries_dir", "root_dir", "shapes_file"]


def _from_environment(name: str, default: Path) -> Path:
    """The folder named by the environment variable ``name``; ``default`` when it is unset or empty
    (an empty value would otherwise mean the current folder, and read whatever is there)."""
    value = os.environ.get(name, "")
    return Path(value) if value.strip() else default


def root_dir() -> Path:
    """The repository root (the folder holding ``data/`` and ``graph/``)."""
    return Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The hand-authored Turtle (``NLMG_DATA`` overrides)."""
    return _from_environment("NLMG_DATA", root_dir() / "data")


def shapes_file(data: Path | None = None) -> Path:
    """The SHACL shapes, ``shapes.ttl`` in the data folder (``data``, else ``data_dir()``)."""
    return (Path(data) if data is not None else data_dir()) / "shapes.ttl"


def queries_dir() -> Path:
    """Named SPARQL queries (``NLMG_QUERIES`` overrides)."""
    return _from_environment("NLMG_QUERIES", root_dir() / "queries")


def output_dir() -> Path:
    """Where generated files go (``NLMG_OUTPUT`` overrides)."""
    return _from_environment("NLMG_OUTPUT", root_dir() / "output")


def cache_dir() -> Path:
    """Where loaded graphs are cached: ``NLMG_CACHE``, else ``$XDG_CACHE_HOME/nlmg``, else ``~/.cache/nlmg``."""
    return _from_environment("NLMG_CACHE", _from_environment("XDG_CACHE_HOME", Path.home() / ".cache") / "nlmg")
