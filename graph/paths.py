"""Where the project's folders are. Each can be moved with an environment variable.

>>> data_dir().name
'data'
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["data_dir", "output_dir", "queries_dir", "root_dir", "shapes_file"]


def root_dir() -> Path:
    """The repository root (the folder holding ``data/`` and ``graph/``)."""
    return Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The hand-authored Turtle (``NLMG_DATA`` overrides)."""
    return Path(os.environ.get("NLMG_DATA", root_dir() / "data"))


def shapes_file() -> Path:
    """The SHACL shapes, ``data/shapes.ttl``."""
    return data_dir() / "shapes.ttl"


def queries_dir() -> Path:
    """Named SPARQL queries (``NLMG_QUERIES`` overrides)."""
    return Path(os.environ.get("NLMG_QUERIES", root_dir() / "queries"))


def output_dir() -> Path:
    """Where generated files go (``NLMG_OUTPUT`` overrides)."""
    return Path(os.environ.get("NLMG_OUTPUT", root_dir() / "output"))
