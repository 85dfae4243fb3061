"""The sections step: each section of a leaflet read into a `Part`, its text expanded and parsed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pamflet import model as m
from pamflet.diagnostics import Location
from pamflet.load.markdown import Source
from pamflet.resolve.blocks import lookup
from pamflet.resolve.cards import CardRef, add_card
from pamflet.resolve.context import Context
from pamflet.resolve.templates import expand, tokens


@dataclass
class Part:
    """One section of the leaflet, with its texts parsed (anchors are assigned later)."""

    section: m.Section
    title: str
    title_loc: Location
    block: m.Block | None = None
    source: Source | None = None
    tokens: list[Any] = field(default_factory=list)
    cards: list[CardRef] = field(default_factory=list)
    anchor: str = ""
    heading_anchors: list[str] = field(default_factory=list)
    card_anchors: list[str] = field(default_factory=list)


def read_parts(
    ctx: Context, leaflet: m.Leaflet, variables: Mapping[str, Any]
) -> tuple[list[Part], bool]:
    """The leaflet's parts, and whether a text failed (its headings are then unknown)."""
    parts, unsure = [], False
    for section in leaflet.sections:
        part, failed = read_part(ctx, leaflet, section, variables)
        unsure |= failed
        if part is not None:
            parts.append(part)
    return parts, unsure


def read_part(
    ctx: Context, leaflet: m.Leaflet, section: m.Section, variables: Mapping[str, Any]
) -> tuple[Part | None, bool]:
    ref = section.content or section.contact
    if ref is not None:
        block = lookup(ctx, ref, "contact" if section.contact is not None else "section")
        if block is None:  # missing or broken: its headings are unknown, links to them unsure
            return None, True
        if section.contact is not None and block.kind != "contact":
            ctx.report.error(
                "not-a-contact", f"'{ref.id}' is a '{block.kind}' block, not a contact",
                ref.loc, "use 'content:' for it, or set 'kind: contact' in its front matter",
            )  # fmt: skip
        part = Part(section, block.title, block.at("title"), block=block)
        part.source = expand(ctx, block.body, block.path, block.body_line, variables)
        failed = part.source is None
    else:
        part = Part(section, section.title or "", section.at("title"))
        failed = False
        if section.text is not None:
            part.source = expand(
                ctx, section.text, leaflet.path, section.text_line, variables,
                section.text_indent, section.text_places,
            )  # fmt: skip
            failed = part.source is None
        for card in section.cards:
            add_card(ctx, part.cards, card)
    if part.source is not None:
        part.tokens = tokens(ctx, part.source)
    return part, failed


def shown_refs(leaflet: m.Leaflet) -> list[str]:
    """The blocks whose text a leaflet shows: sections and contacts."""
    return [r.id for s in leaflet.sections for r in (s.content, s.contact) if r is not None]
