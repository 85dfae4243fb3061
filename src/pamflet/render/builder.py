"""The builder: what every element's renderer shares while one document becomes flowables.

It holds the document, the theme, the page numbers of the last pass, the width left to block
elements here, and the structure element new content goes into. Renderers are functions, one
module per element kind, found by node type in the table `elements.KINDS` that the builder is
given; they call back `flowables()` for what they contain (list items, notes, contact text).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from reportlab.platypus import Flowable, Table, TableStyle

from pamflet import model as m
from pamflet.diagnostics import Diagnostic, Location
from pamflet.render.primitives import BalancedParagraph, SafeParagraph, SplitTable, tag
from pamflet.render.rtl import STRONG_RTL, is_rtl
from pamflet.render.styles import Theme
from pamflet.render.tagging import Element

Command = tuple[object, ...]
PADDINGS = ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")
NO_PADDING = [(side, (0, 0), (-1, -1), 0) for side in PADDINGS]


@dataclass
class Builder:
    """Turns one document's nodes into flowables with the theme's styles."""

    doc: m.Document
    theme: Theme
    pages: Mapping[str, int]
    kinds: Mapping[type, Renderer]  # node type -> its renderer (elements.KINDS)
    page_count: int = 0  # of the last pass; 0 before the first
    padding: int = 0  # booklet notes pages, from the last pass
    used_refs: set[str] = field(default_factory=set)
    problems: list[Diagnostic] = field(default_factory=list)
    width: float = 0.0  # the width block elements may use here: the frame, or less in a box
    root: Element = field(default_factory=lambda: Element("Document"))
    parent: Element = field(init=False)  # where new structure elements go
    logo: Element | None = None
    level: int = 1  # the level of the last heading: card titles go one below it
    # Page references made since the last paragraph: where each stands is recorded with the
    # paragraph that holds it, so that the next pass can leave out "see page N" on page N.
    pending_refs: list[str] = field(default_factory=list)
    ref_serial: int = 0
    toc_depth: int = 3  # the deepest heading level the contents list
    colophon_back: bool = False  # a booklet's colophon goes on its back cover (it fits there)
    rtl: bool = field(init=False, default=False)  # the leaflet is written right to left

    def __post_init__(self) -> None:
        self.rtl = is_rtl(self.doc.language)
        self.width = self.theme.frame_width
        self.parent = self.root
        if self.doc.style.logo:
            alt = self.doc.style.logo_alt or self.doc.organisation
            self.logo = self.root.add("Figure", alt=alt)

    def flowables(self, nodes: tuple[m.Node, ...], depth: int = 0) -> list[Flowable]:
        """The flowables of `nodes`, each drawn by the renderer of its kind."""
        out: list[Flowable] = []
        for node in nodes:
            out.extend(self.kinds[type(node)](self, node, depth))
        return out

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
        balanced: bool = False,
    ) -> Flowable:
        """A paragraph that is a new `role` element, or part of the element `into`; a
        `balanced` one (titles) breaks into lines of about equal length."""
        element = into if into is not None else self.parent.add(role)
        if self.rtl or STRONG_RTL.search(markup):  # right-to-left text: laid out by bidi.py
            from pamflet.render.bidi import BidiParagraph

            paragraph: Flowable = BidiParagraph(markup, self.theme.styles[style], self.rtl)
        else:
            kind = BalancedParagraph if balanced else SafeParagraph
            paragraph = kind(markup, self.theme.styles[style])
        if self.pending_refs:
            tag(paragraph, role, source, element=element, anchors=list(self.pending_refs))
            self.pending_refs.clear()
            return paragraph
        return tag(paragraph, role, source, element=element)

    def grid(
        self, data: list[list[object]], widths: list[float], commands: list[Command], **kw: object
    ) -> Table:
        """A table in the house font (ReportLab would fall back to Helvetica for empty cells)."""
        # Widths on a 1/64 pt grid: with table bounds errors on, ReportLab compares a cell's
        # content width plus padding with the column width, and float rounding must not tip it.
        widths = [math.floor(w * 64) / 64 for w in widths]
        if self.rtl:  # right to left: the first column on the right
            data, widths, commands = mirrored(data, widths, commands)
        table = SplitTable(data, colWidths=widths, hAlign="RIGHT" if self.rtl else "LEFT", **kw)
        font = ("FONTNAME", (0, 0), (-1, -1), self.theme.fonts["regular"])
        table.setStyle(TableStyle([font, *commands]))
        return table


def mirrored(
    data: list[list[object]], widths: list[float], commands: list[Command]
) -> tuple[list[list[object]], list[float], list[Command]]:
    """A grid's columns in reverse order, its style commands moved with them."""
    last = len(widths) - 1

    def column(c: int) -> int:
        return last - (c if c >= 0 else last + 1 + c)

    moved: list[Command] = []
    for command in commands:
        if len(command) >= 3 and isinstance(command[1], tuple) and isinstance(command[2], tuple):
            (c0, r0), (c1, r1) = command[1], command[2]
            a, z = sorted((column(c0), column(c1)))
            name = {"LEFTPADDING": "RIGHTPADDING", "RIGHTPADDING": "LEFTPADDING",
                    "LINEBEFORE": "LINEAFTER", "LINEAFTER": "LINEBEFORE"}.get(command[0], command[0])  # fmt: skip
            moved.append((name, (a, r0), (z, r1), *command[3:]))
        else:
            moved.append(command)
    return [list(reversed(row)) for row in data], list(reversed(widths)), moved


Renderer = Callable[[Builder, Any, int], list[Flowable]]
