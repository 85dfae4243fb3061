"""A leaflet's story: the title block (or a booklet's cover), the contents, the body through
the element renderers, and the end (notes pages and back cover, or 'this leaflet online');
composed so that no heading ends a page."""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, HRFlowable, KeepTogether
from reportlab.platypus.flowables import _listWrapOn

from pamflet import model as m
from pamflet.render import booklet, inline, qrcodes
from pamflet.render.builder import Builder
from pamflet.render.compose import compose
from pamflet.render.elements import KINDS
from pamflet.render.primitives import attr, escape, tag
from pamflet.render.styles import Theme
from pamflet.resolve import labels

ALIGN = {"left": 0, "center": 1, "right": 2}


def builder(
    doc: m.Document, look: Theme, pages: Mapping[str, int], count: int, padding: int
) -> Builder:
    """A builder for one pass, knowing the pages of the last."""
    return Builder(doc, look, pages, KINDS, count, padding=padding)


TOC_ROW_PADDING = 3.0  # ReportLab's cell padding above and below each contents row
TITLE_ANCHOR = "_title"  # the title's bookmark, when no block repeats it (slugs never start so)


def repeats_title(b: Builder) -> m.Heading | None:
    """The first heading, when it only repeats the leaflet's title (a block named alike): the
    resolver made it the level-1 heading."""
    first = b.doc.body[0] if b.doc.body else None
    if isinstance(first, m.Heading) and first.level == 1:
        return first
    return None


def title_block(b: Builder) -> list[Flowable]:
    doc, lang = b.doc, b.doc.language
    twin = repeats_title(b)  # its anchor and bookmark go to the title
    anchor = twin.anchor if twin else TITLE_ANCHOR
    name = f'<a name="{attr(anchor)}"/>'
    title = b.para(name + inline.text(b, doc.title, True), "title", doc.source, "H1", balanced=True)
    tag(title, "H1", doc.source, anchors=[anchor])
    title.pamflet_outline = (twin.plain if twin else doc.title, anchor, 1)  # the root
    parts = [title]
    if doc.subtitle:
        parts.append(
            b.para(inline.text(b, doc.subtitle, True), "subtitle", doc.source, balanced=True)
        )
    meta = f"{doc.code} · {labels.label(lang, 'revised')} {labels.long_date(doc.revised, lang)}"
    parts.append(b.para(escape(meta), "meta", doc.source))
    parts.append(
        tag(
            HRFlowable(
                width="100%",
                color=b.theme.accent,
                thickness=1.5,
                spaceBefore=8,
                spaceAfter=4,
            ),
            "Artifact",
            None,
        )
    )
    return parts


def toc(b: Builder, headings: list[m.Heading]) -> list[Flowable]:
    lang = b.doc.language
    rows = []
    title = b.para(escape(labels.label(lang, "contents")), "h2", None, "H2")
    element = b.parent.add("TOC")
    for node in headings:
        b.used_refs.add(node.anchor)
        number = str(b.pages.get(node.anchor, 9))
        text = inline.markup(b, node.text, linked=True)
        link = inline.anchor_tag(b, "#" + node.anchor, text)
        item = element.add("TOCI")
        entry = b.para(link, "toc", None, "TOCI", into=item)
        if node.level > 2:  # indented by level
            side = "rightIndent" if b.rtl else "leftIndent"
            entry.style = entry.style.clone("toc_sub", **{side: b.theme.size * 1.2})
        page = b.para(number, "toc", None, "TOCI", into=item)
        page.style = page.style.clone("toc_page", alignment=ALIGN["left" if b.rtl else "right"])
        rows.append([entry, page])
    table = b.grid(
        rows, [b.theme.frame_width - 40, 40],
        [
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, b.theme.tint),
        ],
    )  # fmt: skip
    table.spaceAfter = b.theme.size
    return [title, tag(table, "TOC", None)]


def story(b: Builder, with_toc: bool) -> list[Flowable]:
    twin = repeats_title(b)
    body = b.doc.body[1:] if twin is not None else b.doc.body
    if b.doc.booklet:
        back = back_people(b.doc)
        body = tuple(n for n in body if not (isinstance(n, m.Contact) and n.back))
        story = booklet.cover(b, twin.anchor if twin else TITLE_ANCHOR)
    else:
        story = title_block(b)
    inside = () if b.colophon_back else b.doc.colophon
    if with_toc:
        listed = [h for h in headings(body + inside) if 2 <= h.level <= b.toc_depth]
        story += toc(b, listed)
    story += b.flowables(body + inside)
    if b.doc.booklet:
        story += booklet.notes(b, b.padding)
        story += booklet.back_cover(b, back, b.doc.colophon if b.colophon_back else ())
    else:
        story += qrcodes.online(b)
    return compose(story, b.theme.frame_height)


def back_people(doc: m.Document) -> list[m.Contact]:
    return [n for n in doc.body if isinstance(n, m.Contact) and n.back]


def colophon_fits_back(doc: m.Document, look: Theme) -> bool:
    """Whether a booklet's back cover has room for its colophon below the contact(s) and
    'this leaflet online': measured once, with a builder of its own, before the first pass;
    else the colophon ends the inner pages."""
    if not (doc.booklet and doc.colophon):
        return False
    trial = builder(doc, look, {}, 0, 0)
    parts = booklet.back_cover(trial, back_people(doc), doc.colophon)[2:]
    canvas = Canvas(io.BytesIO(), pagesize=look.page)
    _, high = _listWrapOn(unkept(parts), look.frame_width, canvas)
    return high <= look.frame_height - look.size  # a line's leeway for what compose adds


def unkept(parts: list[Flowable]) -> list[Flowable]:
    """The flowables inside KeepTogether groups (which, measured whole, claim the page)."""
    out: list[Flowable] = []
    for part in parts:
        out += unkept(part._content) if isinstance(part, KeepTogether) else [part]
    return out


def headings(nodes: tuple[m.Node, ...]) -> Iterator[m.Heading]:
    for node in nodes:
        if isinstance(node, m.Heading):
            yield node
        elif isinstance(node, m.Contact):
            yield node.heading
