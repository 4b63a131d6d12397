"""Draw a storyline layout: its geometry (plain data, the same for the companion's view and the
export) and a standalone SVG of it (no script, for notebooks and papers).

``geometry(layout)`` turns a ``Storyline`` into coordinates at a given width: the x of every
slice, each line's SVG path, each label's place (placed so that no two labels overlap), the event
marks and the axis. ``svg(geometry)`` writes that as an SVG document.

>>> from graph import load
>>> from graph.storyline import storyline
>>> shape = geometry(storyline(load(), 1))
>>> shape["width"], [line["label"] for line in shape["lines"]][:2]
(1400, ['Kathy H.', 'the donor who wanted to hear about Hailsham'])
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import pairwise
from pathlib import Path
from typing import Any

from graph.files import write_text
from graph.storyline import Storyline

__all__ = ["FONT_SIZE", "PALETTE", "geometry", "line_path", "line_points", "svg", "write_svg"]

#: Line colours, in the order characters are first met (then grey): Tableau 10 and two more.
PALETTE = ("#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#b07aa1", "#76b7b2", "#edc948", "#9c755f", "#ff9da7", "#17becf", "#7f3c8d", "#3969ac")
OTHER_COLOUR = "#9a9a9a"
FONT_SIZE = 11
LEFT, RIGHT, TOP, BOTTOM = 190.0, 24.0, 76.0, 24.0
#: Extra room at a chapter (or phase) boundary, in slice widths.
BOUNDARY = 1.5
#: A generous guess at the width of a character of the label font, in ems (the browser test measures the real boxes).
CHAR_WIDTH = 0.62


def _boundaries(layout: Storyline) -> list[bool]:
    """Whether each slice opens a new chapter (as told) or phase (as lived)."""
    time = [s.chapter if layout.order == "discourse" else s.phase_rank for s in layout.slices]
    return [i == 0 or a != b for i, (a, b) in enumerate(zip([None, *time], time, strict=False))]


def _xs(layout: Storyline, width: float) -> list[float]:
    opens = _boundaries(layout)
    units = [0.0]
    for is_new in opens[1:]:
        units.append(units[-1] + 1 + (BOUNDARY if is_new else 0))
    span = units[-1] or 1.0
    return [LEFT + (width - LEFT - RIGHT) * u / span for u in units]


def _path(points: list[tuple[int, int]]) -> str:
    parts = [f"M{points[0][0]},{points[0][1]}"]
    for (x0, y0), (x1, y1) in pairwise(points):
        if abs(y0 - y1) < 1e-6:
            parts.append(f"H{x1}")
        else:
            middle = (x0 + x1) // 2
            parts.append(f"C{middle},{y0} {middle},{y1} {x1},{y1}")
    return "".join(parts)


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float], pad: float = 2.0) -> bool:
    return a[0] < b[2] + pad and b[0] < a[2] + pad and a[1] < b[3] + pad and b[1] < a[3] + pad


def _place_labels(starts: list[tuple[str, str, int, int]], width: float) -> dict[str, dict[str, Any]]:
    """A place for each line's label near the line's start: the first spot inside the chart that overlaps no label
    placed before it, else the spot inside the chart that overlaps the fewest."""
    placed: dict[str, dict[str, Any]] = {}
    boxes: list[tuple[float, float, float, float]] = []
    height = FONT_SIZE * 1.3
    for key, text, x, y in starts:
        w = len(text) * FONT_SIZE * CHAR_WIDTH + 4
        near = [("end", x - 6, y), ("start", x + 6, y - 8), ("start", x + 6, y + 8), ("end", x - 6, y - 8), ("end", x - 6, y + 8)]
        spots = near + [(anchor, sx, sy + dy) for dy in (16, -16, 24, -24, 32, -32, 40, -40, 48, -48) for anchor, sx, sy in near[1:]]
        candidates = []
        for anchor, lx, ly in spots:
            left = lx - w if anchor == "end" else lx
            box = (left, ly - height / 2, left + w, ly + height / 2)
            if box[0] >= 0 and box[2] <= width:
                candidates.append((sum(_overlaps(box, other) for other in boxes), box, anchor, lx, ly))
                if candidates[-1][0] == 0:
                    break
        if not candidates:  # wider than the chart (nlmg storyline refuses such widths): put it after the line's start
            candidates = [(0, (x + 6, y - height / 2, x + 6 + w, y + height / 2), "start", x + 6, y)]
        _, box, anchor, lx, ly = min(candidates, key=lambda c: c[0])
        boxes.append(box)
        placed[key] = {"x": round(lx, 1), "y": round(ly, 1), "anchor": anchor}
    return placed


def _phase_text(layout: Storyline, rank: int | None) -> str:
    return layout.phases[rank] if rank is not None and rank in layout.phases else "phase not given"


def _stagger(ticks: list[dict[str, Any]], width: float) -> None:
    """Give each axis tick a row (0 or 1) and an anchor so that no two tick texts overlap."""
    ends = [-1e9, -1e9]
    for tick in ticks:
        w = len(tick["text"]) * FONT_SIZE * CHAR_WIDTH
        left = tick["x"] - 3
        tick["anchor"] = "start"
        if left + w > width - 2:
            tick["anchor"], left = "end", width - 2 - w
        row = 0 if left > ends[0] + 6 else 1
        tick["row"] = row
        ends[row] = left + w


def _runs(ys: tuple[float | None, ...], first: int, last: int) -> list[list[int]]:
    """A line's y as [slice, y] at each slice where it changes (from ``first`` to ``last``)."""
    runs: list[list[int]] = []
    for i in range(first, last + 1):
        if ys[i] is None:
            continue
        y = round(TOP + ys[i])
        if not runs or runs[-1][1] != y:
            runs.append([i, y])
    return runs


def line_points(xs: list[int], line: dict[str, Any]) -> list[tuple[int, int]]:
    """The (x, y) of a line at every slice it spans, from its runs."""
    points, runs, k = [], line["runs"], 0
    for i in range(runs[0][0], line["last"] + 1):
        while k + 1 < len(runs) and runs[k + 1][0] <= i:
            k += 1
        points.append((xs[i], runs[k][1]))
    return points


def line_path(xs: list[int], line: dict[str, Any]) -> str:
    """The SVG path data of a line of a geometry (the companion's view draws the same)."""
    return _path(line_points(xs, line))


def geometry(layout: Storyline, width: int = 1400) -> dict[str, Any]:
    """Coordinates of everything drawn (JSON-ready, integers): the x of each slice (``xs``), the
    axis, each slice's event mark, each line as runs of [slice, y] with its label's place."""
    xs = [round(x) for x in _xs(layout, width)]
    colour_order = sorted(layout.characters, key=lambda c: (layout.met[c], layout.labels[c]))
    colours = {c: PALETTE[i] if i < len(PALETTE) else OTHER_COLOUR for i, c in enumerate(colour_order)}
    bottom = max((y for ys in layout.rows.values() for y in ys if y is not None), default=0.0)
    lines, starts = [], []
    for person in layout.characters:
        first, last = layout.span(person)
        runs = _runs(layout.rows[person], first, last)
        lines.append({"id": person, "label": layout.labels[person], "colour": colours[person], "runs": runs, "last": last, "completed": person in layout.fates})
        starts.append((person, layout.labels[person], xs[first], runs[0][1]))
    labels = _place_labels(sorted(starts, key=lambda s: (s[2], s[3])), width)
    for line in lines:
        line["text"] = labels[line["id"]]
    slices = []
    for i, piece in enumerate(layout.slices):
        ys = [TOP + y for c in piece.present if (y := layout.rows[c][i]) is not None]
        slices.append([round(min(ys) - 6), round(max(ys) + 6), int(piece.jump_back and layout.order == "discourse"), list(piece.events)])
    axis = [
        {"x": xs[i], "text": f"{piece.chapter}" if layout.order == "discourse" else _phase_text(layout, piece.phase_rank)}
        for i, (piece, is_new) in enumerate(zip(layout.slices, _boundaries(layout), strict=True))
        if is_new
    ]
    _stagger(axis, width)
    return {
        "width": width,
        "height": round(TOP + bottom + BOTTOM + 12),
        "chapter": layout.chapter,
        "order": layout.order,
        "title": f"Who is with whom, {'as told (chapters)' if layout.order == 'discourse' else 'as lived (story phases)'}, up to chapter {layout.chapter}",
        "xs": xs,
        "axis": axis,
        "slices": slices,
        "lines": lines,
        "events": {e: [label, chapter] for e, (label, _, chapter) in layout.descriptions.items()},
    }


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: Any) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.rstrip("_").replace("_", "-"): str(v) for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def svg(shape: dict[str, Any]) -> str:
    """A standalone SVG document of a ``geometry`` (no script: titles give the events on hover)."""
    ET.register_namespace("", "http://www.w3.org/2000/svg")
    root = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "width": str(shape["width"]),
            "height": str(shape["height"]),
            "viewBox": f"0 0 {shape['width']} {shape['height']}",
            "role": "img",
            "aria-labelledby": "storyline-title",
            "font-family": "Helvetica, Arial, sans-serif",
            "font-size": str(FONT_SIZE),
        },
    )
    _sub(root, "title", shape["title"], id="storyline-title")
    _sub(root, "rect", x=0, y=0, width=shape["width"], height=shape["height"], fill="#ffffff")
    axis = _sub(root, "g", class_="axis", fill="#555555")
    what = "chapter" if shape["order"] == "discourse" else "story phase"
    _sub(axis, "text", f"{what} →", x=8, y=18, font_weight="bold")
    for tick in shape["axis"]:
        _sub(axis, "line", x1=tick["x"] - 6, x2=tick["x"] - 6, y1=38, y2=shape["height"] - BOTTOM, stroke="#e6e6e6")
        x = tick["x"] - 3 if tick["anchor"] == "start" else shape["width"] - 2
        _sub(axis, "text", tick["text"], x=x, y=18 + 13 * tick["row"], text_anchor=tick["anchor"])
    if shape["order"] == "discourse":
        strip = _sub(root, "g", class_="jumps")
        _sub(strip, "text", "jumps back", x=8, y=54, fill="#555555")
        for x, (_, _, jump_back, events) in zip(shape["xs"], shape["slices"], strict=True):
            if jump_back:
                label, chapter = shape["events"][events[0]]
                mark = _sub(strip, "rect", x=x - 3, y=44, width=6, height=14, fill="#333333")
                _sub(mark, "title", f"Jump back in time, chapter {chapter}: {label}")
    marks = _sub(root, "g", class_="events")
    for x, (top, bottom, _, events) in zip(shape["xs"], shape["slices"], strict=True):
        mark = _sub(marks, "rect", x=x - 4, y=top, width=8, height=bottom - top, rx=4, fill="#eeeeee", stroke="#c8c8c8")
        _sub(mark, "title", "\n".join(f"{shape['events'][e][0]} (chapter {shape['events'][e][1]})" for e in events))
    lines = _sub(root, "g", class_="lines", fill="none", stroke_width=2.5, stroke_linecap="round")
    for line in shape["lines"]:
        points = line_points(shape["xs"], line)
        path = _sub(lines, "path", d=_path(points), stroke=line["colour"])
        _sub(path, "title", line["label"])
        if line["completed"]:
            x, y = points[-1]
            _sub(lines, "path", d=f"M{x - 4},{y - 4}L{x + 4},{y + 4}M{x - 4},{y + 4}L{x + 4},{y - 4}", stroke="#222222", stroke_width=2)
    labels = _sub(root, "g", class_="labels", fill="#222222", stroke="#ffffff", stroke_width=3, paint_order="stroke")
    for line in shape["lines"]:
        place = line["text"]
        _sub(labels, "text", line["label"], x=place["x"], y=place["y"], dominant_baseline="middle", text_anchor=place["anchor"])
    return ET.tostring(root, encoding="unicode", xml_declaration=False) + "\n"


def write_svg(shape: dict[str, Any], path: Path) -> Path:
    """Write ``svg(shape)`` to ``path`` (whole or not at all); return the path."""
    write_text(path, '<?xml version="1.0" encoding="UTF-8"?>\n' + svg(shape))
    return path
