"""`pamflet list`: the leaflets, the blocks and where each is used, the reviews that are due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pamflet.pipeline import Survey
from pamflet.project import ProjectDir
from pamflet.records import archive
from pamflet.records import manifest as cache

HOW = {
    "section": "shows it as a section",
    "contact": "shows it as its contact",
    "card": "shows it as a card",
    "link": "links to it",
    "template": "names it in a template",
}


def leaflet_rows(survey: Survey, out_dir: Path, today: dt.date) -> list[dict[str, Any]]:
    """One row per leaflet, in code order; pages come from the last build's manifest."""
    built = cache.load(out_dir)
    rows = []
    for leaflet in sorted(survey.project.leaflets, key=lambda lf: lf.code.upper()):
        entry = built.get(leaflet.code)
        review = leaflet.review
        rows.append(
            {
                "code": leaflet.code,
                "title": leaflet.title,
                "subtitle": leaflet.subtitle,
                "format": leaflet.format,
                "language": leaflet.language,
                "layout": leaflet.layout,
                "revised": leaflet.revised.isoformat(),
                "review": review.isoformat() if review else None,
                "review_in_days": (review - today).days if review else None,
                "owner": leaflet.owner,
                "url": leaflet.url,
                "path": leaflet.path,
                "pages": entry.pages if entry and entry.pages else None,
                "blocks": sorted(survey.by_leaflet.get(leaflet.code, ())),
            }
        )
    return rows


def block_rows(survey: Survey) -> list[dict[str, Any]]:
    """One row per block with the leaflets that use it (empty: no leaflet does)."""
    rows = []
    for block in sorted(survey.project.blocks.values(), key=lambda b: b.id):
        uses = survey.uses.get(block.id, {})
        rows.append(
            {
                "id": block.id,
                "kind": block.kind,
                "title": block.title,
                "path": block.path,
                "leaflets": sorted({code for code, _, _ in uses}, key=str.upper),
            }
        )
    return rows


def use_rows(survey: Survey, block_id: str) -> list[dict[str, Any]]:
    """Every place a leaflet shows, links to or names the block, sorted by file and line."""
    places = sorted(
        survey.uses.get(block_id, {}), key=lambda u: (u[1].path, u[1].line, u[1].col, u[0])
    )
    return [
        {"leaflet": code, "how": how, "path": loc.path, "line": loc.line, "column": loc.col}
        for code, loc, how in places
    ]


def due_rows(rows: list[dict[str, Any]], days: int) -> list[dict[str, Any]]:
    """Leaflets whose review-by date falls within `days` from today, overdue (earliest) first."""
    due = [r for r in rows if r["review_in_days"] is not None and r["review_in_days"] <= days]
    return sorted(due, key=lambda r: (r["review_in_days"], r["code"]))


def table(rows: Sequence[Sequence[str]]) -> str:
    """Columns padded to their widest cell; the last column is not padded."""
    if not rows:
        return ""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        cells = [cell.ljust(w) for cell, w in zip(row, widths, strict=False)] + [row[-1]]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def leaflets_text(rows: list[dict[str, Any]]) -> str:
    head = ("code", "title", "format", "lang", "revised", "review", "pages")
    keys = ("code", "title", "format", "language", "revised", "review", "pages")
    body = [tuple(str(r[k]) if r[k] else "-" for k in keys) for r in rows]
    return table([head, *body])


def due_text(rows: list[dict[str, Any]]) -> str:
    def when(days: int) -> str:
        if days < 0:
            return f"overdue by {-days} day{'s' * (days != -1)}"
        return "due today" if days == 0 else f"due in {days} day{'s' * (days != 1)}"

    head = ("code", "title", "review", "", "owner")
    body = [
        (r["code"], r["title"], r["review"], when(r["review_in_days"]), r["owner"] or "-")
        for r in rows
    ]
    return table([head, *body])


def blocks_text(rows: list[dict[str, Any]]) -> str:
    head = ("block", "kind", "leaflets")
    body = [(r["id"], r["kind"], ", ".join(r["leaflets"]) or "(no leaflet)") for r in rows]
    return table([head, *body])


def uses_text(rows: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{r['path']}:{r['line']}:{r['column']}: {r['leaflet']} {HOW[r['how']]}" for r in rows
    )


def archived_code(files: ProjectDir, code: str) -> str | None:
    """The code as the archive spells it (codes are matched in any case)."""
    where = files.root / archive.ARCHIVE
    if not where.is_dir():
        return None
    names = {p.name.upper(): p.name for p in where.iterdir() if p.is_dir() and not p.is_symlink()}
    return names.get(code.upper())


def release_row(release: archive.Release) -> dict[str, Any]:
    return {
        "code": release.code,
        "version": release.version,
        "released": release.released.isoformat(),
        "approved_by": release.approved_by,
        "approved_on": release.approved_on.isoformat() if release.approved_on else None,
        "files": {
            f"{archive.folder(release.code)}/{name}": digest
            for name, digest in sorted(release.files.items())
        },
        "record": release.path,
    }


def releases_text(rows: list[dict[str, Any]], day: dt.date | None) -> str:
    head = ("version", "released", "approved", "file")
    body = [
        (
            f"v{r['version']}",
            r["released"],
            f"{r['approved_by']} ({r['approved_on']})" if r["approved_by"] else "-",
            next(iter(r["files"]), "-"),
        )
        for r in rows
    ]
    text = table([head, *body])
    if day is not None and rows:
        text = f"current on {day}: {rows[0]['code']} v{rows[0]['version']}\n{text}"
    return text
