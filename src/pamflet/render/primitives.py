"""What the renderer draws with: tagged paragraphs, pictures and QR codes, and small helpers.

Every class here that draws content does so inside the marked content of its structure element
(`Tagged`); see render/tagging.py.
"""

from __future__ import annotations

import contextlib
import copy
import math
import re
from collections.abc import Iterator
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Image, Paragraph, Table

from pamflet.diagnostics import Location
from pamflet.render.tagging import Element, mark, marked, plain_text
from pamflet.resolve.preflight import MIN_EM, UNBREAKABLE, longer_run

# Units a number keeps on its line with, in every leaflet language (longest first, so that
# 'minuten' is not read as 'min').
UNIT_WORDS = {
    "any": "°C °F ° % ‰ mg µg μg mcg microgram gram g kg ml mL cl dl l mmol/l mmol mol mmHg cm mm m "
    "km IE E IU U kcal kJ h",
    "nl": "uur min minuut minuten sec seconden dag dagen week weken maand maanden jaar keer liter "
    "tablet tabletten capsule capsules druppel druppels zakje zakjes spuit spuiten stuks",
    "en": "am pm a.m. p.m. hour hours hr hrs minute minutes mins second seconds day days week weeks "
    "month months year years times litre litres liter liters tablet tablets capsule capsules "
    "drop drops sachet sachets puff puffs",
    "de": "Uhr Stunde Stunden Minute Minuten Tag Tage Tagen Woche Wochen Monat Monate Jahr Jahre "
    "Tablette Tabletten Tropfen Mal",
    "fr": "h heure heures minute minutes jour jours semaine semaines mois an ans fois comprimé "
    "comprimés gouttes",
    "tr": "saat dakika gün hafta ay yıl kez tablet damla",
    "pl": "godz. godzina godziny godzin minut minuty dni dzień tydzień tygodnie miesiąc lat razy "
    "tabletka tabletki tabletek krople",
    "uk": "год хв хвилин хвилини день дні днів тиждень тижні місяць місяці рік роки разів "
    "таблетка таблетки таблеток краплі",
    "ar": "ساعة ساعات دقيقة دقائق يوم أيام أسبوع أسابيع شهر أشهر سنة مرة مرات قرص أقراص نقطة",
}
# What ends a number: a digit or a vulgar fraction ('2½ mg').
DIGIT = "[\\d\u00bc-\u00be\u2150-\u215e]"
RANGE_WORDS = "tot|to|till|until|bis|à|au|do|ile|до|حتى|إلى|–|-|—"
_UNITS = sorted({u for words in UNIT_WORDS.values() for u in words.split()}, key=len, reverse=True)
UNITS = "(?:" + "|".join(re.escape(u) for u in _UNITS) + ")"
# Any kind of space, a source line break included (Markdown joins the lines of a paragraph).
DOSE = re.compile(rf"({DIGIT})\s+(?={UNITS}(?!\w))")
COMPARE = re.compile(r"([<>≤≥=±~≈])\s+(?=\d)")
RANGE = re.compile(rf"({DIGIT})\s+({RANGE_WORDS})\s+(?=\d)")
NO_BREAK = str.maketrans({"\u202f": "\u00a0", "\u2007": "\u00a0"})  # ReportLab breaks at them
NBSP = "\u00a0"


class Tagged:
    """A flowable that draws inside the marked content of its structure element."""

    def drawOn(self, canvas: object, x: float, y: float, _sW: float = 0) -> None:
        with marked(canvas, self.__dict__.get("pamflet_element")):
            super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]


class PassCache:
    """What one leaflet's layout passes share: paragraph markup parsed into fragments, and the
    line breaks of the measuring pass for the drawing pass.

    A paragraph of the same text and style is parsed the same way: it gets copies of the
    fragments parsed before. A paragraph of the same text and style at the same width breaks
    the same way, so the drawing pass takes the lines the measuring pass found. Each set of
    lines goes to one paragraph, and never lines that were split or drawn (`pamflet_spent`:
    splitting trims them, drawing puts the tagging markers in them).
    """

    def __init__(self) -> None:
        self.keeping = True  # the measuring pass keeps lines; a drawing pass takes them
        self.entries: dict[tuple[str, tuple[float, ...]], list[tuple[ParagraphStyle, Any]]] = {}
        self.parses: dict[str, list[tuple[ParagraphStyle, ParagraphStyle, list[Any]]]] = {}

    def keep(
        self, markup: str, widths: tuple[float, ...], style: ParagraphStyle, lines: Any
    ) -> None:
        self.entries.setdefault((markup, widths), []).append((style, lines))

    def take(self, markup: str, widths: tuple[float, ...], style: ParagraphStyle) -> Any | None:
        found = self.entries.get((markup, widths), [])
        for i, (kept_style, lines) in enumerate(found):
            if kept_style is style and not getattr(lines, "pamflet_spent", False):
                del found[i]
                return lines
        return None

    def parsed(self, text: str, style: ParagraphStyle) -> tuple[ParagraphStyle, list[Any]] | None:
        """Copies of the fragments `text` was parsed into with `style`, and the style the
        parser gave back."""
        for given, result, frags in self.parses.get(text, ()):
            if given is style:
                return result, [frag.clone() for frag in frags]
        return None

    def remember(
        self, text: str, style: ParagraphStyle, result: ParagraphStyle, frags: list[Any]
    ) -> None:
        self.parses.setdefault(text, []).append((style, result, [frag.clone() for frag in frags]))


SHARED: PassCache | None = None  # what the passes of the leaflet being rendered share


@contextlib.contextmanager
def passes_share(cache: PassCache) -> Iterator[PassCache]:
    """Paragraphs made in the block share `cache` across layout passes."""
    global SHARED
    before, SHARED = SHARED, cache
    try:
        yield cache
    finally:
        SHARED = before


class SafeParagraph(Tagged, Paragraph):
    """A paragraph that never runs past its frame.

    ReportLab splits a long URL or word once (at a slash, or by hyphenation) but does not split
    the rest again; when a line still overflows, wrap again without hyphenation so that
    `splitLongWords` breaks it at the frame edge.

    Line breaking is most of a layout pass, and ReportLab breaks a paragraph's lines each time
    it is asked for its height: the lines are kept for the width they were broken for, within
    a pass and from the measuring pass to the drawing pass; markup parsed in one pass is not
    parsed again in the next (`PassCache`).
    """

    def _setup(self, text: Any, style: Any, bulletText: Any, frags: Any, cleaner: Any) -> None:
        cache = SHARED
        if (
            cache is None
            or frags is not None
            or bulletText is not None
            or not isinstance(text, str)
        ):
            return super()._setup(text, style, bulletText, frags, cleaner)
        found = cache.parsed(text, style)
        if found is None:
            super()._setup(text, style, bulletText, frags, cleaner)
            cache.remember(text, style, self.style, self.frags)
            return None
        self.text, self.style, self.frags = cleaner(text), found[0], found[1]
        self.bulletText, self.debug = bulletText, 0
        return None

    def breakLines(self, width: Any) -> Any:
        widths = tuple(width) if isinstance(width, list | tuple) else (width,)
        memo = self.__dict__.get("_pamflet_lines")
        if (
            memo is not None and memo[0] == widths and memo[1] is self.style
            and not getattr(memo[2], "pamflet_spent", False)
        ):  # fmt: skip
            return memo[2]
        cache, markup = SHARED, self.__dict__.get("_pamflet_markup")
        lines = None
        if cache is not None and markup is not None and not cache.keeping:
            lines = cache.take(markup, widths, self.style)
        if lines is None:
            lines = super().breakLines(width)
            if cache is not None and markup is not None and cache.keeping:
                cache.keep(markup, widths, self.style, lines)
        self._pamflet_lines = (widths, self.style, lines)
        return lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self.style.hyphenationLang and self.runs_past(availWidth):
            # A run longer than a line: hyphenation would try every split of it, measuring each
            # prefix (minutes for a few long words); it is broken at the edge in any case.
            self.style = self.style.clone("unbroken", hyphenationLang="", uriWasteReduce=0)
        size = super().wrap(availWidth, availHeight)
        lines = getattr(self.blPara, "lines", [])
        spare = [line.extraSpace if hasattr(line, "extraSpace") else line[0] for line in lines]
        if min(spare, default=0) < -0.5 and (
            self.style.hyphenationLang or self.style.uriWasteReduce
        ):
            self.style = self.style.clone("unbroken", hyphenationLang="", uriWasteReduce=0)
            size = super().wrap(availWidth, availHeight)
        return size

    def runs_past(self, width: float) -> bool:
        """Whether a run of the text without a place to break is wider than `width` at the
        narrowest. Asked at every wrap: a pattern finds whether a run that long could be there
        (nearly never), and only then are the runs measured."""
        text = self.__dict__.get("pamflet_text") or ""
        em = self.style.fontSize * MIN_EM
        if em > 0 and width >= 0 and not longer_run(max(0, int(width / em) - 1)).search(text):
            return False
        longest = max((len(run) for run in UNBREAKABLE.findall(text)), default=0)
        return longest * self.style.fontSize * MIN_EM > width

    def __init__(self, text: str | None, style: ParagraphStyle, **kw: object) -> None:
        super().__init__(text, style, **kw)
        self._pamflet_markup = text if not kw else None  # what its lines are broken from
        if text is not None:  # split halves are made from frags; they copy the whole text
            self.pamflet_text = plain_text(text)  # to recognise words split across lines
            self.pamflet_langs = "_lang-" in text  # holds a passage in another language

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        lines = self.__dict__.get("blPara")
        if lines is not None:  # ReportLab's split changes the lines' ends: no longer to be kept
            lines.pamflet_spent = True
        parts = super().split(availWidth, availHeight)
        for part in parts:  # both halves belong to the same element; anchors stay on the first
            for key, value in self.__dict__.items():
                if key.startswith("pamflet_") and (part is parts[0] or key != "pamflet_anchors"):
                    part.__dict__.setdefault(key, value)
        return parts

    def draw(self) -> None:
        tagger = getattr(self.canv, "tagger", None)
        if tagger is not None:
            mark(self, tagger)
        super().draw()


class BalancedParagraph(SafeParagraph):
    """A title in lines of about equal length: the narrowest width that needs no more lines
    than the frame does ('... een tumor in / de lever' becomes two even lines)."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        _, height = super().wrap(availWidth, availHeight)
        lines = len(getattr(self.blPara, "lines", []))
        if lines < 2:
            return availWidth, height
        low, high = availWidth * 0.4, availWidth
        for _ in range(10):  # bisect to about 0.1% of the width
            middle = (low + high) / 2
            super().wrap(middle, availHeight)
            if len(getattr(self.blPara, "lines", [])) > lines:
                low = middle
            else:
                high = middle
        _, height = super().wrap(high, availHeight)
        self.width = availWidth  # drawn from the left edge, as wide as the frame for layout
        return availWidth, height


class Picture(Tagged, Image):
    """An image drawn as a tagged figure; a linked one also gets its link annotation, in the
    Link element that holds the figure (`pamflet_link`)."""

    def drawOn(self, canvas: object, x: float, y: float, _sW: float = 0) -> None:
        super().drawOn(canvas, x, y, _sW)
        link = self.__dict__.get("pamflet_link")
        if link is None:
            return
        left = x + _sW * {"CENTER": 0.5, "RIGHT": 1.0}.get(str(self.hAlign).upper(), 0.0)
        rect = (left, y, left + self.drawWidth, y + self.drawHeight)
        tagger = getattr(canvas, "tagger", None)
        if tagger is not None:
            tagger.pending_link = link
        if link.href and link.href.startswith("#"):
            canvas.linkRect("", link.href[1:], rect, relative=1, thickness=0)  # type: ignore[attr-defined]
        else:
            canvas.linkURL(link.href, rect, relative=1, thickness=0)  # type: ignore[attr-defined]


class SplitTable(Table):
    """A table whose header rows, repeated on the next page, are drawn there as decoration:
    the structure tree holds each header cell once, where it was first printed."""

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        lines = self.__dict__.get("blPara")
        if lines is not None:  # ReportLab's split changes the lines' ends: no longer to be kept
            lines.pamflet_spent = True
        parts = super().split(availWidth, availHeight)
        rows = self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)
        for part in parts[1:]:
            for r in range(min(rows, len(part._cellvalues))):
                part._cellvalues[r] = [untagged(cell) for cell in part._cellvalues[r]]
        return parts


def untagged(cell: object) -> object:
    """A copy of a cell's content that draws as an artifact."""
    if isinstance(cell, list | tuple):
        return [untagged(x) for x in cell]
    if isinstance(cell, Flowable):
        twin = copy.copy(cell)
        twin.__dict__["pamflet_element"] = None
        twin.__dict__.pop("_pamflet_lines", None)  # lines of its own: each drawing marks its lines
        return twin
    return cell


def tag(flowable: Flowable, role: str, source: Location | None, **extra: object) -> Flowable:
    """Remember what a flowable stands for (its role, its structure element) and its source."""
    values = {"role": role, "source": source, **extra}
    for key, value in values.items():  # through __dict__: Drawing refuses unknown attributes
        flowable.__dict__[f"pamflet_{key}"] = value
    return flowable


def escape(text: str, entities: dict[str, str] | None = None) -> str:
    """'&', '<' and '>' as entities, and any `entities` given: what xml.sax.saxutils.escape does,
    without its import of urllib.request and http.client (a fifth of a cold start's imports)."""
    text = text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    for key, value in (entities or {}).items():
        text = text.replace(key, value)
    return text


def attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def keep_together(text: str) -> str:
    """No line break inside a dose ('10 mg', '≥ 5', '2½ mg'), a number and its unit, or a range
    ('8.30 tot 16.30 uur', '1 - 2 tabletten'), whatever space the author typed."""
    text = text.translate(NO_BREAK)
    text = RANGE.sub(rf"\1{NBSP}\2{NBSP}", text)
    return COMPARE.sub(rf"\1{NBSP}", DOSE.sub(rf"\1{NBSP}", text))


def tag_bullet(drawer: object, element: Element) -> None:
    """A list item's bullet or number is drawn as its label (Lbl)."""
    draw = drawer.drawOn  # type: ignore[attr-defined]

    def drawOn(indenter: object, canvas: object, x: float, y: float, _sW: float = 0) -> None:
        with marked(canvas, element):
            draw(indenter, canvas, x, y, _sW)

    drawer.__dict__["drawOn"] = drawOn


def url_pieces(text: str) -> list[str]:
    """An address in the parts between its break points: after '/', '?', '&' or '.'."""
    return [p for p in re.split(r"(?<=[/?&.])", text) if p]  # never at a hyphen of its own


def wrap_url(text: str, width: float, font: str, size: float) -> list[str]:
    """Greedy line breaking of an address after '/', '?', '&' or '.': never at a hyphen, which
    a reader would take for part of the address (or not)."""
    pieces = url_pieces(text)
    lines = [""]
    for piece in pieces:
        whole = stringWidth(piece, font, size)
        if whole > width and len(piece) > 1:  # no break point will do: cut it in equal parts
            parts = math.ceil(whole / width)
            while parts < len(piece):
                step = math.ceil(len(piece) / parts)
                chunks = [piece[i : i + step] for i in range(0, len(piece), step)]
                if all(stringWidth(c, font, size) <= width for c in chunks):
                    break
                parts += 1
            else:
                chunks = list(piece)
            if lines[-1]:
                lines.append("")
            lines[-1:] = [*chunks[:-1], ""]
            piece = chunks[-1]
        if lines[-1] and stringWidth(lines[-1] + piece, font, size) > width:
            lines.append("")
        lines[-1] += piece
    return [line for line in lines if line]
