"""Atomic output: every file goes to a temporary name beside its target, then os.replace."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def _mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomically(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """Write all files or none: temporaries first, then each replaces its target.

    A failure or an interruption before the replace leaves every previous file untouched and
    removes the temporaries.
    """
    folder.mkdir(parents=True, exist_ok=True)
    pending: list[tuple[str, Path]] = []
    try:
        for name, data in files.items():
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
            pending.append((tmp, folder / name))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, _mode())
        written = []
        while pending:
            tmp, target = pending[0]
            os.replace(tmp, target)
            pending.pop(0)
            written.append(target)
        return written
    finally:
        for tmp, _ in pending:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
