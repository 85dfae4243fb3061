"""The contact block: heading, name, role and labelled details (phone, e-mail, hours, address,
web) in a box with a QR code; a contact too tall for a page gives up the box in steps."""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Spacer, Table
from reportlab.platypus.doctemplate import LayoutError

from pamflet import model as m
from pamflet.render import inline, qrcodes, text
from pamflet.render.builder import NO_PADDING, Builder, Command
from pamflet.render.primitives import NBSP, escape, tag
from pamflet.render.qrcodes import QR_SIZE
from pamflet.resolve import labels


def contact_rows(b: Builder, node: m.Contact) -> list[tuple[str, str]]:
    rows = []
    if node.phone and node.phone_uri:
        number = escape(node.phone).replace(" ", NBSP)
        rows.append(("phone", inline.anchor_tag(b, node.phone_uri, number)))
    if node.email:
        rows.append(("email", inline.anchor_tag(b, "mailto:" + node.email, escape(node.email))))
    if node.hours:
        rows.append(
            ("hours", "<br/>".join(inline.text(b, x, True) for x in node.hours.split("\n")))
        )
    if node.address:
        rows.append(("address", "<br/>".join(escape(x) for x in node.address.split("\n"))))
    if node.url:
        rows.append(("web", qrcodes.url_lines(b, node.url, b.theme.frame_width * 0.45, "cell")))
    return rows


def contact_details(b: Builder, node: m.Contact, width: float, boxed: bool) -> list[Flowable]:
    """Heading, name, role and the labelled fields (phone, e-mail, ...), with a QR code."""
    size = b.theme.size
    heading = text.heading(b, node.heading)[-1]
    if boxed:
        heading.style = heading.style.clone("contact_h", spaceBefore=0)
    parts: list[Flowable] = [heading]
    if node.name:
        parts.append(b.para(f"<b>{inline.text(b, node.name, True)}</b>", "cell", node.loc))
    if node.role:
        parts.append(b.para(inline.text(b, node.role, True), "cell", node.loc))
    rows = contact_rows(b, node)
    if not rows:
        return parts
    qr = bool(node.url and b.theme.qr)
    beside = qr and boxed and width > size * 32  # unboxed or narrow: the QR code goes below
    room = width - (QR_SIZE + 6) * beside
    # Never zero top and bottom padding together here: ReportLab's splitInRow loops forever.
    commands: list[Command] = [("VALIGN", (0, 0), (-1, -1), "TOP"), *NO_PADDING]
    commands.append(("BOTTOMPADDING", (0, 0), (-1, -1), 3))
    table = b.parent.add("Table")  # a label/value table: each label heads its row
    cells = []
    for key, value in rows:
        line = table.add("TR")
        head = line.add("TH", scope="Row")
        cells.append(
            (label(b, key, node, head), b.para(value, "cell", node.loc, "TD", into=line.add("TD")))
        )
    if room > size * 22:  # label beside its value
        label_width = max(size * 6.5, room * 0.28)
        data = [[name, value] for name, value in cells]
        widths = [label_width, room - label_width]
        fields: Flowable = b.grid(data, widths, commands, splitByRow=1, splitInRow=1)
    else:  # label above its value
        data = [[x] for pair in cells for x in pair]
        fields = b.grid(data, [room], commands, splitByRow=1, splitInRow=1)
    tag(fields, "Table", node.loc)
    if beside:
        return [
            *parts,
            Spacer(1, size * 0.4),
            qrcodes.with_qr(b, fields, node.url or "", width, left=False),
        ]
    return [
        *parts,
        Spacer(1, size * 0.4),
        fields,
        *([Spacer(1, 4), qrcodes.qr(b, node.url or "")] if qr else []),
    ]


def label(b: Builder, key: str, node: m.Contact, head: object) -> Flowable:
    return b.para(escape(labels.label(b.doc.language, key)), "label", node.loc, "TH", into=head)


def contact(b: Builder, node: m.Contact) -> list[Flowable]:
    """A boxed contact on one page; if it cannot be, the details boxed and the text below."""
    with b.within("Div"):
        return contact_parts(b, node)


def contact_parts(b: Builder, node: m.Contact) -> list[Flowable]:
    """Try each layout in turn; a layout given up leaves no structure elements behind."""
    size, inner = b.theme.size, b.theme.frame_width - 24
    details = contact_details(b, node, inner, boxed=True)
    with b.narrower(24):  # the box's padding
        body = b.flowables(node.body) if node.body else []
    box = contact_box(b, [*details, Spacer(1, size * 0.6), *body] if body else details, node)
    if fits(b, box):
        return [KeepTogether([box])]
    hint = "shorten the contact's text, or use a smaller font size"
    b.parent.kids.clear()
    box = contact_box(b, contact_details(b, node, inner, boxed=True), node)
    if fits(b, box):
        message = "the contact block is taller than a page; its text continues below the box"
        b.warn("contact-too-tall", message, node.loc, hint)
        return [KeepTogether([box]), Spacer(1, size * 0.6), *b.flowables(node.body)]
    message = "the contact details are taller than a page; they are printed without a box"
    b.warn("contact-too-tall", message, node.loc, hint)
    b.parent.kids.clear()
    flat = contact_details(b, node, b.theme.frame_width, boxed=False)
    tag(flat[0], f"H{node.heading.level}", node.loc, anchors=[node.heading.anchor])
    return [*flat, Spacer(1, size * 0.6), *b.flowables(node.body)]


def fits(b: Builder, flowable: Flowable) -> bool:
    try:
        height = flowable.wrap(b.theme.frame_width, b.theme.frame_height)[1]
    except LayoutError:  # the real layout pass reports it, with its source
        return False
    return height <= b.theme.frame_height


def contact_box(b: Builder, parts: list[Flowable], node: m.Contact) -> Table:
    box = b.grid(
        [[parts]], [b.theme.frame_width],
        [
            ("BOX", (0, 0), (-1, -1), 1.2, b.theme.accent),
            ("LEFTPADDING", (0, 0), (-1, -1), 12),
            ("RIGHTPADDING", (0, 0), (-1, -1), 12),
            ("TOPPADDING", (0, 0), (-1, -1), 10),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
        ],
    )  # fmt: skip
    box.spaceBefore = b.theme.size
    tag(box, "Div", node.loc, anchors=[node.heading.anchor])
    box.pamflet_outline = (node.heading.plain, node.heading.anchor, node.heading.level)
    return box
