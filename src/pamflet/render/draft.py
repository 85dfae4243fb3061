"""The draft mark: 'CONCEPT' / 'DRAFT' across every page of a leaflet that is not approved.

The word is drawn as the outlines of the house font's glyphs, filled as a path inside an
artifact: it shows on screen and on paper, but it is not text, so text extraction, search and
screen readers never meet it (a word drawn as text would turn up in every copy-paste).
"""

from __future__ import annotations

import math
import struct
from functools import lru_cache
from pathlib import Path
from typing import Any

from reportlab.pdfgen.canvas import Canvas

from pamflet.load.assets import _cmap, _tables
from pamflet.render.rtl import STRONG_RTL

Outline = list[list[tuple[float, float, bool]]]  # contours of (x, y, on the curve)


@lru_cache(maxsize=8)
def glyphs(path: str) -> tuple[dict[int, int], bytes, dict[bytes, int], int]:
    data = Path(path).read_bytes()
    tables = _tables(data)
    (units,) = struct.unpack(">H", data[tables[b"head"] + 18 : tables[b"head"] + 20])
    return _cmap(data), data, tables, units


def outline(data: bytes, tables: dict[bytes, int], glyph: int, depth: int = 0) -> Outline:
    """The contours of one glyph (simple glyphs, and composites of them moved by an offset)."""
    (long_loca,) = struct.unpack(">h", data[tables[b"head"] + 50 : tables[b"head"] + 52])
    loca = tables[b"loca"]
    if long_loca:
        start, end = struct.unpack(">II", data[loca + 4 * glyph : loca + 4 * glyph + 8])
    else:
        start, end = (
            2 * v for v in struct.unpack(">HH", data[loca + 2 * glyph : loca + 2 * glyph + 4])
        )
    if end <= start or depth > 4:
        return []
    at = tables[b"glyf"] + start
    (contours,) = struct.unpack(">h", data[at : at + 2])
    if contours < 0:
        return composite(data, tables, at + 10, depth)
    ends = struct.unpack(f">{contours}H", data[at + 10 : at + 10 + 2 * contours])
    count = ends[-1] + 1 if ends else 0
    pos = at + 10 + 2 * contours
    (skip,) = struct.unpack(">H", data[pos : pos + 2])
    pos += 2 + skip
    flags: list[int] = []
    while len(flags) < count:
        flag = data[pos]
        pos += 1
        flags.append(flag)
        if flag & 8:
            flags.extend([flag] * data[pos])
            pos += 1
    xs, pos = coordinates(data, pos, flags, 2, 16)
    ys, pos = coordinates(data, pos, flags, 4, 32)
    out: Outline = []
    first = 0
    for last in ends:
        out.append([(xs[i], ys[i], bool(flags[i] & 1)) for i in range(first, last + 1)])
        first = last + 1
    return out


def coordinates(
    data: bytes, pos: int, flags: list[int], short: int, same: int
) -> tuple[list[float], int]:
    values, value = [], 0
    for flag in flags:
        if flag & short:
            delta = data[pos]
            pos += 1
            value += delta if flag & same else -delta
        elif not flag & same:
            (delta,) = struct.unpack(">h", data[pos : pos + 2])
            pos += 2
            value += delta
        values.append(float(value))
    return values, pos


def composite(data: bytes, tables: dict[bytes, int], pos: int, depth: int) -> Outline:
    out: Outline = []
    while True:
        flags, glyph = struct.unpack(">HH", data[pos : pos + 4])
        pos += 4
        if flags & 1:
            dx, dy = struct.unpack(">hh", data[pos : pos + 4])
            pos += 4
        else:
            dx, dy = struct.unpack(">bb", data[pos : pos + 2])
            pos += 2
        pos += 2 if flags & 8 else 4 if flags & 0x40 else 8 if flags & 0x80 else 0
        if not flags & 2:  # points matched by number, not offsets: rare in capitals
            dx = dy = 0
        for contour in outline(data, tables, glyph, depth + 1):
            out.append([(x + dx, y + dy, on) for x, y, on in contour])
        if not flags & 0x20:
            return out


def advance(data: bytes, tables: dict[bytes, int], glyph: int) -> int:
    (metrics,) = struct.unpack(">H", data[tables[b"hhea"] + 34 : tables[b"hhea"] + 36])
    index = min(glyph, metrics - 1)
    (width,) = struct.unpack(
        ">H", data[tables[b"hmtx"] + 4 * index : tables[b"hmtx"] + 4 * index + 2]
    )
    return width


def placed(font_path: str, word: str) -> list[tuple[int, int, int]]:
    """(glyph, x offset, advance) in font units, left to right: a right-to-left word shaped
    and joined by HarfBuzz, any other one glyph by glyph from the font's cmap."""
    cmap, data, tables, _ = glyphs(font_path)
    if STRONG_RTL.search(word):
        import uharfbuzz as hb

        font = hb.Font(hb.Face(hb.Blob(data)))
        buffer = hb.Buffer()
        buffer.add_str(word)
        buffer.guess_segment_properties()
        hb.shape(font, buffer, {})
        return [(info.codepoint, pos.x_offset, pos.x_advance)
                for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True)]  # fmt: skip
    out = []
    for char in word:
        glyph = cmap.get(ord(char), 0)
        out.append((glyph, 0, advance(data, tables, glyph)))
    return out


def draw_word(canvas: Canvas, font_path: str, word: str, size: float) -> float:
    """Fill `word`'s outlines from the origin; return its width."""
    path, width = word_path(font_path, word, size)
    canvas.drawPath(path, stroke=0, fill=1)
    return width


@lru_cache(maxsize=16)
def word_path(font_path: str, word: str, size: float) -> tuple[Any, float]:
    """`word`'s outlines as one path from the origin, and its width: made once per leaflet
    kind and drawn on every page."""
    from reportlab.pdfgen.pathobject import PDFPathObject

    _, data, tables, units = glyphs(font_path)
    scale = size / units
    path = PDFPathObject()
    x = 0.0
    for glyph, offset, width in placed(font_path, word):
        for contour in outline(data, tables, glyph):
            trace(path, [(x + (offset + px) * scale, py * scale, on) for px, py, on in contour])
        x += width * scale
    return path, x


def trace(path: object, points: list[tuple[float, float, bool]]) -> None:
    """One quadratic contour as PDF curves (each quadratic as its cubic twin)."""
    if not points:
        return
    start = next((i for i, p in enumerate(points) if p[2]), None)
    if start is None:  # every point off the curve: start between the first two
        a, b = points[0], points[1 % len(points)]
        points = [((a[0] + b[0]) / 2, (a[1] + b[1]) / 2, True), *points]
        start = 0
    ring = points[start:] + points[:start]
    x0, y0 = ring[0][0], ring[0][1]
    path.moveTo(x0, y0)  # type: ignore[attr-defined]
    cx = cy = None
    for x, y, on in [*ring[1:], ring[0]]:
        if on:
            if cx is None:
                path.lineTo(x, y)  # type: ignore[attr-defined]
            else:
                quad(path, x0, y0, cx, cy, x, y)
            x0, y0, cx, cy = x, y, None, None
        elif cx is None:
            cx, cy = x, y
        else:  # two off-curve points: an implied point on the curve halfway
            mx, my = (cx + x) / 2, (cy + y) / 2
            quad(path, x0, y0, cx, cy, mx, my)
            x0, y0, cx, cy = mx, my, x, y
    path.close()  # type: ignore[attr-defined]


def quad(path: object, x0: float, y0: float, cx: float, cy: float, x: float, y: float) -> None:
    path.curveTo(  # type: ignore[attr-defined]
        x0 + 2 / 3 * (cx - x0), y0 + 2 / 3 * (cy - y0),
        x + 2 / 3 * (cx - x), y + 2 / 3 * (cy - y), x, y,
    )  # fmt: skip


def draft_mark(
    canvas: Canvas, font_path: str, word: str, page: tuple[float, float], colour: object
) -> None:
    """`word` large and light, diagonally across the page, under the page's content."""
    width, height = page
    angle = math.degrees(math.atan2(height, width))
    units = glyphs(font_path)[3]
    natural = sum(width for _, _, width in placed(font_path, word)) / units
    size = min(0.75 * math.hypot(width, height) / max(natural, 0.1), height / 5)
    canvas.saveState()
    canvas.setFillColor(colour)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(angle)
    canvas.translate(-natural * size / 2, -0.35 * size)
    draw_word(canvas, font_path, word, size)
    canvas.restoreState()
