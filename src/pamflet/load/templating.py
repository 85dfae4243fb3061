"""Authors' text as templates: sandboxed, strict, bounded in time and size, never fatal.

A text without `{` is not a template. One whose only tags print a name or a table's field
(`{{ page }}`, `{{ leaflet.code }}`) is filled in here, as Jinja2 would; anything else goes
through the Jinja2 sandbox (load/sandbox.py), imported on first use.
"""

from __future__ import annotations

import contextlib
import re
import signal
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pamflet.load.template_values import (
    MAX_OUTPUT,
    REPORTED,
    AlreadyReported,
    MissingReference,
    PrintsObject,
    Strict,
    TemplateProblem,
)

__all__ = [
    "REPORTED", "Budget", "MissingReference", "Strict", "Template", "TemplateProblem",
    "compile_template", "deadline", "memory_limit", "render",
]  # fmt: skip

MAX_SECONDS = 2
PROJECT_SECONDS = 10  # all the templates of one check together
MAX_MEMORY = 256 * 2**20  # bytes a template may allocate while it runs (where the OS can say)
OBJECT = re.compile(r"<[\w.]+ object at 0x[0-9a-f]+>| at 0x[0-9a-f]{6,}>")


# A tag that only prints a name or a table's field, as pamflet fills it in without Jinja2.
FIELD = re.compile(r"\{\{ *([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z_][A-Za-z0-9_]*))? *\}\}")
Piece = tuple[str, str, str]  # text before a tag, the name it prints, the field ('' if none)


@dataclass(frozen=True)
class Template:
    """A compiled template and the names it needs: plain text (neither), fields only (`fields`,
    filled in by pamflet), or compiled by the Jinja2 sandbox (`compiled`)."""

    source: str
    compiled: Any  # a jinja2.Template, or None
    names: frozenset[str]
    literals: str = ""  # every text the template itself holds, printed or not on this run
    fields: tuple[Piece, ...] | None = None  # then `tail` ends the text
    tail: str = ""

    def needs(self, name: str) -> bool:
        return name in self.names


def compile_template(source: str) -> Template:
    """Compile; raise TemplateProblem on a syntax error."""
    if "{" not in source:
        return Template(source, None, frozenset(), source)
    pieces, at = [], 0
    for tag in FIELD.finditer(source):
        pieces.append((source[at : tag.start()], tag[1], tag[2] or ""))
        at = tag.end()
    if pieces and "{" not in FIELD.sub("", source) and "\r" not in source:
        tail = source[at:]
        tail = tail[:-1] if tail.endswith("\n") else tail  # as Jinja2 drops a last newline
        literals = "".join(p[0] for p in pieces) + tail
        return Template(
            source, None, frozenset(p[1] for p in pieces), literals, tuple(pieces), tail
        )
    return _compiled(source)


def _compiled(source: str) -> Template:
    from pamflet.load import sandbox

    try:
        compiled, names, literals = sandbox.compile_source(source)
        return Template(source, compiled, names, literals)
    except sandbox.jinja2.TemplateSyntaxError as exc:
        hint = ""
        if any(f"'{name}'" in exc.message for name in sandbox.NOT_DETERMINISTIC):
            hint = "a leaflet must come out the same on every build: leave it out"
        line = exc.lineno or 1
        raise TemplateProblem(
            f"template syntax error: {exc.message}",
            line,
            hint,
            column=_column(source, line, exc.message),
        ) from None


@dataclass
class Budget:
    """The seconds left to all the templates of one run together."""

    seconds: float = PROJECT_SECONDS


def render(template: Template, variables: Mapping[str, Any], budget: Budget | None = None) -> str:
    """Render within the limits of size, memory and time (this template's, and the project's
    `budget`); raise TemplateProblem with the template's line and column."""
    if template.fields is not None:
        text = _filled(template, variables)
        if text is not None:
            return text
        template = _compiled(template.source)  # Jinja2 says what is wrong, as it would
    if template.compiled is None:
        return template.source
    if budget is not None and budget.seconds <= 0:
        raise TemplateProblem(
            f"the project's templates ran for {PROJECT_SECONDS} s in all; this one was not run",
            _first_tag_line(template.source), "make the templates simpler, or write the text out",
            "template-unsafe",
        )  # fmt: skip
    from pamflet.load.sandbox import SecurityError

    seconds = MAX_SECONDS if budget is None else min(MAX_SECONDS, budget.seconds)
    chunks: list[str] = []
    size, started = 0, time.monotonic()
    try:
        with deadline(seconds), memory_limit(MAX_MEMORY):
            for chunk in template.compiled.generate(**variables):
                size += len(chunk)
                if size > MAX_OUTPUT:
                    raise SecurityError(f"the output is longer than {MAX_OUTPUT} characters")
                chunks.append(chunk)
    except TemplateProblem:
        raise
    except Exception as exc:
        raise _problem(exc, sorted(variables), template.source) from None
    finally:
        if budget is not None:
            budget.seconds -= time.monotonic() - started
    text = "".join(chunks)
    if OBJECT.search(text):  # an object's description made it into the text: not a leaflet's
        raise _problem(PrintsObject("an object"), [], template.source)
    return text


def _filled(template: Template, variables: Mapping[str, Any]) -> str | None:
    """A template of fields only, filled in as Jinja2 prints them; None when a name is unknown
    or a value is not a text or a number (Jinja2 then reports it)."""
    out = []
    try:
        for text, name, field in template.fields or ():
            value = variables[name]
            if field:
                if not isinstance(value, Strict):
                    return None
                value = value[field]
            if value is not None and not isinstance(value, str | int | float):
                return None
            out += [text, str(value)]
    except (KeyError, MissingReference, AlreadyReported):
        return None
    text = "".join(out) + template.tail
    if len(text) > MAX_OUTPUT or OBJECT.search(text):
        return None
    return text


def _problem(exc: BaseException, known: list[str], source: str) -> TemplateProblem:
    line = _template_line(exc)
    column = _column(source, line, str(exc))
    if isinstance(exc, AlreadyReported):
        return TemplateProblem(str(exc), line, "", REPORTED, column)
    if isinstance(exc, MissingReference):
        return TemplateProblem(str(exc), line, exc.hint, "unknown-reference", column)
    from pamflet.load.sandbox import SecurityError, jinja2

    if isinstance(exc, jinja2.UndefinedError):
        return TemplateProblem(
            f"unknown name in template: {exc.message}", line,
            "known here: " + ", ".join(known), "template-undefined", column,
        )  # fmt: skip
    if isinstance(exc, PrintsObject):
        return TemplateProblem(
            f"the template prints an object ({exc.what}), not a text", line,
            "print one of its fields, e.g. {{ leaflet.title }}", "template-object", column,
        )  # fmt: skip
    if isinstance(exc, SecurityError):
        return TemplateProblem(
            f"not allowed in a template: {exc}", line, "", "template-unsafe", column
        )
    if isinstance(exc, TimeoutError):
        return TemplateProblem("the template runs too long", line, "", "template-unsafe", column)
    if isinstance(exc, MemoryError):
        message = f"the template builds more than {MAX_MEMORY // 2**20} MB"
        return TemplateProblem(message, line, "", "template-unsafe", column)
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return TemplateProblem(f"template error: {message}", line, column=column)


def _column(source: str, line: int, message: str) -> int:
    """The column of what a message names on `line` (a quoted name), else of its first tag."""
    lines = source.split("\n")
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    for name in re.findall(r"'([^'\n]{1,80})'", message):
        found = text.find(name)
        if found >= 0:
            return found + 1
    tag = re.search(r"\{[{%]", text)
    return tag.start() + 1 if tag else 1


def _first_tag_line(source: str) -> int:
    return next(
        (i + 1 for i, line in enumerate(source.split("\n")) if re.search(r"\{[{%]", line)), 1
    )


def _template_line(exc: BaseException) -> int:
    tb, line = exc.__traceback__, 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line or 1


@contextlib.contextmanager
def memory_limit(extra: int) -> Iterator[None]:
    """Let the process grow by at most `extra` bytes of address space in the block (where the
    OS supports RLIMIT_AS): what a single C call would build is refused with MemoryError."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        pages = int(Path("/proc/self/statm").read_text().split()[0])
        limit = pages * resource.getpagesize() + extra
    except (ImportError, OSError, ValueError, IndexError):
        yield
        return
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft != resource.RLIM_INFINITY and soft <= limit:  # already as tight
        yield
        return
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise TimeoutError in the block after `seconds`; only on the main thread of a Unix process.

    Nests: an outer deadline keeps running (and wins if it is sooner) and is restored after.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError("time limit")

    outer, _ = signal.getitimer(signal.ITIMER_REAL)
    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer) if outer else seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:
            left = outer - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))
