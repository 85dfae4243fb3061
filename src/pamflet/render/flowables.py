"""Document nodes to ReportLab flowables.

Author text never reaches ReportLab markup unescaped: `markup()` escapes every text run and
writes the few tags it needs itself (b, i, font, a, br). Every flowable keeps its source
(`pamflet_source`) for messages, and every flowable that draws content its structure element
(`pamflet_element`): the Builder builds the leaflet's structure tree as it builds the story.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    Image,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError

from pamflet import labels
from pamflet import model as m
from pamflet.diagnostics import Diagnostic, Location
from pamflet.render.styles import Theme
from pamflet.render.tagging import (
    JOIN_END,
    JOIN_START,
    Element,
    mark,
    marked,
    plain_text,
)
from pamflet.resolve import max_columns, printed_size
from pamflet.schema import INVISIBLE

QR_SIZE = 20 * mm  # with its quiet zone; clear-print guidance asks for at least 15 mm
UNITS = r"(?:°C|°|%|mg|µg|μg|mcg|microgram|gram|g|kg|ml|mL|cl|l|mmol/l|cm|mm|m|IE|E|uur|min|kcal)"
DOSE = re.compile(rf"(\d)[ \t]+(?={UNITS}(?![\w]))")
COMPARE = re.compile(r"([<>≤≥=±~])[ \t]+(?=\d)")
NBSP = "\u00a0"
ALIGN = {"left": 0, "center": 1, "right": 2}
PADDINGS = ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")
NO_PADDING = [(side, (0, 0), (-1, -1), 0) for side in PADDINGS]
Command = tuple[object, ...]


class Tagged:
    """A flowable that draws inside the marked content of its structure element."""

    def drawOn(self, canvas: object, x: float, y: float, _sW: float = 0) -> None:
        with marked(canvas, self.__dict__.get("pamflet_element")):
            super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]


class SafeParagraph(Tagged, Paragraph):
    """A paragraph that never runs past its frame.

    ReportLab splits a long URL or word once (at a slash, or by hyphenation) but does not split
    the rest again; when a line still overflows, wrap again without hyphenation so that
    `splitLongWords` breaks it at the frame edge.
    """

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        size = super().wrap(availWidth, availHeight)
        lines = getattr(self.blPara, "lines", [])
        spare = [line.extraSpace if hasattr(line, "extraSpace") else line[0] for line in lines]
        if min(spare, default=0) < -0.5 and (
            self.style.hyphenationLang or self.style.uriWasteReduce
        ):
            self.style = self.style.clone("unbroken", hyphenationLang="", uriWasteReduce=0)
            size = super().wrap(availWidth, availHeight)
        return size

    def __init__(self, text: str | None, style: ParagraphStyle, **kw: object) -> None:
        super().__init__(text, style, **kw)
        if text is not None:  # split halves are made from frags; they copy the whole text
            self.pamflet_text = plain_text(text)  # to recognise words split across lines

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = super().split(availWidth, availHeight)
        for part in parts:  # both halves belong to the same element; anchors stay on the first
            for key, value in self.__dict__.items():
                if key.startswith("pamflet_") and (part is parts[0] or key != "pamflet_anchors"):
                    part.__dict__.setdefault(key, value)
        return parts

    def draw(self) -> None:
        tagger = getattr(self.canv, "tagger", None)
        if tagger is not None:
            mark(self, tagger)
        super().draw()


class Picture(Tagged, Image):
    """An image drawn as a tagged figure."""


def tag(flowable: Flowable, role: str, source: Location | None, **extra: object) -> Flowable:
    """Remember what a flowable stands for (its role, its structure element) and its source."""
    values = {"role": role, "source": source, **extra}
    for key, value in values.items():  # through __dict__: Drawing refuses unknown attributes
        flowable.__dict__[f"pamflet_{key}"] = value
    return flowable


def attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def keep_together(text: str) -> str:
    """No line break inside a dose ('10 mg', '≥ 5') or a number and its unit."""
    return COMPARE.sub(rf"\1{NBSP}", DOSE.sub(rf"\1{NBSP}", text))


def short_url(url: str) -> str:
    """The address as printed: no scheme, no 'www.', no trailing slash."""
    return re.sub(r"^(https?://)?(www\.)?", "", url).rstrip("/")


@dataclass
class Builder:
    """Turns one document's nodes into flowables with the theme's styles."""

    doc: m.Document
    theme: Theme
    pages: Mapping[str, int]
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
        from pamflet.phones import in_text

        out, pos = [], 0
        for start, end, uri in in_text(text, self.doc.country):
            out.append(escape(text[pos:start]))
            out.append(self.anchor_tag(uri, escape(text[start:end].replace(" ", NBSP))))
            pos = end
        out.append(escape(text[pos:]))
        return "".join(out)

    def anchor_tag(self, href: str, inner: str) -> str:
        colour = self.theme.accent.hexval().replace("0x", "#")
        return f'<a href="{attr(href)}" color="{colour}">{inner}</a>'

    def link(self, item: m.Link) -> str:
        inner = self.markup(item.children, linked=True)
        if item.anchor:
            self.used_refs.add(item.anchor)
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
        table = Table(data, colWidths=widths, hAlign="LEFT", **kw)
        font = ("FONTNAME", (0, 0), (-1, -1), self.theme.fonts["regular"])
        table.setStyle(TableStyle([font, *commands]))
        return table

    def table(self, node: m.TableBlock) -> Flowable:
        columns = max((len(r) for r in node.head + node.rows), default=1)
        if columns > max_columns(self.width, self.theme.size):  # in a list or a note, narrower
            message = f"the table's {columns} columns do not fit the width left to it here"
            self.problems.append(Diagnostic("error", "table-width", message, node.loc, "split it"))
            return Spacer(1, 1)
        align = [*node.align, *["left"] * columns]
        data: list[list[object]] = []
        element = self.parent.add("Table")
        for r, row in enumerate(node.head + node.rows):
            style, role = ("cellhead", "TH") if r < len(node.head) else ("cell", "TD")
            line = element.add("TR")
            cells: list[object] = []
            for c in range(columns):
                cell = line.add(role, scope="Column" if role == "TH" else None)
                text = self.markup(row[c]) if c < len(row) else ""
                para = self.para(text, style, node.loc, role, into=cell)
                if align[c] in ("right", "center"):
                    para.style = para.style.clone("aligned", alignment=ALIGN[align[c]])
                cells.append(para)
            data.append(cells)
        commands: list[Command] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("GRID", (0, 0), (-1, -1), 0.5, self.theme.muted),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ]
        if node.head:
            commands.append(("BACKGROUND", (0, 0), (-1, len(node.head) - 1), self.theme.tint))
        table = self.grid(
            data, self.column_widths(node, columns), commands,
            repeatRows=len(node.head), splitByRow=1, splitInRow=1,
        )  # fmt: skip
        table.spaceAfter = self.theme.size * 0.7
        return tag(table, "Table", node.loc)

    def column_widths(self, node: m.TableBlock, columns: int) -> list[float]:
        """Share the frame width by content: never wider than the frame."""
        font, size, pad = self.theme.fonts["bold"], self.theme.size, 14.0
        low, high = [pad * 2] * columns, [pad * 2] * columns
        for row in node.head + node.rows:
            for i, cell in enumerate(row):
                text = m.inline_text(cell)
                words = text.split() or [""]
                low[i] = max(low[i], min(max(stringWidth(w, font, size) for w in words) + pad, 120))
                high[i] = max(high[i], stringWidth(text, font, size) + pad)
        total = self.width
        if sum(high) <= total:
            return [w * total / sum(high) for w in high]
        spare = total - sum(low)
        if spare <= 0:
            self.warn(
                "table-width",
                f"the table's {columns} columns do not fit the page width; long words are "
                "broken inside their cells",
                node.loc,
                "use fewer columns or shorter words",
            )
            return [w * total / sum(low) for w in low]
        stretch = sum(h - lo for h, lo in zip(high, low, strict=True)) or 1
        return [lo + spare * (h - lo) / stretch for h, lo in zip(high, low, strict=True)]

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

    def qr(self, url: str) -> Flowable:
        alt = f"QR-code: {url}"
        element = self.parent.add("Figure", alt=alt)
        return tag(QR(url, QR_SIZE), "Figure", None, element=element)

    def url_lines(self, url: str, width: float, style: str = "small") -> str:
        """The short address, broken after '/' (never mid-word) to fit `width`."""
        st = self.theme.styles[style]
        lines = wrap_url(short_url(url), width, st.fontName, st.fontSize)
        return self.anchor_tag(url, "<br/>".join(escape(line) for line in lines))

    def with_qr(self, content: object, url: str, width: float, left: bool = True) -> Flowable:
        """`content` beside a QR code of `url`, the two in one row of `width`."""
        text_width = width - QR_SIZE - 6
        cells, widths = [self.qr(url), content], [QR_SIZE + 6, text_width]
        if not left:
            cells, widths = cells[::-1], widths[::-1]
        return self.grid([cells], widths, [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), *NO_PADDING])

    def more_info(self, url: str, width: float) -> Flowable:
        label = escape(labels.label(self.doc.language, "more_info"))
        room = width - (QR_SIZE + 6) * self.theme.qr - 2
        text = self.para(f"{label}:<br/>{self.url_lines(url, room)}", "small", None, "P")
        return self.with_qr(text, url, width) if self.theme.qr else text

    def card(self, card: m.Card, width: float) -> list[Flowable]:
        name = f'<a name="{attr(card.anchor)}"/>'
        role = f"H{min(self.level + 1, 6)}"
        with self.within("Div"):
            title = self.para(name + self.text(card.title, True), "card_title", card.loc, role)
            parts: list[Flowable] = [title, self.para(self.text(card.summary), "card", card.loc)]
            if card.url:
                parts.append(self.more_info(card.url, width))
        return parts

    def cards(self, grid: m.CardGrid) -> list[Flowable]:
        """Cards in rows (two across on A4), each row one flowable that keeps together."""
        per_row = 2 if self.width > 400 else 1
        gap, pad = 8.0, 9.0
        width = (self.width - gap * (per_row - 1)) / per_row
        rows = []
        for start in range(0, len(grid.cards), per_row):
            chunk = grid.cards[start : start + per_row]
            cells: list[object] = []
            for card in chunk:
                cells += [self.card(card, width - 2 * pad), ""]
            widths = [width, gap] * len(chunk)
            commands: list[Command] = [("VALIGN", (0, 0), (-1, -1), "TOP")]
            for col in range(0, len(cells), 2):
                box = ((col, 0), (col, 0))
                commands += [
                    ("BACKGROUND", *box, self.theme.tint),
                    ("LINEABOVE", *box, 2, self.theme.accent),
                    *[(side, *box, pad) for side in PADDINGS],
                ]
            table = self.grid([cells[:-1]], widths[:-1], commands)
            table.spaceAfter = gap
            rows.append(tag(table, "Div", grid.loc, anchors=[c.anchor for c in chunk]))
        return rows

    def contact_rows(self, node: m.Contact) -> list[tuple[str, str]]:
        rows = []
        if node.phone and node.phone_uri:
            number = escape(node.phone).replace(" ", NBSP)
            rows.append(("phone", self.anchor_tag(node.phone_uri, number)))
        if node.email:
            rows.append(("email", self.anchor_tag("mailto:" + node.email, escape(node.email))))
        if node.hours:
            rows.append(("hours", "<br/>".join(self.text(x, True) for x in node.hours.split("\n"))))
        if node.address:
            rows.append(("address", "<br/>".join(escape(x) for x in node.address.split("\n"))))
        if node.url:
            rows.append(("web", self.url_lines(node.url, self.theme.frame_width * 0.45, "cell")))
        return rows

    def contact_details(self, node: m.Contact, width: float, boxed: bool) -> list[Flowable]:
        """Heading, name, role and the labelled fields (phone, e-mail, ...), with a QR code."""
        size = self.theme.size
        heading = self.heading(node.heading)[-1]
        if boxed:
            heading.style = heading.style.clone("contact_h", spaceBefore=0)
        parts: list[Flowable] = [heading]
        if node.name:
            parts.append(self.para(f"<b>{self.text(node.name, True)}</b>", "cell", node.loc))
        if node.role:
            parts.append(self.para(self.text(node.role, True), "cell", node.loc))
        rows = self.contact_rows(node)
        if not rows:
            return parts
        qr = bool(node.url and self.theme.qr)
        beside = qr and boxed and width > size * 32  # unboxed or narrow: the QR code goes below
        room = width - (QR_SIZE + 6) * beside
        # Never zero top and bottom padding together here: ReportLab's splitInRow loops forever.
        commands: list[Command] = [("VALIGN", (0, 0), (-1, -1), "TOP"), *NO_PADDING]
        commands.append(("BOTTOMPADDING", (0, 0), (-1, -1), 3))
        if room > size * 22:  # label beside its value
            label_width = max(size * 6.5, room * 0.28)
            data = [[self.label(k, node), self.para(v, "cell", node.loc)] for k, v in rows]
            widths = [label_width, room - label_width]
            fields: Flowable = self.grid(data, widths, commands, splitByRow=1, splitInRow=1)
        else:  # label above its value
            data = [
                [x] for k, v in rows for x in (self.label(k, node), self.para(v, "cell", node.loc))
            ]
            fields = self.grid(data, [room], commands, splitByRow=1, splitInRow=1)
        tag(fields, "Table", node.loc)
        if beside:
            return [
                *parts,
                Spacer(1, size * 0.4),
                self.with_qr(fields, node.url or "", width, left=False),
            ]
        return [
            *parts,
            Spacer(1, size * 0.4),
            fields,
            *([Spacer(1, 4), self.qr(node.url or "")] if qr else []),
        ]

    def label(self, key: str, node: m.Contact) -> Flowable:
        return self.para(escape(labels.label(self.doc.language, key)), "label", node.loc)

    def contact(self, node: m.Contact) -> list[Flowable]:
        """A boxed contact on one page; if it cannot be, the details boxed and the text below."""
        with self.within("Div"):
            return self.contact_parts(node)

    def contact_parts(self, node: m.Contact) -> list[Flowable]:
        """Try each layout in turn; a layout given up leaves no structure elements behind."""
        size, inner = self.theme.size, self.theme.frame_width - 24
        details = self.contact_details(node, inner, boxed=True)
        with self.narrower(24):  # the box's padding
            body = self.flowables(node.body) if node.body else []
        box = self.contact_box([*details, Spacer(1, size * 0.6), *body] if body else details, node)
        if self.fits(box):
            return [KeepTogether([box])]
        hint = "shorten the contact's text, or use a smaller font size"
        self.parent.kids.clear()
        box = self.contact_box(self.contact_details(node, inner, boxed=True), node)
        if self.fits(box):
            message = "the contact block is taller than a page; its text continues below the box"
            self.warn("contact-too-tall", message, node.loc, hint)
            return [KeepTogether([box]), Spacer(1, size * 0.6), *self.flowables(node.body)]
        message = "the contact details are taller than a page; they are printed without a box"
        self.warn("contact-too-tall", message, node.loc, hint)
        self.parent.kids.clear()
        flat = self.contact_details(node, self.theme.frame_width, boxed=False)
        tag(flat[0], "H1", node.loc, anchors=[node.heading.anchor])
        return [*flat, Spacer(1, size * 0.6), *self.flowables(node.body)]

    def fits(self, flowable: Flowable) -> bool:
        try:
            height = flowable.wrap(self.theme.frame_width, self.theme.frame_height)[1]
        except LayoutError:  # the real layout pass reports it, with its source
            return False
        return height <= self.theme.frame_height

    def contact_box(self, parts: list[Flowable], node: m.Contact) -> Table:
        box = self.grid(
            [[parts]], [self.theme.frame_width],
            [
                ("BOX", (0, 0), (-1, -1), 1.2, self.theme.accent),
                ("LEFTPADDING", (0, 0), (-1, -1), 12),
                ("RIGHTPADDING", (0, 0), (-1, -1), 12),
                ("TOPPADDING", (0, 0), (-1, -1), 10),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
            ],
        )  # fmt: skip
        box.spaceBefore = self.theme.size
        tag(box, "Div", node.loc, anchors=[node.heading.anchor])
        box.pamflet_outline = (node.heading.plain, node.heading.anchor, 1)
        return box

    # -- the whole leaflet

    def title_block(self) -> list[Flowable]:
        doc, lang = self.doc, self.doc.language
        parts = [self.para(self.text(doc.title, True), "title", doc.source, "H1")]
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

    def online(self) -> list[Flowable]:
        """'This leaflet online' with a QR code, at the end."""
        url = self.doc.url
        if not url:
            return []
        label = escape(labels.label(self.doc.language, "online"))
        room = self.theme.frame_width - QR_SIZE - 12
        with self.within("Div"):
            text = [
                self.para(f"<b>{label}</b>", "cell", None),
                self.para(self.url_lines(url, room), "small", None),
            ]
            row = self.with_qr(text, url, self.theme.frame_width)
        return [Spacer(1, self.theme.size), KeepTogether([row])]

    def story(self, with_toc: bool) -> list[Flowable]:
        story = self.title_block()
        if with_toc:
            story += self.toc([h for h in headings(self.doc.body) if h.level <= 2])
        story += self.flowables(self.doc.body)
        story += self.online()
        return story


def headings(nodes: tuple[m.Node, ...]) -> Iterator[m.Heading]:
    for node in nodes:
        if isinstance(node, m.Heading):
            yield node
        elif isinstance(node, m.Contact):
            yield node.heading


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


def tag_bullet(drawer: object, element: Element) -> None:
    """A list item's bullet or number is drawn as its label (Lbl)."""
    draw = drawer.drawOn  # type: ignore[attr-defined]

    def drawOn(indenter: object, canvas: object, x: float, y: float, _sW: float = 0) -> None:
        with marked(canvas, element):
            draw(indenter, canvas, x, y, _sW)

    drawer.__dict__["drawOn"] = drawOn


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


def wrap_url(text: str, width: float, font: str, size: float) -> list[str]:
    """Greedy line breaking of an address after '/', '?', '&', '-' or '.'."""
    pieces = [p for p in re.split(r"(?<=[/?&.-])", text) if p]
    lines = [""]
    for piece in pieces:
        while stringWidth(piece, font, size) > width and len(piece) > 1:
            cut = len(piece)
            while cut > 1 and stringWidth(piece[:cut], font, size) > width:
                cut -= 1
            if lines[-1]:
                lines.append("")
            lines[-1] = piece[:cut]
            lines.append("")
            piece = piece[cut:]
        if lines[-1] and stringWidth(lines[-1] + piece, font, size) > width:
            lines.append("")
        lines[-1] += piece
    return [line for line in lines if line]
