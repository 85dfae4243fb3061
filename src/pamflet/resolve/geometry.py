"""Page geometry: paper sizes, default margins, the text frame, printed image and column sizes."""

from __future__ import annotations

from pamflet.load.rules import MM

PAGE_SIZES = {"A4": (210 * MM, 297 * MM), "A5": (148 * MM, 210 * MM)}
MARGINS = {"A4": (20, 18, 22, 18), "A5": (15, 14, 18, 14)}
CELL_PADDING = 12  # left and right padding of a table cell, in points


def max_columns(width: float, font_size: float) -> int:
    """How many table columns fit across `width`: each holds its padding and a character."""
    return max(1, int(width // (CELL_PADDING + font_size)))


def page_size(fmt: str) -> tuple[float, float]:
    return PAGE_SIZES["A4" if fmt == "A4" else "A5"]


def default_margins(fmt: str) -> tuple[float, float, float, float]:
    top, right, bottom, left = MARGINS["A4" if fmt == "A4" else "A5"]
    return (top * MM, right * MM, bottom * MM, left * MM)


def frame_size(fmt: str, margins: tuple[float, float, float, float]) -> tuple[float, float]:
    width, height = page_size(fmt)
    return width - margins[1] - margins[3], height - margins[0] - margins[2]


def printed_size(width_px: int, height_px: int, frame: tuple[float, float]) -> tuple[float, float]:
    """An image's printed size in points: 96 dpi at most its natural size, within the frame."""
    width, height = width_px * 72 / 96, height_px * 72 / 96
    scale = min(1.0, frame[0] / width, frame[1] * 0.6 / height)
    return width * scale, height * scale
