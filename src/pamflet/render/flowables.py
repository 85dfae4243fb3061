"""Document nodes to ReportLab flowables.

Author text never reaches ReportLab markup unescaped: `markup()` escapes every text run and
writes the few tags it needs itself (b, i, font, a, br). Every flowable keeps its source
(`pamflet_source`) for messages, and every flowable that draws content its structure element
(`pamflet_element`): the Builder builds the leaflet's structure tree as it builds the story.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    ListFlowable,
    ListItem,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from pamflet import model as m
from pamflet.diagnostics import Diagnostic, Location
from pamflet.load.schema import INVISIBLE
from pamflet.render.booklet import Booklet
from pamflet.render.boxes import Boxes, Command
from pamflet.render.compose import compose
from pamflet.render.primitives import (
    NBSP,
    Picture,
    SafeParagraph,
    SplitTable,
    attr,
    keep_together,
    tag,
    tag_bullet,
)
from pamflet.render.styles import Theme
from pamflet.render.tables import Tables
from pamflet.render.tagging import JOIN_END, JOIN_START, Element
from pamflet.resolve import labels
from pamflet.resolve.geometry import printed_size

ALIGN = {"left": 0, "center": 1, "right": 2}


@dataclass
class Builder(Tables, Boxes, Booklet):
    """Turns one document's nodes into flowables with the theme's styles."""

    doc: m.Document
    theme: Theme
    pages: Mapping[str, int]
    page_count: int = 0  # of the last pass; 0 before the first
    padding: int = 0  # booklet notes pages, from the last pass
    used_refs: set[str] = field(default_factory=set)
    problems: list[Diagnostic] = field(default_factory=list)
    width: float = 0.0  # the width block elements may use here: the frame, or less in a box
    root: Element = field(default_factory=lambda: Element("Document"))
    parent: Element = field(init=False)  # where new structure elements go
    logo: Element | None = None
    level: int = 1  # the level of the last heading: card titles go one below it

    def __post_init__(self) -> None:
        self.width = self.theme.frame_width
        self.parent = self.root
        if self.doc.style.logo:
            self.logo = self.root.add("Figure", alt=self.doc.organisation)

    @contextlib.contextmanager
    def within(self, role: str, element: Element | None = None) -> Iterator[Element]:
        """Build the story's next part inside a new structure element (or a given one)."""
        inner = element if element is not None else self.parent.add(role)
        outer, self.parent = self.parent, inner
        try:
            yield inner
        finally:
            self.parent = outer

    @contextlib.contextmanager
    def narrower(self, by: float) -> Iterator[None]:
        """Build what is inside a box: full-width elements take the box's inner width."""
        self.width -= by
        try:
            yield
        finally:
            self.width += by

    # -- inline markup

    def markup(self, inlines: tuple[m.Inline, ...], linked: bool = False) -> str:
        return "".join(self.inline(item, linked) for item in inlines)

    def inline(self, item: m.Inline, linked: bool) -> str:
        if isinstance(item, m.Text):
            return self.text(item.text, linked)
        if isinstance(item, m.Break):
            return "<br/>"
        if isinstance(item, m.Styled):
            inner = self.markup(item.children, linked)
            if item.style == "strong":
                return f"<b>{inner}</b>"
            if item.style == "em":
                return f"<i>{inner}</i>"
            return f'<font backColor="#ececec">{inner}</font>'
        return self.link(item)

    def text(self, text: str, linked: bool = False) -> str:
        text = keep_together(INVISIBLE.sub("", text).replace(JOIN_START, "").replace(JOIN_END, ""))
        if linked or sum(c.isdigit() for c in text) < 6:
            return escape(text)
        return self.phones(text)

    def phones(self, text: str) -> str:
        """Phone numbers in running text become tel: links that never break across lines."""
        from pamflet.load.phones import in_text

        out, pos = [], 0
        for start, end, uri in in_text(text, self.doc.country):
            out.append(escape(text[pos:start]))
            out.append(self.anchor_tag(uri, escape(text[start:end].replace(" ", NBSP))))
            pos = end
        out.append(escape(text[pos:]))
        return "".join(out)

    def anchor_tag(self, href: str, inner: str) -> str:
        colour = self.theme.markup(self.theme.accent)
        return f'<a href="{attr(href)}" color="{colour}">{inner}</a>'

    def link(self, item: m.Link) -> str:
        inner = self.markup(item.children, linked=True)
        if item.anchor:
            self.used_refs.add(item.anchor)
            if self.page_count == 1:  # one page: "see page 1" would only be noise
                return self.anchor_tag("#" + item.anchor, inner)
            page = self.pages.get(item.anchor, 9)
            see = labels.label(self.doc.language, "see_page", page=page).replace(" ", NBSP)
            return self.anchor_tag("#" + item.anchor, inner) + f" ({see})"
        if item.href:
            return self.anchor_tag(item.href, inner)
        return inner

    def warn(self, code: str, message: str, loc: Location, hint: str = "") -> None:
        """A problem found while laying out: reported with its source, the build goes on."""
        self.problems.append(Diagnostic("warning", code, message, loc, hint))

    def para(
        self,
        markup: str,
        style: str,
        source: Location | None,
        role: str = "P",
        into: Element | None = None,
    ) -> Flowable:
        """A paragraph that is a new `role` element, or part of the element `into`."""
        element = into if into is not None else self.parent.add(role)
        paragraph = SafeParagraph(markup, self.theme.styles[style])
        return tag(paragraph, role, source, element=element)

    # -- blocks

    def flowables(self, nodes: tuple[m.Node, ...], depth: int = 0) -> list[Flowable]:
        out: list[Flowable] = []
        for node in nodes:
            out.extend(self.node(node, depth))
        return out

    def node(self, node: m.Node, depth: int) -> list[Flowable]:
        if isinstance(node, m.Heading):
            return self.heading(node)
        if isinstance(node, m.Para):
            return [self.para(self.markup(node.text), "body", node.loc)]
        if isinstance(node, m.ListBlock):
            return [self.listing(node, depth)]
        if isinstance(node, m.TableBlock):
            return [self.table(node)]
        if isinstance(node, m.Figure):
            return [self.figure(node)]
        if isinstance(node, m.Note):
            return [self.note(node)]
        if isinstance(node, m.CodeBlock):
            return [self.code(node)]
        if isinstance(node, m.Rule):
            rule = HRFlowable(width="100%", color=self.theme.muted, thickness=0.6, spaceAfter=8)
            return [tag(rule, "Artifact", node.loc)]
        if isinstance(node, m.CardGrid):
            return self.cards(node)
        return self.contact(node)

    def heading(self, node: m.Heading) -> list[Flowable]:
        level = min(node.level, 4)
        name = f'<a name="{attr(node.anchor)}"/>'
        role = f"H{min(node.level, 6)}"
        self.level = node.level
        para = self.para(name + self.markup(node.text), f"h{level}", node.loc, role)
        tag(para, role, node.loc, anchors=[node.anchor])
        para.pamflet_outline = (node.plain, node.anchor, node.level)
        need = self.theme.size * 6
        return [CondPageBreak(need), para] if node.level == 1 else [para]

    def listing(self, node: m.ListBlock, depth: int) -> Flowable:
        items, bullets = [], []
        element = self.parent.add("L")
        for item in node.items:
            entry = element.add("LI")
            bullets.append(entry.add("Lbl"))
            with self.narrower(self.theme.size * 1.4), self.within("LBody", entry.add("LBody")):
                inner = self.flowables(item, depth + 1) or [Spacer(1, 1)]
            for flowable in inner:  # the last paragraph of an item needs no space below it
                if isinstance(flowable, Paragraph):
                    flowable.style = flowable.style.clone("item", spaceAfter=self.theme.size * 0.2)
            items.append(tag(ListItem(inner), "LI", node.loc))
        size = self.theme.size
        common = {
            "leftIndent": size * 1.4,
            "bulletFontName": self.theme.fonts["regular"],
            "bulletFontSize": size,
            "bulletColor": self.theme.accent,
            "spaceAfter": size * 0.4 if depth == 0 else 0,
        }
        if node.ordered:
            kind = "1ai"[depth % 3]
            fmt = "%s." if kind == "1" else "%s)"
            flow = ListFlowable(
                items, bulletType=kind, start=str(node.start), bulletFormat=fmt, **common
            )
        else:
            flow = ListFlowable(
                items, bulletType="bullet", start=self.theme.bullet(depth), **common
            )
        drawers = [x._bullet for x in flow._content if getattr(x, "_bullet", None)]
        for drawer, label in zip(drawers, bullets, strict=False):
            tag_bullet(drawer, label)
        return tag(flow, "L", node.loc)

    def grid(
        self, data: list[list[object]], widths: list[float], commands: list[Command], **kw: object
    ) -> Table:
        """A table in the house font (ReportLab would fall back to Helvetica for empty cells)."""
        # Widths on a 1/64 pt grid: with table bounds errors on, ReportLab compares a cell's
        # content width plus padding with the column width, and float rounding must not tip it.
        widths = [math.floor(w * 64) / 64 for w in widths]
        table = SplitTable(data, colWidths=widths, hAlign="LEFT", **kw)
        font = ("FONTNAME", (0, 0), (-1, -1), self.theme.fonts["regular"])
        table.setStyle(TableStyle([font, *commands]))
        return table

    def figure(self, node: m.Figure) -> Flowable:
        frame = (self.width, self.theme.frame_height)
        width, height = printed_size(node.width_px, node.height_px, frame)
        image = Picture(f"{self.doc.root}/{node.path}", width=width, height=height, hAlign="LEFT")
        image.spaceAfter = self.theme.size * 0.6
        element = self.parent.add("Figure", alt=node.alt)
        return tag(image, "Figure", node.loc, element=element)

    def note(self, node: m.Note) -> Flowable:
        with self.narrower(18), self.within("BlockQuote"):  # the note's padding
            rows: list[list[object]] = [[f] for f in self.flowables(node.children)] or [[""]]
        last = len(rows) - 1
        table = self.grid(
            rows, [self.width],
            [
                ("BACKGROUND", (0, 0), (-1, -1), self.theme.tint),
                ("LINEBEFORE", (0, 0), (0, -1), 3, self.theme.accent),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, 0), 7),
                ("BOTTOMPADDING", (0, last), (-1, last), 4),
            ],
            splitByRow=1,
        )  # fmt: skip
        table.spaceAfter = self.theme.size * 0.7
        return tag(table, "BlockQuote", node.loc)

    def code(self, node: m.CodeBlock) -> Flowable:
        """Preformatted text in a grey box, a row per line so that it can split across pages."""
        lines = [escape(INVISIBLE.sub("", x)).replace(" ", "&nbsp;") for x in node.text.split("\n")]
        lines = [x.replace(JOIN_START, "").replace(JOIN_END, "") for x in lines]
        with self.within("Div"):
            rows: list[list[object]] = [
                [self.para(line or " ", "code", node.loc, "Code")] for line in lines
            ]
        grey = self.theme.muted.clone(alpha=0.15)
        last = len(rows) - 1
        commands: list[Command] = [
            ("BACKGROUND", (0, 0), (-1, -1), grey),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, 0), 6),
            ("BOTTOMPADDING", (0, last), (-1, last), 6),
        ]
        box = self.grid(rows, [self.width], commands, splitByRow=1)
        box.spaceAfter = self.theme.size * 0.7
        return tag(box, "Code", node.loc)

    # -- cards and contacts

    def repeats_title(self) -> m.Heading | None:
        """The first heading, when it only repeats the leaflet's title (a block named alike)."""
        first = self.doc.body[0] if self.doc.body else None
        if isinstance(first, m.Heading) and same_words(first.plain, self.doc.title):
            return first
        return None

    def title_block(self) -> list[Flowable]:
        doc, lang = self.doc, self.doc.language
        twin = self.repeats_title()  # its anchor and bookmark go to the title
        name = f'<a name="{attr(twin.anchor)}"/>' if twin else ""
        title = self.para(name + self.text(doc.title, True), "title", doc.source, "H1")
        if twin is not None:
            tag(title, "H1", doc.source, anchors=[twin.anchor])
            title.pamflet_outline = (twin.plain, twin.anchor, 1)
        parts = [title]
        if doc.subtitle:
            parts.append(self.para(self.text(doc.subtitle, True), "subtitle", doc.source))
        meta = f"{doc.code} · {labels.label(lang, 'revised')} {labels.long_date(doc.revised, lang)}"
        parts.append(self.para(escape(meta), "meta", doc.source))
        parts.append(
            tag(
                HRFlowable(
                    width="100%",
                    color=self.theme.accent,
                    thickness=1.5,
                    spaceBefore=8,
                    spaceAfter=4,
                ),
                "Artifact",
                None,
            )
        )
        return parts

    def toc(self, headings: list[m.Heading]) -> list[Flowable]:
        lang = self.doc.language
        rows = []
        title = self.para(escape(labels.label(lang, "contents")), "h2", None, "P")
        element = self.parent.add("TOC")
        for node in headings:
            self.used_refs.add(node.anchor)
            number = str(self.pages.get(node.anchor, 9))
            text = self.markup(node.text, linked=True)
            link = self.anchor_tag("#" + node.anchor, text)
            item = element.add("TOCI")
            entry = self.para(link, "toc", None, "TOCI", into=item)
            page = self.para(number, "toc", None, "TOCI", into=item)
            page.style = page.style.clone("toc_page", alignment=ALIGN["right"])
            rows.append([entry, page])
        table = self.grid(
            rows, [self.theme.frame_width - 40, 40],
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, self.theme.tint),
            ],
        )  # fmt: skip
        table.spaceAfter = self.theme.size
        return [title, tag(table, "TOC", None)]

    def story(self, with_toc: bool) -> list[Flowable]:
        twin = self.repeats_title()
        body = self.doc.body[1:] if twin is not None else self.doc.body
        if self.doc.booklet:
            back = [n for n in body if isinstance(n, m.Contact) and n.back]
            body = tuple(n for n in body if not (isinstance(n, m.Contact) and n.back))
            story = self.cover(twin.anchor if twin else None)
        else:
            story = self.title_block()
        if with_toc:
            story += self.toc([h for h in headings(body) if h.level <= 2])
        story += self.flowables(body)
        if self.doc.booklet:
            story += self.notes(self.padding) + self.back_cover(back)
        else:
            story += self.online()
        return compose(story, self.theme.frame_height)


def same_words(a: str, b: str) -> bool:
    """Two titles that say the same, ignoring case, spaces and punctuation."""
    return re.sub(r"\W+", " ", a).strip().casefold() == re.sub(r"\W+", " ", b).strip().casefold()


def headings(nodes: tuple[m.Node, ...]) -> Iterator[m.Heading]:
    for node in nodes:
        if isinstance(node, m.Heading):
            yield node
        elif isinstance(node, m.Contact):
            yield node.heading
