"""Inline text as ReportLab paragraph markup: every author text run escaped, the few tags
(b, i, font, a, br) written here; phone numbers as tel: links, page references from the last
pass."""

from __future__ import annotations

import re

from reportlab.lib import colors

from pamflet import model as m
from pamflet.load.rules import INVISIBLE
from pamflet.render.builder import Builder
from pamflet.render.primitives import NBSP, attr, escape, keep_together
from pamflet.render.rtl import RTL_RUN, STRONG_RTL
from pamflet.render.styles import fallback_font, to_cmyk
from pamflet.render.tagging import JOIN_END, JOIN_START
from pamflet.resolve import labels

INSERTED = colors.HexColor("#146c2e")  # a review copy's inserted words: dark green, 6.5:1 on white
REMOVED = colors.HexColor("#b3261e")  # and its removed words: dark red, 6.6:1 on white
REF_PREFIX = "_ref"  # page-reference sources: slugs never start with '_', nor are they published


def markup(b: Builder, inlines: tuple[m.Inline, ...], linked: bool = False) -> str:
    return "".join(inline(b, item, linked) for item in inlines)


def inline(b: Builder, item: m.Inline, linked: bool) -> str:
    if isinstance(item, m.Text):
        return text(b, item.text, linked)
    if isinstance(item, m.Break):
        return "<br/>"
    if isinstance(item, m.Span):  # bounded by anchors: render/tagging.py marks it /Lang
        b.ref_serial += 1
        name = f"_lang-{item.lang}-{b.ref_serial}"
        inner = markup(b, item.children, linked)
        return f'<a name="{name}-s"/>{inner}<a name="{name}-e"/>'
    if isinstance(item, m.Styled):
        inner = markup(b, item.children, linked)
        if item.style == "strong":
            return f"<b>{inner}</b>"
        if item.style == "em":
            return f"<i>{inner}</i>"
        if item.style == "span":
            return inner
        if item.style in ("ins", "del"):
            colour = INSERTED if item.style == "ins" else REMOVED
            shown = b.theme.markup(to_cmyk(colour) if b.theme.cmyk else colour)
            line = "u" if item.style == "ins" else "strike"
            return f'<{line}><font color="{shown}">{inner}</font></{line}>'
        return f'<font backColor="#ececec">{inner}</font>'
    return link(b, item)


def text(b: Builder, text: str, linked: bool = False) -> str:
    text = INVISIBLE.sub("", text).replace(JOIN_START, "").replace(JOIN_END, "")
    text = keep_together(quoted(text, b.doc.language) if '"' in text else text)
    if b.theme.fallback and STRONG_RTL.search(text):  # words the house font has no letters for
        out, pos = [], 0
        for run in RTL_RUN.finditer(text):
            out.append(text_run(b, text[pos : run.start()], linked))
            out.append(f'<font name="{fallback_font()}">{escape(run.group())}</font>')
            pos = run.end()
        return "".join(out) + text_run(b, text[pos:], linked)
    return text_run(b, text, linked)


QUOTED = re.compile(r'(?:(?<=^)|(?<=[\s(\[{–—/]))"(?=\S)([^"]*?\S)"(?=$|[\s.,;:!?)\]}…])')


def quoted(text: str, language: str) -> str:
    """A pair of straight double quotes around words as the language writes quotation marks;
    any other straight quote (in `color="red"`, a lone inch mark) is left as written."""
    opening, closing = labels.quotes(language)
    return QUOTED.sub(lambda m: f"{opening}{m.group(1)}{closing}", text)


def text_run(b: Builder, text: str, linked: bool) -> str:
    if linked or sum(map(str.isdigit, text)) < 6:
        return escape(text)
    return phones(b, text)


def phones(b: Builder, text: str) -> str:
    """Phone numbers in running text become tel: links that never break across lines."""
    from pamflet.load.phones import in_text

    out, pos = [], 0
    for start, end, uri in in_text(text, b.doc.country):
        out.append(escape(text[pos:start]))
        out.append(anchor_tag(b, uri, escape(text[start:end].replace(" ", NBSP))))
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def anchor_tag(b: Builder, href: str, inner: str) -> str:
    colour = b.theme.markup(b.theme.accent)
    return f'<a href="{attr(href)}" color="{colour}">{inner}</a>'


def link(b: Builder, item: m.Link) -> str:
    inner = markup(b, item.children, linked=True)
    if item.anchor:
        b.used_refs.add(item.anchor)
        if b.page_count == 1:  # one page: "see page 1" would only be noise
            return anchor_tag(b, "#" + item.anchor, inner)
        page = b.pages.get(item.anchor, 9)
        source = f"{REF_PREFIX}{b.ref_serial}"  # where this reference stands, for the next pass
        b.ref_serial += 1
        b.pending_refs.append(source)
        b.used_refs.add(source)
        if b.pages.get(source) == page:  # the target is on this very page: no "see page N"
            return anchor_tag(b, "#" + item.anchor, inner)
        see = labels.label(b.doc.language, "see_page", page=page).replace(" ", NBSP)
        return anchor_tag(b, "#" + item.anchor, inner) + f" ({see})"
    if item.href:
        return anchor_tag(b, item.href, inner)
    return inner
