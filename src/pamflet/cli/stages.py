"""The pipeline's commands: check, build and schema."""

from __future__ import annotations

import json
import os
import signal
import sys
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
    on_signal,
    project_after,
    usable_cpus,
)
from pamflet.diagnostics import Location, Report
from pamflet.project import ProjectNotFound


@main.command()
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.option(
    "--readability", is_flag=True,
    help="Also report words, sentences and reading ease per leaflet and block.",
)  # fmt: skip
@click.option(
    "--allow", "allowed", multiple=True, metavar="CODE",
    help="Warnings with this code do not fail --strict (e.g. review-overdue); repeatable.",
)  # fmt: skip
@project_after
@click.pass_obj
def check(
    settings: Settings, strict: bool, fmt: str, readability: bool, allowed: tuple[str, ...]
) -> None:
    """Validate the whole project; write nothing."""
    project = settings.folder
    report = Report(allowed=frozenset(allowed))
    try:
        if readability:
            survey = pipeline.survey(project, report)
            leaflets = survey.project.leaflets
        else:  # the last build's check cache, read only: check writes nothing
            leaflets = pipeline.checked(project, report, project / "build").leaflets
    except ProjectNotFound as exc:
        fail_usage(str(exc))
    if readability:
        from pamflet.authoring import readability as plain

        leaflets, blocks = plain.measure_docs(survey), plain.measure_blocks(survey)
        plain.warn(survey, report, leaflets, blocks)
        if fmt == "text":
            click.echo(plain.table(leaflets, blocks) + "\n")
    emit(report, fmt)
    if fmt == "text" and not (report.errors or report.warnings):
        count = len(leaflets)
        click.echo(f"checked {count} leaflet{'s' * (count != 1)}: no problems", err=True)
    if report.failed(strict) and not report.errors:
        click.echo("pamflet: check failed: --strict counts warnings as errors", err=True)
    sys.exit(1 if report.failed(strict) else 0)


@main.command()
@click.argument("codes", nargs=-1)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: build/ in the project).",
)
@click.option(
    "--jobs", "-j", type=click.IntRange(1, 64), default=lambda: usable_cpus(),
    help="Parallel processes (default: the usable CPUs).",
)  # fmt: skip
@click.option("--print-marks", is_flag=True, help="Add 3 mm bleed and crop marks for a print shop.")
@click.option(
    "--print-shop", is_flag=True,
    help="Print files as PDF/X-4: CMYK with the FOGRA39 output intent, bleed, marks, no links.",
)  # fmt: skip
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.option(
    "--shard", type=str, default="1/1", metavar="K/N",
    help="Build only shard K of N (a stable share of the leaflets, for CI matrices).",
)  # fmt: skip
@click.option("--force", is_flag=True, help="Render every leaflet, also those up to date.")
@click.option(
    "--release", is_flag=True,
    help="Apply the publishing policy: refuse drafts instead of marking them (no archive).",
)  # fmt: skip
@project_after
@click.pass_obj
def build(
    settings: Settings, codes: tuple[str, ...], strict: bool, out: Path | None, jobs: int,
    print_marks: bool, print_shop: bool, fmt: str, shard: str, force: bool, release: bool,
) -> None:  # fmt: skip
    """Check the project, then build build/<code>.pdf for each (or each named) leaflet."""
    project = settings.folder
    from pamflet.finish.metadata import epoch_problem

    if problem := epoch_problem():
        fail_usage(problem)
    report = Report()
    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        result = run_build(
            project, codes, out, report, strict, jobs, print_marks, parse_shard(shard), force,
            release, print_shop,
        )  # fmt: skip
    except Interrupted as exc:
        click.echo(f"pamflet: interrupted by {exc}; nothing was changed", err=True)
        sys.exit(128 + exc.signum)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    emit(report, fmt)
    if report.failed(strict):
        why = " (--strict: warnings count as errors)" if not report.errors else ""
        click.echo(f"pamflet: build failed{why}; no file was written", err=True)
        sys.exit(1)
    pages = sum(o.pages for o in result.outputs)
    count = len(result.outputs)
    fresh = f"{result.up_to_date} leaflet{'s' * (result.up_to_date != 1)} up to date"
    if not count:
        click.echo(
            f"{fresh}; nothing to build" if result.up_to_date else "nothing to build", err=True
        )
        return
    built = f"built {count} leaflet{'s' * (count != 1)}, {pages} page{'s' * (pages != 1)}"
    others = f" ({fresh})" if result.up_to_date else ""
    click.echo(f"{built}, in {result.seconds:.1f} s{others}", err=True)


class Progress:
    """A progress bar on a terminal (not in CI), made once the number of leaflets is known."""

    def __init__(self) -> None:
        self.show = sys.stderr.isatty() and not os.environ.get("CI")
        self.bar: Any = None

    def tick(self, total: int) -> None:
        if not self.show:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="building", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def parse_shard(text: str) -> tuple[int, int]:
    """'K/N' with 1 <= K <= N."""
    k, _, n = text.partition("/")
    if not (k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        fail_usage(f"--shard {text!r}: write K/N with 1 <= K <= N, e.g. --shard 2/4")
    return int(k), int(n)


def run_build(
    project: Path, codes: tuple[str, ...], out: Path | None, report: Report, strict: bool,
    jobs: int, print_marks: bool, shard: tuple[int, int], force: bool = False,
    release: bool = False, print_shop: bool = False,
) -> pipeline.BuildResult:  # fmt: skip
    from pamflet.finish.write import WriteProblem

    options = pipeline.Options(
        print_marks=print_marks or print_shop, print_shop=print_shop, force=force, release=release
    )
    progress = Progress()
    try:
        return pipeline.build(
            project, codes, out, report, strict=strict, jobs=jobs, options=options,
            tick=progress.tick, shard=shard,
        )  # fmt: skip
    except ProjectNotFound as exc:
        fail_usage(str(exc))
    except pipeline.UnknownCode as exc:
        fail_usage(f"no leaflet with code {exc}")
    except WriteProblem as exc:
        report.error("write", str(exc), Location(str(out or "build")))
        return pipeline.BuildResult()
    except OSError as exc:
        where = Location(str(out or "build"))
        report.error("write", f"cannot write the output: {exc.strerror or exc}", where)
        return pipeline.BuildResult()
    finally:
        progress.close()


@main.command()
@click.argument("kind", type=click.Choice(
    ["pamflet", "leaflet", "front-matter", "layout", "leaflet-translation", "front-matter-translation"]
))  # fmt: skip
def schema(kind: str) -> None:
    """Print the JSON Schema of a file kind (for editors)."""
    from pamflet.load.schema import json_schema

    click.echo(json.dumps(json_schema(kind), indent=2, ensure_ascii=False))
