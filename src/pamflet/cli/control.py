"""Document-control commands: release and diff (list --versions / --on are in `authoring`)."""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

import click

from pamflet import pipeline
from pamflet.cli.base import FORMATS, Settings, emit, fail_usage, main, project_after, usable_cpus
from pamflet.cli.stages import run_build
from pamflet.diagnostics import Report
from pamflet.project import ProjectNotFound


@main.command()
@click.argument("codes", nargs=-1)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--jobs", "-j", type=click.IntRange(1, 64), default=lambda: usable_cpus(),
    help="Parallel processes (default: the usable CPUs).",
)  # fmt: skip
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@project_after
@click.pass_obj
def release(settings: Settings, codes: tuple[str, ...], strict: bool, jobs: int, fmt: str) -> None:
    """Check against the publishing policy, build without draft marks, and keep each leaflet's
    files in archive/<code>/ as <code>-v<version>.pdf with a record (never overwritten)."""
    from pamflet.control.release import keep

    project = settings.folder
    report = Report()
    result = run_build(project, codes, None, report, strict, jobs, False, (1, 1), release=True)
    if result.resolver is not None and not report.failed(strict):
        done = keep(result.resolver, result.docs, result.chosen, project / "build", report,
                    dt.date.today())  # fmt: skip
    emit(report, fmt)
    if report.failed(strict):
        click.echo("pamflet: release failed; nothing was archived", err=True)
        sys.exit(1)
    for path in done.written:
        if path.suffix == ".pdf":
            click.echo(f"archived {path.relative_to(project)}")
    for code in done.unchanged:
        click.echo(f"{code}: this version is archived already, with the same contents")


@main.command()
@click.argument("code")
@click.option("--against", "version", type=click.IntRange(min=1), metavar="VERSION",
              help="Compare with this archived version (default: the last one).")  # fmt: skip
@click.option("--git", "rev", metavar="REV", help="Compare with the project at git revision REV.")
@click.option("--pdf", "as_pdf", is_flag=True,
              help="Also write build/<code>-review.pdf: changes marked, not for patients.")  # fmt: skip
@project_after
@click.pass_obj
def diff(settings: Settings, code: str, version: int | None, rev: str | None, as_pdf: bool) -> None:
    """Show the words that changed in a leaflet's resolved text, by section."""
    from pamflet.control import diff as words
    from pamflet.records import archive
    from pamflet.records.text import sections

    if version is not None and rev is not None:
        fail_usage("give --against VERSION or --git REV, not both")
    project = settings.folder
    report = Report()
    try:
        docs = {d.code.upper(): d for d in pipeline.check(project, report)}
    except ProjectNotFound as exc:
        fail_usage(str(exc))
    doc = docs.get(code.upper())
    if doc is None:
        emit(report, "text")
        fail_usage(f"leaflet {code} cannot be resolved (is the code right? run pamflet check)")
    new = sections(doc)
    if rev is not None:
        with tempfile.TemporaryDirectory() as work:
            try:
                root = words.at_revision(project, rev, Path(work))
            except words.DiffProblem as exc:
                fail_usage(f"--git {rev}: {exc}")
            older = {d.code.upper(): d for d in pipeline.check(root, Report())}
        if code.upper() not in older:
            fail_usage(f"leaflet {code} cannot be resolved at {rev}")
        old, against = sections(older[code.upper()]), f"git {rev}"
        shown = rev
    else:
        from pamflet.project import ProjectDir

        history = archive.releases(ProjectDir.open(project), doc.code)
        chosen = [r for r in history if version is None or r.version == version]
        if not chosen:
            known = ", ".join(str(r.version) for r in history) or "none"
            fail_usage(f"no archived version {version or ''} of {doc.code} (archived: {known}); "
                       "release it first, or compare with --git REV")  # fmt: skip
        old, against = chosen[-1].text, f"version {chosen[-1].version}"
        shown = f"v{chosen[-1].version}"
    changes = words.compare(old, new)
    label = f"{doc.code}: changes since {against}"
    if changes:
        click.echo(f"{label}\n\n" + words.terminal(changes, sys.stdout.isatty()))
    else:
        click.echo(f"{label}: none")
    if as_pdf:
        from pamflet.control.review import review_pdf
        from pamflet.finish.write import write_atomically

        name = f"{doc.code}-review.pdf"
        data, problems = review_pdf(doc, old, shown)
        for problem in problems:
            click.echo(problem.text(), err=True)
        if not data:
            raise SystemExit(1)
        write_atomically(project / "build", {name: data})
        click.echo(f"wrote build/{name}", err=True)
