"""Paragraphs with right-to-left text: Arabic leaflets, and Arabic passages in other ones.

ReportLab's own bidi paragraphs lose the spaces around a bold word or a link and misplace them,
and fail on an anchor; this flowable does the work itself, in the order UAX #9 asks:

1. the markup is parsed by ReportLab's parser into fragments (font, colour, link);
2. words are measured as shaped (HarfBuzz, through ReportLab) and broken into lines in
   logical order;
3. each line is reordered with the bidi algorithm (render/rtl.py): its visual runs are the
   stretches of one fragment at one embedding level;
4. each run is shaped in its own direction and drawn in place; lines are aligned right in a
   right-to-left paragraph.

Drawing goes by logical order (each run's glyphs left to right), so that text extraction, which
finds the right-to-left runs by their letters, gives the sentence in logical order (poppler and
pdfium both; joined letters come back as presentation forms, which NFKC folds to the letters).
Screen readers get the sentence as written from the structure element's `/ActualText`: an
`/ActualText` span in the page content, as for hyphenated words, makes poppler and pdfium
reverse the text instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfbase.ttfonts import shapeStr
from reportlab.platypus.flowables import Flowable
from reportlab.platypus.paraparser import ParaParser

from pamflet.model import RIGHT_TO_LEFT
from pamflet.render.primitives import Tagged
from pamflet.render.rtl import MIRROR, STRONG_RTL, log2vis
from pamflet.render.tagging import LANG_ANCHOR, Element, plain_text


@dataclass
class Piece:
    """Text in one fragment: one font, size, colour and link."""

    frag: Any
    text: str
    lang: str | None = None  # a passage in another language: (language, passage number)

    @property
    def link(self) -> str | None:
        link = getattr(self.frag, "link", None)
        return link[0][1] if link else None


Word = list[Piece]
Line = list[Piece]


def parse(markup: str, style: Any) -> tuple[list[Word | None], list[str]]:
    """Words (None for a forced line break) and the anchors the markup names; the words of a
    passage in another language (render/inline.py bounds it with two anchors) carry it."""
    _, frags, _ = ParaParser().parse(markup, style)
    words: list[Word | None] = []
    current: Word = []
    anchors: list[str] = []
    lang: str | None = None
    for frag in frags or []:
        if getattr(frag, "cbDefn", None) is not None:
            name = getattr(frag.cbDefn, "name", None) or ""
            bound = LANG_ANCHOR.match(name)
            if bound:
                lang = f"{bound[1]}-{bound[2]}" if bound[3] == "s" else None
            elif getattr(frag.cbDefn, "kind", "") == "anchor" and name:
                anchors.append(name)
            continue
        if getattr(frag, "lineBreak", False):
            if current:
                words.append(current)
            current = []
            words.append(None)
            continue
        parts = frag.text.split(" ")
        for i, part in enumerate(parts):
            if i and current:
                words.append(current)
                current = []
            if part:
                current.append(Piece(frag, part, lang))
    if current:
        words.append(current)
    return words, anchors


def embed_passages(words: list[Word | None], rtl: bool) -> None:
    """A passage in another language in its own direction: left to right inside Arabic text,
    right to left inside Dutch, as one embedding over its words."""
    pieces = [p for w in words if w for p in w]
    for lang in dict.fromkeys(p.lang for p in pieces if p.lang):
        passage = [p for p in pieces if p.lang == lang]
        passage_rtl = lang.split("-")[0] in RIGHT_TO_LEFT
        if passage_rtl == rtl:
            continue
        passage[0].text = ("\u202b" if passage_rtl else "\u202a") + passage[0].text
        passage[-1].text += "\u202c"


@lru_cache(maxsize=4096)  # a word is measured when lines are broken, then drawn: shaped once
def shaped(text: str, rtl: bool, font: str, size: float) -> tuple[Any, float]:
    """`text` (logical order, one direction) shaped for drawing, and its width: each word by
    HarfBuzz (which joins Arabic letters and puts an Arabic word's glyphs right to left), the
    words right to left in a right-to-left run."""
    text = text.translate(EMBEDDINGS)  # the bidi step has used the embeddings
    if not STRONG_RTL.search(text) and not rtl:  # Latin, digits: drawn as they are, so that a
        # no-break space stays one (HarfBuzz's glyphs would map it back to a plain space)
        return text, stringWidth(text, font, size)
    words = text.split(" ")
    if rtl:  # neutral words (brackets, a full stop) are mirrored here: HarfBuzz only mirrors
        # inside Arabic words, which it shapes right to left
        words = [w if STRONG_RTL.search(w) else "".join(MIRROR.get(c, c) for c in w)
                 for w in reversed(words)]  # fmt: skip
    out: Any = None
    for i, word in enumerate(words):
        for part in (" ", word) if i else (word,):
            if part:
                glyphs = shapeStr(part, font, size, force=True)
                out = glyphs if out is None else out + glyphs
    if out is None:
        return "", 0.0
    return out, sum(d.x_advance for d in out.__shapeData__) * size / 1000


def piece_width(piece: Piece) -> float:
    frag = piece.frag
    return shaped(piece.text, bool(STRONG_RTL.search(piece.text)), frag.fontName, frag.fontSize)[1]


def space_width(piece: Piece) -> float:
    return stringWidth(" ", piece.frag.fontName, piece.frag.fontSize)


class BidiParagraph(Tagged, Flowable):
    """A paragraph laid out with the bidi algorithm; `rtl` sets its base direction."""

    def __init__(self, markup: str, style: Any, rtl: bool = True) -> None:
        super().__init__()
        self.style, self.rtl, self.markup = style, rtl, markup
        self.words, self.anchors = parse(markup, style)
        embed_passages(self.words, rtl)
        if rtl:
            isolate_latin(self.words)
        self.lines: list[Line] = []
        self.width = self.height = 0.0
        self.__dict__["pamflet_text"] = plain_text(markup)
        self.blPara = self  # what render/compose.py reads of a laid-out paragraph: `lines`

    # What ReportLab and render/compose.py ask of a paragraph.
    def getSpaceBefore(self) -> float:
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:
        return float(self.style.spaceAfter)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.lines = self.break_lines(availWidth)
        self.height = len(self.lines) * self.style.leading
        return availWidth, self.height

    def break_lines(self, width: float) -> list[Line]:
        room = width - self.style.leftIndent - self.style.rightIndent
        lines: list[Line] = []
        line: Line = []
        used = 0.0
        for word in self.words:
            if word is None:
                lines.append(line)
                line, used = [], 0.0
                continue
            wide = sum(piece_width(p) for p in word)
            gap = space_width(word[0]) if line else 0.0
            if line and used + gap + wide > room:
                lines.append(line)
                line, used, gap = [], 0.0, 0.0
            if line:  # the word before's font, no link; inside a passage, its language
                lang = word[0].lang if word[0].lang == line[-1].lang else None
                line.append(Piece(plain(line[-1].frag), " ", lang))
            line.extend(word)
            used += gap + wide
        if line or not lines:
            lines.append(line)
        return lines

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        fit = int(availHeight // self.style.leading)
        if fit >= len(self.lines):
            return [self]
        if fit < 2 or len(self.lines) - fit < 2:  # no widows, no orphans
            fit = len(self.lines) - 2 if fit >= 2 and len(self.lines) >= 4 else 0
        if fit <= 0:
            return []
        return [self.part(self.lines[:fit], first=True), self.part(self.lines[fit:], first=False)]

    def part(self, lines: list[Line], first: bool) -> BidiParagraph:
        twin = BidiParagraph.__new__(BidiParagraph)
        twin.__dict__.update(self.__dict__)
        twin.words = [w for line in lines for w in (*self_words(line), None)][:-1]
        twin.anchors = self.anchors if first else []
        if not first:
            twin.style = self.style.clone(self.style.name, spaceBefore=0)
            twin.__dict__.pop("pamflet_anchors", None)
        else:
            twin.style = self.style.clone(self.style.name, spaceAfter=0)
        twin.lines, twin.blPara = [], twin
        return twin

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        """Draw inside the element's marked content, opened by the first text that is not a
        link's (a cell holding only a link has no empty sequence of its own)."""
        element = self.__dict__.get("pamflet_element")
        if element is None or not hasattr(canvas, "tagger") or canvas._leaf is not None:
            Flowable.drawOn(self, canvas, x, y, _sW)
            return
        if canvas._artifact:
            canvas._code.append("EMC")
        canvas._leaf, canvas._closed = element, True
        try:
            Flowable.drawOn(self, canvas, x, y, _sW)
        finally:
            canvas._leaf = None
            if not canvas._closed:
                canvas._code.append("EMC")
            canvas._closed = False
            if canvas._artifact:
                canvas._code.append(canvas._artifact)

    def draw(self) -> None:
        canvas, style = self.canv, self.style
        for name in self.anchors:
            canvas.bookmarkHorizontal(name, 0, self.height)
        y = self.height - style.fontSize
        for line in self.lines:
            self.draw_line(canvas, line, y)
            y -= style.leading
        element = self.__dict__.get("pamflet_element")
        if element is not None and getattr(canvas, "tagger", None) is not None:
            written = " ".join("".join(p.text for p in line) for line in self.lines)
            written = " ".join(written.translate(EMBEDDINGS).split())
            element.actual = f"{element.actual} {written}" if element.actual else written

    def draw_line(self, canvas: Any, line: Line, y: float) -> None:
        if not line:
            return
        text = "".join(p.text for p in line)
        owner = [i for i, p in enumerate(line) for _ in p.text]
        order: list[int] = []
        levels: list[int] = []
        log2vis(text, "RTL" if self.rtl else "LTR", positions_V_to_L=order, levels=levels)
        runs: list[tuple[int, int, int, int]] = []  # (piece, first, last logical index, level)
        for v, at in enumerate(order):
            level = levels[v]
            if runs:
                piece, lo, hi, run_level = runs[-1]
                if piece == owner[at] and level == run_level and at in (lo - 1, hi + 1):
                    runs[-1] = (piece, min(lo, at), max(hi, at), level)
                    continue
            runs.append((owner[at], at, at, level))
        drawn = []
        x = 0.0
        for piece, lo, hi, level in runs:
            frag = line[piece].frag
            glyphs, wide = shaped(text[lo : hi + 1], level % 2 == 1, frag.fontName, frag.fontSize)
            drawn.append((lo, x, wide, glyphs, frag))
            x += wide
        room = self.width - self.style.leftIndent - self.style.rightIndent
        align = self.style.alignment
        shift = self.style.leftIndent + (
            room - x if align == TA_RIGHT else (room - x) / 2 if align == TA_CENTER else 0
        )
        self.emit(canvas, line, text, owner, drawn, shift, y)

    def emit(self, canvas: Any, line: Line, text: str, owner: list[int],
             drawn: list[tuple[int, float, float, Any, Any]], shift: float, y: float) -> None:  # fmt: skip
        """Draw the runs in logical order, a span with its ActualText per stretch of text or
        link; links get their annotation and their structure element."""
        tagging = getattr(canvas, "tagger", None) is not None and canvas._leaf is not None
        stretches: list[tuple[tuple[str | None, str | None], int, int]] = []  # (link, lang)
        for at in range(len(text)):
            piece = line[owner[at]]
            key = (piece.link, None if piece.link else piece.lang)
            if stretches and stretches[-1][0] == key:
                stretches[-1] = (key, stretches[-1][1], at)
            else:
                stretches.append((key, at, at))
        for (link, lang), lo, hi in stretches:
            runs = sorted(r for r in drawn if lo <= r[0] <= hi)
            if tagging:
                self.open(canvas, link, lang, text[lo : hi + 1].translate(EMBEDDINGS))
            for _, x, wide, glyphs, frag in runs:
                canvas.setFont(frag.fontName, frag.fontSize)
                canvas.setFillColor(frag.textColor)
                tx = canvas.beginText(shift + x, y)
                tx._textOut(glyphs)
                canvas.drawText(tx)
                if link is not None:
                    self.link_area(canvas, frag, link, shift + x, y, wide)
            if tagging and (link is not None or lang is not None):
                canvas._code.append("EMC")
                canvas._closed = True

    def open(self, canvas: Any, link: str | None, lang: str | None, words: str) -> None:
        """Marked content for a stretch: the paragraph's own, its link's, or a passage's Span
        with its language."""
        leaf: Element = canvas._leaf
        if link is None and lang is not None:
            spans = canvas.tagger.spans
            span = spans.get((id(leaf), lang))
            if span is None:
                span = spans[(id(leaf), lang)] = leaf.add("Span", lang=lang.split("-")[0])
            if not canvas._closed:
                canvas._code.append("EMC")
            code = lang.split("-")[0]
            canvas._code.append(f"/Span <</Lang ({code}) /MCID {canvas.begin(span)}>> BDC")
            canvas._closed = False
            return
        if link is None:
            if canvas._closed:
                canvas._code.append(f"/{leaf.role} <</MCID {canvas.begin(leaf)}>> BDC")
                canvas._closed = False
            return
        element = next((k for k in leaf.kids if isinstance(k, Element) and k.role == "Link"
                        and k.href == link and k.description is not None
                        and k.description.endswith(words.strip())), None)  # fmt: skip
        if element is None:
            element = leaf.add("Link", href=link, description=" ".join(words.split()))
        if not canvas._closed:
            canvas._code.append("EMC")
        canvas._code.append(f"/Link <</MCID {canvas.begin(element)}>> BDC")
        canvas._closed = False

    def link_area(self, canvas: Any, frag: Any, link: str, x: float, y: float, wide: float) -> None:
        size = frag.fontSize
        rect = (x, y - size * 0.25, x + wide, y + size * 0.85)
        if getattr(self.style, "linkUnderline", 0):
            canvas.saveState()
            canvas.setStrokeColor(frag.textColor)
            canvas.setLineWidth(size * 0.06)
            canvas.line(x, y - size * 0.12, x + wide, y - size * 0.12)
            canvas.restoreState()
        if link.startswith("#"):
            canvas.linkRect("", link[1:], rect, relative=1, thickness=0)
        else:
            canvas.linkURL(link, rect, relative=1, thickness=0)


def plain(frag: Any) -> Any:
    """A fragment's font and colour without its link: for the space after a linked word."""
    if not getattr(frag, "link", None):
        return frag
    return frag.clone(link=None, underline=False)


EMBEDDINGS = str.maketrans("", "", "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
END_PUNCTUATION = ".,;:!?\u060c\u061b\u061f"  # a sentence's, and Arabic comma, semicolon, ?


NUMBER = re.compile("[+(]?\\d[\\d\xa0()-]*\\d")


def face_chars(font: str) -> Any:
    return getFont(font).face.charToGlyph


def isolate_latin(words: list[Word | None]) -> None:
    """In right-to-left text, each word in Latin letters or digits (an address, a phone
    number, a code, a Dutch name) as a left-to-right embedding, so that its slashes and dots
    stay in its own order; a full stop after it is the sentence's."""
    for word in words:
        if not word or STRONG_RTL.search("".join(p.text for p in word)):
            continue
        if any(p.lang for p in word) or "\u202a" in word[0].text:  # embedded as a passage
            continue
        if not any(c.isalnum() for p in word for c in p.text):
            continue
        for piece in word:  # a number in groups ('073 553 20 00'): the narrow no-break space
            # is a number separator to the bidi algorithm, so a reader that reorders what it
            # extracts keeps the groups in order (ReportLab writes a no-break space as a space)
            if NUMBER.fullmatch(piece.text) and 0x202F in face_chars(piece.frag.fontName):
                piece.text = piece.text.replace("\xa0", "\u202f")
        first, last = word[0], word[-1]
        core = last.text.rstrip(END_PUNCTUATION)
        if not core and len(word) == 1:
            continue
        last.text = core + "\u202c" + last.text[len(core) :]
        first.text = "\u202a" + first.text


def self_words(line: Line) -> list[Word]:
    """A laid-out line back as its words (the spaces between them dropped)."""
    words: list[Word] = [[]]
    for piece in line:
        if piece.text == " ":
            words.append([])
        else:
            words[-1].append(piece)
    return [w for w in words if w]
