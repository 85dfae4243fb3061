"""Pages: templates with header and footer, 'page X of Y', outline, and bounded layout passes."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from pamflet import model as m
from pamflet.load import templating
from pamflet.render import press
from pamflet.render.draft import draft_mark
from pamflet.render.styles import Theme, mix, to_cmyk
from pamflet.render.tagging import Element, Tagger, TaggingCanvas, marked
from pamflet.resolve import labels
from pamflet.resolve.geometry import (
    FOOT_EDGE,
    HEAD_EDGE,
    LOGO_HEIGHT,
    PAGE_TEXT_SCALE,
    footer_fits,
)

BLEED = 3 * mm
DRAFT_RED = "#b3261e"  # the draft mark, as a light tint of it
MARK_BORDER = 12 * mm
QR_BAND = 30 * mm  # a booklet cover's bottom band: the leaflet's QR code and address


class LayoutProblem(Exception):
    """A flowable could not be placed; says which source it came from and on which page."""

    def __init__(self, message: str, source: Any, page: int) -> None:
        super().__init__(message)
        self.source, self.page = source, page


@dataclass
class Layout:
    """What one pass learned: the page of each anchor, the page count, named destinations."""

    pages: dict[str, int] = field(default_factory=dict)
    count: int = 0
    destinations: dict[str, tuple[int, float, float]] = field(default_factory=dict)
    annotations: int = 0  # link annotations, numbered from 0 by their /StructParent
    page_problems: list[str] = field(default_factory=list)  # headers and footers not drawn


class CropMarks:
    """ReportLab's crop-mark settings: marks outside the page, no scaling into the bleed."""

    borderWidth = MARK_BORDER
    markLength = 8 * mm
    markWidth = 0.4
    bleedWidth = 0
    markLast = 1

    markColor = colors.CMYKColorSep(1, 1, 1, 1, spotName="All")  # Registration: every plate


class LeafletTemplate(BaseDocTemplate):
    """Records anchors and outline entries as flowables are placed."""

    def __init__(self, buffer: io.BytesIO, theme: Theme, result: Layout, **kw: Any) -> None:
        super().__init__(buffer, **kw)
        self.theme, self.result = theme, result
        self.outline_level = 0
        self.current: Flowable | None = None

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        if flowables:
            self.current = flowables[0]
        super().handle_flowable(flowables)

    def afterFlowable(self, flowable: Flowable) -> None:
        page = self.canv.getPageNumber()
        for anchor in getattr(flowable, "pamflet_anchors", ()):
            self.result.pages.setdefault(anchor, page)
        outline = getattr(flowable, "pamflet_outline", None)
        if outline:
            title, anchor, level = outline
            level = min(level - 1, self.outline_level + 1)  # the outline may not skip a level
            self.canv.addOutlineEntry(title, anchor, level=max(level, 0), closed=level >= 2)
            self.outline_level = max(level, 0)


def page_decorator(
    doc: m.Document, theme: Theme, logo_element: Element | None, problems: list[str]
) -> Callable[[Canvas, int, int], None]:
    """Draws header and footer on a page once the page count is known; the logo is a figure.

    A header or footer that fails, is wider than the page or runs off the paper is not drawn
    and goes into `problems`: the build fails rather than print it cut.
    """
    header = templating.compile_template(doc.style.header or labels.default_header())
    footer = templating.compile_template(doc.style.footer or labels.default_footer(doc.language))
    base = {
        "organisation": doc.organisation,
        "leaflet": templating.Strict("leaflet field", doc.fields),
    }
    width, height = theme.page
    top, right, _bottom, left = theme.margins
    size = theme.size * PAGE_TEXT_SCALE
    logo = ImageReader(press.picture(doc.style.logo, theme.cmyk)) if doc.style.logo else None
    logo_mask = None if theme.cmyk else "auto"  # a press copy has no transparency left

    room = width - left - right

    def text(
        template: templating.Template, which: str, page: int, pages: int, font: str, room: float
    ) -> list[str]:
        try:
            lines = templating.render(template, {**base, "page": page, "pages": pages})
        except templating.TemplateProblem as exc:
            problems.append(f"the {which} cannot be made for page {page}: {exc}")
            return []
        lines = [line.strip() for line in lines.strip().split("\n")]
        text_size = theme.size if font == theme.fonts["bold"] else size
        if which == "footer" and doc.style.footer is None:  # our own words: wrap them
            lines = [x for line in lines for x in wrap_parts(line, font, text_size, room)]
        cmap = pdfmetrics.getFont(font).face.charToGlyph
        missing = sorted({c for x in lines for c in x if ord(c) not in cmap and c not in " \t"})
        if missing:
            problems.append(
                f"the {which} on page {page} prints '{missing[0]}' (U+{ord(missing[0]):04X}), "
                "which the font cannot print"
            )
            return []
        wide = [x for x in lines if stringWidth(x, font, text_size) > room]
        if wide:
            problems.append(f"the {which} is wider than the page on page {page}: '{wide[0][:40]}…'")
            return []
        return lines

    rtl = doc.language in m.RIGHT_TO_LEFT

    def put(canvas: Canvas, x: float, y: float, line: str, end: float) -> None:
        """A line from `x`, or, right to left, ending at `end`: reordered and shaped."""
        if rtl:
            canvas.drawRightString(end, y, line, direction="RTL", shaping=True)
        else:
            canvas.drawString(x, y, line)

    def decorate(canvas: Canvas, page: int, pages: int) -> None:
        if doc.booklet and page == pages > 1:  # the back cover: no running header, no number
            return
        canvas.saveState()
        canvas.setFont(theme.fonts["regular"], size)
        canvas.setFillColor(theme.muted)
        y = min(height - top + 7 * mm, height - HEAD_EDGE - size * 0.72)  # 10 mm from the edge
        if page == 1 and logo is not None:  # with small margins
            # In the space the first page's frame leaves below the top margin, never above it:
            # a small margin (A5) would put the logo past the edge of the paper.
            iw, ih = logo.getSize()
            w = min(LOGO_HEIGHT * iw / ih, (width - left - right) * 0.4)
            h = w * ih / iw
            bold = theme.fonts["bold"]
            head = " ".join(text(header, "header", page, pages, bold, room - w - 4 * mm))
            logo_y = height - top - LOGO_HEIGHT
            logo_x = width - right - w if rtl else left  # right to left: the logo on the right
            with marked(canvas, logo_element):
                canvas.drawImage(logo, logo_x, logo_y + (LOGO_HEIGHT - h) / 2, w, h, mask=logo_mask)
            canvas.setFont(theme.fonts["bold"], theme.size)
            canvas.setFillColor(theme.text)
            head_y = logo_y + LOGO_HEIGHT / 2 - theme.size * 0.35
            put(canvas, left + w + 4 * mm, head_y, head, width - right - w - 4 * mm)
        elif head := " ".join(text(header, "header", page, pages, theme.fonts["regular"], room)):
            put(canvas, left, y, head, width - right)
            canvas.setStrokeColor(theme.tint)
            canvas.setLineWidth(0.6)
            canvas.line(left, y - 2.5 * mm, width - right, y - 2.5 * mm)
        if doc.booklet and page == 1:  # the cover: no footer
            canvas.restoreState()
            return
        foot = text(footer, "footer", page, pages, theme.fonts["regular"], room)
        canvas.setFont(theme.fonts["regular"], size)
        canvas.setFillColor(theme.muted)
        # Lines stack up from the paper's edge when the margin has no room below them.
        step = size * 1.2
        y = max(theme.margins[2] - 10 * mm, FOOT_EDGE + (len(foot) - 1) * step)
        if doc.style.footer is not None and not footer_fits(len(foot), size, theme.margins[2]):
            problems.append(f"the footer's {len(foot)} lines do not fit below the text")
            foot = []
        canvas.setStrokeColor(theme.tint)
        canvas.line(left, y + size + 3, width - right, y + size + 3)
        for i, line in enumerate(foot):
            put(canvas, left, y - i * step, line, width - right)
        canvas.restoreState()

    return decorate


def wrap_parts(line: str, font: str, size: float, room: float) -> list[str]:
    """A default footer on narrow pages: break between its ' · ' parts."""
    out = [""]
    for part in line.split(" · "):
        joined = f"{out[-1]} · {part}" if out[-1] else part
        if out[-1] and stringWidth(joined, font, size) > room:
            out.append(part)
        else:
            out[-1] = joined
    return out


def numbered_canvas(
    decorate: Callable[[Canvas, int, int], None], marks: bool, background: Callable[[Canvas], None]
) -> type[Canvas]:
    """A canvas that draws header and footer when it is saved, when the page count is known."""

    class NumberedCanvas(TaggingCanvas, Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved: list[dict[str, Any]] = []
            self.destinations: dict[str, tuple[int, float, float]] = {}
            self.tagger = Tagger()
            self.open_artifact()
            background(self)

        def bookmarkPage(self, key: str, fit: str = "Fit", **kw: Any) -> Any:
            """Also remember where each anchor is, to publish it as a named destination."""
            if fit == "XYZ":
                left, top = kw.get("left") or 0, kw.get("top") or 0
                self.destinations.setdefault(key, (self.getPageNumber(), left, top))
            return super().bookmarkPage(key, fit=fit, **kw)

        def showPage(self) -> None:
            """Keep the page to finish when the count is known; links made on the next page
            must already point to it, so the document's page counter moves on now."""
            self.close_artifact()
            self._saved.append(dict(self.__dict__))
            self._doc.pageCounter += 1
            self._startPage()
            self.open_artifact()
            background(self)

        def save(self) -> None:
            total = len(self._saved)
            self._doc.pageCounter = 1
            for number, state in enumerate(self._saved, start=1):
                self.__dict__.update(state)
                self.open_artifact("/Artifact <</Type /Pagination>> BDC")
                decorate(self, number, total)
                self.close_artifact()
                if marks:  # ReportLab draws the crop marks after the page's code
                    set_print_boxes(self)
                    self._code.append("/Artifact BMC")
                    self._psCommandsAfterPage.append("EMC")
                Canvas.showPage(self)

    return NumberedCanvas


def set_print_boxes(canvas: Canvas) -> None:
    width, height = canvas._pagesize
    b = MARK_BORDER
    canvas.setTrimBox((b, b, b + width, b + height))
    canvas.setBleedBox((b - BLEED, b - BLEED, b + width + BLEED, b + height + BLEED))


def painter(theme: Theme, doc: m.Document) -> Callable[[Canvas], None]:
    """Paints what lies under a page's content, 3 mm past the edge so that it bleeds when
    trimmed: a coloured background, and a booklet cover's tinted foot with an accent line."""
    plain = theme.background.rgb() == (1, 1, 1)
    draft = labels.label(doc.language, "draft") if doc.draft else None
    red = mix(colors.HexColor(DRAFT_RED), colors.HexColor(doc.style.colours["background"]), 0.16)
    red = to_cmyk(red) if doc.style.colour == "cmyk" else red

    def paint(canvas: Canvas) -> None:
        width, height = theme.page
        canvas.saveState()
        if not plain:
            canvas.setFillColor(theme.background)
            canvas.rect(-BLEED, -BLEED, width + 2 * BLEED, height + 2 * BLEED, stroke=0, fill=1)
        if doc.booklet and doc.url and canvas.getPageNumber() == 1:  # no address: no band
            band = theme.margins[2] + QR_BAND + 2 * mm
            canvas.setFillColor(theme.tint)
            canvas.rect(-BLEED, -BLEED, width + 2 * BLEED, band + BLEED, stroke=0, fill=1)
            canvas.setFillColor(theme.accent)
            canvas.rect(-BLEED, band, width + 2 * BLEED, 1.2 * mm, stroke=0, fill=1)
        if draft is not None:  # under the content: the text stays readable over it
            draft_mark(canvas, doc.style.fonts["bold"], draft, theme.page, red)
        canvas.restoreState()

    return paint


class MeasureFrame(Frame):
    """A frame that places flowables without drawing them: for passes that only measure."""

    def add(self, flowable: Flowable, canv: Canvas, trySplit: int = 0) -> Any:
        flowable.drawOn = _skip
        return super().add(flowable, canv, trySplit)


def _skip(*args: Any, **kwargs: Any) -> None:
    return None


def layout_once(
    doc: m.Document,
    theme: Theme,
    story: list[Flowable],
    marks: bool,
    draw: bool = True,
    logo: Element | None = None,
) -> tuple[Canvas, Layout]:
    """One layout pass: its canvas, every page shown and not yet written (the finish stage
    writes it once), and what the pass learned."""
    buffer = io.BytesIO()
    result = Layout()
    top, right, bottom, left = theme.margins
    width, height = theme.page
    template = LeafletTemplate(
        buffer, theme, result,
        pagesize=theme.page, leftMargin=left, rightMargin=right, topMargin=top,
        bottomMargin=bottom, title=doc.title, author=doc.organisation,
        subject=doc.subtitle or "", keywords=[doc.code], creator="pamflet",
        lang=doc.language, invariant=1, cropMarks=CropMarks() if marks else None,
        allowSplitting=1, initialFontName=theme.fonts["regular"], initialFontSize=theme.size,
        enforceColorSpace="sep_cmyk" if theme.cmyk else None,  # CMYK, and Registration marks
    )  # fmt: skip
    first_top = top + (LOGO_HEIGHT + 4 * mm if doc.style.logo else 0)
    pad = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}
    Frame_ = Frame if draw else MeasureFrame
    first = Frame_(
        left, bottom, width - left - right, height - first_top - bottom, id="first", **pad
    )
    later = Frame_(left, bottom, width - left - right, height - top - bottom, id="later", **pad)
    if doc.booklet:  # the cover's bottom band holds the leaflet's QR code
        band = QR_BAND if doc.url else 0
        high = height - first_top - bottom - band
        cover = [Frame_(left, bottom + band, width - left - right, high, id="cover", **pad)]
        cover.append(Frame_(left, bottom, width - left - right, max(band, 1), id="band", **pad))
        back = Frame_(left, bottom, width - left - right, height - top - bottom, id="back", **pad)
        template.addPageTemplates([
            PageTemplate("Cover", cover, autoNextPageTemplate="Later"),
            PageTemplate("Later", [later]),
            PageTemplate("Back", [back]),
        ])  # fmt: skip
    else:
        template.addPageTemplates([
            PageTemplate("First", [first], autoNextPageTemplate="Later"),
            PageTemplate("Later", [later]),
        ])  # fmt: skip
    if draw:
        decorate = page_decorator(doc, theme, logo, result.page_problems)
    else:
        decorate = lambda canvas, page, pages: None  # noqa: E731
    canvas = numbered_canvas(decorate, marks, painter(theme, doc))
    try:
        template.build(story, canvasmaker=canvas)
    except LayoutError as exc:
        source = getattr(template.current, "pamflet_source", None)
        raise LayoutProblem(str(exc).split("\n")[0], source, template.page) from None
    result.count = template.page
    result.destinations = {  # a passage's bounds are anchors for tagging, not destinations
        k: v for k, v in template.canv.destinations.items() if not k.startswith("_lang-")
    }
    result.annotations = len(template.canv.tagger.annots)
    return template.canv, result
