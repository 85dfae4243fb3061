"""The last step before preflight: each part of a leaflet as document nodes, its links decided."""

from __future__ import annotations

import unicodedata
from typing import Any

from pamflet import model as m
from pamflet.load.markdown import Converter
from pamflet.resolve.anchors import Anchors
from pamflet.resolve.cards import card_grid
from pamflet.resolve.contacts import contact
from pamflet.resolve.context import Context
from pamflet.resolve.links import Links
from pamflet.resolve.sections import Part


def leaflet_nodes(
    ctx: Context, parts: list[Part], anchors: Anchors, back: list[m.Section], title: str
) -> tuple[m.Node, ...]:
    """The leaflet's title is its only level-1 heading and each section is level 2; a block's
    own headings nest below its section. A first block named as the leaflet is the title: its
    heading is level 1 (drawn as the title) and its headings are sections."""
    out: list[m.Node] = []
    for i, part in enumerate(parts):
        twin = i == 0 and part.section.contact is None and same_words(part.title, title)
        out.extend(part_nodes(ctx, part, anchors, part.section in back, 1 if twin else 2))
    return tuple(out)


def ctx_language(ctx: Context) -> str:
    lf = next((lf for lf in ctx.project.leaflets if lf.code == ctx.current), None)
    return lf.language if lf is not None else ""


def in_language(node: m.Node, lang: str) -> Any:
    """A node of a block in another language: its text as passages in that language."""
    from dataclasses import fields, replace

    changes: dict[str, Any] = {}
    for f in fields(node):  # type: ignore[arg-type]
        value = getattr(node, f.name)
        if (
            f.name == "text"
            and isinstance(value, tuple)
            and value
            and not isinstance(node, m.CodeBlock)
        ):
            changes["text"] = (m.Span(lang, value),)
        elif f.name in ("children",) and isinstance(value, tuple):
            changes[f.name] = tuple(in_language(child, lang) for child in value)
        elif f.name == "items" and isinstance(value, tuple):
            changes["items"] = tuple(tuple(in_language(c, lang) for c in item) for item in value)
        elif f.name in ("head", "rows") and isinstance(value, tuple):
            changes[f.name] = tuple(
                tuple((m.Span(lang, cell),) if cell else cell for cell in row) for row in value
            )
    return replace(node, **changes) if changes else node  # type: ignore[type-var]


def same_words(a: str, b: str) -> bool:
    """Two titles that say the same: alike but for case, spacing and a full stop or colon at
    the end (. : ! ? ;). Signs, degrees and letters count ('Bloedgroep A+' is not 'Bloedgroep A−')."""

    def norm(text: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", text).casefold().split()).rstrip(".:!?;")

    return norm(a) == norm(b)


def part_nodes(
    ctx: Context, part: Part, anchors: Anchors, back: bool, level: int = 2
) -> list[m.Node]:
    heading = m.Heading(level, (m.Text(part.title),), part.anchor, part.title_loc, part.title)
    body: tuple[m.Node, ...] = ()
    if part.source is not None:
        slugs = iter(part.heading_anchors)
        linker = Links(ctx, anchors, part.source.path)
        converter = Converter(part.source, level, lambda _: next(slugs), linker)
        body = converter.convert(part.tokens)
    if part.section.contact is not None and part.block is not None:
        return [contact(ctx, part, heading, body, back)]
    block = part.block
    if block is not None and block.language and block.language != ctx_language(ctx):
        heading, body = in_language(heading, block.language), tuple(
            in_language(node, block.language) for node in body
        )  # fmt: skip
    out: list[m.Node] = [heading, *body]
    if part.cards:
        out.append(card_grid(part.cards, part.card_anchors, part.section.at("cards")))
    return out
