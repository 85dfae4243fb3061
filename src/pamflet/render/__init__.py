"""Stage 3: lay a Document out and draw it with ReportLab, in as few passes as it needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pamflet import model as m
from pamflet.diagnostics import Diagnostic
from pamflet.render.pages import Layout, LayoutProblem, layout_once
from pamflet.render.primitives import PassCache, passes_share
from pamflet.render.story import TOC_ROW_PADDING, colophon_fits_back, headings
from pamflet.render.story import builder as new_builder
from pamflet.render.story import story as make_story
from pamflet.render.styles import Theme, theme
from pamflet.render.tagging import Element

MAX_PASSES = 5
TOC_MIN_PAGES = 4  # toc: auto
TOC_MIN_HEADINGS = 5
TOC_MAX_SHARE = 0.3  # toc: auto: contents take at most this share of the first page's text


@dataclass
class Rendered:
    """A leaflet drawn: the canvas with every page shown, not yet written (finish writes it
    once, into ReportLab's own document), or None when it could not be laid out."""

    canvas: Any | None
    pages: int
    diagnostics: list[Diagnostic] = field(default_factory=list)
    destinations: dict[str, tuple[int, float, float]] = field(default_factory=dict)
    tags: Element | None = None  # the structure tree, with the marked content of each element
    annotations: int = 0  # link annotations carry /StructParent 0 .. annotations - 1
    passes: int = 0  # layout passes it took


def render(doc: m.Document, print_marks: bool = False) -> Rendered:
    """Lay the leaflet out, then draw it: two passes when anything depends on page numbers
    (page references, the contents, a booklet's notes pages), one when nothing does.

    The first pass only measures; every later pass draws, and is the last one when the pages
    it was given are the pages it found. At most MAX_PASSES passes; if the pages never settle,
    the last drawing stands, with a warning.
    """
    look = theme(doc)
    known = Layout()
    with_toc = doc.toc is True or (doc.toc is None and heading_count(doc) >= TOC_MIN_HEADINGS)
    depth = 3
    if doc.toc is None and with_toc:
        with_toc, depth = toc_weight(doc, look)
    padding = 0
    back = colophon_fits_back(doc, look)
    with passes_share(PassCache()) as cache:
        return passes(doc, look, known, with_toc, depth, padding, back, print_marks, cache)


def passes(
    doc: m.Document, look: Theme, known: Layout, with_toc: bool, depth: int, padding: int,
    back: bool, print_marks: bool, cache: PassCache,
) -> Rendered:  # fmt: skip
    """The layout passes of `render`: the measuring pass keeps its line breaks in `cache` for
    the drawing pass."""
    for number in range(1, MAX_PASSES + 1):
        builder = new_builder(doc, look, known.pages, known.count, padding)
        builder.toc_depth, builder.colophon_back = depth, back
        story = make_story(builder, with_toc)
        paged = bool(builder.used_refs or with_toc or doc.booklet)  # depends on page numbers
        draw = number > 1 or not paged
        cache.keeping = not draw
        try:
            canvas, found = layout_once(doc, look, story, print_marks, draw, builder.logo)
        except LayoutProblem as exc:
            return Rendered(None, 0, [layout_problem(doc, exc)])
        settled = all(known.pages.get(a) == found.pages.get(a) for a in builder.used_refs)
        if builder.used_refs and (known.count == 1) != (found.count == 1):
            settled = False  # a one-page leaflet prints no "see page 1"
        if doc.toc is None and with_toc and found.count < TOC_MIN_PAGES:
            with_toc, settled = False, False  # too short for contents after all
        if doc.booklet:  # notes pages fill the last sheet: a multiple of 4 pages in all
            wanted = -(found.count - padding) % 4
            notes = notes_pages(doc, wanted)
            settled, padding = settled and notes == padding, notes
        if draw and (settled or number == MAX_PASSES):
            if found.page_problems:  # headers and footers are drawn when the pass ends
                return Rendered(None, 0, [page_text_problem(doc, found.page_problems[0])])
            problems = builder.problems
            content = found.count - padding
            if doc.booklet and -content % 4 > 1:
                problems = [*problems, padding_warning(doc, content, -content % 4, padding)]
            if not settled:
                message = f"page references did not settle after {MAX_PASSES} layout passes"
                problems = [*problems, Diagnostic("warning", "layout-passes", message, doc.source)]
            return Rendered(
                canvas,
                found.count,
                problems,
                found.destinations,
                builder.root,
                found.annotations,
                number,
            )
        known = found
    raise AssertionError("unreachable: the last pass always draws")


def toc_weight(doc: m.Document, look: Theme) -> tuple[bool, int]:
    """`toc: auto` weighs the contents' share of the first page: the sections and their
    subsections when they fit in TOC_MAX_SHARE of it, else the sections alone, else none."""
    row = look.styles["toc"].leading + 2 * TOC_ROW_PADDING
    room = look.frame_height * TOC_MAX_SHARE
    title = look.styles["h2"].leading * 1.5
    for depth in (3, 2):
        rows = sum(1 for h in headings(doc.nodes) if 2 <= h.level <= depth)
        if title + rows * row <= room:
            return True, depth
    return False, 2


def notes_pages(doc: m.Document, wanted: int) -> int:
    """How many of the `wanted` padding pages are notes pages (the rest: blank, in print)."""
    if doc.style.notes_pages == "none":
        return 0
    limit = doc.style.max_notes_pages
    return wanted if limit is None else min(wanted, limit)


def padding_warning(doc: m.Document, content: int, wanted: int, notes: int) -> Diagnostic:
    """More than one page to fill the last sheet: the author may prefer to change the text."""
    kind = {"ruled": "notes", "blank": "blank", "none": "blank"}[doc.style.notes_pages]
    how = f"{notes} {kind} page{'s' * (notes != 1)}" if notes else ""
    rest = wanted - notes
    blank = f"{rest} blank page{'s' * (rest != 1)} in the print file" if rest else ""
    message = (
        f"the booklet has {content} pages, so {wanted} pages fill its last sheet: "
        + " and ".join(x for x in (how, blank) if x)
    )
    hint = "add or remove about a page of content, or set notes_pages or max_notes_pages"
    return Diagnostic("warning", "booklet-padding", message, doc.source, hint)


def heading_count(doc: m.Document) -> int:
    return sum(1 for h in headings(doc.nodes) if 2 <= h.level <= 3)


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
