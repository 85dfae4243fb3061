"""Stage 3: render a Document to PDF bytes with ReportLab, in as few passes as it needs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from pamflet import model as m
from pamflet.diagnostics import Diagnostic
from pamflet.render.flowables import Builder
from pamflet.render.pages import Layout, LayoutProblem, layout_once
from pamflet.render.styles import theme

MAX_PASSES = 5
TOC_AFTER_PAGES = 4


@dataclass
class Rendered:
    pdf: bytes
    pages: int
    diagnostics: list[Diagnostic] = field(default_factory=list)
    destinations: dict[str, tuple[int, float, float]] = field(default_factory=dict)


def render(doc: m.Document, print_marks: bool = False, region: str = "NL") -> Rendered:
    """Lay the leaflet out until page references settle (at most MAX_PASSES passes)."""
    look = theme(doc)
    known = Layout()
    with_toc = bool(doc.toc)
    write: Callable[[], bytes] = bytes
    for number in range(1, MAX_PASSES + 1):
        builder = Builder(doc, look, known.pages, region)
        try:
            write, found = layout_once(doc, look, builder.story(with_toc), print_marks)
        except LayoutProblem as exc:
            return Rendered(b"", 0, [layout_problem(doc, exc)])
        if number == 1 and doc.toc is None and found.count > TOC_AFTER_PAGES:
            with_toc, known = True, found
            continue
        settled = all(known.pages.get(a) == found.pages.get(a) for a in builder.used_refs)
        if settled:
            return Rendered(write(), found.count, builder.problems, found.destinations)
        known = found
    message = f"page references did not settle after {MAX_PASSES} layout passes"
    warning = Diagnostic("warning", "layout-passes", message, doc.source)
    return Rendered(write(), known.count, [*builder.problems, warning], known.destinations)


def layout_problem(doc: m.Document, exc: LayoutProblem) -> Diagnostic:
    """Name the source of a flowable that cannot be placed, and what to do."""
    return Diagnostic(
        "error", "layout", f"this element is too large to fit on a page (page {exc.page})",
        exc.source or doc.source, "shorten it or split it into smaller parts",
    )  # fmt: skip
