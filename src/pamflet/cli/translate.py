"""`pamflet translate`: the state of each language's translations (and XLIFF for agencies)."""

from __future__ import annotations

import json

import click

from pamflet.cli.base import Settings, fail_usage, main, project_after
from pamflet.diagnostics import Report
from pamflet.project import ProjectNotFound


@main.group()
def translate() -> None:
    """Translations: their state, and XLIFF files for translation agencies."""


@translate.command("status")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@project_after
@click.pass_obj
def status(settings: Settings, fmt: str) -> None:
    """Per language, each leaflet and block: up to date, stale or missing."""
    from pamflet import pipeline
    from pamflet.resolve.translations import status as rows_of

    report = Report()
    try:
        ctx = pipeline.resolved(settings.folder, report, None, None, fresh=True)
    except ProjectNotFound as exc:
        fail_usage(str(exc))
    rows = rows_of(ctx)
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("no leaflet lists another language ('languages: [nl, tr]')")
        return
    width = max(len(r["status"]) for r in rows)
    for r in rows:
        click.echo(f"{r['language']}  {r['status'].ljust(width)}  {r['translation']}")
    counts = {s: sum(r["status"] == s for r in rows) for s in ("up to date", "stale", "missing")}
    click.echo(", ".join(f"{n} {s}" for s, n in counts.items()), err=True)
