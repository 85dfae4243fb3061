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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pamflet import __version__
from pamflet import model as m
from pamflet.diagnostics import Diagnostic, Location
from pamflet.project import FileProblem, ProjectDir

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
    try:
        data = json.loads((folder / CACHE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    return data if data.get("pamflet") == __version__ else None


@dataclass
class Fronts:
    """Blocks' front matter as read last time, by the SHA-256 of the file and the country:
    YAML and the schema are the slow part of loading a catalogue."""

    old: dict[str, Any] = field(default_factory=dict)
    new: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, data: dict[str, Any] | None) -> Fronts:
        fronts = (data or {}).get("fronts")
        return cls(fronts if isinstance(fronts, dict) else {})

    def get(
        self, key: str
    ) -> tuple[dict[str, str], dict[str, tuple[int, int]], list[Diagnostic]] | None:
        entry = self.old.get(key)
        try:
            values = {str(k): str(v) for k, v in entry["values"].items()}
            locs = {str(k): (int(v[0]), int(v[1])) for k, v in entry["locs"].items()}
            diagnostics = [cooked(d) for d in entry["diagnostics"]]
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            return None
        self.new[key] = entry
        return values, locs, diagnostics

    def put(self, key: str, values: dict[str, Any], locs: dict[str, Location],
            diagnostics: list[Diagnostic]) -> None:  # fmt: skip
        if all(isinstance(v, str) for v in values.values()):
            self.new[key] = {
                "values": values, "locs": {k: [v.line, v.col] for k, v in locs.items()},
                "diagnostics": [raw(d) for d in diagnostics],
            }  # fmt: skip


def raw(diag: Diagnostic) -> dict[str, Any]:
    loc = diag.location
    return {"s": diag.severity, "c": diag.code, "m": diag.message, "h": diag.hint,
            "p": loc.path, "l": loc.line, "o": loc.col}  # fmt: skip


def cooked(data: dict[str, Any]) -> Diagnostic:
    loc = Location(str(data["p"]), int(data["l"]), int(data["o"]))
    return Diagnostic(data["s"], str(data["c"]), str(data["m"]), loc, str(data["h"]))


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


@dataclass
class Memo:
    """The cache of one run: the entries read, and the entries of this run to write."""

    shared: str
    today: dt.date
    files: ProjectDir
    digests: dict[str, str] = field(default_factory=dict)  # path -> SHA-256 of the file read
    old: dict[str, Unit] = field(default_factory=dict)
    fronts: Fronts = field(default_factory=lambda: Fronts())
    new: dict[str, Unit] = field(default_factory=dict)

    @classmethod
    def load(
        cls, data: dict[str, Any] | None, shared: str, today: dt.date, files: ProjectDir,
        fronts: Fronts | None = None,
    ) -> Memo:  # fmt: skip
        """The memo of a run, from the cache file's contents (`read_cache`)."""
        memo = cls(shared, today, files, files.digests, fronts=fronts or Fronts())
        try:
            for name, e in (data or {}).get("units", {}).items():
                memo.old[str(name)] = Unit(
                    str(e["key"]), list(e["diagnostics"]), [str(u) for u in e["used"]],
                    [str(f) for f in e["files"]], str(e["inputs"]),
                )  # fmt: skip
                for d in memo.old[str(name)].diagnostics:
                    cooked(d)  # every entry must read back, or the file is not ours
        except (ValueError, KeyError, TypeError, AttributeError):
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
        data = {"format": FORMAT, "pamflet": __version__, "units": units,
                "fronts": dict(sorted(self.fronts.new.items()))}  # fmt: skip
        return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
