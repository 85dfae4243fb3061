"""Stage 2's driver: each leaflet through the steps in order, each block checked once; the check
cache replays what did not change. `resolve()` is the stage's entry point."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from pamflet import model as m
from pamflet.diagnostics import Diagnostic, Location, Report
from pamflet.load import fork
from pamflet.load.markdown import Converter, Slugger, Source
from pamflet.load.rules import INVISIBLE
from pamflet.project import ProjectDir
from pamflet.resolve import preflight
from pamflet.resolve.anchors import assign
from pamflet.resolve.cards import card_refs
from pamflet.resolve.contacts import back_sections
from pamflet.resolve.context import Context
from pamflet.resolve.control import document_control
from pamflet.resolve.images import cover_image
from pamflet.resolve.layouts import style as house_style
from pamflet.resolve.links import Links
from pamflet.resolve.nodes import leaflet_nodes
from pamflet.resolve.sections import read_parts, shown_refs
from pamflet.resolve.templates import expand, leaflet_fields, template, tokens, variables
from pamflet.resolve.translations import also_in, check_all, language_versions

TOC_MODES = {"auto": None, "always": True, "never": False}


def resolve(
    project: m.Project, files: ProjectDir, report: Report, today: dt.date | None = None
) -> list[m.Document]:
    """Stage 2: resolved documents for every leaflet that could be resolved."""
    return run(make_context(project, files, report, today))


def make_context(
    project: m.Project, files: ProjectDir, report: Report, today: dt.date | None = None
) -> Context:
    return Context(project, files, report, today or dt.date.today())


FORK_LEAFLETS = 24  # leaflets; fewer are checked faster than a second process starts


def run(ctx: Context, documents: bool = True) -> list[m.Document]:
    """Resolve every leaflet; with a memo, the documents of unchanged leaflets are left out
    (their reports are replayed; `inputs` still names them). A catalogue's second half of
    leaflets is resolved in a forked child (load/fork.py); `documents=False` when only the
    report is wanted (`check`), so that the child need not send its documents back."""
    leaflets = ctx.project.leaflets
    checked: set[str] = set()

    def child(middle: int) -> Part:
        return part(ctx, leaflets[middle:], documents)

    # A rebuild after one edit replays the others' reports: not worth a second process.
    split = fork.can_fork(len(leaflets), FORK_LEAFLETS, ctx.jobs) and (
        sum(1 for lf in leaflets if not replayed(ctx, lf)) >= FORK_LEAFLETS
    )
    docs, theirs, middle = fork.halves(
        len(leaflets), split, child,
        lambda end: resolve_leaflets(ctx, leaflets[:end], checked),
    )  # fmt: skip
    if theirs is not None:
        docs += merge(ctx, theirs, checked)
    elif middle < len(leaflets):  # the child failed: its half is resolved here
        docs += resolve_leaflets(ctx, leaflets[middle:], checked)
    for block in ctx.project.blocks.values():
        if block.id not in checked:
            check_unit(ctx, block)
    check_all(ctx)
    check_unused(ctx)
    return [doc for doc in docs if doc is not None]


def replayed(ctx: Context, lf: m.Leaflet) -> bool:
    """Whether the leaflet's report will be replayed from the check cache (see `unit`)."""
    if ctx.memo is None or lf.approved is not None:
        return False
    return ctx.memo.unchanged(f"leaflet:{lf.code}", lf, ctx.project, True) is not None


def resolve_leaflets(
    ctx: Context, leaflets: Sequence[m.Leaflet], checked: set[str]
) -> list[m.Document | None]:
    """Each leaflet in turn (and its languages), adding to `checked` the blocks it checked."""
    docs: list[m.Document | None] = []
    for lf in leaflets:
        # A block whose text a leaflet shows is checked there, on all that its own check
        # covers and more (the same text, the same reports); a card's block is checked alone,
        # before the leaflet, so that its text is parsed once.
        checked.update(shown_refs(lf))
        for ref in card_refs(lf):
            if ref not in checked and (block := ctx.project.blocks.get(ref)) is not None:
                check_unit(ctx, block)
                checked.add(ref)
        docs.append(unit(ctx, f"leaflet:{lf.code}", lf, True,
                         lambda lf=lf: leaflet(ctx, lf)))  # fmt: skip
        if lf.languages and lf.code in ctx.inputs:
            docs.extend(language_versions(ctx, lf, leaflet))
    return docs


@dataclass(frozen=True)
class Part:
    """What a child resolved: its documents (when wanted) and all it recorded in the context."""

    docs: list[m.Document | None]
    checked: set[str]
    diagnostics: list[Diagnostic]
    units: dict[str, Any]  # the check cache's new records
    inputs: dict[str, str]
    stems: dict[str, str]
    used: set[str]
    uses: dict[str, dict[tuple[str, Location, str], None]]
    by_leaflet: dict[str, set[str]]
    files: tuple[dict[Any, Any], ...]


def part(ctx: Context, leaflets: Sequence[m.Leaflet], documents: bool) -> Part:
    """In the child: resolve `leaflets` into a report of its own."""
    ctx.report = Report(severities=ctx.report.severities, allowed=ctx.report.allowed)
    checked: set[str] = set()
    docs = resolve_leaflets(ctx, leaflets, checked)
    return Part(
        docs if documents else [], checked, ctx.report.diagnostics,
        dict(ctx.memo.new) if ctx.memo is not None else {}, ctx.inputs, ctx.stems, ctx.used,
        ctx.uses, ctx.by_leaflet, fork.file_state(ctx.files),
    )  # fmt: skip


def merge(ctx: Context, theirs: Part, checked: set[str]) -> list[m.Document | None]:
    """A child's part, as if this process had resolved those leaflets after its own."""
    ctx.report.extend(theirs.diagnostics)
    if ctx.memo is not None:
        for name, record in theirs.units.items():
            ctx.memo.new.setdefault(name, record)
    ctx.inputs.update(theirs.inputs)
    ctx.stems.update(theirs.stems)
    ctx.used |= theirs.used
    for block_id, places in theirs.uses.items():
        ctx.uses.setdefault(block_id, {}).update(places)
    for code, blocks in theirs.by_leaflet.items():
        ctx.by_leaflet.setdefault(code, set()).update(blocks)
    fork.merge_files(ctx.files, theirs.files)
    checked |= theirs.checked
    return theirs.docs


def check_unit(ctx: Context, block: m.Block) -> None:
    unit(ctx, f"block:{block.id}", block, False, lambda: check_block(ctx, block))


def unit(ctx: Context, name: str, obj: Any, dated: bool, work: Callable[[], Any]) -> Any:
    """Run `work` (one block's check, one leaflet's resolution), or replay its cached
    report when nothing it read has changed."""
    memo = ctx.memo
    # An approval is judged on change times and the archive, which no key holds: judged afresh.
    approved = isinstance(obj, m.Leaflet) and obj.approved is not None
    if memo is not None and not approved and (hit := memo.lookup(name, obj, ctx.project, dated)):
        ctx.report.extend(hit.replay())
        ctx.used.update(hit.used)
        if isinstance(obj, m.Leaflet):
            ctx.inputs[obj.code] = hit.inputs
        return None
    outer, ctx.report = ctx.report, Report(severities=ctx.report.severities)
    ctx.unit_used, ctx.reads, ctx.linked, ctx.missed = set(), set(), set(), set()
    try:
        result = work()
    finally:
        captured, ctx.report = ctx.report, outer
    ctx.report.extend(captured.diagnostics)
    if memo is not None:
        used = sorted(ctx.unit_used)  # also what earlier units used: it read it too
        if isinstance(obj, m.Leaflet):
            used = sorted(ctx.by_leaflet.get(obj.code, ()))
        record = memo.record(name, obj, ctx.project, captured.diagnostics, used,
                             sorted(ctx.reads), dated, sorted(ctx.linked), sorted(ctx.missed))  # fmt: skip
        if isinstance(obj, m.Leaflet):
            ctx.inputs[obj.code] = record.inputs
    return result


def check_block(ctx: Context, block: m.Block) -> None:
    """A block's own check, for what needs no leaflet: its template, links and images."""
    compiled = template(ctx, Source(block.path, block.body_line, block.body))
    if compiled is None or compiled.needs("leaflet"):
        return
    source = expand(ctx, block.body, block.path, block.body_line, variables(ctx, None))
    if source is not None:
        linker = Links(ctx, None, block.path)
        Converter(source, 1, Slugger(), linker).convert(tokens(ctx, source))


def check_unused(ctx: Context) -> None:
    """A block no leaflet uses is probably forgotten, or left behind by a rename."""
    if not ctx.project.leaflets or any(
        d.location.path.startswith("leaflets/") and d.severity == "error"
        for d in ctx.report.diagnostics
    ):  # a leaflet that failed to load may well use it
        return
    for block in ctx.project.blocks.values():
        if block.id not in ctx.used:
            ctx.report.warning(
                "unused-block", f"no leaflet uses block '{block.id}'", block.loc,
                "add it to a leaflet, link to it, or delete it",
            )  # fmt: skip


def leaflet(ctx: Context, lf: m.Leaflet) -> m.Document | None:
    """One leaflet through the steps: layout, dates, sections and their blocks and cards,
    anchors, links and images, contacts, then preflight."""
    style = house_style(ctx, lf)
    check_dates(ctx, lf)
    ctx.current = lf.code
    values = variables(ctx, lf)
    back = back_sections(ctx, lf)
    parts, unsure = read_parts(ctx, lf, values)
    body = leaflet_nodes(ctx, parts, assign(parts, unsure, values), back, lf.title)
    if style is None:
        ctx.current = None
        return None
    doc = m.Document(
        code=lf.code,
        title=visible(lf.title),  # invisible characters are warned about, and left out
        subtitle=visible(lf.subtitle) if lf.subtitle else None,
        organisation=visible(ctx.project.settings.organisation),
        language=lf.language,
        format=lf.format,
        revised=lf.revised,
        owner=lf.owner,
        url=lf.url,
        toc=TOC_MODES[lf.toc or style.toc],
        style=style,
        body=body,
        source=lf.loc,
        root=ctx.project.root,
        fields=leaflet_fields(lf),
        country=ctx.project.settings.country,
        cover_image=cover_image(ctx, lf),
    )
    doc = document_control(ctx, lf, doc)
    if lf.languages:
        doc = replace(doc, body=doc.body + also_in(ctx, lf))
    ctx.current = None
    preflight.check_texts(ctx, doc, style, lf)
    preflight.check_images(ctx, doc, style)
    return doc


def visible(text: str) -> str:
    """Text without zero-width and bidirectional controls: the PDF's metadata, too."""
    return INVISIBLE.sub("", text)


def check_dates(ctx: Context, lf: m.Leaflet) -> None:
    if lf.revised > ctx.today:
        ctx.report.warning(
            "revised-future", f"the revised date {lf.revised} is in the future",
            lf.at("revised"), "write the date the text was last revised, today or earlier",
        )  # fmt: skip
    review = lf.review
    if review is None:
        return
    if review < lf.revised:
        ctx.report.error(
            "review-date", f"review date {review} is before the revised date {lf.revised}",
            lf.at("review"),
        )  # fmt: skip
    elif review < ctx.today:
        ctx.report.warning(
            "review-overdue", f"the review date {review} has passed",
            lf.at("review"), "review the leaflet, then update 'revised' and 'review'",
        )  # fmt: skip
