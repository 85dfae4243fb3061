"""Baseline for bench/catalogue.py: the catalogue's leaflets as a hand-written ReportLab script
builds them, all in one process. Same fonts, text, headings, lists, tables, cards with QR codes,
a boxed contact, 'page X of Y', and a table of contents (ReportLab's own, with multiBuild). No
validation, no links checking, no tagging.

Usage: python bench/handwritten_catalogue.py PROJECT --out DIR [--only CODE]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape

import yaml
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

sys.path.insert(0, str(Path(__file__).resolve().parent))
from handwritten import ACCENT, NumberedCanvas, inline, make_styles, qr, register_fonts


def read(project: Path, block: str) -> tuple[dict[str, str], str]:
    text = (project / "content" / f"{block}.md").read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def story_of(body: str, st: dict[str, ParagraphStyle]) -> list:
    out: list = []
    for chunk in re.split(r"\n\s*\n", body.strip()):
        if chunk.startswith("#"):
            out.append(Paragraph(inline(chunk.lstrip("# ")), st["h2"]))
        elif chunk.startswith("- "):
            for item in chunk.split("\n- "):
                out.append(Paragraph(inline(item.lstrip("- ")), st["body"], bulletText="•"))
        elif chunk.startswith("|"):
            rows = [r.strip("|").split("|") for r in chunk.splitlines() if not r.startswith("|-")]
            data = [[Paragraph(inline(c.strip()), st["body"]) for c in row] for row in rows]
            table = Table(data, colWidths=[120, 354], repeatRows=1)
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]))
            out.append(table)
        else:
            out.append(Paragraph(inline(chunk.replace("\n", " ")), st["body"]))
    return out


class Doc(BaseDocTemplate):
    def __init__(self, path: str, **kw: object) -> None:
        super().__init__(path, pagesize=A4, **kw)
        frame = Frame(18 * mm, 22 * mm, A4[0] - 36 * mm, A4[1] - 42 * mm, id="f")
        self.addPageTemplates([PageTemplate("p", [frame])])

    def afterFlowable(self, flowable: object) -> None:
        if isinstance(flowable, Paragraph) and flowable.style.name == "h1":
            self.notify("TOCEntry", (0, flowable.getPlainText(), self.page))


def leaflet(project: Path, data: dict, st: dict[str, ParagraphStyle], out: Path) -> None:
    toc = TableOfContents()
    toc.levelStyles = [ParagraphStyle("toc", parent=st["body"], leftIndent=0)]
    story: list = [Paragraph(escape(data["title"]), st["title"]), toc]
    for section in data["sections"]:
        if "content" in section:
            fields, body = read(project, section["content"])
            story += [Paragraph(escape(fields["title"]), st["h1"]), *story_of(body, st)]
        elif "cards" in section:
            story.append(Paragraph(escape(section["title"]), st["h1"]))
            for i in range(0, len(section["cards"]), 2):
                cells = []
                for block in section["cards"][i : i + 2]:
                    fields, _ = read(project, block)
                    url = fields["url"]
                    link = Paragraph(f'<a href="{url}">{escape(url)}</a>', st["small"])
                    cells.append([Paragraph(escape(fields["title"]), st["card"]),
                                  Paragraph(escape(fields["summary"]), st["body"]),
                                  Table([[qr(url), link]])])  # fmt: skip
                table = Table([cells], colWidths=[237] * len(cells))
                table.setStyle(
                    TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#e8f0f6"))])
                )
                story.append(table)
        elif "contact" in section:
            fields, body = read(project, section["contact"])
            box = Table([[[Paragraph(escape(fields["title"]), st["h1"]),
                           Paragraph(f"Telefoon: {fields['phone']}", st["body"]),
                           *story_of(body, st)]]])  # fmt: skip
            box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1, ACCENT)]))
            story.append(KeepTogether([box]))
    doc = Doc(str(out / f"{data['code']}.pdf"), title=data["title"])
    doc.multiBuild(story, canvasmaker=NumberedCanvas)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("project", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--only")
    args = parser.parse_args()
    register_fonts()
    st = make_styles()
    args.out.mkdir(parents=True, exist_ok=True)
    for path in sorted((args.project / "leaflets").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if args.only and data["code"] != args.only:
            continue
        leaflet(args.project, data, st, args.out)


if __name__ == "__main__":
    main()
