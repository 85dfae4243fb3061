"""QR codes with their printed addresses: drawn as one path of dark runs (ReportLab's encoder),
beside their content or alone; and 'this leaflet online' at the end of a leaflet."""

from __future__ import annotations

import itertools
from functools import lru_cache
from pathlib import Path
from types import ModuleType

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Spacer

from pamflet.load.rules import short_url
from pamflet.render import inline
from pamflet.render.builder import NO_PADDING, Builder
from pamflet.render.primitives import Tagged, escape, tag, url_pieces, wrap_url
from pamflet.resolve import labels

QR_SIZE = 20 * mm  # with its quiet zone; clear-print guidance asks for at least 15 mm


@lru_cache(maxsize=1)
def qrencoder() -> ModuleType:
    """ReportLab's QR encoder module, without its package's 80 ms of barcode widget imports.

    `reportlab.graphics.barcode/__init__` imports every barcode widget; the encoder itself needs
    only `re` and `itertools`, so it is loaded from its file. Falls back to a plain import.
    """
    import importlib.util

    import reportlab

    path = Path(reportlab.__file__).parent / "graphics" / "barcode" / "qrencoder.py"
    spec = importlib.util.spec_from_file_location("pamflet._rl_qrencoder", path)
    if spec is None or spec.loader is None or not path.is_file():
        from reportlab.graphics.barcode import qrencoder as module

        return module
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@lru_cache(maxsize=512)
def qr_path(value: str) -> tuple[int, str]:
    """A QR code (ReportLab's encoder, level M) as PDF path operators in module units.

    Returns the side in modules, with a 4-module quiet zone, and one `re` per dark run: drawn
    once as a literal, a code costs one call instead of a shape per module.
    """
    encoder = qrencoder()
    code = encoder.QRCode(None, encoder.QRErrorCorrectLevel.M)
    code.addData(value)
    code.make()
    side = code.getModuleCount() + 8
    ops = []
    for r, row in enumerate(code.modules):
        c = 0
        for dark, run in itertools.groupby(bool(cell) for cell in row):
            count = len(list(run))
            if dark:
                ops.append(f"{c + 4} {side - r - 5} {count} 1 re")
            c += count
    return side, "\n".join(ops) + "\nf"


class QR(Tagged, Flowable):
    """A QR code with its quiet zone, `size` points square."""

    def __init__(self, value: str, size: float) -> None:
        super().__init__()
        self.value, self.width, self.height = value, size, size

    def draw(self) -> None:
        side, ops = qr_path(self.value)
        scale = self.width / side
        self.canv.saveState()
        self.canv.setFillColorRGB(0, 0, 0)
        self.canv.transform(scale, 0, 0, scale, 0, 0)
        self.canv.addLiteral(ops)
        self.canv.restoreState()


def qr(b: Builder, url: str) -> Flowable:
    alt = f"QR-code: {url}"
    element = b.parent.add("Figure", alt=alt)
    return tag(QR(url, QR_SIZE), "Figure", None, element=element)


URL_SHRINK = 0.85  # the smallest a long address is set, against its style's size


def url_lines(b: Builder, url: str, width: float, style: str = "small") -> str:
    """The short address, broken after '/' (never mid-word) to fit `width`: a part too long
    for the line is set up to URL_SHRINK smaller rather than cut between two letters."""
    st = b.theme.styles[style]
    address, size = short_url(url), st.fontSize
    widest = max(stringWidth(p, st.fontName, size) for p in url_pieces(address))
    if widest > width:
        size = round(max(size * width / widest, size * URL_SHRINK), 2)
    lines = "<br/>".join(escape(line) for line in wrap_url(address, width, st.fontName, size))
    if size != st.fontSize:
        lines = f'<font size="{size:g}">{lines}</font>'
    return inline.anchor_tag(b, url, lines)


def with_qr(b: Builder, content: object, url: str, width: float, left: bool = True) -> Flowable:
    """`content` beside a QR code of `url`, the two in one row of `width`."""
    text_width = width - QR_SIZE - 6
    cells, widths = [qr(b, url), content], [QR_SIZE + 6, text_width]
    if not left:
        cells, widths = cells[::-1], widths[::-1]
    return b.grid([cells], widths, [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), *NO_PADDING])


def online(b: Builder, code: bool = True) -> list[Flowable]:
    """'This leaflet online' with its address, and a QR code unless `code` is False."""
    url = b.doc.url
    if not url:
        return []
    label = escape(labels.label(b.doc.language, "online"))
    code = code and b.theme.qr_leaflet
    room = b.theme.frame_width - (QR_SIZE + 12) * code
    with b.within("Div"):
        text: list[Flowable] = [
            b.para(f"<b>{label}</b>", "cell", None),
            b.para(url_lines(b, url, room), "small", None),
        ]
        if code:
            text = [with_qr(b, text, url, b.theme.frame_width)]
    return [Spacer(1, b.theme.size), KeepTogether(text)]
