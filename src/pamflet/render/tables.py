"""Tables: cells as tagged paragraphs, columns as wide as their content needs."""

from __future__ import annotations

import re

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer

from pamflet import model as m
from pamflet.diagnostics import Diagnostic
from pamflet.render import inline
from pamflet.render.builder import Builder, Command
from pamflet.render.primitives import keep_together, tag
from pamflet.resolve.geometry import CELL_PADDING, max_columns

ALIGN = {"left": 0, "center": 1, "right": 2}
BREAKS = re.compile(r"[ \t\n]+")  # where a line may break: not at a no-break space
MAX_WORD_COLUMN = 130.0  # a longer word breaks (hyphenated) rather than widen its column


def table(b: Builder, node: m.TableBlock) -> Flowable:
    columns = max((len(r) for r in node.head + node.rows), default=1)
    if columns > max_columns(b.width, b.theme.size):  # in a list or a note, narrower
        message = f"the table's {columns} columns do not fit the width left to it here"
        b.problems.append(Diagnostic("error", "table-width", message, node.loc, "split it"))
        return Spacer(1, 1)
    align = [*node.align, *["left"] * columns]
    data: list[list[object]] = []
    element = b.parent.add("Table")
    for r, row in enumerate(node.head + node.rows):
        style, role = ("cellhead", "TH") if r < len(node.head) else ("cell", "TD")
        line = element.add("TR")
        cells: list[object] = []
        for c in range(columns):
            cell = line.add(role, scope="Column" if role == "TH" else None)
            text = inline.markup(b, row[c]) if c < len(row) else ""
            para = b.para(text, style, node.loc, role, into=cell)
            if align[c] in ("right", "center"):
                para.style = para.style.clone("aligned", alignment=ALIGN[align[c]])
            cells.append(para)
        data.append(cells)
    commands: list[Command] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.5, b.theme.muted),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]
    if node.head:
        commands.append(("BACKGROUND", (0, 0), (-1, len(node.head) - 1), b.theme.tint))
    table = b.grid(
        data, column_widths(b, node, columns), commands,
        repeatRows=len(node.head), splitByRow=1, splitInRow=1,
    )  # fmt: skip
    table.spaceAfter = b.theme.size * 0.7
    return tag(table, "Table", node.loc)


def column_widths(b: Builder, node: m.TableBlock, columns: int) -> list[float]:
    """Share the width by content, as HTML's automatic table layout does: each column at
    least its longest unbreakable run (a word, or a number with its unit), at most its
    natural width, the room in between shared in proportion; never wider than the frame."""
    size, pad = b.theme.size, CELL_PADDING
    low, high = [pad + size] * columns, [pad + size] * columns
    for r, row in enumerate(node.head + node.rows):
        font = b.theme.fonts["bold" if r < len(node.head) else "regular"]
        for i, cell in enumerate(row):
            text = keep_together(m.inline_text(cell))
            words = BREAKS.split(text) or [""]
            widest = max(stringWidth(w, font, size) for w in words) + pad
            low[i] = max(low[i], min(widest, MAX_WORD_COLUMN))
            high[i] = max(high[i], stringWidth(text, font, size) + pad + 1)
    return share(b, node, low, high)


def share(b: Builder, node: m.TableBlock, low: list[float], high: list[float]) -> list[float]:
    """Columns that fit their natural width within a fair share get it (a column of times
    or dates stays on one line); the others share what is left between their least and
    natural widths, in proportion to the difference."""
    total, columns = b.width, len(low)
    if sum(high) <= total:
        return [w * total / sum(high) for w in high]
    widths: list[float | None] = [None] * columns
    room = total
    while True:
        open_ = [i for i in range(columns) if widths[i] is None]
        small = [i for i in open_ if high[i] <= room / len(open_)]
        if not small:
            break
        for i in small:
            widths[i], room = high[i], room - high[i]
    open_ = [i for i in range(columns) if widths[i] is None]
    least = sum(low[i] for i in open_)
    if least > room:  # the fair shares leave too little: share the whole width instead
        widths, open_, room, least = [None] * columns, list(range(columns)), total, sum(low)
    if least > room:
        b.warn(
            "table-width",
            f"the table's {columns} columns do not fit the page width; long words are "
            "broken inside their cells",
            node.loc,
            "use fewer columns or shorter words",
        )
        return at_least([w * total / sum(low) for w in low], CELL_PADDING + b.theme.size)
    stretch = sum(high[i] - low[i] for i in open_) or 1
    for i in open_:
        widths[i] = low[i] + (room - least) * (high[i] - low[i]) / stretch
    return [w or 0.0 for w in widths]


def at_least(widths: list[float], minimum: float) -> list[float]:
    """Raise narrow columns to `minimum` (padding and a character), taking the room from the
    wider ones in proportion to what they have above it; the total stays the same."""
    short = sum(max(0.0, minimum - w) for w in widths)
    above = sum(max(0.0, w - minimum) for w in widths)
    if not short or above < short:
        return widths
    return [minimum if w <= minimum else w - short * (w - minimum) / above for w in widths]
