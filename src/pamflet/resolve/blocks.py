"""The blocks step: a leaflet's reference to a block, found and recorded, or reported."""

from __future__ import annotations

from pamflet import model as m
from pamflet.diagnostics import did_you_mean
from pamflet.resolve.context import Context


def lookup(ctx: Context, ref: m.Ref, how: str) -> m.Block | None:
    """The block `ref` names (its use recorded), or None with an error if there is none."""
    block = ctx.project.blocks.get(ref.id)
    if block is not None:
        ctx.use(block.id, ref.loc, how)
    else:
        ctx.missed.add("block")
    if block is None and ref.id not in ctx.project.broken:
        hint = did_you_mean(ref.id, ctx.project.blocks) or "block ids are paths below content/"
        ctx.report.error("unknown-block", f"there is no block '{ref.id}'", ref.loc, hint)
    return block
