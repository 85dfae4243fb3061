"""Many files loaded on two cores: a catalogue's thousands of blocks are read, composed and
checked in a forked child for one half while this process loads the other.

Only where it pays and is safe: a project of at least FORK_FROM files, a POSIX system with
`fork`, more than one core, and no other thread running (a fork copies only the caller's
thread). The child loads into a report and project folder of its own and sends back, in file
order, what it loaded, what it reported and the digests it took; it never writes a file and
ignores Ctrl-C (the parent is interrupted and ends it). When anything about the child goes
wrong, its half is loaded here: the result is the same either way, only slower.
"""

from __future__ import annotations

import contextlib
import copyreg
import os
import pickle
import signal
import threading
from collections.abc import Callable, Sequence
from types import MappingProxyType
from typing import Any, TypeVar

from pamflet.diagnostics import Report
from pamflet.project import ProjectDir

FORK_FROM = 400  # files; below this, starting a process costs more than it saves
T = TypeVar("T")


def _proxy(items: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(items)


copyreg.pickle(MappingProxyType, lambda m: (_proxy, (dict(m),)))  # frozen models hold them


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork(count: int) -> bool:
    return (
        count >= FORK_FROM and hasattr(os, "fork") and cores() > 1 and threading.active_count() == 1
    )


def load_all(
    project: ProjectDir,
    report: Report,
    rels: Sequence[str],
    load: Callable[[ProjectDir, str, Report], T],
) -> list[T]:
    """`load(project, rel, report)` for every path, in order; the second half in a child
    process when the project is large enough."""
    if not can_fork(len(rels)):
        return [load(project, rel, report) for rel in rels]
    middle = len(rels) // 2
    child = _start(project, report, rels[middle:], load)
    if child is None:
        return [load(project, rel, report) for rel in rels]
    try:
        first = [load(project, rel, report) for rel in rels[:middle]]
        second = _finish(child, project, report)
    except BaseException:
        _end(*child)
        raise
    if second is None:  # the child failed: its half is loaded here
        second = [load(project, rel, report) for rel in rels[middle:]]
    return first + second


def _start(
    project: ProjectDir, report: Report, rels: Sequence[str],
    load: Callable[[ProjectDir, str, Report], Any],
) -> tuple[int, int] | None:  # fmt: skip
    """Fork a child that loads `rels` and writes the pickled result to a pipe."""
    try:
        read_end, write_end = os.pipe()
        pid = os.fork()
    except OSError:
        return None
    if pid:
        os.close(write_end)
        return pid, read_end
    # The child: never returns into the caller's code (no cleanup of the parent's files).
    code = 1
    try:
        os.close(read_end)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        own = Report(severities=dict(report.severities), allowed=report.allowed)
        loaded = [load(project, rel, own) for rel in rels]
        data = pickle.dumps(
            (loaded, own.diagnostics, project.digests, project.seen, project.blobs),
            protocol=pickle.HIGHEST_PROTOCOL,
        )
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
        code = 0
    except BaseException:
        pass
    os._exit(code)


def _finish(child: tuple[int, int], project: ProjectDir, report: Report) -> list[Any] | None:
    """The child's result, merged into `project` and `report`; None when it failed."""
    pid, read_end = child
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return None
    try:
        loaded, diagnostics, digests, seen, blobs = pickle.loads(data)
    except Exception:
        return None
    report.extend(diagnostics)
    for mine, theirs in ((project.digests, digests), (project.seen, seen), (project.blobs, blobs)):
        for key, value in theirs.items():
            mine.setdefault(key, value)
    return loaded


def _end(pid: int, read_end: int) -> None:
    with contextlib.suppress(OSError):
        os.close(read_end)
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.waitpid(pid, 0)
