"""Text elements: headings, paragraphs, rules, notes (block quotes) and code blocks."""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, Flowable, HRFlowable, KeepTogether

from pamflet import model as m
from pamflet.load.rules import INVISIBLE
from pamflet.render import inline
from pamflet.render.builder import Builder, Command
from pamflet.render.primitives import attr, escape, tag
from pamflet.render.tagging import JOIN_END, JOIN_START
from pamflet.resolve import labels


def heading(b: Builder, node: m.Heading) -> list[Flowable]:
    look = min(max(node.level - 1, 1), 4)  # a section (H2) in the h1 style, and so on
    name = f'<a name="{attr(node.anchor)}"/>'
    role = f"H{min(node.level, 6)}"
    b.level = node.level
    para = b.para(name + inline.markup(b, node.text), f"h{look}", node.loc, role)
    tag(para, role, node.loc, anchors=[node.anchor])
    para.pamflet_outline = (node.plain, node.anchor, node.level)
    need = b.theme.size * 6
    return [CondPageBreak(need), para] if node.level <= 2 else [para]


def note(b: Builder, node: m.Note) -> Flowable:
    if node.kind in b.theme.alerts:
        return alert(b, node)
    return quote(b, node)


def alert(b: Builder, node: m.Note) -> Flowable:
    """An alert box: its label word in the leaflet's language and the kind's colour, a border,
    a tint; kept on one page when it fits there."""
    border, tint = b.theme.alerts[node.kind or "note"]
    word = labels.label(b.doc.language, f"alert_{node.kind}")
    with b.narrower(24), b.within("Div"):  # the box's padding and border
        title = b.para(f"<b>{escape(word)}</b>", "body", node.loc)
        title.style = title.style.clone(
            "alert_label", textColor=border, spaceAfter=b.theme.size * 0.2
        )
        rows: list[list[object]] = [[title], *([f] for f in b.flowables(node.children))]
    last = len(rows) - 1
    table = b.grid(
        rows, [b.width],
        [
            ("BACKGROUND", (0, 0), (-1, -1), tint),
            ("BOX", (0, 0), (-1, -1), 0.8, border),
            ("LINEBEFORE", (0, 0), (0, -1), 4, border),
            ("LEFTPADDING", (0, 0), (-1, -1), 12),
            ("RIGHTPADDING", (0, 0), (-1, -1), 10),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, 0), 8),
            ("BOTTOMPADDING", (0, last), (-1, last), 6),
        ],
        splitByRow=1,
    )  # fmt: skip
    table.spaceAfter = b.theme.size * 0.7
    return KeepTogether([tag(table, "Div", node.loc)])


def quote(b: Builder, node: m.Note) -> Flowable:
    with b.narrower(18), b.within("BlockQuote"):  # the note's padding
        rows: list[list[object]] = [[f] for f in b.flowables(node.children)] or [[""]]
    last = len(rows) - 1
    table = b.grid(
        rows, [b.width],
        [
            ("BACKGROUND", (0, 0), (-1, -1), b.theme.tint),
            ("LINEBEFORE", (0, 0), (0, -1), 3, b.theme.accent),
            ("LEFTPADDING", (0, 0), (-1, -1), 10),
            ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, 0), 7),
            ("BOTTOMPADDING", (0, last), (-1, last), 4),
        ],
        splitByRow=1,
    )  # fmt: skip
    table.spaceAfter = b.theme.size * 0.7
    return tag(table, "BlockQuote", node.loc)


def code(b: Builder, node: m.CodeBlock) -> Flowable:
    """Preformatted text in a grey box, a row per line so that it can split across pages."""
    lines = [escape(INVISIBLE.sub("", x)).replace(" ", "&nbsp;") for x in node.text.split("\n")]
    lines = [x.replace(JOIN_START, "").replace(JOIN_END, "") for x in lines]
    with b.within("Div"):
        rows: list[list[object]] = [
            [b.para(line or " ", "code", node.loc, "Code")] for line in lines
        ]
    grey = b.theme.muted.clone(alpha=0.15)
    last = len(rows) - 1
    commands: list[Command] = [
        ("BACKGROUND", (0, 0), (-1, -1), grey),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, 0), 6),
        ("BOTTOMPADDING", (0, last), (-1, last), 6),
    ]
    box = b.grid(rows, [b.width], commands, splitByRow=1)
    box.spaceAfter = b.theme.size * 0.7
    return tag(box, "Code", node.loc)


def paragraph(b: Builder, node: m.Para) -> Flowable:
    para = b.para(inline.markup(b, node.text), "body", node.loc)
    if m.inline_text(node.text).rstrip().endswith(":"):  # it introduces what follows
        para.__dict__["pamflet_lead"] = True  # kept with its start (render/compose.py)
    return para


def rule(b: Builder, node: m.Rule) -> Flowable:
    line = HRFlowable(width="100%", color=b.theme.muted, thickness=0.6, spaceAfter=8)
    return tag(line, "Artifact", node.loc)
