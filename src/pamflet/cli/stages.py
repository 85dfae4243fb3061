"""The command line: parse options, run the pipeline, print diagnostics, set the exit code."""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from pamflet import __version__, pipeline
from pamflet.diagnostics import Location, Report
from pamflet.project import ProjectNotFound, find_project

FORMATS = click.Choice(["text", "github", "json"])


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived; unwinding removes temporary files.

    A BaseException, like KeyboardInterrupt, so that no `except Exception` on the way swallows it.
    """

    def __init__(self, signum: object = signal.SIGTERM) -> None:
        self.signum = signum if isinstance(signum, int) else int(signal.SIGTERM)
        super().__init__(signal.Signals(self.signum).name)


def _raise(signum: int, frame: object) -> NoReturn:
    raise Interrupted(signum)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pamflet")
@click.option(
    "--project",
    "project",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="The project folder (default: the nearest folder with pamflet.yaml, upward).",
)
@click.pass_context
def main(ctx: click.Context, project: Path | None) -> None:
    """Build print-ready, clickable PDF leaflets from reusable content blocks."""
    ctx.obj = Settings(project)


class Settings:
    """The project folder: given with --project (before or after the command) or found upward."""

    def __init__(self, given: Path | None) -> None:
        self.given = given

    @property
    def folder(self) -> Path:
        if self.given is not None:
            return self.given
        try:
            return find_project(Path.cwd())
        except ProjectNotFound as exc:
            fail_usage(str(exc))


def _set_project(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.find_object(Settings).given = value  # type: ignore[union-attr]


project_after = click.option(
    "--project",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    expose_value=False,
    callback=_set_project,
    help="The project folder; also accepted before the command.",
)


def emit(report: Report, fmt: str) -> None:
    """Print the diagnostics on stdout, the summary on stderr."""
    text = report.render(fmt)
    if text or fmt == "json":
        click.echo(text)
    if fmt == "text" and (report.errors or report.warnings):
        click.echo(report.summary(), err=True)


def usable_cpus() -> int:
    """CPUs this process may run on (a container or taskset may allow fewer than the machine has)."""
    try:
        return max(1, min(64, len(os.sched_getaffinity(0))))
    except AttributeError:  # not on Linux
        return max(1, min(64, os.cpu_count() or 1))


def fail_usage(message: str) -> NoReturn:
    click.echo(f"pamflet: error: {message}", err=True)
    sys.exit(2)


@main.command()
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.option(
    "--readability", is_flag=True,
    help="Also report words, sentences and reading ease per leaflet and block.",
)  # fmt: skip
@project_after
@click.pass_obj
def check(settings: Settings, strict: bool, fmt: str, readability: bool) -> None:
    """Validate the whole project; write nothing."""
    project = settings.folder
    report = Report()
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
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.option(
    "--shard", type=str, default="1/1", metavar="K/N",
    help="Build only shard K of N (a stable share of the leaflets, for CI matrices).",
)  # fmt: skip
@click.option("--force", is_flag=True, help="Render every leaflet, also those up to date.")
@project_after
@click.pass_obj
def build(
    settings: Settings, codes: tuple[str, ...], strict: bool, out: Path | None, jobs: int,
    print_marks: bool, fmt: str, shard: str, force: bool,
) -> None:  # fmt: skip
    """Check the project, then build build/<code>.pdf for each (or each named) leaflet."""
    project = settings.folder
    from pamflet.finish.metadata import epoch_problem

    if problem := epoch_problem():
        fail_usage(problem)
    report = Report()
    previous = {s: signal.signal(s, _raise) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        result = _build(
            project, codes, out, report, strict, jobs, print_marks, parse_shard(shard), force
        )
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
    if result.up_to_date:
        click.echo(
            f"{result.up_to_date} leaflet{'s' * (result.up_to_date != 1)} up to date", err=True
        )
    click.echo(
        f"built {count} leaflet{'s' * (count != 1)}, {pages} page{'s' * (pages != 1)}, "
        f"in {result.seconds:.1f} s",
        err=True,
    )


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


def _build(
    project: Path, codes: tuple[str, ...], out: Path | None, report: Report, strict: bool,
    jobs: int, print_marks: bool, shard: tuple[int, int], force: bool = False,
) -> pipeline.BuildResult:  # fmt: skip
    from pamflet.finish.write import WriteProblem

    options = pipeline.Options(print_marks=print_marks, force=force)
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
@click.argument("kind", type=click.Choice(["pamflet", "leaflet", "front-matter", "layout"]))
def schema(kind: str) -> None:
    """Print the JSON Schema of a file kind (for editors)."""
    from pamflet.load.schema import json_schema

    click.echo(json.dumps(json_schema(kind), indent=2, ensure_ascii=False))


def _interruption(exc: BaseException | None) -> Interrupted | None:
    """The interruption behind an exception (Python wraps some, e.g. in __set_name__)."""
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, Interrupted):
            return exc
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return None


def run() -> None:
    """Entry point: a crash is reported in one line, never as a traceback."""
    for sig in (signal.SIGINT, signal.SIGTERM):  # Click would print 'Aborted!' for Ctrl-C
        signal.signal(sig, _raise)
    try:
        main(standalone_mode=True)
    except (KeyboardInterrupt, Interrupted) as exc:  # outside the build's own handler
        click.echo("pamflet: interrupted", err=True)
        sys.exit(128 + getattr(exc, "signum", signal.SIGINT))
    except Exception as exc:
        cause = _interruption(exc)
        if cause is not None:  # raised inside an import, and wrapped by Python
            click.echo("pamflet: interrupted", err=True)
            sys.exit(128 + cause.signum)
        if os.environ.get("PAMFLET_DEBUG"):
            raise
        click.echo(
            f"pamflet: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in pamflet, not in your project; please report it "
            "(set PAMFLET_DEBUG=1 for details).",
            err=True,
        )
        sys.exit(70)


from pamflet.cli import authoring  # noqa: E402, F401  (registers init, new, list, watch, preview)
