"""Saddle-stitch imposition: A5 pages 2-up on A4 landscape, in duplex sheet order."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter, Transformation

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


def impose(pdf: bytes) -> tuple[bytes, int]:
    """Return the imposed PDF and the number of reading pages."""
    reader = PdfReader(io.BytesIO(pdf))
    pages = list(reader.pages)
    for page in pages:  # links would point at A5 pages that the print file does not have
        if "/Annots" in page:
            del page["/Annots"]
    width = float(pages[0].mediabox.width)
    height = float(pages[0].mediabox.height)
    writer = PdfWriter()
    y = (SHEET[1] - height) / 2
    for left, right in sheet_order(len(pages)):
        sheet = writer.add_blank_page(*SHEET)
        for index, x in ((left, SHEET[0] / 2 - width), (right, SHEET[0] / 2)):
            if index < len(pages):
                sheet.merge_transformed_page(pages[index], Transformation().translate(x, y))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(pages)
