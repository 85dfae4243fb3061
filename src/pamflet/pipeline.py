"""The pipeline: load -> resolve -> render -> finish. `check` is the first two stages."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from pamflet import model as m
from pamflet.diagnostics import Diagnostic, Location, Report
from pamflet.load.project import load_project
from pamflet.load.templating import deadline
from pamflet.project import ProjectDir
from pamflet.records import manifest as cache
from pamflet.records.checks import CACHE, Memo, fingerprint, read_cache, sha
from pamflet.resolve import leaflets as stage2
from pamflet.resolve.context import Context

MAX_RENDER_SECONDS = 300


@dataclass(frozen=True)
class Options:
    """Build options that change the output."""

    print_marks: bool = False
    print_shop: bool = False  # print files as PDF/X-4 (with print_marks)
    force: bool = False  # render every leaflet, whatever the manifest says
    release: bool = False  # the publishing policy applies; a draft is refused, never marked


@dataclass(frozen=True)
class Output:
    """What stages 3-4 made of one leaflet: files by name, page count, render diagnostics."""

    code: str
    files: dict[str, bytes]
    pages: int
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass
class BuildResult:
    outputs: list[Output] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    up_to_date: int = 0  # leaflets whose files were left as they were
    seconds: float = 0.0
    chosen: list[str] = field(default_factory=list)  # the leaflets built or found up to date
    resolver: Context | None = None
    docs: dict[str, m.Document] = field(default_factory=dict)


class UnknownCode(Exception):
    """A leaflet code named on the command line does not exist."""


def check(
    project_dir: Path, report: Report, today: dt.date | None = None, cache: Path | None = None
) -> list[m.Document]:
    """Stages 1-2: load and resolve everything; problems go to `report`, nothing is written.
    With `cache` (an output folder), what the last build recorded there is reused."""
    return stage2.run(resolved(project_dir, report, today, cache))


def checked(project_dir: Path, report: Report, cache: Path) -> m.Project:
    """`pamflet check`: stages 1-2 with the check cache in `cache`, read only."""
    ctx = resolved(project_dir, report, None, cache)
    stage2.run(ctx, documents=False)
    return ctx.project


def resolved(
    project_dir: Path, report: Report, today: dt.date | None, cache: Path | None,
    fresh: bool = False, jobs: int | None = None,
) -> Context:  # fmt: skip
    """Stage 1, and a resolver for stage 2 that reads the check cache in `cache` (unless
    `fresh`: then everything is checked again, and the cache is only written); `jobs`: the
    processes loading and resolving may use (None: the cores)."""
    files = ProjectDir.open(project_dir)
    data = None if fresh else read_cache(cache)
    project = load_project(files, report, jobs)
    resolver = stage2.make_context(project, files, report, today)
    resolver.jobs = jobs
    if cache is not None:
        shared = fingerprint(project, files)
        resolver.memo = Memo.load(data, shared, resolver.today, files)
    return resolver


@dataclass(frozen=True)
class Survey:
    """What `pamflet list` and the readability report read: the loaded project and its uses."""

    project: m.Project
    docs: list[m.Document]
    uses: dict[str, dict[tuple[str, Location, str], None]]
    by_leaflet: dict[str, set[str]]  # code -> the blocks it shows, links to or names


def survey(project_dir: Path, report: Report, today: dt.date | None = None) -> Survey:
    """Stages 1-2, keeping the loaded project and where each block is used."""
    files = ProjectDir.open(project_dir)
    project = load_project(files, report)
    resolver = stage2.make_context(project, files, report, today)
    docs = stage2.run(resolver)
    return Survey(project, docs, resolver.uses, resolver.by_leaflet)


def in_shard(code: str, shard: tuple[int, int]) -> bool:
    """Whether leaflet `code` is in shard K of N: by a hash of its code, so that adding or
    removing leaflets never moves the others to another shard (CI caches keep working)."""
    k, n = shard
    digest = hashlib.sha256(code.upper().encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % n == k - 1


def select(known: list[str], codes: Sequence[str]) -> list[str]:
    """The leaflet codes named on the command line (any case), or all of them."""
    if not codes:
        return known
    by_code = {code.upper(): code for code in known}
    unknown = [c for c in codes if c.upper() not in by_code]
    if unknown:
        from pamflet.diagnostics import did_you_mean

        close = did_you_mean(unknown[0].upper(), by_code)
        listed = ", ".join(known[:8])
        raise UnknownCode(
            f"{', '.join(unknown)}; " + (close or f"the leaflets are: {listed}" if known else "")
        )
    return [by_code[c.upper()] for c in dict.fromkeys(codes)]


def discard(files: dict[str, bytes | Path]) -> None:
    """Remove the staged files of a build that will not be written."""
    for data in files.values():
        if isinstance(data, Path):
            data.unlink(missing_ok=True)


def drafted(resolver: Context, docs: dict[str, m.Document], code: str) -> bool:
    """Whether the leaflet is drawn with a draft mark: an approved leaflet is always resolved
    (its approval may have gone stale without a change of its inputs); an unapproved one is a
    draft by what its key holds (its file, its layout)."""
    if code in docs:
        return docs[code].draft
    leaflet = next(lf for lf in resolver.project.leaflets if lf.code == code)
    layout = resolver.project.layouts.get(leaflet.layout)
    return leaflet.approved is None and (layout is None or layout.draft_mark)


def again(resolver: Context, code: str) -> m.Document | None:
    """The document of a leaflet whose check was replayed from the cache but must be drawn."""
    leaflet = next(lf for lf in resolver.project.leaflets if lf.code == code)
    return stage2.leaflet(
        resolver, leaflet
    )  # its report is in already: identical ones are kept once


def make(doc: m.Document, options: Options) -> Output:
    """Stages 3-4 for one leaflet: draw with ReportLab, finish and write it once."""
    from pamflet.finish import finish
    from pamflet.render import render

    try:
        with deadline(MAX_RENDER_SECONDS):  # a ReportLab layout loop must not hang CI
            rendered = render(doc)
    except TimeoutError:
        message = f"laying out the leaflet took longer than {MAX_RENDER_SECONDS} s"
        problem = Diagnostic("error", "layout-timeout", message, doc.source, "please report this")
        return Output(doc.stem, {}, 0, (problem,))
    except OSError as exc:  # a font or image changed or went missing since it was checked
        message = f"cannot read {exc.filename or 'a file'} while laying out: {exc.strerror or exc}"
        problem = Diagnostic("error", "render-file", message, doc.source, "build again")
        return Output(doc.stem, {}, 0, (problem,))
    if rendered.canvas is None:
        return Output(doc.stem, {}, 0, tuple(rendered.diagnostics))
    # Print marks go to a print file, never into the reading PDF; a booklet's sheets get
    # their own. For the press, the print file is drawn again in CMYK (render/press.py).
    pressed = press_copy(doc) if options.print_shop else doc
    booklet = doc.format == "A5-booklet"
    marked = None
    if options.print_marks and not booklet:
        marked = render(pressed, True)
    elif options.print_shop and booklet:
        marked = render(pressed)
    files, problems = finish(doc, rendered, options.print_marks, marked, options.print_shop)
    return Output(doc.stem, files, rendered.pages, (*rendered.diagnostics, *problems))


def press_copy(doc: m.Document) -> m.Document:
    """The leaflet as the press prints it: every colour and picture in CMYK."""
    return replace(doc, style=replace(doc.style, colour="cmyk"))


def make_all(
    docs: list[m.Document], options: Options, jobs: int, tick: Callable[[int], None]
) -> Iterable[Output]:
    """Render and finish each document; `tick(total)` after each one."""
    if jobs <= 1 or len(docs) <= 1:
        for doc in docs:
            yield make(doc, options)
            tick(len(docs))
        return
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(os.getpid(),))
    try:
        waiting = iter(docs)
        pending: deque[Future[Output]] = deque()

        def fill() -> None:  # a few leaflets in flight per worker: PDFs are not held here
            while len(pending) < 2 * jobs and (doc := next(waiting, None)) is not None:
                with _signals_blocked():  # a worker is forked here: it starts with them held
                    pending.append(pool.submit(make, doc, options))

        fill()
        while pending:
            output = pending.popleft().result()
            fill()
            yield output
            tick(len(docs))
        # The pool's threads end here and are collected at once: a Ctrl-C handled inside their
        # finalisers cannot stop the build, only print "Exception ignored". It is held until
        # the pool is down, then raises here as anywhere else.
        with _signals_blocked():
            pool.shutdown()
    except BaseException:  # an interruption: stop the workers now, do not wait for them
        for process in list((pool._processes or {}).values()):
            process.kill()  # futures are left alone: cancelling them races the pool's thread
        pool.shutdown(wait=False)
        raise


HELD = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def _signals_blocked() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while workers are forked: a child must not run Python's default
    Ctrl-C handler before its own start has set it aside (an 'Exception ignored' traceback)."""
    before = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _start_worker(parent: int) -> None:
    """A worker: Ctrl-C reaches every process of the terminal, so only the parent handles it;
    and a worker dies with its parent, even when the parent is killed with SIGKILL."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD)
    if not _kill_with_parent():
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the worker could ask
        os._exit(1)


def _kill_with_parent() -> bool:
    """Ask Linux to send SIGKILL when the parent exits (prctl PR_SET_PDEATHSIG)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(1, signal.SIGKILL, 0, 0, 0) == 0  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    """Where prctl is not there: leave as soon as the parent is gone."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def build(
    project_dir: Path,
    codes: Sequence[str],
    out_dir: Path | None,
    report: Report,
    *,
    strict: bool = False,
    jobs: int = 1,
    options: Options = Options(),
    tick: Callable[[int], None] = lambda total: None,
    today: dt.date | None = None,
    shard: tuple[int, int] = (1, 1),
) -> BuildResult:
    """Check everything, render the chosen leaflets, and write them only if all succeeded."""
    from pamflet.finish.write import stage, write_atomically

    started = time.perf_counter()
    result = BuildResult()
    target = out_dir or (Path(project_dir) / "build")
    resolver = resolved(
        project_dir, report, today, target, fresh=options.force or options.release, jobs=jobs
    )
    if options.release:
        resolver.release = frozenset(code.upper() for code in codes)
    docs = {doc.stem: doc for doc in stage2.run(resolver)}
    result.resolver, result.docs = resolver, docs
    if report.failed(strict):
        return result
    known = [lf.code for lf in resolver.project.leaflets if lf.code in resolver.inputs]
    picked = [code for code in select(known, codes) if in_shard(code, shard)]
    result.chosen = picked
    # Each chosen leaflet, then its other languages (<code>.<lang>), built as units of their own.
    chosen = [stem for code in picked for stem in
              [code, *(s for s, c in resolver.stems.items() if c == code)]]  # fmt: skip
    previous = cache.load(target)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    plain = repr(replace(options, force=False, release=False))  # a release draws as a build
    keys = {code: sha("build", resolver.inputs[code], plain, epoch, drafted(resolver, docs, code))
            for code in chosen}  # fmt: skip
    todo = []
    for code in chosen:
        entry = previous.get(code)
        if not options.force and entry is not None and entry.up_to_date(target, keys[code]):
            report.extend(entry.replay())
            result.up_to_date += 1
        else:
            todo.append(docs.get(code) or again(resolver, code))
    entries = {code: e for code, e in previous.items() if code in {*known, *resolver.stems}}
    files: dict[str, bytes | Path] = {}
    try:  # each leaflet's files are staged on disk as they come: memory stays flat
        for output in make_all([d for d in todo if d is not None], options, jobs, tick):
            report.extend(output.diagnostics)
            if report.failed(strict):
                break
            digests = {name: cache.digest(data) for name, data in output.files.items()}
            for name, data in output.files.items():
                stage(target, name, data, files)
            entries[output.code] = cache.Entry(
                keys[output.code], digests, output.pages, [d.as_dict() for d in output.diagnostics]
            )
            result.outputs.append(replace(output, files={}))
        if report.failed(strict):
            discard(files)
            return result
        kept = {name for entry in entries.values() for name in entry.files}
        stale = sorted({name for e in previous.values() for name in e.files} - kept - set(files))
        stale = [
            name for name in stale if (target / name).is_file() and not (target / name).is_symlink()
        ]
        files[cache.MANIFEST] = cache.dump(entries)
        if resolver.memo is not None:
            files[CACHE] = resolver.memo.dump()
        result.written, result.removed = write_atomically(target, files, remove=stale)
    except BaseException:
        discard(files)
        raise
    result.seconds = time.perf_counter() - started
    return result
