"""The Jinja2 sandbox for authors' templates: strict undefined names, no includes, no constant
folding, and a bound on every way to build a huge value. Imported only when a text is a
template that pamflet does not expand itself (load/templating.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import jinja2
import jinja2.meta
import jinja2.nodes
from jinja2.sandbox import SandboxedEnvironment, SandboxedFormatter, SecurityError

from pamflet.load.template_values import (
    MAX_OUTPUT,
    MAX_RANGE,
    MAX_VALUE,
    MAX_WIDTH,
    PADDING,
    PERCENT,
    PrintsObject,
    Strict,
    TemplateProblem,
)


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


def compile_source(source: str) -> tuple[jinja2.Template, frozenset[str], str]:
    """The compiled template, the names it needs and every text it holds; raises
    jinja2.TemplateSyntaxError."""
    ast = ENV.parse(source)
    names = frozenset(jinja2.meta.find_undeclared_variables(ast))
    texts = [n.data for n in ast.find_all(jinja2.nodes.TemplateData)]
    texts += [n.value for n in ast.find_all(jinja2.nodes.Const) if isinstance(n.value, str)]
    return ENV.from_string(ast), names, "".join(texts)
