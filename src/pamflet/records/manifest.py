"""Incremental builds: a leaflet is rendered again only when something it prints has changed.

The key of a leaflet is a hash of what it was made from (memo.py: its file, the blocks and
images it used, the project's shared facts and pamflet's version), the build options and the
PDF date. The manifest in
the output folder records each leaflet's key, the files written for it with their hashes, its
page count and its render warnings. A manifest that is missing, damaged, foreign or out of step
with the files on disk means "render again", never a wrong PDF.

The manifest is untrusted input (a restored CI cache, a committed `build/`): a name that is not
one pamflet writes for that leaflet (`<code>.pdf`, `<code>-print.pdf`, `<code>.<lang>.pdf`),
a field of the wrong shape, anything unexpected, and the whole manifest is ignored. Files are
read to check their hash only when they are regular files of a sane size.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pamflet import __version__
from pamflet.diagnostics import Diagnostic, Location

MANIFEST = ".pamflet-manifest.json"
FORMAT = 1
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
HEX = re.compile(r"[0-9a-f]{64}")
MAX_OUTPUT_BYTES = 200_000_000  # a PDF pamflet wrote is far smaller: anything larger is not ours
SEVERITIES = ("error", "warning")


class Untrusted(ValueError):
    """A record of a shape pamflet does not write."""


LANGUAGE_SUFFIX = re.compile(r"\.[a-z]{2,3}")


def is_output_name(code: str, name: object) -> bool:
    """Whether `name` is one pamflet writes for leaflet `code`: `<code>[.<lang>][-print].pdf`."""
    if not isinstance(name, str) or not name.endswith(".pdf") or name.startswith("."):
        return False
    if "/" in name or "\\" in name or "\0" in name:
        return False
    stem = name[:-4]
    for rest in {stem, stem.removesuffix("-print")}:
        if rest == code or (
            rest.startswith(code) and LANGUAGE_SUFFIX.fullmatch(rest[len(code) :]) is not None
        ):
            return True
    return False


def read_output(path: Path) -> bytes | None:
    """The bytes of a file pamflet wrote: never through a symlink, never a FIFO or device."""
    try:
        fd = os.open(
            path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        )
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_OUTPUT_BYTES:
            return None
        return fh.read(MAX_OUTPUT_BYTES + 1)


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
            data = read_output(folder / name)
            if data is None or digest(data) != sha:
                return False
        return True

    def replay(self) -> list[Diagnostic]:
        """The render warnings of the last build, reported again."""
        return [as_diagnostic(d) for d in self.diagnostics]


def load(folder: Path) -> dict[str, Entry]:
    """The manifest's entries by leaflet code; empty when it cannot be trusted."""
    raw = read_output(folder / MANIFEST)
    if raw is None:
        return {}
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or set(data) != {"format", "pamflet", "leaflets"}:
            raise Untrusted("fields")
        if data["format"] != FORMAT or data["pamflet"] != __version__:
            return {}
        leaflets = data["leaflets"]
        if not isinstance(leaflets, dict):
            raise Untrusted("leaflets")
        return {code: _entry(code, e) for code, e in leaflets.items()}
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return {}


def _entry(code: object, e: object) -> Entry:
    """One leaflet's record, checked field by field."""
    if not isinstance(code, str) or not CODE.fullmatch(code) or not isinstance(e, dict):
        raise Untrusted("code")
    if set(e) != {"key", "files", "pages", "diagnostics"}:
        raise Untrusted("entry fields")
    key, files, pages, diagnostics = e["key"], e["files"], e["pages"], e["diagnostics"]
    if not isinstance(key, str) or not HEX.fullmatch(key) or not isinstance(files, dict):
        raise Untrusted("key")
    for name, sha in files.items():
        if not is_output_name(code, name) or not isinstance(sha, str) or not HEX.fullmatch(sha):
            raise Untrusted(f"file name {name!r}")
    if type(pages) is not int or not 0 <= pages < 100_000 or not isinstance(diagnostics, list):
        raise Untrusted("pages")
    for d in diagnostics:
        as_diagnostic(d)
    return Entry(key, dict(files), pages, diagnostics)


def as_diagnostic(d: object) -> Diagnostic:
    """A render warning as `Diagnostic.as_dict` wrote it, or Untrusted."""
    if not isinstance(d, dict) or not {
        "severity",
        "code",
        "message",
        "path",
        "line",
        "column",
    } <= set(d):
        raise Untrusted("diagnostic")
    texts = [d["severity"], d["code"], d["message"], d["path"], d.get("hint", "")]
    numbers = [d["line"], d["column"]]
    if not all(isinstance(t, str) and len(t) < 10_000 for t in texts):
        raise Untrusted("diagnostic text")
    if not all(type(n) is int and 0 <= n < 10_000_000 for n in numbers):
        raise Untrusted("diagnostic position")
    if d["severity"] not in SEVERITIES or not safe_path(d["path"]):
        raise Untrusted("diagnostic")
    loc = Location(d["path"], d["line"], d["column"])
    return Diagnostic(d["severity"], d["code"], d["message"], loc, d.get("hint", ""))


def safe_path(path: str) -> bool:
    """A path inside the project, written as pamflet writes them (posix, relative, no '..')."""
    parts = path.split("/")
    return (
        bool(path) and not path.startswith("/") and "\\" not in path and "\0" not in path
        and ".." not in parts and all(parts)
    )  # fmt: skip


def dump(entries: dict[str, Entry]) -> bytes:
    leaflets = {
        code: {"key": e.key, "files": e.files, "pages": e.pages, "diagnostics": e.diagnostics}
        for code, e in sorted(entries.items())
    }
    data = {"format": FORMAT, "pamflet": __version__, "leaflets": leaflets}
    return (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()
