"""Declarative field rules: one small validator per kind of value, and the mapping that adds
key, file and line (`schema.py` puts them together into the four file schemas).

Each rule reads one YAML node the way the author meant it: a plain scalar is text where text is
expected (`no` stays "no", `10:30` stays "10:30"), a date only where a date is expected. A rule
reports its own problem and returns MISSING; the mapping validator adds key, file and line.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from pamflet.diagnostics import Location, Report, did_you_mean
from pamflet.load.positions import Lines, Place, places
from pamflet.model import Ref

MISSING: Any = object()
NULLS = {"", "~", "null", "Null", "NULL"}
# Zero-width and bidirectional controls: invisible, and able to reorder or hide what is printed.
# Scripts written right to left: Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation
# forms (a regular expression: a check of each character's bidi class took a tenth of check).
RIGHT_TO_LEFT_SCRIPT = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
URL_SCHEMES = ("https", "http")
LINK_SCHEMES = ("https", "http", "mailto", "tel")
MM = 72 / 25.4
MAX_URL = 2000  # characters: browsers take 2,000
QR_BYTES = 2200  # bytes of UTF-8 a QR code (version 40, level M) holds with ReportLab's encoder
UNITS = {"mm": MM, "cm": 10 * MM, "in": 72.0, "pt": 1.0}


@dataclass
class Ctx:
    """Where the nodes being validated come from."""

    path: str
    report: Report
    line_offset: int = 0
    region: str = "NL"
    text: str = ""  # the YAML as composed: positions are counted in it, as an editor counts
    root: Any = None  # the composed document's node, once composed

    @functools.cached_property
    def lines(self) -> Lines:
        return Lines(self.text, self.line_offset)

    def loc(self, node: yaml.Node) -> Location:
        return self.mark(node.start_mark)

    def mark(self, mark: yaml.Mark) -> Location:
        """A YAML mark as a location: from its index (YAML also breaks lines at U+0085,
        U+2028 and U+2029, editors do not), or its line and column without the text."""
        if self.text:
            return Location(self.path, *self.lines.place(mark.index))
        return Location(self.path, mark.line + 1 + self.line_offset, mark.column + 1)

    def places(self, node: yaml.ScalarNode) -> tuple[tuple[Place, ...], ...]:
        """Where each character of a text scalar is written (see positions.places)."""
        if not self.text:
            return ()
        found = places(
            self.lines, node.start_mark.index, node.end_mark.index, node.value, node.style
        )
        return tuple(tuple(line) for line in found)

    def error(self, node: yaml.Node, code: str, message: str, hint: str = "") -> Any:
        self.report.error(code, message, self.loc(node), hint)
        return MISSING


def is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.style is None and node.value in NULLS


class Rule:
    """Reads one node; reports and returns MISSING when it is not acceptable."""

    json: Mapping[str, Any] = {}

    def __call__(self, node: yaml.Node, ctx: Ctx) -> Any:
        raise NotImplementedError


class Scalar(Rule):
    """Base for rules that take one scalar and read its text."""

    what = "a value"

    def __call__(self, node: yaml.Node, ctx: Ctx) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            shape = "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"
            return ctx.error(node, "type", f"expected {self.what}, found {shape}")
        return self.read(node.value.strip(), node, ctx)

    def read(self, text: str, node: yaml.Node, ctx: Ctx) -> Any:
        return text


class Str(Scalar):
    what = "text"

    def __init__(
        self, multiline: bool = True, pattern: str | None = None, example: str = "",
        max_len: int | None = None,
    ) -> None:  # fmt: skip
        self.multiline, self.pattern, self.example = multiline, pattern, example
        self.max_len = max_len
        anchored = {"pattern": f"^(?:{pattern})$"} if pattern else {}  # JSON Schema searches
        self.json = {"type": "string", **anchored, **({"maxLength": max_len} if max_len else {})}

    def read(self, text: str, node: yaml.Node, ctx: Ctx) -> Any:
        if not text:
            return ctx.error(node, "empty", "is empty", "write a value or remove the line")
        if not self.multiline and "\n" in text:
            return ctx.error(node, "type", "must be a single line")
        if self.max_len is not None and len(text) > self.max_len:
            return ctx.error(
                node, "too-long",
                f"'{text[:24]}…' is {len(text)} characters long, more than {self.max_len}",
                "shorten it: it names the PDF file" if self.pattern else "shorten it",
            )  # fmt: skip
        if self.pattern and not re.fullmatch(self.pattern, text):
            return ctx.error(node, "format", f"'{text}' is not valid here", self.example)
        return text


class Exact(Str):
    """Text where invisible characters are an error: codes, phone numbers, addresses."""

    def read(self, text: str, node: yaml.Node, ctx: Ctx) -> Any:
        bad = INVISIBLE.search(text)
        if bad:
            name = unicodedata.name(bad.group(), f"U+{ord(bad.group()):04X}")
            return ctx.error(
                node, "invisible-char", f"contains the invisible character {name}",
                "retype the value without it",
            )  # fmt: skip
        return super().read(text, node, ctx)


class Enum(Scalar):
    def __init__(self, *choices: str):
        self.choices = choices
        self.what = "one of " + ", ".join(choices)
        self.json = {"enum": list(choices)}

    def read(self, text: str, node: yaml.Node, ctx: Ctx) -> Any:
        if text in self.choices:
            return text
        hint = did_you_mean(text, self.choices) or f"use one of: {', '.join(self.choices)}"
        return ctx.error(node, "enum", f"'{text}' is not allowed here", hint)


class Date(Scalar):
    what = "a date"
    json = {"type": "string", "format": "date"}

    def read(self, text: str, node: yaml.Node, ctx: Ctx) -> Any:
        try:
            if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
                return dt.date.fromisoformat(text)
        except ValueError:
            pass
        return ctx.error(
            node, "date", f"'{text}' is not a date", "write it as YYYY-MM-DD, e.g. 2026-11-01"
        )


class Bool(Scalar):
    what = "true or false"
    json = {"type": "boolean"}

    def read(self, text: str, node: yaml.Node, ctx: Ctx) -> Any:
        if text in ("true", "false"):
            return text == "true"
        return ctx.error(node, "type", f"'{text}' is not true or false", "write true or false")


class Choice(Enum):
    """One of some words, with old spellings (true, false) read as the word they stand for."""

    def __init__(self, *choices: str, aliases: dict[str, str] | None = None):
        super().__init__(*choices)
        self.aliases = aliases or {}
        self.json = {"enum": [*choices, *(a == "true" for a in self.aliases)]}

    def read(self, text: str, node: yaml.Node, ctx: Ctx) -> Any:
        return super().read(self.aliases.get(text, text), node, ctx)


TOC = Choice("auto", "always", "never", aliases={"true": "always", "false": "never"})


class Number(Scalar):
    what = "a number"

    def __init__(self, low: float, high: float):
        self.low, self.high = low, high
        self.json = {"type": "number", "minimum": low, "maximum": high}

    def read(self, text: str, node: yaml.Node, ctx: Ctx) -> Any:
        try:
            value = float(text)
        except ValueError:
            return ctx.error(node, "type", f"'{text}' is not a number")
        if not self.low <= value <= self.high:
            return ctx.error(node, "range", f"{text} is outside {self.low:g}..{self.high:g}")
        return value


class Whole(Number):
    what = "a whole number"

    def __init__(self, low: int, high: int):
        super().__init__(low, high)
        self.json = {"type": "integer", "minimum": low, "maximum": high}

    def read(self, text: str, node: yaml.Node, ctx: Ctx) -> Any:
        if not text.strip().isdigit():
            return ctx.error(node, "type", f"'{text}' is not a whole number", "write e.g. 3")
        value = super().read(text, node, ctx)
        return value if value is MISSING else int(value)


class Length(Scalar):
    what = "a length such as 20mm"
    json = {"type": ["string", "number"], "pattern": r"^\d+(\.\d+)?\s*(mm|cm|in|pt)?$"}

    def read(self, text: str, node: yaml.Node, ctx: Ctx) -> Any:
        match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(mm|cm|in|pt)?", text)
        if not match:
            return ctx.error(node, "length", f"'{text}' is not a length", "write e.g. 20mm")
        points = float(match.group(1)) * UNITS[match.group(2) or "pt"]
        if points > 100 * MM:
            return ctx.error(node, "range", f"{text} is too large for a page margin")
        return points


class Colour(Scalar):
    what = "a colour such as #005a9c"
    json = {"type": "string", "pattern": "^#([0-9a-fA-F]{3}){1,2}$"}

    def read(self, text: str, node: yaml.Node, ctx: Ctx) -> Any:
        if not re.fullmatch(r"#([0-9a-fA-F]{3}){1,2}", text):
            return ctx.error(node, "colour", f"'{text}' is not a colour", "write e.g. '#005a9c'")
        if len(text) == 4:
            text = "#" + "".join(c * 2 for c in text[1:])
        return text.lower()


def short_url(url: str) -> str:
    """The address as printed: no scheme, no 'www.', no trailing slash."""
    return re.sub(r"^(https?://)?(www\.)?", "", url).rstrip("/")


@functools.lru_cache(maxsize=4096)
def url_problem(url: str, schemes: tuple[str, ...]) -> str:
    """Return what is wrong with a web address, or '' (cached: every leaflet links to the same
    few addresses)."""
    if INVISIBLE.search(url) or any(c.isspace() for c in url):
        return "contains spaces or invisible characters"
    if len(url) > MAX_URL:
        return f"is longer than {MAX_URL} characters, too long to print or to put in a QR code"
    if len(url.encode("utf-8")) > QR_BYTES:
        return f"takes {len(url.encode('utf-8')):,} bytes, more than a QR code holds ({QR_BYTES:,})"
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", url)
    if not match:
        return "has no scheme: write it in full, starting with https://"
    scheme = match.group(1).lower()
    if scheme not in schemes:
        return f"uses the scheme '{scheme}:'; only {', '.join(schemes)} are allowed"
    if scheme in ("http", "https") and not re.match(r"https?://[^/?#@]+\.[^/?#@]+", url, re.I):
        return "has no valid host name"
    if scheme in ("mailto", "tel") and len(url) <= len(scheme) + 1:
        return "is empty after the scheme"
    return ""


class Checked(Exact):
    """One line of exact text, judged by a function that says what is wrong with it, or ''."""

    def __init__(
        self,
        code: str,
        judge: Callable[[str, Ctx, yaml.Node], str],
        json: Mapping[str, Any],
        hint: str | Callable[[Ctx], str] = "",
    ) -> None:
        super().__init__(multiline=False)
        self.code, self.judge, self.hint, self.json = code, judge, hint, json

    def read(self, text: str, node: yaml.Node, ctx: Ctx) -> Any:
        text = super().read(text, node, ctx)
        if text is MISSING:
            return text
        problem = self.judge(text, ctx, node)
        hint = self.hint(ctx) if callable(self.hint) else self.hint
        return ctx.error(node, self.code, problem, hint) if problem else text


def web_address(text: str, ctx: Ctx, node: yaml.Node) -> str:
    problem = url_problem(text, URL_SCHEMES)
    shown = text if len(text) <= 80 else text[:60] + "…"
    return f"web address '{shown}' {problem}" if problem else ""


def email_address(text: str, ctx: Ctx, node: yaml.Node) -> str:
    ok = re.fullmatch(r"[^@\s<>()\[\],;:\"]+@[\w-]+(\.[\w-]+)+", text)
    return "" if ok else f"'{text}' is not an e-mail address"


def phone_number(text: str, ctx: Ctx, node: yaml.Node) -> str:
    from pamflet.load.phones import phone_problem  # phonenumbers loads only when a phone is given

    problem = phone_problem(text, ctx.region)  # a patient dials it: any doubt is an error
    return problem[1] if problem else ""


def feedback_route(text: str, ctx: Ctx, node: yaml.Node) -> str:
    """An e-mail address or a web address, each checked by its own rule; anything else is a
    block id, which the resolver looks up (with a did-you-mean)."""
    if "://" in text or text.startswith(("http", "www.")):
        return web_address(text, ctx, node)
    return email_address(text, ctx, node) if "@" in text else ""


def Feedback() -> Checked:
    return Checked(
        "feedback", feedback_route, {"type": "string"},
        "write a contact block id (contacten/voorlichting), name@example.org or https://...",
    )  # fmt: skip


def Url() -> Checked:
    return Checked("url", web_address, {"type": "string", "format": "uri", "pattern": "^https?://"})


def Email() -> Checked:
    return Checked("email", email_address, {"type": "string", "format": "email"})


def Phone() -> Checked:
    return Checked("phone", phone_number, {"type": "string"}, phone_hint)


def phone_hint(ctx: Ctx) -> str:
    """An example number of the project's country, as people there write it."""
    from pamflet.load.phones import example

    return f"write it as in {example(ctx.region)}"


class BlockId(Exact):
    what = "a block id"
    json = {"type": "string", "pattern": "^[^/].*[^/]$"}

    def __init__(self) -> None:
        super().__init__(multiline=False)

    def read(self, text: str, node: yaml.Node, ctx: Ctx) -> Any:
        text = super().read(text, node, ctx)
        if text is MISSING:
            return text
        return Ref(text.removesuffix(".md").removeprefix("content/"), ctx.loc(node))


class Seq(Rule):
    def __init__(
        self, item: Rule, min_len: int = 0, exact: tuple[int, ...] = (), one: bool = False
    ) -> None:
        self.item, self.min_len, self.exact, self.one = item, min_len, exact, one
        self.json = {"type": "array", "items": dict(item.json), "minItems": min_len}
        if one:  # a single value stands for a list of one
            self.json = {"oneOf": [dict(item.json), self.json]}

    def __call__(self, node: yaml.Node, ctx: Ctx) -> Any:
        if self.one and isinstance(node, yaml.ScalarNode):
            item = self.item(node, ctx)
            return MISSING if item is MISSING else (item,)
        if not isinstance(node, yaml.SequenceNode):
            return ctx.error(node, "type", "expected a list ([a, b] or lines starting with '- ')")
        if len(node.value) < self.min_len:
            return ctx.error(node, "empty", f"needs at least {self.min_len} item(s)")
        if self.exact and len(node.value) not in self.exact:
            counts = " or ".join(map(str, self.exact))
            return ctx.error(node, "type", f"needs {counts} items, found {len(node.value)}")
        items = [self.item(child, ctx) for child in node.value]
        return MISSING if MISSING in items else tuple(items)


class Nodes(Rule):
    """Hands the node on untouched, for structures the loader walks itself."""

    def __init__(self, json: Mapping[str, Any]):
        self.json = json

    def __call__(self, node: yaml.Node, ctx: Ctx) -> Any:
        return node


class Nested(dict[str, Any]):
    """A nested mapping's values, with where each key was written (`locs`)."""

    def __init__(self, values: dict[str, Any], locs: dict[str, Location]) -> None:
        super().__init__(values)
        self.locs = locs


@dataclass(frozen=True)
class Field:
    rule: Rule
    doc: str
    required: bool = False


class Map(Rule):
    """A mapping with known keys: each a Field."""

    def __init__(self, fields: Mapping[str, Field], what: str):
        self.fields, self.what = fields, what
        self.json = {
            "type": "object",
            "additionalProperties": False,
            "required": [k for k, f in fields.items() if f.required],
            "properties": {k: {**f.rule.json, "description": f.doc} for k, f in fields.items()},
        }

    def __call__(self, node: yaml.Node, ctx: Ctx) -> Any:
        values, locs = self.read(node, ctx)
        return values if values is MISSING else Nested(values, locs)

    def example(self) -> str:
        required = [k for k, f in self.fields.items() if f.required] or list(self.fields)[:1]
        return ", ".join(f"'{k}: ...'" for k in required)

    def read(self, node: yaml.Node, ctx: Ctx) -> tuple[Any, dict[str, Location]]:
        """Return (values by key, location of each key) or (MISSING, {})."""
        if is_null(node) and not any(f.required for f in self.fields.values()):
            return {}, {}
        if is_null(node):
            return ctx.error(node, "empty", f"{self.what} is empty", f"write {self.example()}"), {}
        if not isinstance(node, yaml.MappingNode):
            hint = f"write {self.example()}"
            if isinstance(node, yaml.ScalarNode) and "content" in self.fields:
                hint = f"write '- content: {node.value}' (or 'contact:' or 'title:')"
            return ctx.error(node, "type", f"{self.what} must be a mapping (key: value)", hint), {}
        values: dict[str, Any] = {}
        locs: dict[str, Location] = {}
        for key_node, value_node in node.value:
            key = self.key(key_node, ctx, locs)
            if key is None:
                continue
            locs[key] = ctx.loc(key_node)
            if not is_null(value_node):
                values[key] = self.fields[key].rule(value_node, ctx)
            elif self.fields[key].required:
                values[key] = ctx.error(value_node, "empty", f"'{key}' is empty")
        for key, spec in self.fields.items():
            if spec.required and key not in locs:
                ctx.error(node, "missing", f"{self.what} has no '{key}'", f"add '{key}: ...'")
        return {k: v for k, v in values.items() if v is not MISSING}, locs

    def key(self, node: yaml.Node, ctx: Ctx, seen: dict[str, Location]) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            ctx.error(node, "type", "keys must be plain words")
            return None
        key = node.value
        if key in seen:
            first = seen[key]
            ctx.error(
                node, "duplicate-key", f"'{key}' is given twice (first on line {first.line})",
                "keep one of them",
            )  # fmt: skip
            return None
        if key not in self.fields:
            hint = did_you_mean(key, self.fields) or f"known keys: {', '.join(self.fields)}"
            ctx.error(node, "unknown-key", f"unknown key '{key}' in {self.what}", hint)
            return None
        return key


class Dict(Rule):
    """A mapping from free keys to values of one rule."""

    def __init__(self, value: Rule, keys: Callable[[str], str] = lambda k: ""):
        self.value, self.check_key = value, keys
        self.json = {"type": "object", "additionalProperties": dict(value.json)}

    def __call__(self, node: yaml.Node, ctx: Ctx) -> Any:
        if not isinstance(node, yaml.MappingNode):
            return ctx.error(node, "type", "expected a mapping (key: value)")
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                ctx.error(key_node, "type", "a key must be plain text, not a list or a mapping")
                continue
            key = str(key_node.value)
            problem = self.check_key(key)
            if key in out:
                ctx.error(key_node, "duplicate-key", f"'{key}' is given twice", "keep one of them")
            elif problem:
                ctx.error(key_node, "unknown-key", problem)
            else:
                out[key] = self.value(value_node, ctx)
        return {k: v for k, v in out.items() if v is not MISSING}
