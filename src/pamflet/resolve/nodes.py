"""The last step before preflight: each part of a leaflet as document nodes, its links decided."""

from __future__ import annotations

from pamflet import model as m
from pamflet.load.markdown import Converter
from pamflet.resolve.anchors import Anchors
from pamflet.resolve.cards import card_grid
from pamflet.resolve.contacts import contact
from pamflet.resolve.context import Context
from pamflet.resolve.links import Links
from pamflet.resolve.sections import Part


def leaflet_nodes(
    ctx: Context, parts: list[Part], anchors: Anchors, back: list[m.Section]
) -> tuple[m.Node, ...]:
    out: list[m.Node] = []
    for part in parts:
        out.extend(part_nodes(ctx, part, anchors, part.section in back))
    return tuple(out)


def part_nodes(ctx: Context, part: Part, anchors: Anchors, back: bool) -> list[m.Node]:
    heading = m.Heading(1, (m.Text(part.title),), part.anchor, part.title_loc, part.title)
    body: tuple[m.Node, ...] = ()
    if part.source is not None:
        slugs = iter(part.heading_anchors)
        linker = Links(ctx, anchors, part.source.path)
        body = Converter(part.source, 1, lambda _: next(slugs), linker).convert(part.tokens)
    if part.section.contact is not None and part.block is not None:
        return [contact(ctx, part, heading, body, back)]
    out: list[m.Node] = [heading, *body]
    if part.cards:
        out.append(card_grid(part.cards, part.card_anchors, part.section.at("cards")))
    return out
