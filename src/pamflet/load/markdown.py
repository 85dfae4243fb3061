"""Markdown (CommonMark + tables) to document nodes, with positions; part of stage 2.

Raw HTML is off: `<font>` or `<img>` in a block is text and is printed as written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from markdown_it.token import Token

from pamflet import model as m
from pamflet.diagnostics import Location
from pamflet.load.parser import MAX_NESTING

MAX_LEVEL = 6
LANG_CODE = re.compile(r"[a-z]{2,3}")  # ISO 639 codes, as /Lang takes them
MAX_DEPTH = 8  # lists and quotes inside each other
NESTED = ("bullet_list_open", "ordered_list_open", "blockquote_open")


@lru_cache(maxsize=4096)
def slugify(text: str) -> str:
    """Lower case, accents removed, runs of other characters than a-z0-9 as one '-'."""
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "section"


class Slugger:
    """Hands out unique slugs in document order: a repeat gets -2, -3."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def __call__(self, text: str) -> str:
        base = slugify(text)
        slug, n = base, 1
        while slug in self.seen:
            n += 1
            slug = f"{base}-{n}"
        self.seen.add(slug)
        return slug


@lru_cache(maxsize=64)
def text_lines(text: str) -> tuple[str, ...]:
    """A text's lines (asked for again for each link and table row of the text)."""
    return tuple(text.split("\n"))


@dataclass(frozen=True)
class Source:
    """A Markdown text (after templating) and where it is written: first line, indentation."""

    path: str
    first_line: int
    text: str
    indent: int = 0  # columns before the text on each line (a `text: |` block in YAML)
    places: tuple[tuple[tuple[int, int], ...], ...] = ()  # a folded or quoted YAML scalar's

    def at(self, line: int, col: int) -> Location:
        """The file location of 0-based `line` and 1-based `col` of the text."""
        if line < len(self.places) and self.places[line]:
            row = self.places[line]
            return Location(self.path, *row[min(col - 1, len(row) - 1)])
        return Location(self.path, self.first_line + line, col + self.indent)

    def loc(self, token: Token, col: int = 1) -> Location:
        return self.at(token.map[0] if token.map else 0, col)

    def find(self, token: Token | None, needle: str, after: int = 0) -> Location:
        """Where `needle` is written within `token`'s lines (the token start if not found)."""
        lines = text_lines(self.text)
        first, last = token.map if token and token.map else (0, len(lines))
        for i in range(max(first, after), min(last, len(lines))):
            col = lines[i].find(needle)
            if col >= 0:
                return self.at(i, col + 1)
        return self.at(first, 1)


def heading_texts(tokens: list[Token]) -> Iterator[tuple[int, str, Token]]:
    """(level, plain text, token) of every heading, in order."""
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            yield int(tok.tag[1]), plain(tokens[i + 1].children or []), tok


def plain(children: list[Token]) -> str:
    return "".join(c.content for c in children if c.type in ("text", "code_inline")).strip()


@dataclass(frozen=True)
class Target:
    """Where a link goes, as the linker decided."""

    href: str | None = None
    anchor: str | None = None
    replace: tuple[m.Inline, ...] | None = None


class Linker(Protocol):
    def error(self, code: str, message: str, loc: Location, hint: str = "") -> None: ...

    def warning(self, code: str, message: str, loc: Location, hint: str = "") -> None: ...

    def link(self, href: str, loc: Location, text: str) -> Target | None: ...

    def image(self, src: str, alt: str, loc: Location) -> m.Figure | None: ...


class Converter:
    """Turns one text's tokens into nodes; headings take the anchors handed out in pass one."""

    def __init__(
        self, source: Source, base_level: int, anchors: Callable[[str], str], linker: Linker
    ) -> None:
        self.source, self.base_level, self.anchors, self.linker = (
            source,
            base_level,
            anchors,
            linker,
        )
        self.min_level = 1
        self.figures: list[m.Figure] | None = None  # where images go; None: none allowed here

    def convert(self, tokens: list[Token]) -> tuple[m.Node, ...]:
        levels = [level for level, _, _ in heading_texts(tokens)]
        self.min_level = min(levels, default=1)
        if not self.check_depth(tokens):
            return ()
        nodes, _ = self.blocks(tokens, 0, None)
        return tuple(nodes)

    def check_depth(self, tokens: list[Token]) -> bool:
        """Lists and quotes nested deeper than MAX_DEPTH are an error, never a silent loss."""
        depth = 0
        for tok in tokens:
            if tok.type in NESTED or tok.type.replace("_close", "_open") in NESTED:
                depth += tok.nesting
            if (tok.type in NESTED and depth > MAX_DEPTH) or tok.level >= MAX_NESTING - 1:
                self.linker.error(
                    "nesting", f"lists and quotes are nested more than {MAX_DEPTH} deep",
                    self.source.loc(tok), "flatten the list or quote: a leaflet reads best with "
                    "two levels at most",
                )  # fmt: skip
                return False
        return True

    def blocks(self, toks: list[Token], i: int, close: str | None) -> tuple[list[m.Node], int]:
        out: list[m.Node] = []
        while i < len(toks) and toks[i].type != close:
            node, i = self.block(toks, i)
            out.extend(node)
        return out, i + 1

    def block(self, toks: list[Token], i: int) -> tuple[list[m.Node], int]:
        tok = toks[i]
        kind = tok.type
        if kind == "heading_open":
            return [self.heading(tok, toks[i + 1])], i + 3
        if kind == "paragraph_open":
            return self.paragraph(tok, toks[i + 1]), i + 3
        if kind in ("bullet_list_open", "ordered_list_open"):
            return self.listing(toks, i)
        if kind == "blockquote_open":
            inner, j = self.blocks(toks, i + 1, "blockquote_close")
            return [m.Note(tuple(inner), self.source.loc(tok))], j
        if kind == "alert_open":
            inner, j = self.blocks(toks, i + 1, "alert_close")
            alert = str(tok.meta.get("kind") or tok.info or "note").lower()
            return [m.Note(tuple(inner), self.source.loc(tok), alert)], j
        if kind == "alert_title_open":  # the kind's name: pamflet prints its own, translated
            return [], i + 3
        if kind in ("fence", "code_block"):
            return [m.CodeBlock(tok.content.rstrip("\n"), self.source.loc(tok))], i + 1
        if kind == "hr":
            return [m.Rule(self.source.loc(tok))], i + 1
        if kind == "table_open":
            return self.table(toks, i)
        if kind == "inline":
            return self.paragraph(tok, tok), i + 1
        return [], i + 1  # closing tokens of structures handled by their opener

    def heading(self, tok: Token, inline: Token) -> m.Heading:
        level = min(MAX_LEVEL, self.base_level + 1 + int(tok.tag[1]) - self.min_level)
        children = inline.children or []
        self.figures = None
        text, _ = self.inlines(children, 0, None, inline)
        anchor = self.anchors(plain(children))
        return m.Heading(level, tuple(text), anchor, self.source.loc(tok), plain(children))

    def paragraph(self, tok: Token, inline: Token) -> list[m.Node]:
        self.check_table_like(tok, inline.content)
        figures = self.figures = []
        text, _ = self.inlines(inline.children or [], 0, None, inline)
        nodes: list[m.Node] = []
        if any(not (isinstance(t, m.Text) and not t.text.strip()) for t in text):
            nodes.append(m.Para(tuple(text), self.source.loc(tok)))
        return nodes + figures

    def check_table_like(self, tok: Token, text: str) -> None:
        """A paragraph that was meant as a table but is not one prints its '|' characters."""
        lines = text.split("\n")
        if len(lines) < 2 or "|" not in lines[0] or not DELIMITER.match(lines[1]):
            return
        head, rule = len(cells(lines[0])), len(cells(lines[1]))
        problem = (
            f"the header has {head} cells and the line below it {rule}"
            if head != rule else "a cell of the line below the header is not made of '-'"
        )  # fmt: skip
        self.linker.error(
            "table", f"this looks like a table but is not one: {problem}, so it prints as text",
            self.source.loc(tok), "give the header and the '---' line below it the same cells: | a | b | then |---|---|",
        )  # fmt: skip

    def check_row(self, tok: Token, columns: int) -> None:
        """A row with fewer or more cells than the header: say what happens to them."""
        if not tok.map:
            return
        lines = text_lines(self.source.text)
        line = lines[tok.map[0]] if tok.map[0] < len(lines) else ""
        count = len(cells(line))
        if count < columns:
            self.linker.warning(
                "table-row", f"this row has {count} of the table's {columns} cells; the rest print empty",
                self.source.loc(tok), "add the missing cells, with '|' between them",
            )  # fmt: skip
        elif count > columns:
            self.linker.warning(
                "table-row", f"this row has {count} cells, the header {columns}; the cells past {columns} are left out",
                self.source.loc(tok), "add the columns to the header, or remove the extra cells",
            )  # fmt: skip

    def listing(self, toks: list[Token], i: int) -> tuple[list[m.Node], int]:
        tok = toks[i]
        close = tok.type.replace("_open", "_close")
        items: list[tuple[m.Node, ...]] = []
        i += 1
        while toks[i].type != close:
            inner, i = self.blocks(toks, i + 1, "list_item_close")
            items.append(tuple(inner))
        start = int(tok.attrGet("start") or 1)
        ordered = tok.type == "ordered_list_open"
        return [m.ListBlock(ordered, start, tuple(items), self.source.loc(tok))], i + 1

    def table(self, toks: list[Token], i: int) -> tuple[list[m.Node], int]:
        start = toks[i]
        rows: list[tuple[tuple[m.Inline, ...], ...]] = []
        align: list[str] = []
        head_rows = 0
        row: list[tuple[m.Inline, ...]] = []
        row_locs: list[Location] = []
        while toks[i].type != "table_close":
            tok = toks[i]
            if tok.type in ("th_open", "td_open"):
                style = str(tok.attrGet("style") or "")
                if tok.type == "th_open":
                    align.append(style.removeprefix("text-align:") or "left")
                inline = toks[i + 1]
                self.figures = None
                cell, _ = self.inlines(inline.children or [], 0, None, inline)
                row.append(tuple(cell))
            elif tok.type == "tr_open":
                row_locs.append(self.source.loc(tok))
                if head_rows:
                    self.check_row(tok, len(align))
            elif tok.type == "tr_close":
                rows.append(tuple(row))
                row = []
            elif tok.type == "thead_close":
                head_rows = len(rows)
            i += 1
        node = m.TableBlock(
            tuple(rows[:head_rows]),
            tuple(rows[head_rows:]),
            tuple(align),
            self.source.loc(start),
            tuple(row_locs),
        )
        return [node], i + 1

    def inlines(
        self, kids: list[Token], i: int, close: str | None, parent: Token
    ) -> tuple[list[m.Inline], int]:
        out: list[m.Inline] = []
        while i < len(kids) and kids[i].type != close:
            tok = kids[i]
            kind = tok.type
            if kind in ("strong_open", "em_open"):
                inner, i = self.inlines(kids, i + 1, kind.replace("_open", "_close"), parent)
                out.append(m.Styled("strong" if kind == "strong_open" else "em", tuple(inner)))
                continue
            if kind == "span_open":  # a passage in another language
                inner, i = self.inlines(kids, i + 1, "span_close", parent)
                lang = str(tok.attrGet("lang") or "")
                if lang and not LANG_CODE.fullmatch(lang):
                    self.linker.error(
                        "lang", f"'{lang}' is not a language code", self.source.find(parent, lang),
                        "write a two- or three-letter code in lower case, e.g. {lang=nl}",
                    )  # fmt: skip
                    lang = ""
                out.append(m.Span(lang, tuple(inner)) if lang else m.Styled("span", tuple(inner)))
                continue
            if kind == "link_open":
                pictures = len(self.figures or [])
                inner, i = self.inlines(kids, i + 1, "link_close", parent)
                href = str(tok.attrGet("href") or "")
                if (
                    self.figures
                    and len(self.figures) > pictures
                    and not m.inline_text(inner).strip()
                ):
                    self.link_figure(href, parent)  # `[![alt](img.png)](target)`: the image links
                else:
                    out.extend(self.link(href, inner, parent))
                continue
            out.extend(self.leaf(tok, parent))
            i += 1
        return joined(out), i + 1

    def leaf(self, tok: Token, parent: Token) -> list[m.Inline]:
        if tok.type == "code_inline":
            return [m.Styled("code", (m.Text(tok.content),))]
        if tok.type == "softbreak":
            return [m.Text(" ")]
        if tok.type == "hardbreak":
            return [m.Break()]
        if tok.type == "image":
            src = str(tok.attrGet("src") or "")
            loc = self.source.find(parent, src)
            if self.figures is None:
                self.linker.error(
                    "image-place", "an image cannot stand in a heading or a table cell", loc,
                    "put the image on a line of its own, below the heading or the table",
                )  # fmt: skip
                return []
            figure = self.linker.image(src, plain(tok.children or []), loc)
            if figure is not None:
                self.figures.append(figure)
            return []
        return [m.Text(tok.content)] if tok.content else []

    def link(self, href: str, inner: list[m.Inline], parent: Token) -> list[m.Inline]:
        loc = self.source.find(parent, f"]({href}") if href else self.source.loc(parent)
        if loc.col > 1:
            loc = Location(loc.path, loc.line, loc.col + 2)
        text = m.inline_text(inner)
        target = self.linker.link(href, loc, text)
        if target is None:
            return inner
        if target.replace is not None:
            inner = [*inner, *target.replace]
        return [m.Link(tuple(inner), target.href, target.anchor)]

    def link_figure(self, href: str, parent: Token) -> None:
        """The image just read is the link's content: the link goes on the image."""
        assert self.figures
        figure = self.figures[-1]
        loc = self.source.find(parent, f"]({href}") if href else self.source.loc(parent)
        if loc.col > 1:
            loc = Location(loc.path, loc.line, loc.col + 2)
        target = self.linker.link(href, loc, figure.alt)
        if target is not None and (target.href or target.anchor):
            self.figures[-1] = replace(figure, href=target.href, anchor=target.anchor)


DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-*:?\s*)*\|?\s*$")


def cells(line: str) -> list[str]:
    """A table line's cells: split at '|' that are not escaped or inside `code`."""
    text = re.sub(r"`[^`]*`", lambda m: "x" * len(m.group(0)), line.strip())
    text = text.replace("\\|", "xx")
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|"):
        text = text[:-1]
    return text.split("|")


def joined(inlines: list[m.Inline]) -> list[m.Inline]:
    """Neighbouring text runs as one (a source line break is a run of its own): a dose split
    over two source lines is then one text, which the renderer keeps on one line."""
    out: list[m.Inline] = []
    for item in inlines:
        if isinstance(item, m.Text) and out and isinstance(out[-1], m.Text):
            out[-1] = m.Text(out[-1].text + item.text)
        else:
            out.append(item)
    return out
