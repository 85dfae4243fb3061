"""The check cache: what resolving each block and leaflet reported, keyed by what it read.

`build` writes it beside the manifest (`.pamflet-check.json`); `check` and the next `build`
read it. A block's standalone check is reused while its file and the project's shared facts are
unchanged; a leaflet's resolution while its file, the files of every block it showed, linked to
or named last time, and the shared facts are unchanged. The shared facts (`Fingerprint`) are
everything one text can see of the others: each block's front matter, each leaflet's code,
title and address, the settings, layouts, fonts and images, pamflet's version. Adding or
removing any block or leaflet changes them. The cache is JSON (never pickle: the build folder
is restored from CI caches and must not be able to run code); a missing, damaged or foreign
cache means "resolve everything", never a wrong answer.
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
FORMAT = 1
FRONT_FIELDS = ("title", "kind", "summary", "url", "name", "role", "phone", "email", "hours",
                "address")  # fmt: skip


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
    """The shared facts every block and leaflet may read, as one hash."""
    root = Path(project.root)
    parts: list[object] = [__version__, repr(project.settings)]
    for block in sorted(project.blocks.values(), key=lambda b: b.id):
        parts.append(repr((block.id, *(getattr(block, k) for k in FRONT_FIELDS))))
    parts.append(sorted(project.broken))
    for leaflet in project.leaflets:
        parts.append(repr((leaflet.path, leaflet.code, leaflet.title, leaflet.subtitle,
                           leaflet.url, leaflet.format)))  # fmt: skip
    for folder in ("layouts", "content"):  # fonts, logos, images; block texts are deps
        base = root / folder
        for path in sorted(base.rglob("*")) if base.is_dir() else []:
            rel = path.relative_to(root).as_posix()
            if (path.suffix == ".md" and folder == "content") or not path.is_file():
                continue
            if any(p.startswith(".") for p in rel.split("/")):
                continue
            parts.append(rel.encode() + b"\0" + read(files, rel))
    return sha(*parts)


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

    def replay(self) -> list[Diagnostic]:
        return [cooked(d) for d in self.diagnostics]


UNIT_NAME = re.compile(r"(block:[a-z0-9][\w/.-]{0,300}|leaflet:[A-Za-z0-9][A-Za-z0-9._-]{0,63})")
BLOCK = re.compile(r"[a-z0-9][\w/.-]{0,300}")


def unit(name: object, e: object) -> Unit:
    """One unit of the cache, checked field by field."""
    if not isinstance(name, str) or not UNIT_NAME.fullmatch(name) or not isinstance(e, dict):
        raise Untrusted("unit")
    if set(e) != {"key", "diagnostics", "used", "files", "inputs"}:
        raise Untrusted("unit fields")
    key, diagnostics, used, read, inputs = (
        e[k] for k in ("key", "diagnostics", "used", "files", "inputs")
    )
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
    return Unit(key, diagnostics, used, read, inputs)


@dataclass
class Memo:
    """The cache of one run: the entries read, and the entries of this run to write."""

    shared: str
    today: dt.date
    files: ProjectDir
    digests: dict[str, str] = field(default_factory=dict)  # path -> SHA-256 of the file read
    old: dict[str, Unit] = field(default_factory=dict)
    new: dict[str, Unit] = field(default_factory=dict)

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

    def key(self, kind: str, obj: Any, used: list[str], files: list[str],
            project: m.Project) -> str | None:  # fmt: skip
        """What a unit read: its own file, the blocks and files it used, the shared facts.
        None when a block it used no longer exists (its key cannot be the same)."""
        blocks = [project.blocks.get(b) for b in sorted(used)]
        if any(b is None for b in blocks):
            return None
        seen = self.digests
        own = seen.get(obj.path) or sha(repr(obj))
        reads = (f.encode() + b"\0" + read(self.files, f) for f in sorted(files))
        return sha(kind, self.shared, own, *(seen.get(b.path) or sha(repr(b)) for b in blocks),
                   *reads)  # fmt: skip

    def lookup(self, name: str, obj: object, project: m.Project, dated: bool) -> Unit | None:
        """The unit recorded for `name` when nothing it read has changed since."""
        unit = self.old.get(name)
        if unit is None:
            return None
        inputs = self.key(name, obj, unit.used, unit.files, project)
        if inputs is None or unit.key != (sha(inputs, self.today) if dated else inputs):
            return None
        self.new[name] = unit
        return unit

    def record(
        self, name: str, obj: object, project: m.Project, diagnostics: list[Diagnostic],
        used: list[str], files: list[str], dated: bool,
    ) -> Unit:  # fmt: skip
        inputs = self.key(name, obj, used, files, project) or ""
        unit = Unit(sha(inputs, self.today) if dated else inputs, [raw(d) for d in diagnostics],
                    used, files, inputs)  # fmt: skip
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
            }
            for name, u in sorted(self.new.items())
        }
        data = {"format": FORMAT, "pamflet": __version__, "units": units}
        return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
