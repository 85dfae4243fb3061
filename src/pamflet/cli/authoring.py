"""Commands for authors: init, new, list, watch, preview. Thin: the work is in their modules."""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

import click

from pamflet import pipeline
from pamflet.cli.base import (
    FORMATS,
    Interrupted,
    Settings,
    emit,
    fail_usage,
    main,
    project_after,
    usable_cpus,
)
from pamflet.cli.stages import run_build
from pamflet.diagnostics import Report, did_you_mean
from pamflet.model import FORMATS as PAPER
from pamflet.model import KINDS, STARTERS
from pamflet.project import ProjectNotFound

DUE_DAYS = 90


@main.command()
@click.argument("path", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--language", type=click.Choice(STARTERS), default="nl", show_default=True)
@click.option("--organisation", help="Your organisation's name (default: an example name).")
def init(path: Path, language: str, organisation: str | None) -> None:
    """Start a project in PATH (default: here) that checks clean and builds at once."""
    from pamflet.authoring.scaffold import ScaffoldProblem, init_project

    try:
        made, kept = init_project(path, language, organisation)
    except ScaffoldProblem as exc:
        fail_usage(str(exc))
    for rel in made:
        click.echo(f"created {path / rel}")
    for rel in kept:
        click.echo(f"kept {path / rel} as it was")
    where = "" if path.resolve() == Path.cwd().resolve() else f"cd {path} && "
    click.echo(f"next: {where}pamflet check && pamflet build   (see README.md)", err=True)


@main.group()
def new() -> None:
    """Add a leaflet or a block to the current project, from a template."""


@new.command("leaflet")
@click.argument("code")
@click.option("--title", required=True, help="The leaflet's title.")
@click.option("--format", "fmt", type=click.Choice(PAPER), default="A4", show_default=True)
@project_after
@click.pass_obj
def new_leaflet(settings: Settings, code: str, title: str, fmt: str) -> None:
    """Add leaflets/<code>.yaml with one section to fill in."""
    from pamflet.authoring.scaffold import ScaffoldProblem
    from pamflet.authoring.scaffold import new_leaflet as make

    survey = _survey(settings.folder)
    codes = {lf.code for lf in survey.project.leaflets}
    try:
        rel = make(settings.folder, code, title, survey.project.settings.language, fmt, codes)
    except ScaffoldProblem as exc:
        fail_usage(str(exc))
    click.echo(f"created {rel}")


@new.command("block")
@click.argument("block_id", metavar="ID")
@click.option("--kind", type=click.Choice(KINDS), default="text", show_default=True)
@click.option("--title", help="The block's title (default: from its id).")
@project_after
@click.pass_obj
def new_block(settings: Settings, block_id: str, kind: str, title: str | None) -> None:
    """Add content/<ID>.md with the fields its kind needs."""
    from pamflet.authoring.scaffold import ScaffoldProblem
    from pamflet.authoring.scaffold import new_block as make

    project = _survey(settings.folder).project
    lang, country = project.settings.language, project.settings.country
    try:
        rel = make(settings.folder, block_id, kind, title, lang, country)
    except ScaffoldProblem as exc:
        fail_usage(str(exc))
    click.echo(f"created {rel}")
    shown = rel.removeprefix("content/").removesuffix(".md")
    use = "contact" if kind == "contact" else "content"
    click.echo(f"add it to a leaflet's sections: '- {use}: {shown}'", err=True)


def _survey(folder: Path, report: Report | None = None) -> pipeline.Survey:
    try:
        return pipeline.survey(folder, report or Report())
    except ProjectNotFound as exc:
        fail_usage(str(exc))


@main.command("list")
@click.option("--blocks", is_flag=True, help="List the blocks and the leaflets that use each.")
@click.option("--uses", "block", metavar="BLOCK", help="Where leaflets show or link to BLOCK.")
@click.option(
    "--due", type=click.IntRange(min=0), is_flag=False, flag_value=DUE_DAYS, default=None,
    metavar="[DAYS]", help=f"Leaflets due for review within DAYS (default {DUE_DAYS}).",
)  # fmt: skip
@click.option("--versions", "history", metavar="CODE", help="The archived versions of CODE.")
@click.option(
    "--on", "day", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE",
    help="With a CODE: the version that was current on DATE (YYYY-MM-DD).",
)  # fmt: skip
@click.argument("code", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@project_after
@click.pass_obj
def list_(
    settings: Settings, blocks: bool, block: str | None, due: int | None, fmt: str,
    history: str | None, day: dt.datetime | None, code: str | None,
) -> None:  # fmt: skip
    """List the leaflets (or blocks, uses, reviews due, archived versions) of the project."""
    from pamflet.authoring import listing

    if history is not None or day is not None or code is not None:
        _versions(settings.folder, history or code, day.date() if day else None, fmt)
        return
    report = Report()
    survey = _survey(settings.folder, report)
    today = dt.date.today()
    if block is not None:
        block = block.removeprefix("content/").removesuffix(".md")
        if block not in survey.project.blocks:
            hint = did_you_mean(block, survey.project.blocks)
            fail_usage(f"there is no block '{block}'" + (f"; {hint}" if hint else ""))
        rows: Any = listing.use_rows(survey, block)
        text = listing.uses_text(rows) or f"no leaflet uses '{block}'"
    elif blocks:
        rows = listing.block_rows(survey)
        text = listing.blocks_text(rows)
    else:
        rows = listing.leaflet_rows(survey, settings.folder / "build", today)
        if due is not None:
            rows = listing.due_rows(rows, due)
            text = listing.due_text(rows) if rows else f"no review due within {due} days"
        else:
            text = listing.leaflets_text(rows)
    if fmt == "json" and not block:  # the plain-language figures (as check --readability)
        _add_readability(survey, rows, blocks, block)
    click.echo(json.dumps(rows, indent=2, ensure_ascii=False) if fmt == "json" else text)
    if report.errors:
        click.echo(f"pamflet: the project has {report.summary()}: run pamflet check", err=True)


def _versions(folder: Path, code: str | None, day: dt.date | None, fmt: str) -> None:
    """`list --versions CODE` and `list --on DATE CODE`."""
    from pamflet.authoring import listing
    from pamflet.project import ProjectDir
    from pamflet.records import archive

    if code is None:
        fail_usage("name the leaflet: pamflet list --versions CODE, pamflet list --on DATE CODE")
    try:
        files = ProjectDir.open(folder)
    except (ProjectNotFound, OSError) as exc:
        fail_usage(str(exc))
    found = listing.archived_code(files, code)
    history = archive.releases(files, found) if found else []
    if not history:
        fail_usage(f"no archived version of {code}: release it with pamflet release {code}")
    rows = [listing.release_row(r) for r in history]
    if day is not None:
        current = archive.current_on(history, day)
        if current is None:
            first = history[0]
            fail_usage(f"{first.code} had no released version on {day} "
                       f"(the first, v{first.version}, was released {first.released})")  # fmt: skip
        rows = [listing.release_row(current)]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        click.echo(listing.releases_text(rows, day))


def _add_readability(survey: pipeline.Survey, rows: Any, blocks: bool, block: str | None) -> None:
    from pamflet.authoring.readability import measure_blocks, measure_docs

    if block is not None:
        return
    figures = measure_blocks(survey) if blocks else measure_docs(survey)
    key = "id" if blocks else "code"
    for row in rows:
        if row[key] in figures:
            row["readability"] = figures[row[key]].as_dict()


@main.command()
@click.argument("codes", nargs=-1)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Output folder.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=lambda: usable_cpus())
@click.option("--debounce", type=click.IntRange(50, 10_000), default=300, show_default=True,
              help="Milliseconds to wait for an editor to finish saving.")  # fmt: skip
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@project_after
@click.pass_obj
def watch(
    settings: Settings, codes: tuple[str, ...], out: Path | None, jobs: int, debounce: int,
    fmt: str,
) -> None:  # fmt: skip
    """Build, then rebuild what an edit affects whenever a project file changes."""
    from pamflet.authoring.watch import edits

    project = settings.folder.resolve()
    target = (out or project / "build").resolve()
    _round(project, codes, out, jobs, fmt, "")
    click.echo("watching for changes; press Ctrl-C to stop", err=True)
    try:
        for names in edits(project, target, debounce):
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            _round(project, codes, out, jobs, fmt, shown)
    except (KeyboardInterrupt, Interrupted):
        click.echo("stopped watching", err=True)
        sys.exit(0)


def _round(
    project: Path, codes: tuple[str, ...], out: Path | None, jobs: int, fmt: str, changed: str
) -> None:
    """One build of a watch: the previous PDFs stay when it fails."""
    stamp = time.strftime("%H:%M:%S")
    if changed:
        click.echo(f"[{stamp}] changed: {changed}", err=True)
    report = Report()
    try:
        result = run_build(project, codes, out, report, False, jobs, False, (1, 1))
    except SystemExit as exc:  # a usage problem (a code renamed away): say it, and wait
        if exc.code != 2:
            raise
        click.echo(f"[{stamp}] waiting for the next change", err=True)
        return
    emit(report, fmt)
    if report.failed(False):
        click.echo(f"[{stamp}] build failed; the previous PDFs are kept", err=True)
        return
    made = ", ".join(o.code for o in result.outputs)
    done = f"built {made}" if made else "no leaflet changed"
    click.echo(f"[{stamp}] {done} ({result.up_to_date} up to date)", err=True)


@main.command()
@click.argument("code")
@click.option("--pages", default="", metavar="RANGE", help="Pages to show, e.g. 1-2 or 1,3.")
@click.option("--dpi", type=click.IntRange(20, 600), default=80, show_default=True)
@click.option("--sheet", is_flag=True, help="One contact-sheet image of the pages.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the images (default: build/preview).")  # fmt: skip
@project_after
@click.pass_obj
def preview(
    settings: Settings, code: str, pages: str, dpi: int, sheet: bool, out: Path | None
) -> None:
    """Build the leaflet if needed, then write PNG images of its pages."""
    try:
        from pamflet.authoring import preview as pv
    except ImportError:
        fail_usage("pamflet preview needs pypdfium2: pip install 'pypdfium2>=4.30'")
    project = settings.folder
    report = Report()
    result = run_build(project, (code,), None, report, False, 1, False, (1, 1))
    emit(report, "text")
    if report.failed(False):
        click.echo("pamflet: build failed; no preview was made", err=True)
        sys.exit(1)
    name = next((n for o in result.outputs for n in o.files if n.endswith(".pdf")), None)
    pdf = project / "build" / (name or built_pdf(project / "build", code))
    try:
        written = pv.write_preview(pdf, out or project / "build" / "preview", pages, dpi, sheet)
    except pv.PreviewProblem as exc:
        fail_usage(str(exc))
    for path in written:
        click.echo(str(path))


def built_pdf(folder: Path, code: str) -> str:
    """The reading PDF the last build wrote for `code` (codes match without regard to case)."""
    from pamflet.records.manifest import load

    for written, entry in load(folder).items():
        if written.upper() == code.upper():
            return next((n for n in entry.files if not n.endswith("-print.pdf")), f"{code}.pdf")
    return f"{code}.pdf"
