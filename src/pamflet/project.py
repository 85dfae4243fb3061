"""Find the project and read its files: the one module that touches the filesystem for input."""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from pamflet.diagnostics import Location

SETTINGS_FILE = "pamflet.yaml"
MAX_TEXT_BYTES = 2_000_000


class ProjectNotFound(Exception):
    """The folder given is not a pamflet project."""


class FileProblem(Exception):
    """A project file cannot be read as text; carries where and why."""

    def __init__(self, message: str, loc: Location, hint: str = "") -> None:
        super().__init__(message)
        self.message, self.loc, self.hint = message, loc, hint


@dataclass(frozen=True)
class ProjectDir:
    """A project folder; every path handed out is relative to it, in POSIX form."""

    root: Path
    # Answers about paths, for this run: every leaflet that shows a block asks again.
    seen: dict[tuple[str, str], bool] = field(default_factory=dict, compare=False, repr=False)
    # The SHA-256 of every file read, by path: what the check cache keys on.
    digests: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    blobs: dict[str, str] = field(default_factory=dict, compare=False, repr=False)  # git ids
    # Entries a listing passed over, and why: links to folders, FIFOs, broken links.
    skipped: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> ProjectDir:
        root = Path(path).resolve()
        if not (root / SETTINGS_FILE).is_file():
            raise ProjectNotFound(
                f"no {SETTINGS_FILE} in {root}: run pamflet inside a project folder "
                "or pass --project PATH"
            )
        return cls(root)

    def files(self, folder: str, suffix: str) -> list[str]:
        """List files below `folder` ending in `suffix`, sorted, hidden ones skipped. Links to
        folders are not followed (they may loop, or lead out of the project), and what is not a
        regular file (a FIFO, a device, a broken link) is passed over; `skipped` says why."""
        base = self.root / folder
        found: list[str] = []
        if base.is_dir() and not base.is_symlink():
            self._walk(base, suffix, found)
        return sorted(found)

    def _walk(self, folder: Path, suffix: str, found: list[str]) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return
        skip = len(str(self.root)) + 1
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = entry.path[skip:].replace(os.sep, "/")  # paths as strings: thousands of files
            try:
                if entry.is_dir(follow_symlinks=False):
                    self._walk(Path(entry.path), suffix, found)
                elif not entry.name.endswith(suffix):
                    continue
                elif entry.is_symlink() and os.path.isdir(entry.path):
                    self.skipped[rel] = "a link to a folder, which is not followed"
                elif entry.is_file():  # a link to a file is read if it stays inside
                    found.append(rel)
                    if not entry.is_symlink():  # in a folder the walk entered: inside
                        self.seen[("inside", rel)] = True
                elif entry.is_symlink():
                    self.skipped[rel] = "a link that leads nowhere (or loops)"
                else:
                    self.skipped[rel] = "not a regular file (a FIFO, socket or device)"
            except OSError:
                self.skipped[rel] = "a link that leads nowhere (or loops)"
        for entry in entries:  # links to folders, whatever their name
            if entry.is_symlink() and not entry.name.startswith(".") and os.path.isdir(entry.path):
                rel = entry.path[skip:].replace(os.sep, "/")
                self.skipped.setdefault(rel, "a link to a folder, which is not followed")

    def folders(self, folder: str) -> list[str]:
        base = self.root / folder
        return sorted(p.name for p in base.iterdir() if p.is_dir()) if base.is_dir() else []

    def exists(self, rel: str) -> bool:
        key = ("exists", rel)
        if key not in self.seen:
            try:
                self.seen[key] = self.inside(rel) and (self.root / rel).is_file()
            except (OSError, ValueError):  # a name too long, or with a NUL byte, names no file
                self.seen[key] = False
        return self.seen[key]

    def inside(self, rel: str) -> bool:
        """True when `rel`, with every symlink followed, stays inside the project."""
        key = ("inside", rel)
        if key not in self.seen:
            parts = rel.split("/")
            try:
                if rel in ("", "."):
                    self.seen[key] = True
                elif (
                    not posixpath.isabs(rel)
                    and ".." not in parts
                    and "" not in parts
                    and not os.path.islink(os.path.join(self.root, rel))
                ):
                    # not a link itself: inside when its folder is (each folder checked once)
                    self.seen[key] = self.inside("/".join(parts[:-1]))
                else:
                    target = (self.root / rel).resolve()
                    self.seen[key] = target == self.root or self.root in target.parents
            except (OSError, ValueError):
                self.seen[key] = False
        return self.seen[key]

    def read_bytes(self, rel: str, limit: int = 50_000_000) -> bytes:
        if not self.inside(rel):
            raise FileProblem(f"'{rel}' leads outside the project", Location(rel))
        with open(self.root / rel, "rb") as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:
            raise FileProblem(f"'{rel}' is larger than {limit // 1_000_000} MB", Location(rel))
        self.digests[rel] = hashlib.sha256(data).hexdigest()
        return data

    def blob(self, rel: str) -> str | None:
        """The git blob id of a file (as `git hash-object` gives it), read once; None when it
        cannot be read."""
        if rel not in self.blobs:  # only approvals, translations and releases ask
            try:
                self.blobs[rel] = git_blob(self.read_bytes(rel))
            except (OSError, FileProblem):
                return None
        return self.blobs[rel]

    def changed(self, rel: str) -> float:
        """When the file last changed (its modification time; 0 when it cannot be read)."""
        try:
            return (self.root / rel).stat().st_mtime
        except OSError:
            return 0.0

    def read_text(self, rel: str) -> str:
        """Read a UTF-8 text file (a BOM is allowed); raise FileProblem with the bad byte's place."""
        data = self.read_bytes(rel, MAX_TEXT_BYTES)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            before = data[: exc.start]
            line = before.count(b"\n") + 1
            col = exc.start - (before.rfind(b"\n") + 1) + 1
            raise FileProblem(
                f"not UTF-8 text (byte 0x{data[exc.start]:02x})",
                Location(rel, line, col),
                "save the file as UTF-8",
            ) from None
        if "\x00" in text:
            raise FileProblem("file contains NUL bytes: not a text file", Location(rel))
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def abspath(self, rel: str) -> Path:
        return self.root / rel


TRANSLATED = re.compile(r"^(?P<stem>.+)\.(?P<lang>[a-z]{2})\.(?P<ext>md|yaml)$")


def translated(rel: str) -> tuple[str, str | None]:
    """(source, language) of a translation's path ('content/x.tr.md' -> 'content/x.md', 'tr');
    (rel, None) for any other file."""
    from pamflet.model import LANGUAGES

    match = TRANSLATED.match(rel)
    if match is None or match["lang"] not in LANGUAGES:
        return rel, None
    return f"{match['stem']}.{match['ext']}", match["lang"]


def git_blob(data: bytes) -> str:
    """The id git gives a file's contents (`git hash-object`): no git needed to compare."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def join_relative(from_file: str, target: str) -> str | None:
    """Resolve `target` relative to the folder of `from_file`; None if it climbs above the root."""
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(from_file), target))
    if joined.startswith("../") or joined == ".." or posixpath.isabs(joined):
        return None
    return joined


def find_project(start: str | os.PathLike[str]) -> Path:
    """The nearest folder at or above `start` with a pamflet.yaml, as git finds .git."""
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    raise ProjectNotFound(
        f"no {SETTINGS_FILE} in {here} or any folder above it: run pamflet inside a project, "
        "pass --project PATH, or start a new project here with 'pamflet init'"
    )
