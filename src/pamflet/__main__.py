"""`python -m pamflet` and the `pamflet` command: quiet on Ctrl-C from the first instant."""

import gc
import os
import signal
import sys


def _early(signum: int, frame: object) -> None:
    """A signal while pamflet is still starting: nothing was written, leave at once."""
    sys.stderr.write("pamflet: interrupted; nothing was changed\n")
    sys.stderr.flush()
    os._exit(128 + signum)


def main() -> None:
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _early)
    # pypdf loads a cipher library when one is installed (cryptography takes 35 ms to import);
    # pamflet never encrypts or decrypts a PDF, so the command does without: pypdf falls back.
    for name in ("cryptography", "Crypto"):
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]
    from pamflet.cli import run  # imports take a while; the handler above covers them

    # A catalogue's check keeps hundreds of thousands of objects to the end, and the collector's
    # default thresholds scan them again and again: a quarter of a cold check. What the imports
    # made is set aside for good, and collections come less often (memory stays as it was).
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    try:
        run()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # no interpreter shutdown, where a late Ctrl-C would kill with a signal


if __name__ == "__main__":
    main()
