"""`pamflet translate`: the state of each language's translations (and XLIFF for agencies)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from pamflet.cli.base import FORMATS, Settings, emit, fail_usage, main, project_after
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


@translate.command("export")
@click.option("--language", "lang", required=True, help="The language to translate into.")
@click.option("--stale", is_flag=True, help="Only what is stale or missing.")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="The XLIFF file to write (default: build/translate-<language>.xlf).",
)  # fmt: skip
@project_after
@click.pass_obj
def export(settings: Settings, lang: str, stale: bool, out: Path | None) -> None:
    """Write one XLIFF 2.0 file with everything to translate into LANGUAGE."""
    from pamflet import pipeline
    from pamflet.authoring import xliff
    from pamflet.finish.write import write_atomically
    from pamflet.resolve.translations import status as rows_of

    report = Report()
    try:
        ctx = pipeline.resolved(settings.folder, report, None, None, fresh=True)
    except ProjectNotFound as exc:
        fail_usage(str(exc))
    project = ctx.project
    rows = [r for r in rows_of(ctx) if r["language"] == lang]
    if not rows:
        fail_usage(f"no leaflet lists '{lang}': add it to a leaflet's 'languages' first")
    if stale:
        rows = [r for r in rows if r["status"] != "up to date"]
    blocks = {b.path: b for b in project.blocks.values()}
    docs = []
    for r in rows:
        source, blob = r["source"], ctx.files.blob(r["source"]) or ""
        if source in blocks:
            block = blocks[source]
            docs.append(xliff.block_doc(block, blob, project.translations.get((block.id, lang))))
        else:
            lf = project.leaflet_paths[source]
            docs.append(
                xliff.leaflet_doc(lf, blob, project.leaflet_translations.get((lf.path, lang)))
            )
    target = out or settings.folder / "build" / f"translate-{lang}.xlf"
    source_lang = project.settings.language
    write_atomically(target.parent, {target.name: xliff.export(docs, source_lang, lang)})
    units = sum(len(d.units) for d in docs)
    click.echo(f"wrote {target}: {len(docs)} file(s), {units} unit(s) to translate into {lang}")


@translate.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@project_after
@click.pass_obj
def import_(settings: Settings, file: Path, fmt: str) -> None:
    """Write the translations an XLIFF file holds (.<lang>.md, .<lang>.yaml), all or none."""
    from pamflet import pipeline
    from pamflet.authoring.translation_files import import_file
    from pamflet.finish.write import write_atomically

    report = Report()
    try:
        ctx = pipeline.resolved(settings.folder, Report(), None, None, fresh=True)
    except ProjectNotFound as exc:
        fail_usage(str(exc))
    written = import_file(ctx.files, ctx.project, file.read_bytes(), str(file), report)
    if report.errors or not written:
        emit(report, fmt)
        click.echo("pamflet: nothing was imported", err=True)
        sys.exit(1)
    by_folder: dict[Path, dict[str, bytes]] = {}
    for rel, text in written.items():
        path = settings.folder / rel
        by_folder.setdefault(path.parent, {})[path.name] = text.encode("utf-8")
    for folder, files in sorted(by_folder.items()):
        write_atomically(folder, dict(files))
    for rel in sorted(written):
        click.echo(f"wrote {rel}")
