"""Diagnostics: where a problem is, what it is, and how to fix it; collected, never raised."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]

UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Author text as it may appear in a message: one line, no terminal controls, valid UTF-8.

    Control characters, line breaks, bidirectional overrides and lone surrogates (a file name
    that is not UTF-8 arrives as such) are written as escapes, so that a value can never look
    like a second diagnostic or move the cursor.
    """
    return UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(match.group(), f"\\x{code:02x}")
    return f"\\u{code:04x}"


def _github_property(value: str) -> str:
    """GitHub's escaping for an annotation property (file, title)."""
    return (
        value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        .replace(":", "%3A").replace(",", "%2C")
    )  # fmt: skip


@dataclass(frozen=True, order=True)
class Location:
    """A position in a project file: path relative to the project, 1-based line and column."""

    path: str
    line: int = 1
    col: int = 1

    def shifted(self, lines: int) -> Location:
        """Return the same column, `lines` further down."""
        return Location(self.path, self.line + lines, self.col)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in a project."""

    severity: Severity
    code: str
    message: str
    location: Location
    hint: str = ""

    def sort_key(self) -> tuple[Location, str, str]:
        return (self.location, self.code, self.message)

    def text(self) -> str:
        hint = f"; {self.hint}" if self.hint else ""
        loc = self.location
        where = f"{printable(loc.path)}:{loc.line}:{loc.col}"
        return f"{where}: {self.severity}: {printable(self.message + hint)} [{self.code}]"

    def github(self) -> str:
        loc = self.location
        text = printable(f"{self.message}{'; ' + self.hint if self.hint else ''}")
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        file = _github_property(printable(loc.path))
        title = _github_property(f"pamflet {self.code}")
        return f"::{self.severity} file={file},line={loc.line},col={loc.col},title={title}::{text}"

    def as_dict(self) -> dict[str, object]:
        loc = self.location
        return {
            "path": printable(loc.path),
            "line": loc.line,
            "column": loc.col,
            "severity": self.severity,
            "code": self.code,
            "message": printable(self.message),
            "hint": printable(self.hint),
        }


@dataclass
class Report:
    """Collects diagnostics from every stage; identical reports are kept once."""

    severities: dict[str, str] = field(default_factory=dict)
    allowed: frozenset[str] = frozenset()  # warnings that do not fail --strict (check --allow)
    _items: dict[Diagnostic, None] = field(default_factory=dict)

    def error(self, code: str, message: str, loc: Location, hint: str = "") -> None:
        self.add(Diagnostic("error", code, message, loc, hint))

    def warning(self, code: str, message: str, loc: Location, hint: str = "") -> None:
        self.add(Diagnostic("warning", code, message, loc, hint))

    def add(self, diag: Diagnostic) -> None:
        policy = self.severities.get(diag.code)
        if policy == "ignore":
            return
        if policy in ("error", "warning"):
            diag = Diagnostic(policy, diag.code, diag.message, diag.location, diag.hint)  # type: ignore[arg-type]
        self._items.setdefault(diag, None)

    def extend(self, diags: Iterable[Diagnostic]) -> None:
        for diag in diags:
            self.add(diag)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return sorted(self._items, key=Diagnostic.sort_key)

    @property
    def errors(self) -> int:
        return sum(d.severity == "error" for d in self._items)

    @property
    def warnings(self) -> int:
        return sum(d.severity == "warning" for d in self._items)

    def failed(self, strict: bool = False) -> bool:
        strict_fail = any(
            d.severity == "warning" and d.code not in self.allowed for d in self._items
        )
        return self.errors > 0 or (strict and strict_fail)

    def render(self, fmt: str) -> str:
        diags = self.diagnostics
        if fmt == "json":
            return json.dumps([d.as_dict() for d in diags], indent=2, ensure_ascii=False)
        if fmt == "github":
            return "\n".join(d.github() for d in diags)
        return "\n".join(d.text() for d in diags)

    def summary(self) -> str:
        e, w = self.errors, self.warnings
        return f"{e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)}"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return a 'did you mean' hint for the closest choice, or ''."""
    import difflib  # only when a name is wrong

    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else ""
