"""Stage 3: render a Document to PDF bytes with ReportLab, in as few passes as it needs."""

from __future__ import annotations

from dataclasses import dataclass, field

from pamflet import model as m
from pamflet.diagnostics import Diagnostic
from pamflet.render.pages import Layout, LayoutProblem, layout_once
from pamflet.render.story import builder as new_builder
from pamflet.render.story import headings
from pamflet.render.story import story as make_story
from pamflet.render.styles import theme
from pamflet.render.tagging import Element

MAX_PASSES = 5
TOC_MIN_PAGES = 4  # toc: auto
TOC_MIN_HEADINGS = 5


@dataclass
class Rendered:
    pdf: bytes
    pages: int
    diagnostics: list[Diagnostic] = field(default_factory=list)
    destinations: dict[str, tuple[int, float, float]] = field(default_factory=dict)
    tags: Element | None = None  # the structure tree, with the marked content of each element
    annotations: int = 0  # link annotations carry /StructParent 0 .. annotations - 1


def render(doc: m.Document, print_marks: bool = False) -> Rendered:
    """Lay the leaflet out until its page references settle, then draw it.

    Passes that only measure skip drawing; a story without page references is drawn at once,
    since its first pass is usually its last. At most MAX_PASSES passes measure.
    """
    look = theme(doc)
    known = Layout()
    with_toc, confirmed, padding = bool(doc.toc), False, 0
    for number in range(1, MAX_PASSES + 2):
        builder = new_builder(doc, look, known.pages, known.count, padding)
        story = make_story(builder, with_toc)
        draw = (
            confirmed
            or number > MAX_PASSES
            or not (builder.used_refs or (doc.toc is None and number > 1) or doc.booklet)
        )
        try:
            write, found = layout_once(doc, look, story, print_marks, draw, builder.logo)
        except LayoutProblem as exc:
            return Rendered(b"", 0, [layout_problem(doc, exc)])
        if number == 1 and doc.toc is None and wants_toc(doc, found.count):
            with_toc, known = True, found
            continue
        settled = all(known.pages.get(a) == found.pages.get(a) for a in builder.used_refs)
        if doc.booklet:  # notes pages fill the last sheet: a multiple of 4 pages in all
            wanted = -(found.count - padding) % 4
            settled, padding = settled and wanted == padding, wanted
        if draw and (settled or number > MAX_PASSES):
            pdf = write()  # headers and footers are drawn as the PDF is written
            if found.page_problems:
                return Rendered(b"", 0, [page_text_problem(doc, found.page_problems[0])])
            problems = builder.problems
            if not settled:
                message = f"page references did not settle after {MAX_PASSES} layout passes"
                problems = [*problems, Diagnostic("warning", "layout-passes", message, doc.source)]
            return Rendered(
                pdf, found.count, problems, found.destinations, builder.root, found.annotations
            )
        confirmed, known = settled, found
    raise AssertionError("unreachable: the last pass always draws")


def wants_toc(doc: m.Document, pages: int) -> bool:
    """toc: auto shows the contents of a leaflet of at least 4 pages and 5 headings."""
    heads = sum(1 for h in headings(doc.body) if h.level <= 2)
    return pages >= TOC_MIN_PAGES and heads >= TOC_MIN_HEADINGS


def layout_problem(doc: m.Document, exc: LayoutProblem) -> Diagnostic:
    """Name the source of a flowable that cannot be placed, and what to do."""
    return Diagnostic(
        "error", "layout", f"this element is too large to fit on a page (page {exc.page})",
        exc.source or doc.source, "shorten it or split it into smaller parts",
    )  # fmt: skip


def page_text_problem(doc: m.Document, message: str) -> Diagnostic:
    return Diagnostic(
        "error", "page-text", message, doc.style.source,
        "make the layout's header or footer shorter, or split it over two lines",
    )  # fmt: skip
