"""`pamflet diff --pdf`: a review copy for the doctor who approves: the leaflet's current text
by section, inserted words underlined in green, removed words struck through in red, with a
legend, and marked on every page as not for patients (in its title too).

It is drawn with the leaflet's own fonts; every word is escaped before it reaches ReportLab's
paragraph markup.
"""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from pamflet import model as m
from pamflet.control.diff import Change, runs
from pamflet.finish.metadata import with_metadata
from pamflet.render.primitives import escape
from pamflet.render.styles import configure, register_font
from pamflet.resolve import labels

INSERTED = "#146c2e"  # dark green, 6.5:1 on white
REMOVED = "#b3261e"  # dark red, 6.6:1 on white


def review_pdf(doc: m.Document, old: list[tuple[str, str]], new: list[tuple[str, str]],
               against: str) -> bytes:  # fmt: skip
    """The review copy of `doc`: every section of `new`, with what changed since `old`."""
    configure()
    regular = register_font(doc.style.fonts["regular"])
    bold = register_font(doc.style.fonts["bold"])
    lang = doc.language
    body = ParagraphStyle("body", fontName=regular, fontSize=11, leading=15, spaceAfter=6)
    head = ParagraphStyle("head", parent=body, fontName=bold, fontSize=14, leading=18,
                          spaceBefore=8, spaceAfter=4)  # fmt: skip
    notice = labels.label(lang, "review_copy")
    story = [
        Paragraph(escape(f"{doc.title} ({doc.code})"), head),
        Paragraph(escape(f"{notice}. {labels.label(lang, 'changes_since', what=against)}"), body),
        Paragraph(
            f'<u><font color="{INSERTED}">{escape(labels.label(lang, "inserted"))}</font></u>'
            f' · <strike><font color="{REMOVED}">{escape(labels.label(lang, "removed"))}</font>'
            "</strike>",
            body,
        ),
        Spacer(1, 4 * mm),
    ]
    before = dict(old)
    titles = [t for t, _ in new] + [t for t, _ in old if t not in dict(new)]
    for title in titles:
        was, now = before.get(title), dict(new).get(title)
        story.append(Paragraph(escape(title), head))
        changed = Change(title, "changed", tuple(runs(was or "", now or "")))
        for line in lines(changed, was, now):
            level = len(line) - len(line.lstrip("#"))
            if level and line[level : level + 1] == " ":  # a heading inside the section
                story.append(Paragraph(f"<b>{line[level + 1 :]}</b>", body))
            else:
                story.append(Paragraph(line, body))

    def page(canvas: Canvas, _doc: object) -> None:
        canvas.saveState()
        canvas.setFont(bold, 9)
        canvas.setFillColor(colors.HexColor(REMOVED))
        canvas.drawString(20 * mm, A4[1] - 12 * mm, f"{notice} · {doc.code}")
        canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, str(canvas.getPageNumber()))
        canvas.restoreState()

    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm,
        bottomMargin=18 * mm, title=doc.title, author=doc.organisation,
    )  # fmt: skip
    template.build(story, onFirstPage=page, onLaterPages=page)
    return with_metadata(doc, buffer.getvalue(), suffix=f" ({notice})")


def lines(change: Change, was: str | None, now: str | None) -> list[str]:
    """Markup per line of the new text (removed words where they were), escaped."""
    if was == now:
        return [escape(line) for line in (now or "").split("\n") if line.strip()]
    out: list[list[str]] = [[]]
    for op, words in change.runs:
        for i, piece in enumerate(words.split("\n")):
            if i:
                out.append([])
            text = escape(piece.strip())
            if not text:
                continue
            if op == "insert":
                out[-1].append(f'<u><font color="{INSERTED}">{text}</font></u>')
            elif op == "delete":
                out[-1].append(f'<strike><font color="{REMOVED}">{text}</font></strike>')
            else:
                out[-1].append(text)
    return [" ".join(parts) for parts in out if parts]
