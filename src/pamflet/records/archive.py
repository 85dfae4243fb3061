"""The archive of released versions: `archive/<code>/<code>-v<version>.pdf` (and `-print.pdf`)
with a JSON record beside them, never overwritten.

A record says what was released and on what it rested: version, release date, approval, the
SHA-256 of each file, the leaflet's resolved text by section, and the git blob id of every file
the leaflet read. It is what `list --versions` and `list --on` show, what `diff --against`
compares with, and the baseline an approval is judged against once it has been released.

Records are read as untrusted input (a clone may carry anything): regular files of a sane
size, of the shape written here; anything else is skipped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from pamflet import __version__
from pamflet.project import FileProblem, ProjectDir

ARCHIVE = "archive"
MAX_RECORD = 20_000_000
RECORD = re.compile(r"^(?P<code>.+)-v(?P<version>[0-9]{1,6})\.json$")


@dataclass(frozen=True)
class Release:
    """One archived version of a leaflet."""

    code: str
    version: int
    released: dt.date
    approved_by: str | None
    approved_on: dt.date | None
    files: dict[str, str]  # file name in the archive folder -> SHA-256
    text: list[tuple[str, str]]  # (section title, its text)
    reads: dict[str, str] = field(default_factory=dict)  # project path -> git blob id
    path: str = ""  # the record's project path

    @property
    def approval(self) -> tuple[str, dt.date] | None:
        if self.approved_by is None or self.approved_on is None:
            return None
        return self.approved_by, self.approved_on


def folder(code: str) -> str:
    return f"{ARCHIVE}/{code}"


def pdf_name(code: str, version: int, suffix: str = "") -> str:
    return f"{code}-v{version}{suffix}.pdf"


def record_name(code: str, version: int) -> str:
    return f"{code}-v{version}.json"


def releases(files: ProjectDir, code: str) -> list[Release]:
    """The archived versions of leaflet `code`, oldest first; damaged records are left out."""
    where = files.root / folder(code)
    if not where.is_dir() or where.is_symlink():
        return []
    found = []
    for entry in sorted(where.iterdir()):
        match = RECORD.match(entry.name)
        if not match or match["code"] != code or entry.is_symlink() or not entry.is_file():
            continue
        release = parse(files, f"{folder(code)}/{entry.name}", code, int(match["version"]))
        if release is not None:
            found.append(release)
    return sorted(found, key=lambda r: r.version)


def parse(files: ProjectDir, rel: str, code: str, version: int) -> Release | None:
    try:
        data = json.loads(files.read_bytes(rel, MAX_RECORD))
        approved = data.get("approved") or {}
        text = [(str(t), str(x)) for t, x in data["text"]]
        release = Release(
            code, version, dt.date.fromisoformat(data["released"]),
            str(approved["by"]) if "by" in approved else None,
            dt.date.fromisoformat(approved["on"]) if "on" in approved else None,
            {str(k): str(v) for k, v in data["files"].items()}, text,
            {str(k): str(v) for k, v in data.get("reads", {}).items()}, rel,
        )  # fmt: skip
    except (OSError, FileProblem, ValueError, KeyError, TypeError, AttributeError):
        return None
    if data.get("code") != code or data.get("version") != version:
        return None
    return release


def current_on(history: list[Release], day: dt.date) -> Release | None:
    """The version patients were given on `day`: the last one released on or before it."""
    before = [r for r in history if r.released <= day]
    return max(before, key=lambda r: (r.released, r.version)) if before else None


def record(
    code: str, version: int, released: dt.date, approved: tuple[str, dt.date] | None,
    digests: dict[str, str], text: list[tuple[str, str]], blocks: dict[str, str],
    reads: dict[str, str], extra: dict[str, Any],
) -> bytes:  # fmt: skip
    """The JSON record of one release."""
    data = {
        "code": code,
        "version": version,
        "released": released.isoformat(),
        "approved": {"by": approved[0], "on": approved[1].isoformat()} if approved else None,
        **extra,
        "files": digests,
        "blocks": blocks,
        "reads": reads,
        "text": [list(pair) for pair in text],
        "pamflet": __version__,
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
