"""Baseline: the LNG-092 leaflet as a plain hand-written ReportLab script would build it.

Same fonts, same text (read from the content files, Markdown stripped naively), headings,
paragraphs, lists, cards with ReportLab's own QR widget, a boxed contact, and 'page X of Y'
with the usual two-pass canvas. No validation, no links checking, no table of contents.
Usage: python bench/handwritten.py OUT.pdf
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Table, TableStyle

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "src/pamflet/fonts"
ACCENT = colors.HexColor("#005a9c")


def read(block: str) -> tuple[dict[str, str], str]:
    text = (ROOT / "content" / f"{block}.md").read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    fields = dict(line.split(": ", 1) for line in front.splitlines() if ": " in line)
    return fields, body


def inline(text: str) -> str:
    text = escape(text)
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    text = re.sub(r"\*(.+?)\*", r"<i>\1</i>", text)
    text = re.sub(r"\[(.+?)\]\((https?://[^)]+)\)", r'<a href="\2" color="#005a9c">\1</a>', text)
    return re.sub(r"\[(.+?)\]\([^)]+\)", r"\1", text)


def story_of(body: str, styles: dict[str, ParagraphStyle]) -> list:
    out = []
    for chunk in re.split(r"\n\s*\n", body.strip()):
        chunk = re.sub(r"\{\{.*?\}\}", "073 553 20 00", chunk)
        if chunk.startswith("#"):
            out.append(Paragraph(inline(chunk.lstrip("# ")), styles["h2"]))
        elif chunk.startswith("- "):
            for item in chunk.split("\n- "):
                out.append(Paragraph(inline(item.lstrip("- ")), styles["body"], bulletText="•"))
        else:
            out.append(Paragraph(inline(chunk.replace("\n", " ")), styles["body"]))
    return out


def qr(url: str) -> Drawing:
    widget = QrCodeWidget(url)
    x0, y0, x1, y1 = widget.getBounds()
    size = 20 * mm
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def cards(blocks: list[str], styles: dict[str, ParagraphStyle]) -> list:
    rows = []
    for i in range(0, len(blocks), 2):
        cells = []
        for block in blocks[i : i + 2]:
            fields, _ = read(block)
            url = fields.get("url", "")
            cells.append(
                [
                    Paragraph(escape(fields["title"]), styles["card"]),
                    Paragraph(escape(fields.get("summary", "")), styles["body"]),
                    Table(
                        [
                            [
                                qr(url),
                                Paragraph(f'<a href="{url}">{escape(url)}</a>', styles["small"]),
                            ]
                        ]
                    ),
                ]
            )
        table = Table([cells], colWidths=[240] * len(cells))
        table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#e8f0f6"))]))
        rows.append(table)
    return rows


class NumberedCanvas(Canvas):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._states = []

    def showPage(self):
        self._states.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        for number, state in enumerate(self._states, start=1):
            self.__dict__.update(state)
            self.setFont("Sans", 9)
            self.drawString(18 * mm, 12 * mm, f"LNG-092 · Pagina {number} van {len(self._states)}")
            self.drawString(18 * mm, 285 * mm, "Jeroen Bosch Ziekenhuis")
            super().showPage()
        super().save()


def register_fonts() -> None:
    for name, file in (
        ("Sans", "Regular"),
        ("Sans-Bold", "Bold"),
        ("Sans-Italic", "Italic"),
        ("Sans-BI", "BoldItalic"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(FONTS / f"LiberationSans-{file}.ttf")))
    pdfmetrics.registerFontFamily(
        "Sans", normal="Sans", bold="Sans-Bold", italic="Sans-Italic", boldItalic="Sans-BI"
    )


def make_styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName="Sans", fontSize=12, leading=16.8, spaceAfter=6)
    return {
        "body": body,
        "title": ParagraphStyle(
            "t", parent=body, fontName="Sans-Bold", fontSize=24, leading=29, textColor=ACCENT
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=body,
            fontName="Sans-Bold",
            fontSize=18,
            leading=22,
            textColor=ACCENT,
            spaceBefore=12,
            keepWithNext=1,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontName="Sans-Bold",
            fontSize=15,
            leading=19,
            spaceBefore=9,
            keepWithNext=1,
        ),
        "card": ParagraphStyle("c", parent=body, fontName="Sans-Bold", textColor=ACCENT),
        "small": ParagraphStyle("s", parent=body, fontSize=10, leading=12),
    }


def main(out: str) -> None:
    register_fonts()
    styles = make_styles()
    body = styles["body"]
    story = [
        Paragraph("Uitzaaiingen in de lever", styles["title"]),
        Paragraph("Levermetastasen", body),
    ]
    for block, title in (("aandoeningen/levermetastasen", "Uitzaaiingen in de lever"),):
        story += [Paragraph(title, styles["h1"]), *story_of(read(block)[1], styles)]
    story += [Paragraph("Onderzoeken", styles["h1"])]
    story += cards(
        [
            "onderzoeken/echo",
            "onderzoeken/ct-scan",
            "onderzoeken/mri",
            "onderzoeken/nucleaire-geneeskunde",
        ],
        styles,
    )
    story += [
        Paragraph("Behandeling", styles["h1"]),
        *story_of(read("teksten/behandeling-levermetastasen")[1], styles),
    ]
    story += [Paragraph("Behandelingen", styles["h1"])]
    story += cards(
        [
            "behandelingen/leveroperatie",
            "behandelingen/rfa",
            "behandelingen/chemotherapie",
            "behandelingen/radiotherapie",
        ],
        styles,
    )
    story += [Paragraph("Poliklinieken en afdelingen", styles["h1"])]
    story += cards(
        [
            "afdelingen/mdl",
            "afdelingen/chirurgie-bij-kanker",
            "afdelingen/oncologisch-centrum",
            "afdelingen/ge-chirurgie",
        ],
        styles,
    )
    fields, text = read("contacten/verpleegkundig-specialist")
    contact = [
        Paragraph(escape(fields["title"]), styles["h1"]),
        Paragraph("Telefoon: 073 553 20 00", body),
        *story_of(text, styles),
    ]
    box = Table([[contact]])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1, ACCENT)]))
    story.append(KeepTogether([box]))
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=20 * mm,
        bottomMargin=22 * mm,
        title="Uitzaaiingen in de lever",
    )
    doc.build(story, canvasmaker=NumberedCanvas)


if __name__ == "__main__":
    main(sys.argv[1])
