"""What every command shares: the `pamflet` group, the project option, printing diagnostics,
usage errors, interruptions."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import NoReturn

import click

from pamflet import __version__
from pamflet.diagnostics import Report
from pamflet.project import ProjectNotFound, find_project

FORMATS = click.Choice(["text", "github", "json"])


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived; unwinding removes temporary files.

    A BaseException, like KeyboardInterrupt, so that no `except Exception` on the way swallows it.
    ReportLab re-raises exceptions as `type(exc)(message)` to add context, so a signal number that
    is not an int means the last signal received, not a default.
    """

    last: int = int(signal.SIGTERM)

    def __init__(self, signum: object = None) -> None:
        self.signum = signum if isinstance(signum, int) else Interrupted.last
        super().__init__(signal.Signals(self.signum).name)


def on_signal(signum: int, frame: object) -> NoReturn:
    Interrupted.last = signum
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
    """CPUs this process may run on, as `--jobs` takes them (1 to 64)."""
    from pamflet.load.fork import cores

    return max(1, min(64, cores()))


def fail_usage(message: str) -> NoReturn:
    click.echo(f"pamflet: error: {message}", err=True)
    sys.exit(2)
