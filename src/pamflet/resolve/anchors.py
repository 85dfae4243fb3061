"""The anchors step: every heading and card of a leaflet gets a slug, before any link is read;
a block's own slugs (`block.md#slug`) map onto them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pamflet import model as m
from pamflet.load.markdown import Slugger, heading_texts
from pamflet.resolve.context import Context
from pamflet.resolve.sections import Part
from pamflet.resolve.templates import expand, tokens


@dataclass(frozen=True)
class Anchors:
    """What a leaflet's links can land on."""

    names: set[str]  # every anchor in the leaflet
    block_anchor: dict[str, str]  # block id -> the anchor of its first appearance
    block_heads: dict[str, dict[str, str]]  # block id -> its own slug -> the leaflet's anchor
    unsure: bool  # a text failed to load or expand: its headings are unknown
    variables: Mapping[str, Any]  # the leaflet's template variables


def assign(parts: list[Part], unsure: bool, variables: Mapping[str, Any]) -> Anchors:
    """Give each part, heading and card its anchor (recorded in the parts)."""
    slug = Slugger()
    block_anchor: dict[str, str] = {}
    block_heads: dict[str, dict[str, str]] = {}
    for part in parts:
        part.anchor = slug(part.title)
        if part.block is not None:
            block_anchor.setdefault(part.block.id, part.anchor)
        part.heading_anchors = [slug(text) for _, text, _ in heading_texts(part.tokens)]
        if part.block is not None:
            own = own_slugs(part.title, part.tokens)
            heads = dict(zip(own, [part.anchor, *part.heading_anchors], strict=True))
            block_heads.setdefault(part.block.id, heads)
        for _, block in part.cards:
            part.card_anchors.append(slug(block.title))
            block_anchor.setdefault(block.id, part.card_anchors[-1])
    return Anchors(slug.seen, block_anchor, block_heads, unsure, variables)


def block_slugs(ctx: Context, anchors: Anchors, block: m.Block) -> list[str] | None:
    """Slugs a block has on its own: its title and its headings; None if its text failed."""
    source = expand(ctx, block.body, block.path, block.body_line, anchors.variables)
    return None if source is None else own_slugs(block.title, tokens(ctx, source))


def own_slugs(title: str, parsed: list[Any]) -> list[str]:
    """A block's slugs as if it stood alone, title first: what `block.md#slug` names."""
    own = Slugger()
    return [own(title), *(own(text) for _, text, _ in heading_texts(parsed))]
