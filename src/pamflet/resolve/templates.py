"""The templates step: block and section texts expanded, headers and footers per page."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from pamflet import model as m
from pamflet.load import templating
from pamflet.load.markdown import Source
from pamflet.load.parser import parse
from pamflet.resolve import labels
from pamflet.resolve.context import Context

PARSED_KEPT = 256  # parsed texts kept in memory: a catalogue's would take gigabytes


def template(ctx: Context, raw: Source) -> templating.Template | None:
    """The compiled template of a text as written (once per place it is written)."""
    key = (raw.path, raw.first_line)
    if key not in ctx.templates:
        try:
            ctx.templates[key] = templating.compile_template(raw.text)
        except templating.TemplateProblem as exc:
            template_error(ctx, exc, raw)
            ctx.templates[key] = None
    return ctx.templates[key]


def template_error(
    ctx: Context, exc: templating.TemplateProblem, raw: Source, about: str = ""
) -> None:
    """A template's problem at the line and column where the author wrote it; `about` names
    what it was made for (a header's leaflet)."""
    if exc.code == templating.REPORTED:  # its cause is reported where it was written
        return
    loc = raw.at(max(exc.line, 1) - 1, exc.column)
    ctx.report.error(exc.code, exc.message + about, loc, exc.hint)


def expand(
    ctx: Context,
    text: str,
    path: str,
    first_line: int,
    variables: Mapping[str, Any],
    indent: int = 0,
    places: tuple[tuple[tuple[int, int], ...], ...] = (),
) -> Source | None:
    """A text with its template run; the same text in every leaflet is expanded once."""
    raw = Source(path, first_line, text, indent, places)
    compiled = template(ctx, raw)
    if compiled is None:
        return None
    shared = not compiled.needs("leaflet")
    key = (path, first_line)
    if shared and key in ctx.sources:
        source = ctx.sources[key]
    else:
        ctx.touched = set()
        try:
            source = replace(raw, text=templating.render(compiled, variables, ctx.budget))
        except templating.TemplateProblem as exc:
            if exc.code == "unknown-reference":  # a contact made later must be read
                ctx.missed.add("block")
            template_error(ctx, exc, raw)
            source = raw  # still check links and images
        ctx.named[key] = frozenset(ctx.touched)
        if shared:
            ctx.sources[key] = source
    lines = text.split("\n") if ctx.named[key] else []
    for block_id in sorted(ctx.named[key]):
        places = [
            (i, m.start() + 1)
            for i, line in enumerate(lines)
            for m in re.finditer(re.escape(block_id), line)
        ]
        for at, col in places or [(0, 1)]:  # every place the template names it
            ctx.use(block_id, raw.at(at, col), "template")
    return source


def tokens(ctx: Context, source: Source) -> list[Any]:
    """Markdown tokens of a text. Texts repeat (a block's own check, then each leaflet that
    shows it), so the latest are kept; tokens are large, so only the latest few hundred."""
    found = ctx.parsed.pop(source.text, None)
    if found is None:
        found = parse(source.text)
        if len(ctx.parsed) >= PARSED_KEPT:
            del ctx.parsed[next(iter(ctx.parsed))]  # the least recently used
    ctx.parsed[source.text] = found
    return found


def contacts(ctx: Context) -> templating.Strict:
    """`contacts[...]` in templates: the same table for every leaflet."""
    if ctx.contact_table is None:
        table = {
            b.id: templating.Strict(
                f"field of contact '{b.id}'", contact_fields(b), broken=failed_fields(b)
            )
            for b in ctx.project.blocks.values()
            if b.kind == "contact"
        }

        def touched(block_id: str) -> None:
            ctx.used.add(block_id)
            ctx.touched.add(block_id)

        ctx.contact_table = templating.Strict("contact", table, on_use=touched)
    return ctx.contact_table


def variables(ctx: Context, leaflet: m.Leaflet | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "organisation": ctx.project.settings.organisation,
        "contacts": contacts(ctx),
    }
    if leaflet is not None:
        out["leaflet"] = templating.Strict("leaflet field", leaflet_fields(leaflet))
    return out


def page_text(
    ctx: Context, raw: Source, variables: Mapping[str, Any], about: str = ""
) -> str | None:
    """A header or footer as one page shows it; never cached, the page number varies."""
    compiled = template(ctx, raw)
    if compiled is None:
        return None
    try:
        return templating.render(compiled, variables, ctx.budget)
    except templating.TemplateProblem as exc:
        template_error(ctx, exc, raw, about)
        return None


def page_variables(ctx: Context, leaflet: m.Leaflet) -> dict[str, Any]:
    """What a header or footer can use: what the renderer gives it, no more."""
    return {
        "organisation": ctx.project.settings.organisation,
        "leaflet": templating.Strict("leaflet field", leaflet_fields(leaflet)),
    }


def contact_fields(block: m.Block) -> dict[str, str]:
    keys = ("title", "name", "role", "phone", "email", "hours", "address", "url", "summary")
    return {k: getattr(block, k) for k in keys if getattr(block, k) is not None}


def failed_fields(block: m.Block) -> frozenset[str]:
    """Fields written in the front matter that did not load (their errors are reported)."""
    return frozenset(k for k in block.locs if "." not in k and getattr(block, k, None) is None)


def leaflet_fields(leaflet: m.Leaflet) -> dict[str, str]:
    out = {
        "code": leaflet.code,
        "title": leaflet.title,
        "language": leaflet.language,
        "format": leaflet.format,
        "revised": labels.long_date(leaflet.revised, leaflet.language),
        "revised_iso": leaflet.revised.isoformat(),
    }
    for key in ("subtitle", "owner", "url"):
        if getattr(leaflet, key) is not None:
            out[key] = getattr(leaflet, key)
    if leaflet.review is not None:
        out["review"] = labels.long_date(leaflet.review, leaflet.language)
    return out
