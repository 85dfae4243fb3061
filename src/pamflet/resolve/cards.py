"""The cards step: blocks shown as cards (title, summary, address), checked and turned into a
card grid."""

from __future__ import annotations

from pamflet import model as m
from pamflet.diagnostics import Location
from pamflet.resolve.blocks import lookup
from pamflet.resolve.context import Context

CardRef = tuple[m.Ref, m.Block]


def add_card(ctx: Context, cards: list[CardRef], ref: m.Ref) -> None:
    block = lookup(ctx, ref, "card")
    if block is None:
        return
    if not block.summary:
        ctx.report.error(
            "card-summary", f"block '{ref.id}' has no summary, so it cannot be a card",
            ref.loc, f"add 'summary: ...' to the front matter of {block.path}",
        )  # fmt: skip
    cards.append((ref, block))


def card_grid(cards: list[CardRef], anchors: list[str], loc: Location) -> m.CardGrid:
    return m.CardGrid(
        tuple(
            m.Card(b.title, b.summary or "", b.url, anchor, ref.loc, dict(b.locs))
            for (ref, b), anchor in zip(cards, anchors, strict=True)
        ),
        loc,
    )


def card_refs(leaflet: m.Leaflet) -> list[str]:
    """The blocks a leaflet shows as cards (title, summary and address only)."""
    return [r.id for s in leaflet.sections for r in s.cards]
