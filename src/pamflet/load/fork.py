"""Work on two cores: a catalogue's thousands of blocks are loaded, and its hundreds of leaflets
checked (resolve/leaflets.py), half in a forked child while this process does the other half.

Only where it pays and is safe: enough work, a POSIX system with `fork`, more than one core,
and no other thread running (a fork copies only the caller's thread). The child works on
reports and caches of its own and sends back what it made and found; it never writes a file,
ignores Ctrl-C (the parent is interrupted and ends it) and leaves with `os._exit`, so none of
the parent's clean-up runs twice. When anything about the child goes wrong, its half is done
here: the result is the same either way, only slower.
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
    """CPUs this process may run on (a container or taskset may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork(count: int, least: int | None = None, jobs: int | None = None) -> bool:
    """Whether `count` items are worth a child (at least `least`, by default FORK_FROM), and
    whether a child is allowed: `jobs` processes (None: as many as there are cores)."""
    return (
        count >= (FORK_FROM if least is None else least)
        and (jobs is None or jobs > 1)
        and hasattr(os, "fork")
        and cores() > 1
        and threading.active_count() == 1
    )


class Child:
    """A forked process running `work()`; `result()` is what it returned, or None."""

    def __init__(self, pid: int, read_end: int) -> None:
        self.pid, self.read_end = pid, read_end

    @classmethod
    def start(cls, work: Callable[[], Any]) -> Child | None:
        try:
            read_end, write_end = os.pipe()
            pid = os.fork()
        except OSError:
            return None
        if pid:
            os.close(write_end)
            return cls(pid, read_end)
        code = 1  # the child: never returns into the caller's code
        try:
            os.close(read_end)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            code = 0
        except BaseException:
            pass
        os._exit(code)

    def result(self) -> Any | None:
        """Wait for the child; None when it failed."""
        with os.fdopen(self.read_end, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        if status != 0 or not data:
            return None
        try:
            return pickle.loads(data)
        except Exception:
            return None

    def cancel(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.read_end)
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.waitpid(self.pid, 0)


def halves(
    count: int, split: bool, child_work: Callable[[int], Any], own_work: Callable[[int], T]
) -> tuple[T, Any | None, int]:
    """`own_work(middle)` here while `child_work(middle)` runs in a child (when `split`, see
    `can_fork`): own_work does items [0, middle), child_work [middle, count). Returns
    own_work's result, the child's and `middle`. With no child, `middle` is `count`: own_work
    did everything. A child's result of None means it failed: do items [middle, count) too."""
    middle = count // 2
    child = Child.start(lambda: child_work(middle)) if split and middle else None
    if child is None:
        return own_work(count), None, count
    try:
        mine = own_work(middle)
        theirs = child.result()
    except BaseException:
        child.cancel()
        raise
    return mine, theirs, middle


def merge_files(project: ProjectDir, state: tuple[dict[str, str], ...]) -> None:
    """What a child learnt about the project's files: digests, path answers, blob ids."""
    digests, seen, blobs = state
    for mine, theirs in ((project.digests, digests), (project.seen, seen), (project.blobs, blobs)):
        for key, value in theirs.items():
            mine.setdefault(key, value)


def file_state(project: ProjectDir) -> tuple[dict[Any, Any], ...]:
    return project.digests, project.seen, project.blobs


def load_all(
    project: ProjectDir,
    report: Report,
    rels: Sequence[str],
    load: Callable[[ProjectDir, str, Report], T],
    jobs: int | None = None,
) -> list[T]:
    """`load(project, rel, report)` for every path, in order; every other path in a child
    process when the project is large enough and `jobs` allows (so that each process gets
    its share of every kind of file)."""
    if not can_fork(len(rels), jobs=jobs):
        return [load(project, rel, report) for rel in rels]
    order = [*rels[0::2], *rels[1::2]]

    def child(middle: int) -> tuple[list[T], list[Any], tuple[dict[Any, Any], ...]]:
        own = Report(severities=dict(report.severities), allowed=report.allowed)
        loaded = [load(project, rel, own) for rel in order[middle:]]
        return loaded, own.diagnostics, file_state(project)

    mine, theirs, middle = halves(
        len(order), True, child, lambda end: [load(project, rel, report) for rel in order[:end]]
    )
    if theirs is None:  # no child, or it failed: the rest is loaded here
        rest = [load(project, rel, report) for rel in order[middle:]]
    else:
        rest, diagnostics, state = theirs
        report.extend(diagnostics)
        merge_files(project, state)
    return _in_order(mine + rest, len(rels))


def _in_order(results: list[T], count: int) -> list[T]:
    """Results for the paths in even places, then odd ones, back in the paths' order."""
    evens = (count + 1) // 2
    out: list[T] = []
    for i in range(count):
        out.append(results[i // 2] if i % 2 == 0 else results[evens + i // 2])
    return out
