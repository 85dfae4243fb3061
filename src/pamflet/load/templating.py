"""Jinja2 for authors' text: sandboxed, strict, bounded in time and size, never fatal."""

from __future__ import annotations

import contextlib
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
import jinja2.nodes
from jinja2.sandbox import SandboxedEnvironment, SandboxedFormatter, SecurityError

MAX_OUTPUT = 200_000
REPORTED = "already-reported"  # the code of a problem whose cause has its own diagnostic
MAX_VALUE = 1_000_000  # characters or items in any string or list a template makes
MAX_RANGE = 10_000
MAX_SECONDS = 2
PROJECT_SECONDS = 10  # all the templates of one check together
MAX_MEMORY = 256 * 2**20  # bytes a template may allocate while it runs (where the OS can say)
MAX_WIDTH = 1_000  # widths and paddings that filters and string methods may be asked for
PADDING = frozenset(["ljust", "rjust", "center", "zfill", "expandtabs"])
# A %-format conversion: (key) flags width .precision length type; `*` takes a number from args.
PERCENT = re.compile(r"%(\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d*))?[hlL]?([a-zA-Z%])")
OBJECT = re.compile(r"<[\w.]+ object at 0x[0-9a-f]+>| at 0x[0-9a-f]{6,}>")


class TemplateProblem(Exception):
    """A template failed: `line` and `column` are 1-based within the template text."""

    def __init__(
        self, message: str, line: int, hint: str = "", code: str = "template", column: int = 1
    ) -> None:
        super().__init__(message)
        self.message, self.line, self.hint, self.code = message, line, hint, code
        self.column = column


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
        self, what: str, items: Mapping[str, Any], on_use: Callable[[str], None] | None = None,
        broken: frozenset[str] = frozenset(),
    ) -> None:  # fmt: skip
        self._what, self._items, self._on_use, self._broken = what, dict(items), on_use, broken

    def __getitem__(self, key: str) -> Any:
        if key in self._broken:  # written, but wrong: its own error says so
            raise AlreadyReported(key)
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

    def __str__(self) -> str:
        raise PrintsObject(self._what)

    __repr__ = __str__


class AlreadyReported(Exception):
    """A template used a value whose own error is reported: the template adds no second one."""


class PrintsObject(Exception):
    """A template printed a table or another object instead of a text."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class _Env(SandboxedEnvironment):
    """Sandbox that bounds every way to build a huge value before it is built.

    One C call (a format width, a repetition, a replace) is not interrupted by the time limit,
    so its size is worked out from its arguments first; what slips through is stopped by the
    memory limit around each render. Intercepted operators are never folded at compile time,
    and the optimizer is off, so that nothing runs outside the render's limits.
    """

    intercepted_binops = frozenset(["*", "**", "%", "+"])

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        method = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
        owner = getattr(method, "__self__", None)
        name = getattr(method, "__name__", "")
        if isinstance(owner, str):
            _bounded_str_call(owner, name, args, kwargs)
        elif isinstance(owner, list) and name in ("extend", "__iadd__", "append", "insert"):
            grown = len(owner) + sum(_size(a) if name != "append" else 1 for a in args)
            if grown > MAX_VALUE:
                raise SecurityError(f"a list would have more than {MAX_VALUE:,} items")
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and right > 100:
            raise SecurityError("exponent too large")
        if operator == "%" and isinstance(left, str):
            _bounded_percent(left, right)
        if operator == "*":
            size = _size(left) * (right if isinstance(right, int) else 1)
            size = max(size, _size(right) * (left if isinstance(left, int) else 1))
            if size > MAX_OUTPUT:
                raise SecurityError("the result would be too large")
        if operator == "+" and _size(left) + _size(right) > MAX_VALUE:
            raise SecurityError(f"the result would be longer than {MAX_VALUE:,}")
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """str.format and format_map, with every width and precision checked once the
        replacement fields inside the spec are filled in."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        owner, is_map = value.__self__, value.__name__ == "format_map"
        formatter = _BoundedFormatter(self)

        def bounded(*args: Any, **kwargs: Any) -> str:
            if is_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                args, kwargs = (), args[0]
            return str(formatter.vformat(owner, args, kwargs))

        return bounded


class _BoundedFormatter(SandboxedFormatter):
    def format_field(self, value: Any, format_spec: str) -> Any:
        _bounded_numbers(format_spec)
        return super().format_field(value, format_spec)


def _bounded_str_call(owner: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """A string method whose result would be too large, refused before it runs."""
    values = [*args, *kwargs.values()]
    if name in PADDING:
        _bounded(*values)
    elif name == "replace" and len(args) >= 2 and isinstance(args[0], str):
        count = (owner.count(args[0]) if args[0] else len(owner) + 1) * _size(args[1])
        if len(owner) + count > MAX_VALUE:
            raise SecurityError(f"the replaced text would be longer than {MAX_VALUE:,}")
    elif name == "join" and args:
        items = list(args[0]) if not isinstance(args[0], list | tuple) else args[0]
        if sum(_size(i) for i in items) + len(owner) * len(items) > MAX_VALUE:
            raise SecurityError(f"the joined text would be longer than {MAX_VALUE:,}")
    elif name == "translate" and args and isinstance(args[0], dict):
        longest = max((_size(v) for v in args[0].values()), default=1)
        if len(owner) * longest > MAX_VALUE:
            raise SecurityError(f"the translated text could be longer than {MAX_VALUE:,}")


def _bounded_numbers(spec: str) -> None:
    numbers = re.findall(r"\d+", spec)
    if any(int(n) >= MAX_WIDTH for n in numbers):
        raise SecurityError(f"a width or precision of {MAX_WIDTH} or more")


def _bounded_percent(template: str, args: Any) -> None:
    """%-formatting: literal widths, and the numbers `*` takes from the arguments."""
    values = list(args) if isinstance(args, tuple) else [args]
    stars = 0
    for match in PERCENT.finditer(template):
        for part in (match.group(2), match.group(3)):
            if part == "*":
                number = values[stars] if stars < len(values) else 0
                stars += 1
                _bounded(number)
            elif part:
                _bounded_numbers(part)


def _bounded(*values: Any) -> None:
    """Refuse widths of MAX_WIDTH or more, as numbers or inside a format string."""
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= MAX_WIDTH:
            raise SecurityError(f"a width of {value} is more than {MAX_WIDTH - 1}")
        if isinstance(value, str):
            _bounded_numbers("".join(m.group(0) for m in PERCENT.finditer(value)))


def _checked_filter(name: str, env: jinja2.Environment) -> None:
    """A filter whose numeric arguments are bounded (indent, center, wordwrap, truncate)."""
    original = env.filters[name]

    def checked(value: Any, *args: Any, **kwargs: Any) -> Any:
        _bounded(*args, *kwargs.values())
        return original(value, *args, **kwargs)

    env.filters[name] = checked


def _format(value: Any, *args: Any, **kwargs: Any) -> str:
    """`"%s"|format(...)`: %-formatting, its widths checked first."""
    if kwargs and args:
        raise SecurityError("format takes either positional or keyword arguments")
    values = kwargs or args
    _bounded_percent(str(value), tuple(values) if isinstance(values, tuple) else values)
    return str(value) % values


def _replace(value: Any, old: str, new: str, count: int | None = None) -> str:
    text = str(value)
    _bounded_str_call(text, "replace", (old, new), {})
    return text.replace(old, new, -1 if count is None else count)


@jinja2.pass_environment
def _sum(env: jinja2.Environment, iterable: Any, attribute: Any = None, start: Any = 0) -> Any:
    """`|sum` in Python steps (so the time limit can stop it), lists and texts gathered in
    place (adding them one by one copies the total each time), every total bounded in size."""
    get = jinja2.filters.make_attrgetter(env, attribute) if attribute is not None else None
    gathered: list[Any] | None = list(start) if isinstance(start, list | str) else None
    total, size = start, _size(start)
    for item in iterable:
        value = get(item) if get is not None else item
        size += _size(value)
        if size > MAX_VALUE:
            raise SecurityError(f"the sum would be longer than {MAX_VALUE:,}")
        if gathered is not None and isinstance(value, type(start)):
            gathered.extend(value)
        else:
            total = total + value
    if gathered is None:
        return total
    return "".join(gathered) if isinstance(start, str) else gathered


def _batch(value: Any, linecount: int, fill_with: Any = None) -> Any:
    if not isinstance(linecount, int) or not 0 < linecount <= MAX_RANGE:
        raise SecurityError(f"batch() takes a size from 1 to {MAX_RANGE}")
    return jinja2.filters.do_batch(value, linecount, fill_with)


def _join(value: Any, d: str = "", attribute: Any = None) -> str:
    items = [v if attribute is None else v[attribute] for v in value]
    _bounded_str_call(str(d), "join", (items,), {})
    return str(d).join(str(i) for i in items)


def _finalize(value: Any) -> Any:
    """What `{{ ... }}` prints must be a text or a number, never an object's description."""
    if value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, jinja2.Undefined):
        return value
    raise PrintsObject(value._what if isinstance(value, Strict) else type(value).__name__)


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | list | tuple | dict) else 1


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
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        loader=_NoFiles(),
        optimized=False,
        finalize=_finalize,
    )
    env.globals = {"range": _range}
    for name in ("indent", "center", "wordwrap", "truncate"):
        _checked_filter(name, env)
    for name in NOT_DETERMINISTIC:
        del env.filters[name]
    env.filters.update(format=_format, replace=_replace, sum=_sum, batch=_batch, join=_join)
    return env


NOT_DETERMINISTIC = ("random", "pprint")  # a different leaflet on every run; object addresses


ENV = environment()


@dataclass(frozen=True)
class Template:
    """A compiled template and the names it needs."""

    source: str
    compiled: jinja2.Template | None
    names: frozenset[str]
    literals: str = ""  # every text the template itself holds, printed or not on this run

    def needs(self, name: str) -> bool:
        return name in self.names


def compile_template(source: str) -> Template:
    """Compile; raise TemplateProblem on a syntax error."""
    if "{" not in source:
        return Template(source, None, frozenset(), source)
    try:
        ast = ENV.parse(source)
        names = frozenset(jinja2.meta.find_undeclared_variables(ast))
        texts = [n.data for n in ast.find_all(jinja2.nodes.TemplateData)]
        texts += [n.value for n in ast.find_all(jinja2.nodes.Const) if isinstance(n.value, str)]
        return Template(source, ENV.from_string(ast), names, "".join(texts))
    except jinja2.TemplateSyntaxError as exc:
        hint = ""
        if any(f"'{name}'" in exc.message for name in NOT_DETERMINISTIC):
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
    if template.compiled is None:
        return template.source
    if budget is not None and budget.seconds <= 0:
        raise TemplateProblem(
            f"the project's templates ran for {PROJECT_SECONDS} s in all; this one was not run",
            _first_tag_line(template.source), "make the templates simpler, or write the text out",
            "template-unsafe",
        )  # fmt: skip
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


def _problem(exc: BaseException, known: list[str], source: str) -> TemplateProblem:
    line = _template_line(exc)
    column = _column(source, line, str(exc))
    if isinstance(exc, AlreadyReported):
        return TemplateProblem(str(exc), line, "", REPORTED, column)
    if isinstance(exc, MissingReference):
        return TemplateProblem(str(exc), line, exc.hint, "unknown-reference", column)
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
