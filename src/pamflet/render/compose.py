"""Page composition: a heading never ends a page, and a section's cards start with their heading.

A paragraph that ends in ':' introduces what follows and is kept with its start the same way.
Before every heading the story gets a `KeepStart`: at layout time it measures the heading and
the start of what follows it (two lines of a paragraph, the first row of a table or of cards,
the first item of a list, a whole box), and breaks the page when they do not fit in the room
left. When a section's heading, its text and its first row of cards fit on one page, they are
kept together, so the cards start on the page of their heading. Widows and orphans are the
paragraph style's business (`allowWidows=0`, `allowOrphans=0`).
"""

from __future__ import annotations

from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    ListFlowable,
    Paragraph,
    Spacer,
    Table,
)
from reportlab.platypus.doctemplate import ActionFlowable

BIG = 1e6
MIN_LINES = 2


def lead_height(flowable: Flowable, width: float, canv: object) -> float:
    """The least of `flowable` that must stand under a heading: its first lines, row or item."""
    if isinstance(flowable, Spacer | CondPageBreak):
        return 0.0
    before = flowable.getSpaceBefore()
    if isinstance(flowable, Paragraph):
        _, height = flowable.wrapOn(canv, width, BIG)
        lines = len(getattr(flowable.blPara, "lines", [])) or 1
        if lines <= MIN_LINES + 1:  # a paragraph of 3 lines cannot split without an orphan
            return before + height
        return before + MIN_LINES * flowable.style.leading
    if isinstance(flowable, Table):
        flowable.wrapOn(canv, width, BIG)
        rows = (flowable.repeatRows or 0) + 1
        return before + sum(flowable._rowHeights[:rows])
    if isinstance(flowable, ListFlowable):
        _, height = flowable.wrapOn(canv, width, BIG)
        first = flowable._content[0] if flowable._content else None
        if first is None:
            return before + height
        return before + min(height, _item_height(first, width, canv))
    _, height = flowable.wrapOn(canv, width, BIG)
    return before + height


def _item_height(item: Flowable, width: float, canv: object) -> float:
    inner = getattr(item, "_flowables", None) or getattr(item, "_content", None)
    if not inner:
        return item.wrapOn(canv, width, BIG)[1]
    return lead_height(inner[0], width, canv)


def full_height(flowable: Flowable, width: float, canv: object) -> float:
    if isinstance(flowable, CondPageBreak):
        return 0.0
    _, height = flowable.wrapOn(canv, width, BIG)
    return flowable.getSpaceBefore() + height + flowable.getSpaceAfter()


class KeepStart(CondPageBreak):
    """A page break unless `heads` and the start of `rest` fit in the room left.

    `heads` are the heading(s) and, for a section with cards, its text: they are measured whole.
    `rest` is the flowable whose start must come along (None: nothing follows). If the whole
    lot is taller than a page, only the headings and the first lines of what follows them are
    kept together: moving more would leave most of a page empty.
    """

    def __init__(
        self, heads: list[Flowable], rest: Flowable | None, page_height: float,
        fallback: Flowable | None = None,
    ) -> None:  # fmt: skip
        super().__init__(0)
        self.heads, self.rest, self.page_height = heads, rest, page_height
        self.fallback = fallback

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.height = self.needed(availWidth)
        return super().wrap(availWidth, availHeight)

    def needed(self, width: float) -> float:
        total = sum(full_height(f, width, self.canv) for f in self.heads)
        if self.rest is not None:
            total += lead_height(self.rest, width, self.canv)
        if total <= self.page_height or self.fallback is None:
            return min(total, self.page_height)
        first = self.heads[0]
        short = full_height(first, width, self.canv) + lead_height(self.fallback, width, self.canv)
        return min(short, self.page_height)


def compose(story: list[Flowable], page_height: float) -> list[Flowable]:
    """Insert a `KeepStart` before each run of headings in `story`."""
    out: list[Flowable] = []
    i = 0
    while i < len(story):
        flowable = story[i]
        if getattr(flowable, "pamflet_lead", False) and i + 1 < len(story):
            out += [KeepStart([flowable], _first_real(story, i + 1, i + 2), page_height), flowable]
            i += 1
            continue
        if not _is_heading(flowable):
            out.append(flowable)
            i += 1
            continue
        j = i
        while j < len(story) and (_is_heading(story[j]) or _is_blank(story[j])):
            j += 1  # a run of headings: H1 right above H2 keeps with it
        heads = story[i:j]
        section_end = _next_heading(story, j, _level(flowable))
        cards = next((k for k in range(j, section_end) if _is_cards(story[k])), None)
        if cards is not None:
            keep = KeepStart([*heads, *story[j:cards]], story[cards], page_height,
                             fallback=_first_real(story, j, section_end))  # fmt: skip
        else:
            keep = KeepStart(heads, _first_real(story, j, section_end), page_height)
        out.append(keep)
        out.extend(heads)
        i = j
    return out


def _is_heading(flowable: Flowable) -> bool:
    """A heading that starts a part of the story: the title (H1) starts the page itself."""
    role = getattr(flowable, "pamflet_role", "")
    return (
        isinstance(flowable, Paragraph) and role.startswith("H") and role[1:].isdigit()
        and role != "H1"
    )  # fmt: skip


def _is_blank(flowable: Flowable) -> bool:
    return isinstance(flowable, Spacer | CondPageBreak)


def _is_cards(flowable: Flowable) -> bool:
    return getattr(flowable, "pamflet_cards", False)


def _level(flowable: Flowable) -> int:
    return int(getattr(flowable, "pamflet_role", "H1")[1:])


def _next_heading(story: list[Flowable], start: int, level: int) -> int:
    for k in range(start, len(story)):
        if _is_heading(story[k]) and _level(story[k]) <= level:
            return k
    return len(story)


def _first_real(story: list[Flowable], start: int, end: int) -> Flowable | None:
    for k in range(start, end):
        if isinstance(story[k], ActionFlowable):  # a frame or page break: what follows is not
            return None  # on this page anyway
        if not _is_blank(story[k]):
            return story[k]
    return None
