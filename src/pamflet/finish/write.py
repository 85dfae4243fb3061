"""All-or-nothing output: every file is staged beside its target, then all are moved in.

A failure while moving puts every previous file back; an interruption before the move leaves
them untouched; temporaries of a run that was killed are removed by the next one.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

STAGED = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[^.]+\.(tmp|old)$")


class WriteProblem(OSError):
    """What could not be written, and that nothing was changed."""


def _mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: leave its files alone
        return True
    return True


def remove_stale(folder: Path) -> list[Path]:
    """Remove temporaries left by a pamflet run that no longer exists (killed mid-write)."""
    removed = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            match = STAGED.match(entry.name)
            if match and entry.is_file(follow_symlinks=False) and not _alive(int(match["pid"])):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


def stage(folder: Path, name: str, data: bytes, into: dict[str, bytes | Path]) -> Path:
    """Write `data` to a temporary file beside its target, to be moved in by write_atomically
    (a build stages each leaflet as it is made instead of holding every PDF in memory), and
    record it in `into` at once: an interruption never leaves a temporary nobody knows of."""
    folder.mkdir(parents=True, exist_ok=True)
    with signals_held():
        path = into[name] = _stage(folder, name, data)
    return path


def _stage(folder: Path, name: str, data: bytes, suffix: str = ".tmp") -> Path:
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.{os.getpid()}.", suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _mode())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return Path(tmp)


def write_atomically(
    folder: Path,
    files: dict[str, bytes | Path],
    remove: list[str] = (),  # type: ignore[assignment]
) -> tuple[list[Path], list[Path]]:
    """Write all files and remove `remove`, or change nothing; return what was written and removed.

    A file's content is bytes, or a Path made by `stage` (moved in, or removed on failure).
    Targets that are not regular files are refused before anything is staged. While moving in,
    each previous file is kept aside; if a move fails, every target gets its previous content
    back (or is removed if it had none) and WriteProblem says so.
    """
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale(folder)
    targets = {name: folder / name for name in [*files, *remove]}
    staged: dict[str, Path] = {n: d for n, d in files.items() if isinstance(d, Path)}
    for name, target in targets.items():
        if (target.exists() and not target.is_file()) or target.is_symlink():
            for tmp in staged.values():
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            raise WriteProblem(f"{name} is not a regular file; no file was written")
    kept: dict[str, Path] = {}  # previous files, moved aside
    moved: list[str] = []
    try:
        for name, data in files.items():
            if not isinstance(data, Path):
                staged[name] = _stage(folder, name, data)
        with signals_held():  # an interruption waits until every file is in, or put back
            try:
                for name, target in targets.items():
                    _move_in(name, target, folder, staged, kept, remove)
                    moved.append(name)
            except BaseException:
                _roll_back(targets, kept, moved)
                raise
    except OSError as exc:
        raise WriteProblem(
            f"cannot write {exc.filename or folder}: {exc.strerror or exc}; no file was changed"
        ) from None
    finally:
        for tmp in [*staged.values(), *kept.values()]:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    written = [targets[n] for n in moved if n not in remove]
    return written, [targets[n] for n in moved if n in remove]


def _move_in(
    name: str, target: Path, folder: Path, staged: dict[str, Path], kept: dict[str, Path],
    remove: list[str],
) -> None:  # fmt: skip
    """Put one file in place (or remove it), keeping the previous one aside in `kept`."""
    if name in remove and not target.exists():
        return
    if target.exists():
        kept[name] = folder / f".{name}.{os.getpid()}.previous.old"  # known before it exists
        _keep(target, kept[name])
    if name in remove:
        os.unlink(target)
    else:
        os.replace(staged.pop(name), target)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back while files are moved in: the move is a few renames, and a
    signal in the middle of it would leave some files new and some old. The handler runs when
    the block ends."""
    held = {signal.SIGINT, signal.SIGTERM}
    if (
        not hasattr(signal, "pthread_sigmask")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _keep(target: Path, aside: Path) -> Path:
    """A second name for the previous file (a copy where hard links are not possible)."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(aside)
    try:
        os.link(target, aside)
    except OSError:
        shutil.copy2(target, aside)
    return aside


def _roll_back(targets: dict[str, Path], kept: dict[str, Path], moved: list[str]) -> None:
    for name in moved:
        with contextlib.suppress(OSError):
            if name in kept:
                os.replace(kept.pop(name), targets[name])
            else:
                os.unlink(targets[name])
