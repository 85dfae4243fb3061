"""Where each character of a YAML scalar is written in its file, counted as an editor counts.

YAML counts U+0085, U+2028 and U+2029 as line breaks; editors (and pamflet's messages) count
only line feeds. A folded (`>`), plain or quoted scalar that spans lines is not its source
either: its lines are joined, quotes doubled, escapes decoded. `places` aligns the value with
its source so that a problem found in the value points at the character the author typed.
"""

from __future__ import annotations

import bisect
import re
from functools import cached_property

Place = tuple[int, int]  # (line, column), both 1-based
ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|\r?\n|.)")
SKIPPABLE = " \t\r\n"


class Lines:
    """A text's line starts, to turn a character index into a line and column."""

    def __init__(self, text: str, line_offset: int = 0) -> None:
        self.text, self.offset = text, line_offset

    @cached_property
    def starts(self) -> list[int]:
        return [0] + [m.end() for m in re.finditer("\n", self.text)]

    def place(self, index: int) -> Place:
        index = max(0, min(index, len(self.text)))
        line = bisect.bisect_right(self.starts, index)
        return line + self.offset, index - self.starts[line - 1] + 1


def places(lines: Lines, start: int, end: int, value: str, style: str | None) -> list[list[Place]]:
    """For each line of `value`, the place of each of its characters, and one past its end.

    `start` and `end` index the scalar's source in `lines.text` (its quotes or block header
    included). Characters are matched greedily: whitespace, line breaks and quotes of the
    source that are not in the value are skipped, an escape stands for the character it
    decodes to, and a character the source does not have (a space from folding) stays where
    the previous one was.
    """
    source = lines.text[start:end]
    if style in ("|", ">"):
        header = source.find("\n")  # `|`, `|-`, `>2` and a comment: not part of the value
        source, start = (source[header + 1 :], start + header + 1) if header >= 0 else ("", end)
    elif style in ("'", '"'):
        source, start = source[1:], start + 1
    out: list[list[Place]] = [[]]
    j = 0
    for char in value:
        k = j
        while k < len(source) and source[k] != char and source[k] in SKIPPABLE + "'":
            k += 1
        if style == '"' and k < len(source) and source[k] == "\\":
            escape = ESCAPE.match(source, k)
            size = len(escape.group(0)) if escape else 1
            at, j = k, k + size
        elif k < len(source) and source[k] == char:
            at, j = k, k + 1
        else:  # a space or line break folding made: where the source had its line break
            at = j
        if char == "\n":
            out[-1].append(lines.place(start + at))
            out.append([])
        else:
            out[-1].append(lines.place(start + at))
    out[-1].append(lines.place(start + min(j, len(source))))
    return out
