"""The check cache: what resolving each block and leaflet reported, keyed by what it read.

`build` writes it beside the manifest (`.pamflet-check.json`); `check` and the next `build`
read it. A unit (a block's own check, a leaflet's resolution) is keyed on the facts it read
and nothing else, as make's dependency files are: its own file; the files of the blocks it
showed, linked to or named (front matter included); the images and fonts it read; the
leaflets it linked to (their code, title and address); its layout; the project's settings and
severity policy and pamflet's version. A unit that looked for something that was not there (a
misspelt block, a missing leaflet or layout) is also keyed on which blocks, leaflets and
layouts exist, so adding the missing one checks it again. A change anywhere else leaves the
unit, and the leaflet's PDF, alone. The cache is JSON (never pickle), and untrusted: a cache of
any other shape means "resolve everything", never a wrong answer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pamflet import __version__
from pamflet import model as m
from pamflet.diagnostics import Diagnostic
from pamflet.project import FileProblem, ProjectDir
from pamflet.records.manifest import HEX, Untrusted, as_diagnostic, read_output, safe_path

CACHE = ".pamflet-check.json"
FORMAT = 2


def sha(*parts: object) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def read(files: ProjectDir, rel: str) -> bytes:
    """A project file's bytes for a key; never a file outside the project (a cache from CI
    names files too, and is not trusted), never more than the size any input may have."""
    try:
        return files.read_bytes(rel)
    except (FileProblem, OSError, ValueError):  # missing, outside, too large, an impossible name
        return b"\0unreadable"


def fingerprint(project: m.Project, files: ProjectDir) -> str:
    """What every unit reads: pamflet's version and the project's settings (its country, its
    organisation, its severity policy)."""
    return sha(__version__, repr(project.settings))


MISSES = ("block", "leaflet", "layout")


def existing(project: m.Project, kinds: list[str]) -> str:
    """Which blocks, leaflets or layouts exist: what a unit that missed one depends on."""
    names = {
        "block": lambda: [*sorted(project.blocks), "\0", *sorted(project.broken)],
        "leaflet": lambda: sorted(project.leaflet_paths),
        "layout": lambda: sorted(project.layouts),
    }
    return sha(*(repr(names[kind]()) for kind in sorted(kinds))) if kinds else ""


def leaflet_facts(project: m.Project, path: str) -> str:
    """What a link to another leaflet prints of it: its code, title and address."""
    other = project.leaflet_paths.get(path)
    if other is None:
        return f"{path}\0absent"
    return repr((path, other.code, other.title, other.subtitle, other.url, other.format))


def read_cache(folder: Path | None) -> dict[str, Any] | None:
    """The cache file's contents, when it is ours and of this version; else None."""
    if folder is None:
        return None
    raw = read_output(folder / CACHE)
    if raw is None:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or set(data) != {"format", "pamflet", "units"}:
        return None
    if data["format"] != FORMAT:
        return None
    return data if data.get("pamflet") == __version__ else None


def raw(diag: Diagnostic) -> dict[str, Any]:
    loc = diag.location
    return {"s": diag.severity, "c": diag.code, "m": diag.message, "h": diag.hint,
            "p": loc.path, "l": loc.line, "o": loc.col}  # fmt: skip


def cooked(data: object) -> Diagnostic:
    """A diagnostic as `raw` wrote it, checked field by field (Untrusted otherwise)."""
    if not isinstance(data, dict) or set(data) != {"s", "c", "m", "h", "p", "l", "o"}:
        raise Untrusted("diagnostic")
    return as_diagnostic({
        "severity": data["s"], "code": data["c"], "message": data["m"], "hint": data["h"],
        "path": data["p"], "line": data["l"], "column": data["o"],
    })  # fmt: skip


@dataclass
class Unit:
    """What resolving one block or leaflet reported, and what it read."""

    key: str
    diagnostics: list[dict[str, Any]] = field(default_factory=list)
    used: list[str] = field(default_factory=list)  # blocks it showed, linked to or named
    files: list[str] = field(default_factory=list)  # other project files it read (images)
    inputs: str = ""  # leaflets: the key of what they read, without today's date
    leaflets: list[str] = field(default_factory=list)  # other leaflets it linked to, by path
    missing: list[str] = field(default_factory=list)  # kinds of thing it looked for in vain

    def replay(self) -> list[Diagnostic]:
        return [cooked(d) for d in self.diagnostics]


UNIT_NAME = re.compile(r"(block:[a-z0-9][\w/.-]{0,300}|leaflet:[A-Za-z0-9][A-Za-z0-9._-]{0,63})")
BLOCK = re.compile(r"[a-z0-9][\w/.-]{0,300}")


def unit(name: object, e: object) -> Unit:
    """One unit of the cache, checked field by field."""
    if not isinstance(name, str) or not UNIT_NAME.fullmatch(name) or not isinstance(e, dict):
        raise Untrusted("unit")
    if set(e) != {"key", "diagnostics", "used", "files", "inputs", "leaflets", "missing"}:
        raise Untrusted("unit fields")
    key, diagnostics, used, read, inputs = (
        e[k] for k in ("key", "diagnostics", "used", "files", "inputs")
    )
    linked, missing = e["leaflets"], e["missing"]
    if not isinstance(linked, list) or not all(isinstance(p, str) and safe_path(p) for p in linked):
        raise Untrusted("leaflets")
    if not isinstance(missing, list) or not all(k in MISSES for k in missing):
        raise Untrusted("missing")
    if not isinstance(key, str) or not HEX.fullmatch(key):
        raise Untrusted("key")
    if not isinstance(inputs, str) or not (inputs == "" or HEX.fullmatch(inputs)):
        raise Untrusted("inputs")
    if (
        not isinstance(diagnostics, list)
        or not isinstance(used, list)
        or not isinstance(read, list)
    ):
        raise Untrusted("lists")
    for d in diagnostics:
        cooked(d)
    if not all(isinstance(b, str) and BLOCK.fullmatch(b) for b in used):
        raise Untrusted("used")
    if not all(isinstance(f, str) and safe_path(f) for f in read):
        raise Untrusted("files")
    return Unit(key, diagnostics, used, read, inputs, linked, missing)


@dataclass
class Memo:
    """The cache of one run: the entries read, and the entries of this run to write."""

    shared: str
    today: dt.date
    files: ProjectDir
    digests: dict[str, str] = field(default_factory=dict)  # path -> SHA-256 of the file read
    old: dict[str, Unit] = field(default_factory=dict)
    new: dict[str, Unit] = field(default_factory=dict)
    answers: dict[str, Unit | None] = field(default_factory=dict)  # `unchanged`, asked once

    @classmethod
    def load(
        cls, data: dict[str, Any] | None, shared: str, today: dt.date, files: ProjectDir
    ) -> Memo:
        """The memo of a run, from the cache file's contents (`read_cache`); a cache with any
        entry of a shape pamflet does not write is ignored whole."""
        memo = cls(shared, today, files, files.digests)
        try:
            units = (data or {}).get("units", {})
            if not isinstance(units, dict):
                raise Untrusted("units")
            memo.old = {name: unit(name, e) for name, e in units.items()}
        except (Untrusted, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            memo.old = {}
        return memo

    def key(self, kind: str, obj: Any, project: m.Project, used: list[str], files: list[str],
            leaflets: list[str], missing: list[str]) -> str | None:  # fmt: skip
        """What a unit read (see the module's docstring). None when a block it used no longer
        exists (its key cannot be the same)."""
        blocks = [project.blocks.get(b) for b in sorted(used)]
        if any(b is None for b in blocks):
            return None
        seen = self.digests
        own = seen.get(obj.path) or sha(repr(obj))
        reads = (f.encode() + b"\0" + read(self.files, f) for f in sorted(files))
        linked = (leaflet_facts(project, p) for p in sorted(leaflets))
        layout = repr(project.layouts.get(obj.layout)) if isinstance(obj, m.Leaflet) else ""
        return sha(kind, self.shared, own, *(seen.get(b.path) or sha(repr(b)) for b in blocks),
                   *reads, *linked, layout, existing(project, missing))  # fmt: skip

    def lookup(self, name: str, obj: object, project: m.Project, dated: bool) -> Unit | None:
        """The unit recorded for `name` when nothing it read has changed since."""
        unit = self.unchanged(name, obj, project, dated)
        if unit is not None:
            self.new[name] = unit
        return unit

    def unchanged(self, name: str, obj: object, project: m.Project, dated: bool) -> Unit | None:
        """`lookup` without keeping the unit for this run's cache: a question only, whose
        answer holds for the run (its inputs were read at its start)."""
        if name not in self.answers:
            self.answers[name] = self._unchanged(name, obj, project, dated)
        return self.answers[name]

    def _unchanged(self, name: str, obj: object, project: m.Project, dated: bool) -> Unit | None:
        unit = self.old.get(name)
        if unit is None:
            return None
        inputs = self.key(name, obj, project, unit.used, unit.files, unit.leaflets, unit.missing)
        if inputs is None or unit.key != (sha(inputs, self.today) if dated else inputs):
            return None
        return unit

    def record(
        self, name: str, obj: object, project: m.Project, diagnostics: list[Diagnostic],
        used: list[str], files: list[str], dated: bool, leaflets: list[str] = (),  # type: ignore[assignment]
        missing: list[str] = (),  # type: ignore[assignment]
    ) -> Unit:  # fmt: skip
        leaflets, missing = sorted(leaflets), sorted(missing)
        inputs = self.key(name, obj, project, used, files, leaflets, missing) or ""
        unit = Unit(sha(inputs, self.today) if dated else inputs, [raw(d) for d in diagnostics],
                    used, files, inputs, leaflets, missing)  # fmt: skip
        self.new[name] = unit
        return unit

    def dump(self) -> bytes:
        units = {
            name: {
                "key": u.key,
                "diagnostics": u.diagnostics,
                "used": u.used,
                "files": u.files,
                "inputs": u.inputs,
                "leaflets": u.leaflets,
                "missing": u.missing,
            }
            for name, u in sorted(self.new.items())
        }
        data = {"format": FORMAT, "pamflet": __version__, "units": units}
        return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
