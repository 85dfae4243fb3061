"""Tiny projects as fixtures, and helpers to run the CLI and read its diagnostics."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from pamflet.cli import main

ROOT = Path(__file__).resolve().parent.parent
LINE = re.compile(
    r"^(?P<path>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): (?P<msg>.*)$"
)

BASE: dict[str, str] = {
    "pamflet.yaml": "organisation: Testziekenhuis\nlanguage: nl\n",
    "leaflets/test.yaml": (
        "code: T-1\n"
        "title: Testfolder\n"
        "subtitle: Alles over testen\n"
        "revised: 2026-01-01\n"
        "sections:\n"
        "  - content: main\n"
        "  - title: Onderzoeken\n"
        "    text: Welke onderzoeken u krijgt, hangt af van uw situatie.\n"
        "    cards: [onderzoeken/scan]\n"
        "  - contact: contacten/nurse\n"
    ),
    "content/main.md": (
        "---\ntitle: Hoofdtekst\nkind: condition\n---\n"
        "Sentinel alpha in the main text.\n\n## Nazorg\n\nSentinel bravo after care.\n"
    ),
    "content/onderzoeken/scan.md": (
        "---\ntitle: Scan\nkind: examination\nsummary: Sentinel charlie summary.\n"
        "url: https://example.org/scan\n---\nScan body.\n"
    ),
    "content/contacten/nurse.md": (
        "---\ntitle: Uw contactpersoon\nkind: contact\nname: Zuster Test\nphone: 073 553 20 00\n"
        "email: nurse@example.org\nhours: Maandag 8.30 tot 16.30 uur\n---\nSentinel delta body.\n"
    ),
}


@dataclass
class Diag:
    path: str
    line: int
    col: int
    severity: str
    message: str


@dataclass
class Run:
    code: int
    output: str
    stdout: str
    stderr: str

    @property
    def diags(self) -> list[Diag]:
        out = []
        for line in self.stdout.splitlines():
            match = LINE.match(line)
            if match:
                out.append(
                    Diag(
                        match["path"],
                        int(match["line"]),
                        int(match["col"]),
                        match["sev"],
                        match["msg"],
                    )
                )
        return out

    def has(self, path: str, line: int | None, fragment: str, severity: str = "error") -> Diag:
        for diag in self.diags:
            if (
                diag.path == path
                and (line is None or diag.line == line)
                and diag.severity == severity
                and fragment.lower() in diag.message.lower()
            ):
                return diag
        raise AssertionError(f"no {severity} at {path}:{line} with {fragment!r} in:\n{self.output}")


def write_project(root: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write BASE with `files` laid over it (None deletes a file)."""
    merged: dict[str, str | bytes | None] = {**BASE, **files}
    for rel, content in merged.items():
        if content is None:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def project(tmp_path: Path):
    """Make a project: project({'content/x.md': '...'}) returns its folder."""

    def make(files: dict[str, str | bytes | None] | None = None) -> Path:
        return write_project(tmp_path / "proj", files or {})

    return make


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the repository's example project."""
    target = tmp_path / "example"
    target.mkdir()
    for name in ("pamflet.yaml", "leaflets", "content", "layouts"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, target / name)
        else:
            shutil.copy(src, target / name)
    return target


def run(root: Path, *args: str) -> Run:
    result = CliRunner().invoke(main, ["--project", str(root), *args], catch_exceptions=False)
    return Run(result.exit_code, result.output, result.stdout, result.stderr)


def check(root: Path, *args: str) -> Run:
    return run(root, "check", *args)


def build(root: Path, *args: str) -> Run:
    """Run `pamflet build`; every PDF it leaves behind must pass qpdf --check and strict pypdf."""
    result = run(root, "build", *args)
    out = Path(args[args.index("--out") + 1]) if "--out" in args else root / "build"
    if out.is_dir():
        for path in sorted(out.glob("*.pdf")):
            validate(path)
    return result


def validate(path: Path) -> None:
    reader = pdf(path)
    for page in reader.pages:
        page.extract_text()
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        if os.environ.get("PAMFLET_REQUIRE_QPDF"):
            raise AssertionError("qpdf is required (PAMFLET_REQUIRE_QPDF is set) but not installed")
        return
    done = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, f"qpdf --check {path.name}:\n{done.stdout}{done.stderr}"


def outputs(folder: Path) -> list[Path]:
    """The files a build left in `folder`, without the manifest and check cache (its records)."""
    from pamflet.records.checks import CACHE
    from pamflet.records.manifest import MANIFEST

    return sorted(p for p in folder.iterdir() if p.name not in (MANIFEST, CACHE))


def pdf(path: Path) -> PdfReader:
    return PdfReader(io.BytesIO(path.read_bytes()), strict=True)


def text_of(reader: PdfReader) -> str:
    """All text, whitespace folded, soft hyphenation at line ends undone."""
    raw = "\n".join(page.extract_text() or "" for page in reader.pages)
    raw = re.sub(r"(\w)-\n(\w)", r"\1\2", raw)
    return re.sub(r"\s+", " ", raw.replace("\u00a0", " "))


def links(reader: PdfReader) -> list[dict]:
    out = []
    for number, page in enumerate(reader.pages, start=1):
        for annot in page.get("/Annots") or []:
            obj = annot.get_object()
            if obj.get("/Subtype") != "/Link":
                continue
            action = obj.get("/A")
            entry = {"page": number, "uri": None, "dest": obj.get("/Dest")}
            if action is not None:
                action = action.get_object()
                entry["uri"] = action.get("/URI")
                entry["dest"] = entry["dest"] or action.get("/D")
            out.append(entry)
    return out
