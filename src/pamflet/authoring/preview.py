"""`pamflet preview`: PNG images of a built leaflet's pages, or one contact sheet of them all.

pdfium draws the pages (pypdfium2, the `preview` extra); Pillow writes the PNGs without dates,
so the same PDF gives the same image bytes.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from pamflet.finish.write import write_atomically

MAX_PIXELS = 40_000_000  # a contact sheet of a long leaflet at a high dpi stays a few MB
GAP = 24  # pixels between pages on a contact sheet


class PreviewProblem(Exception):
    """The pages asked for do not exist, or the PDF cannot be read."""


def page_numbers(text: str, count: int) -> list[int]:
    """'1-2,4' -> [1, 2, 4] (1-based); empty text means every page."""
    if not text.strip():
        return list(range(1, count + 1))
    chosen: list[int] = []
    for part in text.split(","):
        first, dash, last = part.strip().partition("-")
        if not first.isdigit() or (dash and not last.isdigit()):
            raise PreviewProblem(f"--pages {text!r}: write pages as 1-2 or 1,3")
        a, b = int(first), int(last) if dash else int(first)
        if a > b:
            raise PreviewProblem(f"--pages {text!r}: the range {a}-{b} is reversed; write {b}-{a}")
        if not 1 <= a <= b <= count:
            raise PreviewProblem(
                f"--pages {text!r}: the leaflet has {count} page{'s' * (count != 1)}"
            )
        chosen.extend(n for n in range(a, b + 1) if n not in chosen)
    return chosen


def render_pages(pdf: Path, spec: str, dpi: int) -> list[tuple[int, Image.Image]]:
    try:
        document = pdfium.PdfDocument(str(pdf))
    except (pdfium.PdfiumError, OSError) as exc:
        raise PreviewProblem(f"cannot read {pdf}: {exc}") from None
    try:
        numbers = page_numbers(spec, len(document))
        out = []
        for number in numbers:
            page = document[number - 1]
            bitmap = page.render(scale=dpi / 72)
            out.append((number, bitmap.to_pil().convert("RGB")))
            page.close()
        return out
    finally:
        document.close()


def contact_sheet(images: list[tuple[int, Image.Image]]) -> Image.Image:
    """The pages side by side in rows (at most 4 across), each with a thin frame."""
    across = min(4, len(images)) if len(images) != 4 else 2
    rows = math.ceil(len(images) / across)
    w = max(im.width for _, im in images)
    h = max(im.height for _, im in images)
    sheet = Image.new("RGB", (GAP + across * (w + GAP), GAP + rows * (h + GAP)), (225, 225, 225))
    draw = ImageDraw.Draw(sheet)
    for i, (_, im) in enumerate(images):
        x, y = GAP + (i % across) * (w + GAP), GAP + (i // across) * (h + GAP)
        sheet.paste(im, (x, y))
        draw.rectangle((x - 1, y - 1, x + im.width, y + im.height), outline=(150, 150, 150))
    return sheet


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def write_preview(pdf: Path, folder: Path, spec: str, dpi: int, sheet: bool) -> list[Path]:
    """Write the images into `folder`; return their paths."""
    images = render_pages(pdf, spec, dpi)
    if sum(im.width * im.height for _, im in images) > MAX_PIXELS:
        raise PreviewProblem(f"{len(images)} pages at {dpi} dpi is too large: lower --dpi")
    stem = pdf.stem
    if sheet:
        files = {f"{stem}-sheet.png": png(contact_sheet(images))}
    else:
        files = {f"{stem}-{n}.png": png(im) for n, im in images}
    write_atomically(folder, files)
    return [folder / name for name in files]
