"""Saddle-stitch imposition: A5 pages 2-up on A4 landscape, in duplex sheet order."""

from __future__ import annotations

import io

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    RectangleObject,
)

SHEET = (297 * 72 / 25.4, 210 * 72 / 25.4)  # A4 landscape; the fold is at its middle
MM = 72 / 25.4
BLEED = 3 * MM
MARK_BORDER = 12 * MM  # room outside the trimmed sheet for the marks
MARK_LENGTH = 6 * MM


def blank_pages(pages: int) -> int:
    """How many blank pages pad a booklet of `pages` pages to a multiple of 4."""
    return -pages % 4


def sheet_order(pages: int) -> list[tuple[int, int]]:
    """(left, right) page indexes for each printed side, front then back of each sheet.

    Indexes at or past `pages` are blank. Print double-sided, flipping on the short edge.
    """
    total = pages + blank_pages(pages)
    sides = []
    for sheet in range(total // 4):
        sides.append((total - 1 - 2 * sheet, 2 * sheet))
        sides.append((2 * sheet + 1, total - 2 - 2 * sheet))
    return sides


def page_form(
    writer: PdfWriter, page: PageObject, bbox: tuple[float, float, float, float]
) -> IndirectObject:
    """An A5 page as a form XObject: its content and resources, without its links, clipped to
    `bbox` (the page, or the page with its bleed on the outer edges).

    Placing forms keeps each page's resources apart; merging pages into one content stream
    renamed shared fonts to two names for one object, which Ghostscript reports as circular.
    """
    form, contents = DecodedStreamObject(), page.get_contents()
    form.set_data(contents.get_data() if contents is not None else b"")
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject(FloatObject(round(v, 4)) for v in bbox),
        NameObject("/Resources"): page["/Resources"].get_object().clone(writer),
    })  # fmt: skip
    return writer._add_object(form.flate_encode())


def marks(x0: float, y0: float, width: float, height: float) -> list[str]:
    """Crop marks at the sheet's corners and fold marks at its middle, outside the bleed,
    in Registration (the Separation /All: on every plate, so each plate can be aligned)."""
    gap, length = BLEED, MARK_LENGTH
    x1, y1, fold = x0 + width, y0 + height, x0 + width / 2
    lines = []
    for x, dx in ((x0, -1), (x1, 1)):
        for y, dy in ((y0, -1), (y1, 1)):
            lines.append((x + dx * gap, y, x + dx * (gap + length), y))  # horizontal
            lines.append((x, y + dy * gap, x, y + dy * (gap + length)))  # vertical
    for y, dy in ((y0, -1), (y1, 1)):
        lines.append((fold, y + dy * gap, fold, y + dy * (gap + length)))
    ops = ["q /All CS 1 SCN 0.25 w"]
    ops += [f"{a:.3f} {b:.3f} m {c:.3f} {d:.3f} l S" for a, b, c, d in lines]
    return [*ops, "Q"]


def registration(writer: PdfWriter) -> ArrayObject:
    """The Registration colour space: Separation /All, drawn as all four inks on a proof."""
    tint = DictionaryObject({
        NameObject("/FunctionType"): NumberObject(2),
        NameObject("/Domain"): ArrayObject([NumberObject(0), NumberObject(1)]),
        NameObject("/C0"): ArrayObject([NumberObject(0)] * 4),
        NameObject("/C1"): ArrayObject([NumberObject(1)] * 4),
        NameObject("/N"): NumberObject(1),
    })  # fmt: skip
    space = [NameObject("/Separation"), NameObject("/All"), NameObject("/DeviceCMYK")]
    return ArrayObject([*space, writer._add_object(tint)])


def impose(
    pdf: bytes, print_marks: bool = False, back: bool = False, rtl: bool = False
) -> tuple[bytes, int]:
    """The imposed PDF as bytes (see `imposed`) and the number of reading pages."""
    writer, count = imposed(pdf, print_marks, back, rtl)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), count


def imposed(
    pdf: bytes, print_marks: bool = False, back: bool = False, rtl: bool = False
) -> tuple[PdfWriter, int]:
    """Return the imposed sheets, not yet written, and the number of reading pages.

    Blank pages that make up the last sheet go at the end, or, with `back` (a booklet whose
    last page is its back cover), just before the last page. A right-to-left booklet (`rtl`)
    is bound on the right: the cover goes on the left half of the first sheet.

    With `print_marks` each sheet gets a border with crop and fold marks, a TrimBox (the two
    A5 pages side by side, 296 x 210 mm: an A4 sheet trimmed by 1 mm) and a BleedBox 3 mm
    outside it; each A5 page keeps its 3 mm bleed on its three outer edges.
    """
    reader = PdfReader(io.BytesIO(pdf))
    pages = list(reader.pages)
    width = float(pages[0].mediabox.width)
    height = float(pages[0].mediabox.height)
    writer = PdfWriter()
    border = MARK_BORDER if print_marks else 0.0
    bleed = BLEED if print_marks else 0.0
    media = (SHEET[0] + 2 * border, SHEET[1] + 2 * border)
    y = border + (SHEET[1] - height) / 2
    count = len(pages)
    slots: list[int | None] = list(range(count))
    if back and blank_pages(count):
        slots = [*range(count - 1), *[None] * blank_pages(count), count - 1]
    all_plates = registration(writer) if print_marks else None
    for left, right in sheet_order(count):
        if rtl:  # read right to left, bound on the right: each side mirrored
            left, right = right, left
        sheet = writer.add_blank_page(*media)
        placed, ops = DictionaryObject(), []
        for slot, x, box in (
            (left, border + SHEET[0] / 2 - width, (-bleed, -bleed, width, height + bleed)),
            (right, border + SHEET[0] / 2, (0, -bleed, width + bleed, height + bleed)),
        ):
            index = slots[slot] if slot < len(slots) else None
            if index is not None:
                name = f"/P{index + 1}"
                placed[NameObject(name)] = page_form(writer, pages[index], box)
                ops.append(f"q 1 0 0 1 {x:.4f} {y:.4f} cm {name} Do Q")
        if print_marks:  # trimmed to the two pages: A5 is 148 mm, half of A4 is 148.5 mm
            fold = border + SHEET[0] / 2
            ops += marks(fold - width, y, 2 * width, height)
            trim = (fold - width, y, fold + width, y + height)
            sheet.trimbox = RectangleObject(trim)
            sheet.bleedbox = RectangleObject(
                (trim[0] - BLEED, trim[1] - BLEED, trim[2] + BLEED, trim[3] + BLEED)
            )
        resources = DictionaryObject({NameObject("/XObject"): placed})
        if print_marks:
            resources[NameObject("/ColorSpace")] = DictionaryObject(
                {NameObject("/All"): all_plates}
            )
        sheet[NameObject("/Resources")] = resources
        content = DecodedStreamObject()
        content.set_data("\n".join(ops).encode())
        sheet[NameObject("/Contents")] = writer._add_object(content.flate_encode())
    return writer, len(pages)
