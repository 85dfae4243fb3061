"""Incremental builds: a leaflet is rendered again only when something it prints has changed.

The key of a leaflet is a hash of what it was made from (memo.py: its file, the blocks and
images it used, the project's shared facts and pamflet's version), the build options and the
PDF date. The manifest in
the output folder records each leaflet's key, the files written for it with their hashes, its
page count and its render warnings. A manifest that is missing, damaged, foreign or out of step
with the files on disk means "render again", never a wrong PDF.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pamflet import __version__
from pamflet.diagnostics import Diagnostic, Location

MANIFEST = ".pamflet-manifest.json"
FORMAT = 1


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Entry:
    key: str
    files: dict[str, str]  # name -> sha256 of its bytes
    pages: int = 0
    diagnostics: list[dict[str, Any]] = field(default_factory=list)

    def up_to_date(self, folder: Path, wanted: str) -> bool:
        """Same key, and every file still on disk with the bytes it was written with."""
        if self.key != wanted:
            return False
        for name, sha in self.files.items():
            try:
                if digest((folder / name).read_bytes()) != sha:
                    return False
            except OSError:
                return False
        return True

    def replay(self) -> list[Diagnostic]:
        """The render warnings of the last build, reported again."""
        out = []
        for d in self.diagnostics:
            loc = Location(str(d["path"]), int(d["line"]), int(d["column"]))
            out.append(Diagnostic(d["severity"], d["code"], d["message"], loc, d.get("hint", "")))
        return out


def load(folder: Path) -> dict[str, Entry]:
    """The manifest's entries by leaflet code; empty when it cannot be trusted."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or data.get("pamflet") != __version__:
            return {}
        return {str(code): _entry(e) for code, e in data["leaflets"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _entry(e: dict[str, Any]) -> Entry:
    files = {str(k): str(v) for k, v in e["files"].items()}
    return Entry(str(e["key"]), files, int(e.get("pages", 0)), list(e.get("diagnostics", [])))


def dump(entries: dict[str, Entry]) -> bytes:
    leaflets = {
        code: {"key": e.key, "files": e.files, "pages": e.pages, "diagnostics": e.diagnostics}
        for code, e in sorted(entries.items())
    }
    data = {"format": FORMAT, "pamflet": __version__, "leaflets": leaflets}
    return (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()
