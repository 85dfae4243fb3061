"""Tagged PDF while drawing: structure elements, marked content, links and joined words.

The Builder gives every flowable that draws text or a picture a structure `Element`; when the
flowable is drawn, the canvas wraps its operators in `/Role <</MCID n>> BDC ... EMC` and records
(page, n) in the element. Everything drawn outside such a sequence (backgrounds, rules, table
grids, header and footer) is inside `/Artifact`. Links get a `Link` element of their own, with
their text as marked content and their annotation as an object reference. The finish stage
turns the elements into the PDF's structure tree, in the same ReportLab document.

Words that the layout splits at a line end (hyphenation, addresses broken after '/') are wrapped
in a `/Span <</ActualText (whole word)>>` so that search, copy and screen readers get the word.
The split is marked with two zero-width characters after line breaking; the text object turns
them into operators and never draws them.
"""

from __future__ import annotations

import contextlib
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.textobject import PDFTextObject

# Zero-width markers, from the private use area; author text never contains them.
JOIN_START, JOIN_END, LINK_START, LINK_END = "\ue000", "\ue001", "\ue002", "\ue003"
LANG_START, LANG_END = "\ue004", "\ue005"  # a passage in another language: /Span with /Lang
MARKERS = re.compile("([\ue000-\ue005])")
LANG_ANCHOR = re.compile(r"^_lang-([a-z]{2,3})-(\d+)-(s|e)$")  # where render/inline.py put them
SPACES = re.compile(r"[ \t\r\n]+")  # not NBSP: a number and its unit are one word
BREAKS = re.compile(r"<br\s*/?>")
TAGS = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Marked:
    """A marked-content sequence: page (1-based) and MCID."""

    page: int
    mcid: int


@dataclass(frozen=True)
class Annot:
    """A link annotation, by its /StructParent key, on a page; `name` is ReportLab's internal
    name for the annotation object."""

    key: int
    page: int
    name: str = ""


@dataclass(eq=False)
class Element:
    """A structure element: role, attributes and kids in reading order."""

    role: str
    kids: list[Element | Marked | Annot] = field(default_factory=list)
    alt: str | None = None
    scope: str | None = None  # TH: Column or Row
    href: str | None = None  # Link: its target
    description: str | None = None  # Link: the annotation's /Contents, its text as printed
    lang: str | None = None  # Span: a passage in another language
    actual: str | None = None  # right-to-left text as written, for screen readers (bidi.py)

    def add(self, role: str, **attrs: Any) -> Element:
        child = Element(role, **attrs)
        self.kids.append(child)
        return child

    def has_content(self) -> bool:
        return any(not isinstance(k, Element) or k.has_content() for k in self.kids)


def hex_text(text: str) -> str:
    """A PDF text string in UTF-16BE with its byte order mark, as a hex literal."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


class Tagger:
    """Per document: MCIDs per page, link annotations and their keys, words to join."""

    def __init__(self) -> None:
        self.next_mcid: dict[int, int] = {}
        self.annots: list[Element] = []  # index = /StructParent key
        self.joins: list[str] = []  # ActualText for each join marker, in drawing order
        self.links: list[tuple[str, str]] = []  # (target, text) of each link, in drawing order
        self.langs: list[tuple[str, str]] = []  # (language, passage) of each start, in order
        self.spans: dict[tuple[int, str], Element] = {}  # one Span for a passage's lines
        self.pending_href: str | None = None
        self.pending_link: Element | None = None  # the Link element a picture's annotation is for

    def mcid(self, page: int) -> int:
        number = self.next_mcid.get(page, 0)
        self.next_mcid[page] = number + 1
        return number


class TaggingCanvas:
    """Canvas methods for marked content; mixed into the numbered canvas."""

    tagger: Tagger
    _code: list[str]
    _artifact: str | None = None
    _leaf: Element | None = None
    _closed: bool = False  # the leaf's sequence ended at a link's end, to reopen when text follows

    def open_artifact(self, opener: str = "/Artifact BMC") -> None:
        self._artifact = opener
        self._code.append(opener)

    def close_artifact(self) -> None:
        if self._artifact:
            self._code.append("EMC")
        self._artifact = None

    def begin(self, element: Element) -> int:
        """Open a marked-content sequence for `element` on this page; returns its MCID."""
        page = self.getPageNumber()  # type: ignore[attr-defined]
        mcid = self.tagger.mcid(page)
        element.kids.append(Marked(page, mcid))
        return mcid

    @contextlib.contextmanager
    def marked(self, element: Element) -> Iterator[None]:
        """Draw `element`'s content; nothing nests inside a leaf."""
        if self._leaf is not None:
            yield
            return
        if self._artifact:
            self._code.append("EMC")
        self._code.append(f"/{element.role} <</MCID {self.begin(element)}>> BDC")
        self._leaf, self._closed = element, False
        try:
            yield
        finally:
            self._leaf = None
            if not self._closed:  # a sequence that ended with a link is closed already
                self._code.append("EMC")
            self._closed = False
            if self._artifact:
                self._code.append(self._artifact)

    def beginText(self, x: float = 0, y: float = 0, direction: Any = None) -> PDFTextObject:
        return TaggedText(self, x, y, direction=direction)

    def linkURL(self, url: str, *args: Any, **kw: Any) -> Any:
        self.tagger.pending_href = url
        return super().linkURL(url, *args, **kw)  # type: ignore[misc]

    def linkRect(self, contents: str, destinationname: str, *args: Any, **kw: Any) -> Any:
        self.tagger.pending_href = "#" + destinationname
        return super().linkRect(contents, destinationname, *args, **kw)  # type: ignore[misc]

    def _addAnnotation(self, annotation: Any, name: Any = None, addtopage: int = 1) -> Any:
        """Give a link annotation a description and a place in the structure tree."""
        href, self.tagger.pending_href = self.tagger.pending_href or "", None
        link = self._link_for(href)
        key = len(self.tagger.annots)
        self.tagger.annots.append(link)
        name = name or f"pamflet{key}"
        internal = self._doc.annotationName(name)  # type: ignore[attr-defined]
        link.kids.append(Annot(key, self.getPageNumber(), internal))  # type: ignore[attr-defined]
        description = link.description or href
        if isinstance(annotation, pdfdoc.PDFDictionary):  # linkURL builds a plain dictionary
            annotation["Contents"] = pdfdoc.PDFString(description)
            annotation["StructParent"] = key
        else:  # linkRect builds a LinkAnnotation, which allows only the keys it knows
            annotation.Contents = description
            annotation.otherkw = {**annotation.otherkw, "StructParent": key}
            annotation.permitted = (*annotation.permitted, "StructParent")
        return super()._addAnnotation(annotation, name, addtopage)  # type: ignore[misc]

    def _link_for(self, href: str) -> Element:
        """The Link element of the leaf being drawn whose target is `href`."""
        if self.tagger.pending_link is not None:  # a linked picture names its own
            link, self.tagger.pending_link = self.tagger.pending_link, None
            return link
        leaf = self._leaf
        if leaf is not None:
            candidates = [k for k in leaf.kids if isinstance(k, Element) and k.role == "Link"]
            same = [k for k in candidates if k.href == href]
            for link in same:  # ReportLab annotates links in order, one annotation per line
                if not any(isinstance(k, Annot) for k in link.kids):
                    return link
            if same:  # a further line of a link (or of one to the same target)
                return same[-1]
        link = Element("Link", href=href)  # a link drawn outside any text: not expected
        if leaf is not None:
            leaf.kids.append(link)
        return link


class TaggedText(PDFTextObject):
    """A text object that turns markers in the text into marked-content operators."""

    def _formatText(self, text: str) -> str:
        canvas = self._canvas
        if not MARKERS.search(text):
            if text and canvas._closed and canvas._leaf is not None:  # text after a link
                canvas._closed = False
                reopen = f"/{canvas._leaf.role} <</MCID {canvas.begin(canvas._leaf)}>> BDC "
                return reopen + super()._formatText(text)
            return super()._formatText(text)
        tagger, leaf = canvas.tagger, canvas._leaf
        out = []
        for piece in MARKERS.split(text):
            if piece == JOIN_START:
                actual = tagger.joins.pop(0) if tagger.joins else ""
                out.append(f"/Span <</ActualText {hex_text(actual)}>> BDC")
            elif piece == JOIN_END:
                out.append("EMC")
            elif piece == LANG_START and leaf is not None:  # a Span element with its /Lang
                lang, passage = tagger.langs.pop(0) if tagger.langs else ("", "")
                span = tagger.spans.get((id(leaf), passage))
                if span is None:
                    span = tagger.spans[(id(leaf), passage)] = leaf.add("Span", lang=lang)
                close = "" if canvas._closed else "EMC "
                canvas._closed = False
                out.append(f"{close}/Span <</Lang ({lang}) /MCID {canvas.begin(span)}>> BDC")
            elif piece == LANG_END and leaf is not None:
                out.append("EMC")  # the leaf goes on only if text follows
                canvas._closed = True
            elif piece == LINK_START and leaf is not None:
                href, text = tagger.links.pop(0) if tagger.links else ("", "")
                link = leaf.add("Link", href=href, description=text)
                close = "" if canvas._closed else "EMC "
                canvas._closed = False
                out.append(f"{close}/Link <</MCID {canvas.begin(link)}>> BDC")
            elif piece == LINK_END and leaf is not None:
                out.append("EMC")  # the leaf goes on only if text follows: no empty sequence
                canvas._closed = True
            elif piece not in (LINK_START, LINK_END, LANG_START, LANG_END):
                if piece and canvas._closed and leaf is not None:
                    out.append(f"/{leaf.role} <</MCID {canvas.begin(leaf)}>> BDC")
                    canvas._closed = False
                out.append(super()._formatText(piece))
        return " ".join(out)


@contextlib.contextmanager
def marked(canvas: Any, element: Element | None) -> Iterator[None]:
    """Draw inside `element`'s marked content when the canvas tags, else just draw."""
    if element is None or not hasattr(canvas, "tagger"):
        yield
        return
    with canvas.marked(element):
        yield


def zero_width_markers(face: Any) -> None:
    """The join markers take no room in a font's metrics."""
    for marker in (JOIN_START, JOIN_END, LINK_START, LINK_END, LANG_START, LANG_END):
        face.charWidths[ord(marker)] = 0


def plain_text(markup: str) -> str:
    """The text of paragraph markup: tags dropped, line breaks as spaces, entities decoded."""
    return html.unescape(TAGS.sub("", BREAKS.sub(" ", markup)))


def mark(paragraph: Any, tagger: Tagger) -> None:
    """Put join and link markers into a laid-out paragraph, their payloads into `tagger`."""
    para = getattr(paragraph, "blPara", None)
    if para is None or getattr(paragraph, "_pamflet_marked", False):
        return
    paragraph._pamflet_marked = True
    para.pamflet_spent = True  # lines with markers in them: never to be drawn again
    tagger.joins.extend(mark_joins(para, getattr(paragraph, "pamflet_text", "")))
    if para.kind == 1 and getattr(paragraph, "pamflet_langs", False):
        tagger.langs.extend(mark_langs(para.lines))
    source = getattr(paragraph, "pamflet_text", "")
    described = getattr(paragraph, "pamflet_describe", {})  # href -> what the link is
    before = len(tagger.links)
    if para.kind == 1:
        tagger.links.extend(mark_links(para.lines, source))
    elif para.lines and para.lines[0][1] and link_key(paragraph.frags[0]):  # one linked run
        words = [w for line in para.lines for w in line[1]]
        href = link_key(paragraph.frags[0])[0][1]  # type: ignore[index]
        para.lines[0][1][0] = LINK_START + para.lines[0][1][0]
        para.lines[-1][1][-1] += LINK_END
        tagger.links.append(
            (href, " ".join(MARKERS.sub("", w) for w in words).replace("\xa0", " "))
        )
    if described:
        tagger.links[before:] = [(h, described.get(h, t)) for h, t in tagger.links[before:]]


def mark_links(lines: list[Any], source: str) -> list[tuple[str, str]]:
    """Markers where link text starts and ends; a link that goes on across a line stays open.

    Returns each link's target and its text as printed, for the annotation's description.
    """
    links: list[tuple[str, list[str]]] = []
    current, last = None, None
    for line in lines:
        for frag in line.words:
            if getattr(frag, "cbDefn", None):
                continue
            key = link_key(frag)
            if key != current:
                if current is not None and last is not None:
                    last.text += LINK_END
                if key is not None:
                    links.append((key[0][1], []))
                    frag.text = LINK_START + frag.text
                current = key
            if key is not None:
                text = links[-1][1]
                if text and frag is line.words[0]:
                    text.append("\n")  # a line break inside the link: see `unbroken`
                text.append(MARKERS.sub("", frag.text))
            last = frag
    if current is not None and last is not None:
        last.text += LINK_END
    return [(href, unbroken("".join(text), source, href)) for href, text in links]


def unbroken(text: str, source: str, href: str) -> str:
    """Link text as written: a line break is a space, nothing, or a hyphen the layout added."""
    text, source = text.replace("\xa0", " "), source.replace("\xa0", " ")
    gap = re.search(r"-?\n", text)
    if gap is None:
        return " ".join(text.split())
    before, after = text[: gap.start()], text[gap.end() :]
    kept = f"{before}{gap.group()[:-1]}{after}"
    if kept.split("\n")[0].rsplit(" ", 1)[-1] in href:  # an address broken after '/' or '-'
        return unbroken(kept, source, href)
    for joined in (f"{before} {after}", kept, before + after):
        if joined.split("\n")[0] in source:
            return unbroken(joined, source, href)
    return unbroken(f"{before} {after}", source, href)


def mark_langs(lines: list[Any]) -> list[tuple[str, str]]:
    """Markers around each passage in another language, from the anchors that bound it; a
    passage broken across lines is marked on each of its lines. Returns the language of each
    start marker, in drawing order."""
    langs: list[tuple[str, str]] = []
    current: tuple[str, str] | None = None  # (language, passage) the text is in, across lines
    for line in lines:
        last = None
        for frag in line.words:
            name = getattr(getattr(frag, "cbDefn", None), "name", "") or ""
            match = LANG_ANCHOR.match(name)
            if match:
                if match[3] == "e" and last is not None:
                    last.text += LANG_END
                current, last = ((match[1], match[2]) if match[3] == "s" else None), None
                continue
            if (
                current is not None
                and getattr(frag, "text", "")
                and not getattr(frag, "cbDefn", None)
            ):
                if last is None:
                    frag.text = LANG_START + frag.text
                    langs.append(current)
                last = frag
        if last is not None:  # the passage goes on on the next line
            last.text += LANG_END
    return langs


def link_key(frag: Any) -> tuple[Any, ...] | None:
    return tuple(frag.link) if getattr(frag, "link", None) else None


def mark_joins(para: Any, source: str) -> list[str]:
    """Mark words split across lines of a laid-out paragraph; returns their whole text.

    A split is recognised by its two halves joining into a word of the source text, so a hyphen
    the author wrote at a line end ('voor- en nadelen') stays as written.
    """
    words = set(SPACES.split(source))
    lines = para.lines
    joins = []
    for i in range(len(lines) - 1):
        head, tail = _line_end(lines[i], para.kind), _line_start(lines[i + 1], para.kind)
        if head is None or tail is None:
            continue
        (h_set, h_text, h_at, h_key), (t_set, t_text, t_at, t_key) = head, tail
        if h_key != t_key:
            continue  # a span may not cross the start or end of a link's marked content
        first, second = h_text[h_at:], t_text[:t_at]
        if not first or not second or JOIN_START in first or JOIN_END in second:
            continue
        if (first + second) in words:
            whole = first + second
        elif first.endswith("-") and (first[:-1] + second) in words:
            whole = first[:-1] + second
        else:
            continue
        h_set(h_text[:h_at] + JOIN_START + first)
        t_set(second + JOIN_END + t_text[t_at:])
        joins.append(whole)
    return joins


Word = tuple[Any, str, int, Any]  # a setter for the string holding it, the string, where, link


def _line_end(line: Any, kind: int) -> Word | None:
    """The last word of a line: a setter for the string holding it, the string, where it starts."""
    if kind == 0:
        words = line[1]
        if not words:
            return None
        return (lambda s: words.__setitem__(-1, s)), words[-1], 0, None
    frags = [f for f in line.words if not getattr(f, "cbDefn", None)]
    texts = [f for f in frags if f.text]
    if not texts or texts[-1].text.endswith(" "):
        return None
    frag = texts[-1]
    key = link_key(frag)
    if any(link_key(f) != key for f in frags[frags.index(frag) :]):
        return None  # a span may not cross the start or end of a link's marked content
    at = max(frag.text.rfind(" "), frag.text.rfind("\t")) + 1
    return (lambda s: setattr(frag, "text", s)), frag.text, at, key


def _line_start(line: Any, kind: int) -> Word | None:
    """The first word of a line: a setter, the string holding it, where the word ends."""
    if kind == 0:
        words = line[1]
        if not words:
            return None
        return (lambda s: words.__setitem__(0, s)), words[0], len(words[0]), None
    frags = [f for f in line.words if not getattr(f, "cbDefn", None)]
    texts = [f for f in frags if f.text]
    if not texts or texts[0].text.startswith(" "):
        return None
    frag = texts[0]
    key = link_key(frag)
    if any(link_key(f) != key for f in frags[: frags.index(frag)]):
        return None
    end = re.search(r"[ \t]", frag.text)
    at = end.start() if end else len(frag.text)
    return (lambda s: setattr(frag, "text", s)), frag.text, at, key
