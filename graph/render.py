"""Render lists of records (dicts) as a text table, JSON or CSV for the command line.

>>> print(render([{"name": "Ruth", "chapter": 1}], "table"))
name  chapter
----  -------
Ruth  1
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

__all__ = ["FORMATS", "render"]

FORMATS = ("table", "json", "csv")


def _cell(value: Any) -> str:
    if isinstance(value, (list, tuple, set)):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:.4f}"
    return "" if value is None else str(value)


def render(records: Sequence[dict[str, Any]], fmt: str = "table", columns: Sequence[str] | None = None) -> str:
    """Records as ``table`` (aligned text), ``json`` (a list of objects) or ``csv``."""
    columns = list(columns or (records[0].keys() if records else []))
    if fmt == "json":
        return json.dumps([{c: r.get(c) for c in columns} for r in records], indent=2, ensure_ascii=False, default=str)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(r.get(c)) for c in columns] for r in records)
        return buffer.getvalue().rstrip("\n")
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    rows = [[_cell(r.get(c)) for c in columns] for r in records]
    widths = [max([len(c)] + [len(row[i]) for row in rows]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip(), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines)
