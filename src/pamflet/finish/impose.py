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
)

SHEET = (297 * 72 / 25.4, 210 * 72 / 25.4)  # A4 landscape; the fold is at its middle


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


def page_form(writer: PdfWriter, page: PageObject) -> IndirectObject:
    """An A5 page as a form XObject: its content and resources, without its links.

    Placing forms keeps each page's resources apart; merging pages into one content stream
    renamed shared fonts to two names for one object, which Ghostscript reports as circular.
    """
    form, contents = DecodedStreamObject(), page.get_contents()
    form.set_data(contents.get_data() if contents is not None else b"")
    box = page.mediabox
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject(FloatObject(v) for v in (0, 0, box.width, box.height)),
        NameObject("/Resources"): page["/Resources"].get_object().clone(writer),
    })  # fmt: skip
    return writer._add_object(form.flate_encode())


def impose(pdf: bytes) -> tuple[bytes, int]:
    """Return the imposed PDF and the number of reading pages."""
    reader = PdfReader(io.BytesIO(pdf))
    pages = list(reader.pages)
    width = float(pages[0].mediabox.width)
    height = float(pages[0].mediabox.height)
    writer = PdfWriter()
    forms = [page_form(writer, page) for page in pages]
    y = (SHEET[1] - height) / 2
    for left, right in sheet_order(len(pages)):
        sheet = writer.add_blank_page(*SHEET)
        placed, ops = DictionaryObject(), []
        for index, x in ((left, SHEET[0] / 2 - width), (right, SHEET[0] / 2)):
            if index < len(pages):
                name = f"/P{index + 1}"
                placed[NameObject(name)] = forms[index]
                ops.append(f"q 1 0 0 1 {x:.4f} {y:.4f} cm {name} Do Q")
        sheet[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): placed})
        content = DecodedStreamObject()
        content.set_data("\n".join(ops).encode())
        sheet[NameObject("/Contents")] = writer._add_object(content.flate_encode())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(pages)
