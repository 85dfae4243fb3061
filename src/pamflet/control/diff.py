"""`pamflet diff`: the words that changed in a leaflet's resolved text, section by section,
since an archived version or a git revision.

The text compared is the resolved one (records/text.py), so a change that only comes from a
template or a shared block (a phone number in a contact block) shows in every leaflet that
prints it. Words are compared with difflib's SequenceMatcher, junk heuristics off: a leaflet is
a few thousand words, for which it is fast, and its longest-matching-block results read as a
reviewer expects. diff-match-patch, the usual alternative, compares characters (words need an
encoding trick) and cleans up for efficiency rather than for readers; it would buy nothing here.
"""

from __future__ import annotations

import difflib
import re
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

WORD = re.compile(r"\S+|\n")  # words, and line ends: paragraphs stay apart
CONTEXT = 6  # unchanged words shown either side of a change in the terminal


@dataclass(frozen=True)
class Change:
    """One section's words: ('equal' | 'insert' | 'delete', words) runs, in order."""

    title: str
    status: str  # changed | added | removed
    runs: tuple[tuple[str, str], ...]


class DiffProblem(Exception):
    """The older version cannot be had (no such archived version, no such revision)."""


def compare(old: list[tuple[str, str]], new: list[tuple[str, str]]) -> list[Change]:
    """The sections whose text differs, in the new order (removed sections where they were)."""
    before = dict(old)
    after = dict(new)
    order = [t for t, _ in new]
    for i, (title, _) in enumerate(old):  # a removed section goes after its predecessor
        if title not in after:
            prev = next((old[j][0] for j in range(i - 1, -1, -1) if old[j][0] in order), None)
            order.insert(order.index(prev) + 1 if prev is not None else 0, title)
    out = []
    for title in order:
        a, b = before.get(title), after.get(title)
        if a == b:
            continue
        status = "added" if a is None else "removed" if b is None else "changed"
        out.append(Change(title, status, tuple(runs(a or "", b or ""))))
    return out


def runs(a: str, b: str) -> list[tuple[str, str]]:
    old, new = WORD.findall(a), WORD.findall(b)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("equal", " ".join(old[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(("delete", " ".join(old[i1:i2])))
        if op in ("insert", "replace"):
            out.append(("insert", " ".join(new[j1:j2])))
    return out


def terminal(changes: list[Change], colour: bool) -> str:
    """git's --word-diff style: [-removed-] {+inserted+}, coloured on a terminal."""
    import click

    lines = []
    for change in changes:
        mark = {"added": " (new section)", "removed": " (section removed)"}.get(change.status, "")
        lines.append(click.style(f"## {change.title}{mark}", bold=True) if colour
                     else f"## {change.title}{mark}")  # fmt: skip
        parts = []
        for i, (op, words) in enumerate(change.runs):
            if op == "equal":
                ws = words.split(" ")
                first, last = i == 0, i == len(change.runs) - 1
                if (
                    len(ws) > 2 * CONTEXT + 1
                    or (first and len(ws) > CONTEXT)
                    or (last and len(ws) > CONTEXT)
                ):
                    head = [] if first else ws[:CONTEXT]
                    tail = [] if last else ws[-CONTEXT:]
                    ws = [*head, "…", *tail]
                parts.append(" ".join(ws))
            elif op == "delete":
                parts.append(click.style(f"[-{words}-]", fg="red") if colour else f"[-{words}-]")
            else:
                parts.append(
                    click.style(f"{{+{words}+}}", fg="green") if colour else f"{{+{words}+}}"
                )
        text = " ".join(p for p in parts if p)
        lines.append(re.sub(r" ?\n ?", "\n", text).strip("\n"))
        lines.append("")
    return "\n".join(lines).rstrip("\n")


def at_revision(root: Path, rev: str, work: Path) -> Path:
    """The project as git revision `rev` had it, unpacked into `work`; its root there."""

    def git(*args: str) -> bytes:
        try:
            done = subprocess.run(
                ["git", *args], cwd=root, capture_output=True, timeout=60, check=False
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise DiffProblem(f"cannot run git: {exc}") from None
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise DiffProblem(message[-1] if message else f"git {args[0]} failed")
        return done.stdout

    prefix = git("rev-parse", "--show-prefix").decode().strip()
    git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    data = git("archive", "--format=tar", rev, "--", prefix or ".")
    with tempfile.NamedTemporaryFile(dir=work, suffix=".tar") as fh:
        fh.write(data)
        fh.flush()
        with tarfile.open(fh.name) as tar:
            tar.extractall(work, filter="data")
    return work / prefix if prefix else work
