"""The build records (manifest and check cache) are untrusted input: forged, they change nothing
that is printed, delete nothing outside the build folder, and mean at worst a rebuild."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import BASE, outputs, run, validate
from pypdf import PdfReader

from pamflet.records.checks import CACHE
from pamflet.records.manifest import MANIFEST

LEAFLET = BASE["leaflets/test.yaml"]
OTHER = {"leaflets/other.yaml": LEAFLET.replace("code: T-1", "code: T-2")}


def built(project) -> Path:
    root = project(OTHER)
    result = run(root, "build")
    assert result.code == 0, result.output
    return root


def text(pdf: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(pdf).pages)


def forge(path: Path, change: Callable[[dict[str, Any]], object]) -> None:
    data = json.loads(path.read_text())
    result = change(data)
    if isinstance(result, str):  # the file's text as it is
        path.write_text(result)
    else:
        path.write_text(json.dumps(data if result is None else result))


def stale(victim: str) -> Callable[[dict[str, Any]], None]:
    """A manifest entry for a leaflet that no longer exists, naming `victim` as its file."""

    def change(data: dict[str, Any]) -> None:
        entry = copy.deepcopy(data["leaflets"]["T-1"])
        entry["files"] = {victim: "0" * 64}
        data["leaflets"]["GONE"] = entry

    return change


@pytest.mark.parametrize(
    "victim", ["../README.md", "ABSOLUTE", "../build/../README.md", "x/../../README.md"]
)
def test_a_forged_manifest_deletes_nothing_outside_the_build_folder(
    project, tmp_path, victim
) -> None:
    root = built(project)
    outside = tmp_path / "victim.txt"
    outside.write_text("keep me")
    (root / "README.md").write_text("keep me too")
    name = str(outside) if victim == "ABSOLUTE" else victim
    forge(root / "build" / MANIFEST, stale(name))
    (root / "content/main.md").write_text((root / "content/main.md").read_text() + "\nMore.\n")
    result = run(root, "build")
    assert result.code == 0, result.output
    assert outside.read_text() == "keep me"
    assert (root / "README.md").read_text() == "keep me too"
    assert sorted(p.name for p in outputs(root / "build")) == ["T-1.pdf", "T-2.pdf"]


def test_a_manifest_naming_a_device_is_not_read(project) -> None:
    root = built(project)

    def zero(data: dict[str, Any]) -> None:
        data["leaflets"]["T-1"]["files"]["/dev/zero"] = "0" * 64

    forge(root / "build" / MANIFEST, zero)
    result = run(root, "build")  # reading /dev/zero would never end
    assert result.code == 0, result.output
    assert "built 2 leaflets" in result.stderr  # the manifest was ignored: a full rebuild


FIELD_FORGERIES: dict[str, Callable[[dict[str, Any]], object]] = {
    "not an object": lambda d: [1, 2],
    "extra field": lambda d: d.update(extra=1),
    "key not hex": lambda d: d["leaflets"]["T-1"].update(key="x" * 64),
    "files a list": lambda d: d["leaflets"]["T-1"].update(files=["T-1.pdf"]),
    "file of another code": lambda d: d["leaflets"]["T-1"]["files"].update({"T-2.pdf": "0" * 64}),
    "hidden file": lambda d: d["leaflets"]["T-1"]["files"].update({".T-1.pdf": "0" * 64}),
    "pages a string": lambda d: d["leaflets"]["T-1"].update(pages="3"),
    "pages negative": lambda d: d["leaflets"]["T-1"].update(pages=-1),
    "diagnostics a dict": lambda d: d["leaflets"]["T-1"].update(diagnostics={}),
    "diagnostic of the wrong shape": lambda d: d["leaflets"]["T-1"].update(
        diagnostics=[{"severity": 5}]
    ),
    "diagnostic outside": lambda d: d["leaflets"]["T-1"].update(
        diagnostics=[
            {
                "severity": "warning",
                "code": "x",
                "message": "m",
                "hint": "",
                "path": "/etc/passwd",
                "line": 1,
                "column": 1,
            }
        ]
    ),
    "unknown severity": lambda d: d["leaflets"]["T-1"].update(
        diagnostics=[
            {
                "severity": "fatal",
                "code": "x",
                "message": "m",
                "hint": "",
                "path": "leaflets/t.yaml",
                "line": 1,
                "column": 1,
            }
        ]
    ),
    "code with a slash": lambda d: d["leaflets"].update({"a/b": d["leaflets"]["T-1"]}),
    "deep nesting": lambda d: "[" * 100_000 + "]" * 100_000,
}


@pytest.mark.parametrize("name", list(FIELD_FORGERIES))
def test_a_manifest_of_any_other_shape_means_a_rebuild(project, name) -> None:
    root = built(project)
    before = {p.name: p.read_bytes() for p in outputs(root / "build")}
    forge(root / "build" / MANIFEST, FIELD_FORGERIES[name])
    result = run(root, "build")
    assert result.code == 0, result.output
    assert "built 2 leaflets" in result.stderr, result.stderr
    assert {p.name: p.read_bytes() for p in outputs(root / "build")} == before  # same bytes
    assert run(root, "list").code == 0


def unit_of(data: dict[str, Any], prefix: str) -> dict[str, Any]:
    return next(u for name, u in data["units"].items() if name.startswith(prefix))


CACHE_FORGERIES: dict[str, Callable[[dict[str, Any]], object]] = {
    "front matter of a block": lambda d: d.update(fronts={"x": {"values": {"phone": "0800 666"}}}),
    "not an object": lambda d: '"units"',
    "units a list": lambda d: d.update(units=[]),
    "unit name": lambda d: d["units"].update({"../x": unit_of(d, "leaflet:")}),
    "key": lambda d: unit_of(d, "leaflet:").update(key=5),
    "diagnostic of the wrong shape": lambda d: unit_of(d, "leaflet:").update(
        diagnostics=[{"s": 1}]
    ),
    "diagnostic outside": lambda d: unit_of(d, "leaflet:").update(
        diagnostics=[
            {"s": "error", "c": "x", "m": "m", "h": "", "p": "../../etc/passwd", "l": 1, "o": 1}
        ]
    ),
    "used block": lambda d: unit_of(d, "leaflet:").update(used=["../../etc/passwd"]),
    "files outside": lambda d: unit_of(d, "leaflet:").update(files=["/etc/passwd"]),
    "inputs": lambda d: unit_of(d, "leaflet:").update(inputs=["x"]),
}


@pytest.mark.parametrize("name", list(CACHE_FORGERIES))
def test_a_check_cache_of_any_other_shape_is_ignored(project, name) -> None:
    root = built(project)
    truth = run(root, "check", "--format", "json")
    forge(root / "build" / CACHE, CACHE_FORGERIES[name])
    forged = run(root, "check", "--format", "json")
    assert (forged.code, forged.stdout) == (truth.code, truth.stdout)
    result = run(root, "build", "--force")
    assert result.code == 0, result.output
    for pdf in outputs(root / "build"):
        validate(pdf)
        assert "0800 666" not in text(pdf)


def test_nothing_printed_comes_from_the_check_cache(project) -> None:
    """Front matter as an old cache kept it, keyed by the file's hash: never used again."""
    root = built(project)
    cache = root / "build" / CACHE
    data = json.loads(cache.read_text())
    data["fronts"] = {
        key: {"values": {"title": "Uw contactpersoon", "kind": "contact", "name": "Zuster Test",
                         "phone": "0800 123 45 67", "email": "evil@example.com",
                         "url": "javascript:alert(1)"},
              "locs": {}, "diagnostics": []}
        for key in [u["key"] for u in data["units"].values()]
    }  # fmt: skip
    cache.write_text(json.dumps(data))
    (root / "build/T-1.pdf").unlink()  # must be drawn again
    result = run(root, "build")
    assert result.code == 0, result.output
    printed = text(root / "build/T-1.pdf")
    assert "evil@example.com" not in printed and "0800 123" not in printed
    assert "073 553 20 00" in printed
    raw = (root / "build/T-1.pdf").read_bytes()
    assert b"javascript" not in raw


def test_the_severity_policy_is_part_of_what_a_cached_report_depends_on(project) -> None:
    nurse = BASE["content/contacten/nurse.md"].replace("073 553 20 00", "073 553 20 0")
    root = project({
        "content/contacten/nurse.md": nurse,
        "pamflet.yaml": BASE["pamflet.yaml"] + "severity:\n  phone: ignore\n",
    })  # fmt: skip
    assert run(root, "build").code == 0
    assert run(root, "check").code == 0
    (root / "pamflet.yaml").write_text(BASE["pamflet.yaml"] + "severity:\n  phone: error\n")
    strict = run(root, "check")
    assert strict.code == 1, strict.output
    assert "is not a valid phone number" in strict.stdout


def test_a_cloned_repository_with_a_forged_build_folder(project, tmp_path) -> None:
    """Someone committed build/ with `git add -f`: a clone's build reads it as untrusted."""
    if shutil.which("git") is None:
        pytest.skip("needs git")
    root = built(project)
    forge(root / "build" / MANIFEST, stale("../../victim.txt"))
    forge(root / "build" / CACHE, CACHE_FORGERIES["front matter of a block"])
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q", str(root)], check=True)
    subprocess.run([*git, "-C", str(root), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(root), "add", "-f", "build"], check=True)
    subprocess.run([*git, "-C", str(root), "commit", "-qm", "x"], check=True)
    clone = tmp_path / "work" / "clone"
    clone.parent.mkdir()
    subprocess.run(["git", "clone", "-q", str(root), str(clone)], check=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    assert (clone / "build" / MANIFEST).is_file()
    result = run(clone, "build")
    assert result.code == 0, result.output
    assert victim.read_text() == "keep me"
    for pdf in outputs(clone / "build"):
        validate(pdf)
        assert "0800 666" not in text(pdf)
