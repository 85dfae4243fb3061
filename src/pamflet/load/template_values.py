"""What a template sees and how it fails: read-only tables whose unknown keys are errors,
the limits on what a template may build, and the problem it reports."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

MAX_OUTPUT = 200_000
REPORTED = "already-reported"  # the code of a problem whose cause has its own diagnostic
MAX_VALUE = 1_000_000  # characters or items in any string or list a template makes
MAX_RANGE = 10_000
MAX_WIDTH = 1_000  # widths and paddings that filters and string methods may be asked for
PADDING = frozenset(["ljust", "rjust", "center", "zfill", "expandtabs"])
# A %-format conversion: (key) flags width .precision length type; `*` takes a number from args.
PERCENT = re.compile(r"%(\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d*))?[hlL]?([a-zA-Z%])")


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
