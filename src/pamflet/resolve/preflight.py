"""Preflight: what would print wrong or not at all, found before anything is drawn.

Font sizes and contrast, characters the fonts cannot draw, images too coarse for print, tables
wider than the page, text that would take minutes to lay out. The last step of a leaflet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path

from pamflet import model as m
from pamflet.diagnostics import Location
from pamflet.load.assets import AssetProblem, font_cmap
from pamflet.load.rules import INVISIBLE, RIGHT_TO_LEFT_SCRIPT, short_url
from pamflet.resolve import labels
from pamflet.resolve.context import Context
from pamflet.resolve.fonts import ARABIC_ALEF, RIGHT_TO_LEFT_FONTS
from pamflet.resolve.geometry import frame_size, max_columns, printed_size

MAX_PARAGRAPH = 20_000  # characters: longer takes ReportLab minutes to lay out
MIN_EM = 0.3  # the narrowest average character, in em: a longer word cannot fit a line
MAX_WORD = 1_000  # characters without a break: longer takes ReportLab minutes to split
BREAKS = r"\s/?&.\-_"  # where a line may break: spaces, and after these characters
UNBREAKABLE = re.compile(rf"[^{BREAKS}]+")  # runs between places a line may break
MIN_DPI = 150


def house_style(ctx: Context, layout: m.Layout, colours: Mapping[str, str]) -> None:
    if layout.font_size < 12:
        ctx.report.warning(
            "small-font", f"font size {layout.font_size:g} pt is below 12 pt",
            layout.at("font_size"), "clear-print guidance asks for 12 pt or more",
        )  # fmt: skip
    for key in ("text", "accent", "heading"):
        ratio = contrast(colours[key], colours["background"])
        if ratio < 4.5:
            ctx.report.warning(
                "low-contrast",
                f"{key} colour {colours[key]} on {colours['background']} has contrast "
                f"{ratio:.1f}:1, below 4.5:1 (WCAG AA)",
                layout.locs.get(f"colours.{key}", layout.at("colours")), "choose a darker colour",
            )  # fmt: skip
    if not layout.underline_links:
        ctx.report.warning(
            "links-not-underlined",
            "links are not underlined, so colour alone tells them from text (WCAG 1.4.1)",
            layout.at("underline_links"), "remove 'underline_links: false'",
        )  # fmt: skip


def check_images(ctx: Context, doc: m.Document, style: m.Style) -> None:
    frame = frame_size(doc.format, style.margins)
    most = max_columns(frame[0], style.font_size)
    for node in walk(doc.nodes):
        columns = (
            max((len(r) for r in node.head + node.rows), default=0)
            if isinstance(node, m.TableBlock)
            else 0
        )
        if columns > most:
            ctx.report.error(
                "table-width", f"the table has {columns} columns; at most {most} fit across "
                f"a {doc.format} page at {style.font_size:g} pt", node.loc,
                "split it into smaller tables, or turn it into a list",
            )  # fmt: skip
        if isinstance(node, m.Figure):
            width, _ = printed_size(node.width_px, node.height_px, frame)
            dpi = node.width_px / (width / 72)
            if dpi < MIN_DPI:
                ctx.report.warning(
                    "low-resolution", f"image '{node.path}' prints at {dpi:.0f} dpi",
                    node.loc, f"use an image of at least {MIN_DPI} dpi at its printed size",
                )  # fmt: skip


# -- characters


@lru_cache(maxsize=256)
def longer_run(length: int) -> re.Pattern[str]:
    """Finds a run without a place to break of more than `length` characters (looking only
    where runs start: a text of ordinary words is read once)."""
    return re.compile(rf"(?<![^{BREAKS}])[^{BREAKS}]{{{length + 1}}}")


def check_texts(ctx: Context, doc: m.Document, style: m.Style, leaflet: m.Leaflet) -> None:
    """The characters of every text the leaflet prints, then the lengths of its authors' texts
    (which are gathered once for both)."""
    written = list(author_texts(doc, leaflet))
    check_text(ctx, doc, leaflet, written)
    check_lengths(ctx, doc, style, written)


def check_lengths(
    ctx: Context, doc: m.Document, style: m.Style, written: list[tuple[str, Location]]
) -> None:
    """Refuse what cannot be laid out in reasonable time: huge paragraphs, endless words."""
    width = frame_size(doc.format, style.margins)[0]
    longest = int(width / (style.font_size * MIN_EM))  # characters, at the narrowest
    too_long = longer_run(min(longest, MAX_WORD))
    for text, loc in written:
        if len(text) > MAX_PARAGRAPH:
            ctx.report.error(
                "too-long", f"the text has {len(text):,} characters in one paragraph, more "
                f"than {MAX_PARAGRAPH:,}", loc, "split it into paragraphs",
            )  # fmt: skip
            continue
        if not too_long.search(text):
            continue
        word = max(UNBREAKABLE.findall(text), key=len, default="")
        if len(word) > MAX_WORD:  # breaking it costs time that grows with its square
            ctx.report.error(
                "long-word", f"'{word[:30]}…' has {len(word):,} characters without a place "
                f"to break, more than {MAX_WORD:,}", loc,
                "break it with spaces or hyphens, or shorten it",
            )  # fmt: skip
        elif len(word) > longest:
            ctx.report.warning(
                "long-word", f"'{word[:30]}…' has {len(word)} characters without a place to "
                f"break, more than a {doc.format} line holds; it is broken at the edge", loc,
                "break it with spaces or hyphens where a reader expects it",
            )  # fmt: skip


def check_text(
    ctx: Context, doc: m.Document, leaflet: m.Leaflet, written: list[tuple[str, Location]]
) -> None:
    printable = printable_with_fallback(ctx, tuple(sorted(doc.style.fonts.values())))
    if printable is None:
        return
    seen: set[tuple[str, Location]] = set()
    texts = doc_texts(doc, leaflet, ctx.project.settings, written)
    for text, loc in [*texts, *ctx.page_texts.get(leaflet.path, [])]:
        if (text, loc) in seen:
            continue
        seen.add((text, loc))
        missing = []
        for char in odd_chars(ctx, text, printable):
            if INVISIBLE.match(char):
                ctx.report.warning(
                    "invisible-char", f"the text contains the invisible character {char_name(char)}",
                    loc, "remove it; it is left out of the PDF",
                )  # fmt: skip
            else:
                missing.append(char)
        if missing:  # one error per text, naming the first characters: not one per letter
            named = ", ".join(f"'{c}' ({char_name(c)})" for c in missing[:3])
            more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
            ctx.report.error(
                "missing-glyph", f"the font cannot print {named}{more}", loc,
                "write it differently or use a layout font that has it",
            )  # fmt: skip


def drawable(ctx: Context, fonts: tuple[str, ...]) -> frozenset[int] | None:
    """Code points every face of a family can draw (cached per family)."""
    if fonts not in ctx.glyphs:
        try:
            ctx.glyphs[fonts] = frozenset.intersection(*(font_cmap(Path(f)) for f in fonts))
        except (AssetProblem, OSError):
            ctx.glyphs[fonts] = None
    return ctx.glyphs[fonts]


def printable_with_fallback(ctx: Context, fonts: tuple[str, ...]) -> frozenset[str] | None:
    """The characters a family can draw, and right-to-left letters it lacks from the bundled
    font that sets them (cached per family)."""
    if fonts not in ctx.printable:
        printable = drawable(ctx, fonts)
        if printable is not None and ARABIC_ALEF not in printable:
            fallback = drawable(ctx, tuple(sorted(str(p) for p in RIGHT_TO_LEFT_FONTS.values())))
            rtl = {c for c in fallback or () if RIGHT_TO_LEFT_SCRIPT.match(chr(c))}
            printable = printable | rtl
        ctx.printable[fonts] = None if printable is None else frozenset(map(chr, printable))
    return ctx.printable[fonts]


def odd_chars(ctx: Context, text: str, printable: frozenset[str]) -> list[str]:
    """Invisible or undrawable characters of a text, sorted (cached: texts repeat a lot)."""
    key = (text, id(printable))
    if key not in ctx.odd:
        chars = set(text)
        chars.discard("\n")
        chars.discard("\t")
        odd = chars - printable
        if INVISIBLE.search(text):
            odd.update(c for c in chars if INVISIBLE.match(c))
        ctx.odd[key] = sorted(odd)
    return ctx.odd[key]


def char_name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, '')}".strip()


def contrast(fg: str, bg: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def walk(nodes: tuple[m.Node, ...]) -> Iterator[m.Node]:
    for node in nodes:
        yield node
        if isinstance(node, m.ListBlock):
            for item in node.items:
                yield from walk(item)
        elif isinstance(node, m.Note):
            yield from walk(node.children)
        elif isinstance(node, m.Contact):
            yield node.heading
            yield from walk(node.body)


def node_texts(node: m.Node) -> Iterator[tuple[str, Location]]:
    """The texts a node prints, each with where it was written."""
    if isinstance(node, m.Heading | m.Para):
        yield m.inline_text(node.text), node.loc
    elif isinstance(node, m.TableBlock):
        for r, row in enumerate((*node.head, *node.rows)):
            where = node.row_locs[r] if r < len(node.row_locs) else node.loc
            yield from ((m.inline_text(cell), where) for cell in row)
    elif isinstance(node, m.CodeBlock):
        yield node.text, node.loc
    elif isinstance(node, m.Figure):
        yield node.alt, node.loc
    elif isinstance(node, m.CardGrid):
        for card in node.cards:
            for key in ("title", "summary", "url"):
                yield getattr(card, key) or "", card.locs.get(key, card.loc)
    elif isinstance(node, m.Contact):
        for key in ("name", "role", "phone", "email", "hours", "address", "url"):
            if getattr(node, key):
                yield getattr(node, key), node.locs.get(key, node.loc)


def doc_texts(
    doc: m.Document, leaflet: m.Leaflet, settings: m.Settings, written: list[tuple[str, Location]]
) -> Iterator[tuple[str, Location]]:
    """Every text the PDF will print, with where it was written."""
    yield settings.organisation, settings.at("organisation")
    yield doc.code, leaflet.at("code")
    yield " ".join(labels.LABELS[doc.language].values()) + "0123456789 ·", leaflet.loc
    yield from written  # author_texts(doc, leaflet), gathered by check_texts


def author_texts(doc: m.Document, leaflet: m.Leaflet) -> Iterator[tuple[str, Location]]:
    """The texts the leaflet's authors wrote, with where they wrote them."""
    yield leaflet.title, leaflet.at("title")  # as written: invisible characters included
    yield leaflet.subtitle or "", leaflet.at("subtitle")
    yield short_url(doc.url or ""), leaflet.at("url")  # printed under its QR code
    for node in walk(doc.nodes):
        yield from node_texts(node)
