"""Page geometry: paper sizes, default margins, the text frame, printed image and column sizes."""

from __future__ import annotations

from pamflet.load.rules import MM

PAGE_SIZES = {"A4": (210 * MM, 297 * MM), "A5": (148 * MM, 210 * MM)}
MARGINS = {"A4": (20, 36, 22, 36), "A5": (18, 14, 18, 14)}  # A4: a 138 mm column, ~70 characters
CELL_PADDING = 12  # left and right padding of a table cell, in points
LOGO_HEIGHT = 14 * MM
LOGO_GAP = 4 * MM  # between the logo and the header beside it
FOOT_EDGE = 4 * MM  # the lowest a footer line may stand: printers do not print to the edge
HEAD_EDGE = 10 * MM  # the header's capitals stand at least this far from the trimmed edge
PAGE_TEXT_SCALE = 0.75  # header and footer size, of the body's


def header_room(page_width: float, margins: tuple[float, float, float, float],
                logo_px: tuple[int, int] | None) -> tuple[float, float]:  # fmt: skip
    """The width a header has on the first page (beside the logo) and on the others."""
    room = page_width - margins[1] - margins[3]
    if logo_px is None:
        return room, room
    width_px, height_px = logo_px
    logo = min(LOGO_HEIGHT * width_px / max(height_px, 1), room * 0.4)
    return room - logo - LOGO_GAP, room


def footer_fits(lines: int, size: float, bottom_margin: float) -> bool:
    """Whether a footer of `lines` lines fits below the text frame, above the paper's edge."""
    step = size * 1.2
    y = max(bottom_margin - 10 * MM, FOOT_EDGE + (lines - 1) * step)
    return y + size + 3 <= bottom_margin


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
