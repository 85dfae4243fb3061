"""An A5 booklet composed as one: a cover, notes pages to fill the last sheet, a back cover.

The story of a booklet is: the cover (title, subtitle, code, cover picture; the organisation's
logo is drawn by the page decorator; the leaflet's QR code in the cover's bottom frame), then
the table of contents and the sections on inner pages, then the notes pages that make the page
count a multiple of four, then the back cover with the contact section(s) marked `back: true`
and 'this leaflet online'. How many notes pages are needed is known after a pass; the renderer
passes it in (`Builder.padding`).
"""

from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, PageBreak, Spacer
from reportlab.platypus.doctemplate import FrameBreak, NextPageTemplate

from pamflet import model as m
from pamflet.render import contacts, inline, press, qrcodes
from pamflet.render.builder import Builder
from pamflet.render.primitives import Picture, escape, tag
from pamflet.resolve import labels

RULE_GAP = 9 * mm  # between the lines of a notes page: handwriting at about 7 mm x-height


class RuledLines(Flowable):
    """Writing lines that fill the rest of the frame; decoration (an artifact) for readers."""

    def __init__(self, colour: object) -> None:
        super().__init__()
        self.colour = colour
        self.width = self.height = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = availWidth, max(availHeight - 1, 0)
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(self.colour)
        canvas.setLineWidth(0.5)
        y = self.height - RULE_GAP
        while y >= 0:
            canvas.line(0, y, self.width, y)
            y -= RULE_GAP
        canvas.restoreState()


class FitPicture(Picture):
    """A picture scaled down, at layout time, to the room left in its frame (never up)."""

    def __init__(self, path: str | io.BytesIO, width: float, height: float) -> None:
        super().__init__(path, width=width, height=height, hAlign="CENTER")
        self._natural = (width, height)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        natural_w, natural_h = self._natural
        scale = min(1.0, availWidth / natural_w, max(availHeight - 2, 0) / natural_h)
        self.drawWidth, self.drawHeight = natural_w * scale, natural_h * scale
        return self.drawWidth, self.drawHeight


def cover(b: Builder, anchor: str | None = None) -> list[Flowable]:
    """The cover's flowables; `anchor` names the title when the first block repeats it."""
    doc, lang = b.doc, b.doc.language
    out: list[Flowable] = [Spacer(1, b.theme.frame_height * 0.12)]
    name = f'<a name="{anchor}"/>' if anchor else ""
    title = b.para(
        name + inline.text(b, doc.title, True), "cover_title", doc.source, "H1", balanced=True
    )
    if anchor:
        tag(title, "H1", doc.source, anchors=[anchor])
        title.pamflet_outline = (doc.title, anchor, 1)  # the root of the bookmarks
    out.append(title)
    if doc.subtitle:
        subtitle = inline.text(b, doc.subtitle, True)
        out.append(b.para(subtitle, "cover_subtitle", doc.source, balanced=True))
    meta = f"{doc.code} · {labels.label(lang, 'revised')} {labels.long_date(doc.revised, lang)}"
    out.append(b.para(escape(meta), "meta", doc.source))
    rule = HRFlowable(width="100%", color=b.theme.accent, thickness=2.5, spaceBefore=10,
                      spaceAfter=12)  # fmt: skip
    out.append(tag(rule, "Artifact", None))
    if doc.cover_image is not None:
        out.append(cover_picture(b, doc.cover_image))
    out.append(FrameBreak())  # the bottom frame: the leaflet's QR code
    out += qrcodes.online(b)[1:]
    return [*out, NextPageTemplate("Later"), PageBreak()]


def cover_picture(b: Builder, figure: m.Figure) -> Flowable:
    path = f"{b.doc.root}/{figure.path}"
    ratio = figure.height_px / max(figure.width_px, 1)
    image = FitPicture(press.picture(path, b.theme.cmyk), b.width, b.width * ratio)
    element = b.parent.add("Figure", alt=figure.alt)
    return tag(image, "Figure", figure.loc, element=element)


def notes(b: Builder, count: int) -> list[Flowable]:
    """`count` pages for the reader's notes (ruled, or blank as the layout says)."""
    out: list[Flowable] = []
    title = labels.label(b.doc.language, "notes")
    for _ in range(count):
        out += [NextPageTemplate("Later"), PageBreak()]
        if b.doc.style.notes_pages == "blank":
            out.append(tag(Spacer(1, 1), "Artifact", None))
            continue
        out.append(b.para(escape(title), "h1", None, "H2"))
        out.append(tag(RuledLines(b.theme.muted), "Artifact", None))
    return out


def back_cover(
    b: Builder, people: list[m.Contact], colophon: tuple[m.Node, ...] = ()
) -> list[Flowable]:
    """The contact(s), the colophon when it fits, and 'this leaflet online' for the back
    cover, without a second QR code: the cover has it, and on the printed sheet the two
    would stand side by side."""
    out: list[Flowable] = [NextPageTemplate("Back"), PageBreak()]
    for person in people:
        out += contacts.contact(b, person)
    out += b.flowables(colophon)
    return out + qrcodes.online(b, code=False)
