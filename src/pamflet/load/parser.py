"""pamflet's Markdown parser: markdown-it-py as pamflet configures it, with short ways for plain
text; part of stage 2 (load/markdown.py turns its tokens into document nodes).

Most of a leaflet is plain sentences: no emphasis, link, code, entity or attribute, at most a
backslash escape. markdown-it-py reads text run by run, and tries every inline rule at each
character that might start one; inline parsing was half of a catalogue's cold check.

- A text made only of plain runs, line breaks, escapes and plain links gets its tokens here
  directly, as markdown-it's `text`, `newline`, `escape` and `link` rules make them
  (`inline_rule`).
- In any other text, a run of text stops only at a character that starts one of the rules
  pamflet enables (`TERMINATORS`), not at '-', ':', '#' and the others that markdown-it keeps
  for rules pamflet does not use (typographer, linkify, strikethrough, math).
- A link's address is normalised once per address: the same few recur in every leaflet.
- A text made only of paragraphs, '#' headings and tight lists ('-', '*', '+', '1.', '1)'),
  each line plainly one of them, gets its block tokens here directly, as markdown-it's
  `paragraph`, `heading` and `list` rules make them (`block_rule`); any other text is parsed
  by markdown-it's block rules.

The tokens are the same either way: tests compare them with markdown-it's own
(`make_parser(short_ways=False)`) on every text of the example project and starters and on
generated texts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

# markdown-it drops whatever is nested deeper than maxNesting without a word; the limit is set
# well above MAX_DEPTH so that `Converter.check_depth` reports it first, at its line.
MAX_NESTING = 100


@lru_cache(maxsize=1)
def markdown_it() -> MarkdownIt:
    """The parser, made when a text is first parsed (a fully cached check parses none)."""
    return make_parser()


def parse(text: str) -> list[Token]:
    return markdown_it().parse(text)


def make_parser(short_ways: bool = True) -> MarkdownIt:
    """CommonMark, tables, alerts and `[..]{lang=..}`; `short_ways` as the module says."""
    from markdown_it import MarkdownIt

    md = MarkdownIt(
        "commonmark",
        {
            "html": False,
            "linkify": False,
            "typographer": False,
            "maxNesting": MAX_NESTING,
            "alerts": True,  # GitHub's > [!WARNING], markdown-it-py's own rule
        },
    ).enable("table")
    from mdit_py_plugins.attrs import attrs_plugin

    md.use(attrs_plugin, spans=True, allowed=["lang"])  # `[Nederlands woord]{lang=nl}`
    md.validateLink = lambda url: True  # every link reaches our own checks, which name it
    if short_ways:
        md.normalizeLink = lru_cache(maxsize=4096)(md.normalizeLink)
        md.core.ruler.at("block", block_rule)
        md.core.ruler.at("inline", inline_rule)
        md.inline.terminator_re = TERMINATORS  # read by markdown-it-py 4.3; older: its own
    return md


# A backslash before ASCII punctuation is that character (markdown-it's escape rule).
ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# What starts any other inline rule of the parser as configured (make_parser): code,
# emphasis, links and images and `[..]{lang=..}` spans, autolinks, entities, attributes, a
# backslash that is not an escape, and a hard line break (two spaces before the line's end).
NOT_PLAIN = re.compile(r"[\\`*_\[<&{]| {2,}\n")
# Where a run of text must stop: the characters above, '!' (an image), '\n' (a line break),
# and ']' and '}', which end a link's text and a span's attributes (markdown-it looks for them
# token by token).
TERMINATORS = re.compile(r"[\n!&*\[\\\]_`<{}]")


# A link of plain text to an address without spaces, brackets, quotes or backslashes, and no
# title: `[de website](https://example.org/a?b=1)`, as most links in a leaflet are.
LINK = re.compile(r"\[([^\[\]\\`*_<&{}!\n]*)\]\(([^\x00-\x20\x7f()<>\\\"']+)\)")


def plain_children(content: str, md: Any) -> list[Token] | None:
    """The inline tokens of `content` if it is plain text and plain links (None if not)."""
    pieces: list[str | tuple[str, str]] = []
    at = 0
    for link in LINK.finditer(content):
        if link.start() and content[link.start() - 1] == "!":  # an image: its own rule
            return None
        pieces += [content[at : link.start()], link.groups()]
        at = link.end()
    pieces.append(content[at:])
    if any(
        NOT_PLAIN.search(ESCAPE.sub("", p) if "\\" in p else p)
        for p in pieces
        if isinstance(p, str)
    ):
        return None
    Token, unescapeAll, _ = markdown_pieces()
    children: list[Token] = []
    for piece in pieces:
        if not isinstance(piece, str):  # as the link rule makes it
            label, address = piece
            href = md.normalizeLink(unescapeAll(address))
            children.append(Token("link_open", "a", 1, attrs={"href": href}))
            if label:
                children.append(Token("text", "", 0, content=label, level=1))
            children.append(Token("link_close", "a", -1))
            continue
        lines = piece.split("\n")
        last = len(lines) - 1
        for i, line in enumerate(lines):
            if i:
                line = line.lstrip(" \t")  # the newline rule skips the next line's indentation
            if i < last and line.endswith(" "):
                line = line[:-1]  # one space before a soft break is dropped
            if line:
                if "\\" in line:  # only escapes are left: each pair is the character escaped
                    line = line.replace("\\\\", "\0").replace("\\", "").replace("\0", "\\")
                children.append(Token("text", "", 0, content=line))
            if i < last:
                children.append(Token("softbreak", "br", 0))
    return children


def inline_rule(state: StateCore) -> None:
    """markdown-it's core `inline` rule, with the short way for plain texts and links."""
    md: Any = state.md
    for token in state.tokens:
        if token.type != "inline":
            continue
        children = plain_children(token.content, md) if not token.children else None
        if children is not None:
            token.children = children
            continue
        if token.children is None:
            token.children = []
        md.inline.parse(token.content, md, state.env, token.children)


# The lines of a simple text (`block_rule`): a heading with text that ends in neither '#' nor a
# space; a list item ('-', '*', '+', or a number and '.' or ')', then 1 to 4 spaces: more would
# start code) whose text is a paragraph's line; a paragraph's line, which starts with nothing
# that could start another block (a list or its number, a quote, a heading, an underline, a
# table's row, a fence, code, HTML); never a rule ('***', '- - -').
HEADING = re.compile(r"(#{1,6}) +([^#\s](?:.*[^#\s])?)")
ITEM = re.compile(r"([-*+]|(?:[1-9][0-9]{0,8}|0)[.)]) {1,4}(\S.*)")
ITEM_STARTS = frozenset("-*+0123456789")
RULE = re.compile(r"([*_-])(?: *\1){2,} *")
PARAGRAPH = re.compile(r"[^\s#>*+\-=_|:`~<\d]|\d{1,9}(?![.)\d])|[*_][^\s*_]|\*\*[^\s*]")


def block_rule(state: StateCore) -> None:
    """markdown-it's core `block` rule, with the short way for simple texts."""
    tokens = None if state.inlineMode or "]:" in state.src else simple_blocks(state.src)
    if tokens is None:
        return markdown_pieces()[2](state)
    state.tokens.extend(tokens)
    return None


def line_kinds(lines: list[str]) -> list[str] | None:
    """Each line's kind: '' (blank), 'h', 'p', or 'i' and the list's mark for an item ('i-',
    'i*', 'i+', 'i.', 'i)': a new mark starts a new list). None when a line is none of them
    plainly, or markdown-it would read more than this short way does: a line continuing an
    item, an item after a blank line (a loose list), a number other than 1 after a paragraph's
    line (it continues the paragraph)."""
    kinds: list[str] = []
    gap = False  # a blank line after an item
    for line in lines:
        item = None
        if not line:
            kind = ""
        elif line[0] == "#" and HEADING.fullmatch(line):
            kind = "h"
        elif RULE.fullmatch(line):
            return None
        elif line[0] in ITEM_STARTS and (item := ITEM.fullmatch(line)) and PARAGRAPH.match(item[2]):
            kind = "i" + item[1][-1]  # an item whose text is a paragraph's line
        elif not item and PARAGRAPH.match(line):
            kind = "p"
        else:
            return None
        before = kinds[-1] if kinds else ""
        if (
            (kind == "p" and before.startswith("i"))
            or (kind.startswith("i") and before == "" and gap)
            or (item and before == "p" and item[1][:-1] not in ("", "1"))
        ):
            return None
        gap = (gap or before.startswith("i")) if kind == "" else False
        kinds.append(kind)
    return kinds


def simple_blocks(src: str) -> list[Token] | None:
    """The block tokens of a simple text, or None."""
    lines = src.split("\n")
    if src.endswith("\n"):
        lines.pop()  # the last line's end, not a line
    kinds = line_kinds(lines)
    if kinds is None:
        return None
    out: list[Token] = []
    i, count = 0, len(lines)
    while i < count:
        kind = kinds[i]
        if kind == "":
            i += 1
        elif kind == "h":
            found = HEADING.fullmatch(lines[i])
            assert found is not None
            marks, tag = found[1], f"h{len(found[1])}"
            out += [
                block_token("heading_open", tag, 1, 0, [i, i + 1], marks),
                inline_token(found[2].strip(), [i, i + 1], 1),
                block_token("heading_close", tag, -1, 0, None, marks),
            ]
            i += 1
        elif kind == "p":
            end = i
            while end < count and kinds[end] == "p":
                end += 1
            out += [
                block_token("paragraph_open", "p", 1, 0, [i, end]),
                inline_token("\n".join(lines[i:end]).strip(), [i, end], 1),
                block_token("paragraph_close", "p", -1, 0),
            ]
            i = end
        else:
            last = i
            while last + 1 < count and kinds[last + 1] == kind:
                last += 1
            end = last + 1
            while end < count and kinds[end] == "":
                end += 1  # a list takes the blank lines after it
            out += list_tokens(lines, i, last, end, kind[1])
            i = end
    return out


def list_tokens(lines: list[str], first: int, last: int, end: int, mark: str) -> list[Token]:
    """A tight list of the items on lines first..last, which ends before line `end`."""
    items = [ITEM.fullmatch(lines[line]) for line in range(first, last + 1)]
    numbers = [found[1][:-1] if found else "" for found in items]
    ordered = mark in ".)"
    if ordered:
        start = int(numbers[0])
        out = [block_token("ordered_list_open", "ol", 1, 0, [first, end], mark)]
        out[0].attrs = {"start": start} if start != 1 else {}
    else:
        out = [block_token("bullet_list_open", "ul", 1, 0, [first, end], mark)]
    for line, found, number in zip(range(first, last + 1), items, numbers, strict=True):
        assert found is not None
        own = [line, line + 1]
        opened = block_token("list_item_open", "li", 1, 1, [line, end if line == last else line + 1], mark)  # fmt: skip
        opened.info = number
        out += [
            opened,
            block_token("paragraph_open", "p", 1, 2, own, hidden=True),
            inline_token(found[2].strip(), own, 3),
            block_token("paragraph_close", "p", -1, 2, hidden=True),
            block_token("list_item_close", "li", -1, 1, None, mark),
        ]
    tag = "ol" if ordered else "ul"
    out.append(
        block_token(f"{'ordered' if ordered else 'bullet'}_list_close", tag, -1, 0, None, mark)
    )
    return out


def block_token(
    kind: str, tag: str, nesting: int, level: int, span: list[int] | None = None,
    markup: str = "", hidden: bool = False,
) -> Token:  # fmt: skip
    return markdown_pieces()[0](
        kind, tag, nesting, map=span, level=level, markup=markup, block=True, hidden=hidden
    )


def inline_token(text: str, span: list[int], level: int) -> Token:
    return markdown_pieces()[0](
        "inline", "", 0, map=span, level=level, content=text, children=[], block=True
    )


@lru_cache(maxsize=1)
def markdown_pieces() -> tuple[type[Token], Callable[[str], str], Callable[[StateCore], None]]:
    """markdown-it-py's token, unescape and block rule, imported once, when a text is first
    parsed (the short ways run for every text: an import statement there costs each time)."""
    from markdown_it.common.utils import unescapeAll
    from markdown_it.rules_core.block import block
    from markdown_it.token import Token

    return Token, unescapeAll, block
