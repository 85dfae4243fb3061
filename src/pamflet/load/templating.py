"""Jinja2 for authors' text: sandboxed, strict, bounded in time and size, never fatal."""

from __future__ import annotations

import contextlib
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import jinja2
import jinja2.meta
from jinja2.sandbox import SandboxedEnvironment, SecurityError

MAX_OUTPUT = 200_000
MAX_RANGE = 10_000
MAX_SECONDS = 2
MAX_WIDTH = 1_000  # widths and paddings that filters and string methods may be asked for
PADDING = frozenset(["ljust", "rjust", "center", "zfill", "expandtabs", "format", "format_map"])
SPECS = re.compile(r"%[-#0 +]*(\d*)(?:\.(\d*))?|\{[^{}]*?:([^{}]*)\}")  # %-style and {}-style


class TemplateProblem(Exception):
    """A template failed: `line` is 1-based within the template text."""

    def __init__(self, message: str, line: int, hint: str = "", code: str = "template") -> None:
        super().__init__(message)
        self.message, self.line, self.hint, self.code = message, line, hint, code


class MissingReference(Exception):
    """Raised by a lookup table for an unknown key; never swallowed by `|default`."""

    def __init__(self, what: str, key: object, choices: list[str]) -> None:
        from pamflet.diagnostics import did_you_mean

        super().__init__(f"unknown {what} {key!r}")
        self.hint = did_you_mean(str(key), choices) or (
            f"known: {', '.join(choices[:8])}" if choices else ""
        )


class Strict(Mapping[str, Any]):
    """A read-only table whose unknown keys are an error, also under `|default`."""

    def __init__(
        self, what: str, items: Mapping[str, Any], on_use: Callable[[str], None] | None = None
    ) -> None:
        self._what, self._items, self._on_use = what, dict(items), on_use

    def __getitem__(self, key: str) -> Any:
        if key not in self._items:
            raise MissingReference(self._what, key, sorted(self._items))
        if self._on_use is not None:
            self._on_use(key)
        return self._items[key]

    def __getattr__(self, key: str) -> Any:
        if key.startswith("_"):
            raise AttributeError(key)
        return self[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


class _Env(SandboxedEnvironment):
    """Sandbox that also bounds the cheap ways to build a huge string.

    Repetition, %-formatting, padding filters and string methods are checked before they run;
    intercepted operators are never folded at compile time, and the optimizer is off, so that
    nothing runs outside the render's time and size limits.
    """

    intercepted_binops = frozenset(["*", "**", "%"])

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        method = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
        owner = getattr(method, "__self__", None)
        if isinstance(owner, str) and getattr(method, "__name__", "") in PADDING:
            _bounded(owner, *args, *kwargs.values())
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and right > 100:
            raise SecurityError("exponent too large")
        if operator == "%" and isinstance(left, str):
            _bounded(left)
        if operator == "*":
            size = _size(left) * (right if isinstance(right, int) else 1)
            size = max(size, _size(right) * (left if isinstance(left, int) else 1))
            if size > MAX_OUTPUT:
                raise SecurityError("the result would be too large")
        return super().call_binop(context, operator, left, right)


def _bounded(*values: Any) -> None:
    """Refuse widths of MAX_WIDTH or more, as numbers or inside a format string."""
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= MAX_WIDTH:
            raise SecurityError(f"a width of {value} is more than {MAX_WIDTH - 1}")
        if isinstance(value, str):
            for match in SPECS.finditer(value):
                numbers = re.findall(r"\d+", "".join(g or "" for g in match.groups()))
                if any(int(n) >= MAX_WIDTH for n in numbers):
                    raise SecurityError(f"a width or precision of {MAX_WIDTH} or more")


def _checked_filter(name: str, env: jinja2.Environment) -> None:
    """A filter whose numeric arguments are bounded (indent, center, wordwrap, format)."""
    original = env.filters[name]

    def checked(value: Any, *args: Any, **kwargs: Any) -> Any:
        _bounded(*args, *kwargs.values(), *([value] if name == "format" else []))
        return original(value, *args, **kwargs)

    env.filters[name] = checked


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | list | tuple) else 1


class _NoFiles(jinja2.BaseLoader):
    def get_source(self, environment: jinja2.Environment, template: str) -> Any:
        raise TemplateProblem(
            f"templates cannot include other files ('{template}')",
            0,
            "put shared text in a content block and add it to the leaflet",
        )


def _range(*args: int) -> range:
    result = range(*args)
    if len(result) > MAX_RANGE:
        raise SecurityError(f"range() is limited to {MAX_RANGE} items")
    return result


def environment() -> jinja2.Environment:
    env = _Env(
        undefined=jinja2.StrictUndefined, autoescape=False, loader=_NoFiles(), optimized=False
    )
    env.globals = {"range": _range}
    for name in ("indent", "center", "wordwrap", "format", "truncate"):
        _checked_filter(name, env)
    return env


ENV = environment()


@dataclass(frozen=True)
class Template:
    """A compiled template and the names it needs."""

    source: str
    compiled: jinja2.Template | None
    names: frozenset[str]

    def needs(self, name: str) -> bool:
        return name in self.names


def compile_template(source: str) -> Template:
    """Compile; raise TemplateProblem on a syntax error."""
    if "{" not in source:
        return Template(source, None, frozenset())
    try:
        ast = ENV.parse(source)
        names = frozenset(jinja2.meta.find_undeclared_variables(ast))
        return Template(source, ENV.from_string(ast), names)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(f"template syntax error: {exc.message}", exc.lineno or 1) from None


def render(template: Template, variables: Mapping[str, Any]) -> str:
    """Render with a size and time limit; raise TemplateProblem with the template line."""
    if template.compiled is None:
        return template.source
    chunks: list[str] = []
    size = 0
    try:
        with deadline(MAX_SECONDS):
            for chunk in template.compiled.generate(**variables):
                size += len(chunk)
                if size > MAX_OUTPUT:
                    raise SecurityError(f"the output is longer than {MAX_OUTPUT} characters")
                chunks.append(chunk)
    except TemplateProblem:
        raise
    except Exception as exc:
        raise _problem(exc, sorted(variables)) from None
    return "".join(chunks)


def _problem(exc: Exception, known: list[str]) -> TemplateProblem:
    line = _template_line(exc)
    if isinstance(exc, MissingReference):
        return TemplateProblem(str(exc), line, exc.hint, "unknown-reference")
    if isinstance(exc, jinja2.UndefinedError):
        return TemplateProblem(
            f"unknown name in template: {exc.message}", line,
            "known here: " + ", ".join(known), "template-undefined",
        )  # fmt: skip
    if isinstance(exc, SecurityError):
        return TemplateProblem(f"not allowed in a template: {exc}", line, "", "template-unsafe")
    if isinstance(exc, TimeoutError):
        return TemplateProblem("the template runs too long", line, "", "template-unsafe")
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return TemplateProblem(f"template error: {message}", line)


def _template_line(exc: BaseException) -> int:
    tb, line = exc.__traceback__, 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line or 1


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
