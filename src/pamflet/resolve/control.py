"""The document-control step: is the leaflet approved, and does the approval still cover what it
reads; the publishing policy of `pamflet release`; the feedback route, the sources and the
colophon printed at the end.

An approval covers the words and pictures the leaflet reads: its own file, the blocks it shows,
links to or names, the leaflets it links to and its images (not the house style). It is stale
when one of them changed after it:
- once a version was released with this approval, when a file's git blob id differs from the
  one the archive record holds (exact, also on the same day);
- before that, when a file changed on a later day than `approved.on`.
Either way only a change made after the leaflet file was last written counts: writing the
leaflet file is how an approval is recorded. Change times are git's for files it has unchanged
(see records/history.py), so a fresh clone in CI judges as the author's machine does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from pamflet import model as m
from pamflet.load.markdown import slugify
from pamflet.load.phones import tel_uri
from pamflet.load.rules import short_url
from pamflet.records import archive
from pamflet.records.history import History
from pamflet.resolve import labels
from pamflet.resolve.blocks import lookup
from pamflet.resolve.context import Context
from pamflet.resolve.sections import shown_refs

SLACK = 2.0  # seconds: files written with the leaflet, by one script or one checkout
NOT_APPROVAL = ("pamflet.yaml", "layouts/")  # the house style is not what a doctor approves


def document_control(ctx: Context, lf: m.Leaflet, doc: m.Document) -> m.Document:
    """The document with its control fields, draft flag and colophon."""
    feedback = feedback_route(ctx, lf)
    sources = all_sources(ctx, lf)
    stale = approval_problem(ctx, lf)
    release = ctx.releasing(lf.code)
    if release:
        policy(ctx, lf, sources)
    draft = doc.style.draft_mark and (lf.approved is None or stale) and not release
    shown = layout_colophon(ctx, lf)
    colophon = colophon_nodes(doc, lf, shown, sources, feedback) if controlled(lf, sources) else ()
    return replace(
        doc, version=lf.version, approved=lf.approved, review=lf.review, draft=bool(draft),
        colophon=colophon,
    )  # fmt: skip


def controlled(lf: m.Leaflet, sources: list[m.Reference]) -> bool:
    """A leaflet under document control: it says its version, approval, sources or route."""
    return bool(lf.version or lf.approved or sources or lf.feedback or lf.reviewed_by)


def layout_colophon(ctx: Context, lf: m.Leaflet) -> tuple[str, ...]:
    layout = ctx.project.layouts.get(lf.layout)
    return layout.colophon if layout is not None else m.COLOPHON


def read_by(ctx: Context, lf: m.Leaflet) -> list[str]:
    """The project files the leaflet's words and pictures come from, but for its own file."""
    blocks = ctx.project.blocks
    paths = {blocks[b].path for b in ctx.by_leaflet.get(lf.code, ()) if b in blocks}
    paths |= set(ctx.reads) | set(ctx.linked)
    return sorted(p for p in paths if p != lf.path and not p.startswith(NOT_APPROVAL))


def approval_problem(ctx: Context, lf: m.Leaflet) -> str | None:
    """Why the approval no longer covers the leaflet (reported), or None."""
    if lf.approved is None:
        return None
    approval = (lf.approved.by, lf.approved.on)
    if ctx.history is None:
        ctx.history = History(ctx.files)
    history = ctx.history
    own = history.changed(lf.path)
    released = [r for r in archive.releases(ctx.files, lf.code) if r.approval == approval]
    why = None
    for path in read_by(ctx, lf):
        when = history.changed(path)
        if released:
            if ctx.files.blob(path) != released[-1].reads.get(path) and when > own:
                why = f"{path} changed after version {released[-1].version} was released with it"
                break
        elif dt.date.fromtimestamp(when) > lf.approved.on and when > own + SLACK:
            day = dt.date.fromtimestamp(when).isoformat()
            why = f"{path} changed on {day}, after the approval"
            break
    if why is not None:
        report = ctx.report.error if ctx.releasing(lf.code) else ctx.report.warning
        report(
            "approval-stale", f"the approval of {lf.approved.on} is stale: {why}",
            lf.approved.loc, "have the leaflet approved again, then update 'approved'",
        )  # fmt: skip
    return why


def policy(ctx: Context, lf: m.Leaflet, sources: list[m.Reference]) -> None:
    """What `pamflet release` insists on: an approval and a version, and what
    `publishing.require` in pamflet.yaml names."""
    present = {
        "approved": lf.approved is not None,
        "sources": bool(sources),
        "feedback": lf.feedback is not None,
        "review": lf.review is not None,
        "version": lf.version is not None,
        "owner": lf.owner is not None,
    }
    examples = {
        "approved": "approved: {by: ..., on: YYYY-MM-DD}",
        "sources": "sources: [{title: ..., author: ..., year: ..., url: ...}]",
        "feedback": "feedback: <a contact block, an e-mail or a web address>",
        "review": "review: YYYY-MM-DD",
        "version": "version: 1",
        "owner": "owner: ...",
    }
    needed = dict.fromkeys(("approved", "version", *ctx.project.settings.require))
    for name in needed:
        if present[name]:
            continue
        why = (
            "the publishing policy (pamflet.yaml) requires"
            if name in ctx.project.settings.require
            else "a release needs"
        )
        ctx.report.error(
            "release-policy", f"{why} '{name}', and this leaflet has none", lf.loc,
            f"add '{examples[name]}'",
        )  # fmt: skip


def feedback_route(ctx: Context, lf: m.Leaflet) -> tuple[m.Inline, ...]:
    """How a patient reports a mistake, as linked text: a contact block's name, phone, e-mail
    and web address; an e-mail address; or a web address."""
    value = lf.feedback
    if value is None:
        return ()
    where = lf.at("feedback")  # checked at load (load/rules.py: feedback_route)
    if "://" in value:
        return (m.Link((m.Text(short_url(value)),), href=value),)
    if "@" in value:
        return (m.Link((m.Text(value),), href=f"mailto:{value}"),)
    block = lookup(ctx, m.Ref(value, where), "feedback")
    if block is None:
        return ()
    runs: list[m.Inline] = [m.Text(block.name or block.title)]
    if block.phone:
        uri = tel_uri(block.phone, ctx.project.settings.country)
        runs += [m.Text(", "), m.Link((m.Text(block.phone),), href=uri)]
    if block.email:
        runs += [m.Text(", "), m.Link((m.Text(block.email),), href=f"mailto:{block.email}")]
    if block.url:
        runs += [m.Text(", "), m.Link((m.Text(short_url(block.url)),), href=block.url)]
    if len(runs) == 1:
        ctx.report.error(
            "feedback", f"block '{block.id}' has no phone, email or url to reach it", where,
            f"add one to {block.path}, or give an e-mail or web address",
        )  # fmt: skip
    return tuple(runs)


def all_sources(ctx: Context, lf: m.Leaflet) -> list[m.Reference]:
    """The leaflet's sources, then those of the blocks whose text it shows; each once."""
    found: dict[tuple[str, str | None], m.Reference] = {}
    blocks = [ctx.project.blocks.get(ref) for ref in shown_refs(lf)]
    for ref in [*lf.sources, *(s for b in blocks if b is not None for s in b.sources)]:
        found.setdefault((ref.title.casefold(), ref.url), ref)
    return list(found.values())


def colophon_nodes(
    doc: m.Document, lf: m.Leaflet, shown: tuple[str, ...], sources: list[m.Reference],
    feedback: tuple[m.Inline, ...],
) -> tuple[m.Node, ...]:  # fmt: skip
    """'About this leaflet': version and date, approval, reviewers, numbered sources, where to
    send a comment, the review date; each as the layout's `colophon:` allows."""
    lang, loc = lf.language, lf.loc
    if not shown:
        return ()

    def para(*runs: m.Inline) -> m.Para:
        return m.Para(tuple(runs), loc)

    def date(day: dt.date) -> str:
        return labels.long_date(day, lang)

    out: list[m.Node] = []
    if "version" in shown and lf.version is not None:
        out.append(para(m.Text(labels.label(lang, "version", version=lf.version,
                                            date=date(lf.revised)))))  # fmt: skip
    if "approved" in shown and lf.approved is not None:
        text = labels.label(lang, "approved", by=lf.approved.by, date=date(lf.approved.on))
        out.append(para(m.Text(text)))
    if "reviewed_by" in shown and lf.reviewed_by:
        out.append(para(m.Text(labels.label(lang, "reviewed_by", names=", ".join(lf.reviewed_by)))))
    if "sources" in shown and sources:
        out.append(para(m.Styled("strong", (m.Text(labels.label(lang, "sources")),))))
        items = tuple((para(*reference(ref)),) for ref in sources)
        out.append(m.ListBlock(True, 1, items, loc))
    if "feedback" in shown and feedback:
        question = m.Styled("strong", (m.Text(labels.label(lang, "feedback")),))
        out.append(para(question, m.Text(" " + labels.label(lang, "feedback_to") + " "), *feedback))
    if "review" in shown and lf.review is not None:
        out.append(para(m.Text(labels.label(lang, "review_by", date=date(lf.review)))))
    if not out:
        return ()
    title = labels.label(lang, "about")
    taken = {n.anchor for n in doc.body if isinstance(n, m.Heading)}
    taken |= {n.heading.anchor for n in doc.body if isinstance(n, m.Contact)}
    taken |= {c.anchor for n in doc.body if isinstance(n, m.CardGrid) for c in n.cards}
    anchor, n = slugify(title), 1
    while anchor in taken:
        n += 1
        anchor = f"{slugify(title)}-{n}"
    return (m.Heading(2, (m.Text(title),), anchor, loc, title), *out)


def reference(ref: m.Reference) -> list[m.Inline]:
    """'Title. Author, 2024. www.example.org/page' with the address linked."""
    parts = [ref.title.rstrip(".") + "."]
    who = ", ".join(str(x) for x in (ref.author, ref.year) if x)
    if who:
        parts.append(who + ".")
    runs: list[m.Inline] = [m.Text(" ".join(parts))]
    if ref.url:
        runs += [m.Text(" "), m.Link((m.Text(short_url(ref.url)),), href=ref.url)]
    return runs
