"""The command line: parse options, run the pipeline, print diagnostics, set the exit code.

`base` holds the group and what commands share; `stages` the pipeline's commands (check, build,
schema); `authoring` the authors' (init, new, list, watch, preview); `control` document control
(release, diff). Importing them registers
their commands on `main`.
"""

from __future__ import annotations

import os
import signal
import sys

import click

from pamflet.cli import authoring, control, stages, translate  # noqa: F401  (register commands)
from pamflet.cli.base import Interrupted, main, on_signal


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
        signal.signal(sig, on_signal)
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
