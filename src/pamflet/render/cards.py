"""Cards: a related block's title, summary and address, in rows of boxes."""

from __future__ import annotations

from reportlab.platypus import Flowable

from pamflet import model as m
from pamflet.load.rules import short_url
from pamflet.render import inline, qrcodes
from pamflet.render.builder import PADDINGS, Builder, Command
from pamflet.render.primitives import attr, escape, tag
from pamflet.render.qrcodes import QR_SIZE
from pamflet.resolve import labels


def more_info(b: Builder, url: str, width: float, title: str = "") -> Flowable:
    label = escape(labels.label(b.doc.language, "more_info"))
    room = width - (QR_SIZE + 6) * b.theme.qr - 2
    text = b.para(f"{label}:<br/>{qrcodes.url_lines(b, url, room)}", "small", None, "P")
    if title:  # the link says what it is: 'Meer informatie over CT-scan, www.example.org/ct'
        about = labels.label(b.doc.language, "more_about", title=title)
        text.__dict__["pamflet_describe"] = {url: f"{about}, {short_url(url)}"}
    return qrcodes.with_qr(b, text, url, width) if b.theme.qr else text


def card_cell(b: Builder, card: m.Card, width: float) -> list[Flowable]:
    name = f'<a name="{attr(card.anchor)}"/>'
    role = f"H{min(b.level + 1, 6)}"
    with b.within("Div"):
        title = b.para(name + inline.text(b, card.title, True), "card_title", card.loc, role)
        parts: list[Flowable] = [title, b.para(inline.text(b, card.summary), "card", card.loc)]
        if card.url:
            parts.append(more_info(b, card.url, width, card.title))
    return parts


def cards(b: Builder, grid: m.CardGrid) -> list[Flowable]:
    """Cards in rows (two across on A4), each row one flowable that keeps together."""
    per_row = 2 if b.width > 360 else 1  # 2 on A4 (a 138 mm column), 1 on A5
    gap, pad = 8.0, 9.0
    width = (b.width - gap * (per_row - 1)) / per_row
    rows = []
    for start in range(0, len(grid.cards), per_row):
        chunk = grid.cards[start : start + per_row]
        cells: list[object] = []
        for card in chunk:
            cells += [card_cell(b, card, width - 2 * pad), ""]
        widths = [width, gap] * len(chunk)
        commands: list[Command] = [("VALIGN", (0, 0), (-1, -1), "TOP")]
        for col in range(0, len(cells), 2):
            box = ((col, 0), (col, 0))
            commands += [
                ("BACKGROUND", *box, b.theme.tint),
                ("LINEABOVE", *box, 2, b.theme.accent),
                *[(side, *box, pad) for side in PADDINGS],
            ]
        table = b.grid([cells[:-1]], widths[:-1], commands)
        table.spaceAfter = gap
        anchors = [c.anchor for c in chunk]
        rows.append(tag(table, "Div", grid.loc, anchors=anchors, cards=True))
    return rows
