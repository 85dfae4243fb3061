"""Cards, contact blocks and QR codes with their addresses: the boxed parts of a leaflet."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table
from reportlab.platypus.doctemplate import LayoutError

from pamflet import model as m
from pamflet.render.primitives import NBSP, QR, attr, short_url, tag, wrap_url
from pamflet.resolve import labels

QR_SIZE = 20 * mm  # with its quiet zone; clear-print guidance asks for at least 15 mm
PADDINGS = ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")
NO_PADDING = [(side, (0, 0), (-1, -1), 0) for side in PADDINGS]
Command = tuple[object, ...]


class Boxes:
    """Builder methods for cards, contacts and QR codes (mixed into `Builder`)."""

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
            anchors = [c.anchor for c in chunk]
            rows.append(tag(table, "Div", grid.loc, anchors=anchors, cards=True))
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

    def online(self) -> list[Flowable]:
        """'This leaflet online' with a QR code, at the end."""
        url = self.doc.url
        if not url:
            return []
        label = escape(labels.label(self.doc.language, "online"))
        room = self.theme.frame_width - (QR_SIZE + 12) * self.theme.qr_leaflet
        with self.within("Div"):
            text: list[Flowable] = [
                self.para(f"<b>{label}</b>", "cell", None),
                self.para(self.url_lines(url, room), "small", None),
            ]
            if self.theme.qr_leaflet:
                text = [self.with_qr(text, url, self.theme.frame_width)]
        return [Spacer(1, self.theme.size), KeepTogether(text)]
