"""Incremental builds: only what changed is rendered; a damaged manifest means a full rebuild."""

from __future__ import annotations

import json

import pytest
from conftest import BASE, outputs, run

from pamflet.cache import MANIFEST

LEAFLET = BASE["leaflets/test.yaml"]
OTHER = {
    "leaflets/other.yaml": LEAFLET.replace("code: T-1", "code: T-2").replace(
        "  - content: main\n", "  - content: extra\n"
    ),
    "content/extra.md": "---\ntitle: Extra\n---\nOnly in the second leaflet.\n",
}


def state(folder) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in outputs(folder)}


def build_ok(root, *args: str) -> str:
    result = run(root, "build", *args)
    assert result.code == 0, result.output
    return result.stderr


def test_a_second_build_touches_nothing(project) -> None:
    root = project(OTHER)
    build_ok(root)
    before = state(root / "build")
    assert "2 leaflets up to date" in build_ok(root)
    assert state(root / "build") == before


def test_an_edit_rebuilds_only_the_leaflets_that_show_it(project) -> None:
    root = project(OTHER)
    build_ok(root)
    before = state(root / "build")
    extra = root / "content/extra.md"
    extra.write_text(extra.read_text() + "One sentence more.\n")
    assert "1 leaflet up to date" in build_ok(root)
    after = state(root / "build")
    assert after["T-1.pdf"] == before["T-1.pdf"]
    assert after["T-2.pdf"][0] != before["T-2.pdf"][0]


def test_force_rebuilds_everything_with_the_same_bytes(project) -> None:
    root = project(OTHER)
    build_ok(root)
    before = state(root / "build")
    build_ok(root, "--force")
    after = state(root / "build")
    assert {k: v[0] for k, v in after.items()} == {k: v[0] for k, v in before.items()}
    assert all(after[k][1] != before[k][1] for k in before)


def damage_manifest(path, how: str) -> None:
    if how == "missing":
        path.unlink()
    elif how == "garbage":
        path.write_bytes(b"\x00{not json")
    elif how == "foreign":
        path.write_text(json.dumps({"format": 99, "leaflets": {}}))
    elif how == "wrong-shape":
        path.write_text(json.dumps({"format": 1, "pamflet": "0.1.0", "leaflets": [1, 2]}))
    elif how == "wrong-key":
        data = json.loads(path.read_text())
        for entry in data["leaflets"].values():
            entry["key"] = "0" * 64
        path.write_text(json.dumps(data))


@pytest.mark.parametrize(
    "how", ["missing", "garbage", "foreign", "wrong-shape", "wrong-key", "pdf-edited", "pdf-gone"]
)
def test_a_damaged_cache_leads_to_a_correct_rebuild(project, tmp_path, how: str) -> None:
    root = project(OTHER)
    build_ok(root, "--out", str(tmp_path / "clean"))
    out = root / "build"
    build_ok(root)
    main = root / "content/main.md"
    main.write_text(main.read_text() + "Changed after the cache was written.\n")
    build_ok(root, "--out", str(tmp_path / "truth"), "--force")
    main.write_text(main.read_text().replace("Changed after the cache was written.\n", ""))
    if how == "pdf-edited":  # someone replaced an output by hand
        (out / "T-1.pdf").write_bytes((tmp_path / "truth" / "T-1.pdf").read_bytes())
    elif how == "pdf-gone":
        (out / "T-2.pdf").unlink()
    else:
        damage_manifest(out / MANIFEST, how)
    build_ok(root)
    clean = {p.name: p.read_bytes() for p in outputs(tmp_path / "clean")}
    assert {p.name: p.read_bytes() for p in outputs(out)} == clean


def test_files_of_a_removed_leaflet_are_removed_and_nothing_else(project) -> None:
    booklet = LEAFLET.replace("code: T-1\n", "code: T-1\nformat: A5-booklet\n")
    root = project({**OTHER, "leaflets/test.yaml": booklet})
    build_ok(root)
    (root / "build" / "notes.txt").write_text("a file of the user's")
    assert {p.name for p in outputs(root / "build")} >= {"T-1.pdf", "T-1-print.pdf", "T-2.pdf"}
    (root / "leaflets/other.yaml").unlink()
    (root / "leaflets/test.yaml").write_text(LEAFLET)  # no longer a booklet
    build_ok(root)
    assert sorted(p.name for p in outputs(root / "build")) == ["T-1.pdf", "notes.txt"]


def test_a_failed_build_changes_no_file_and_keeps_the_manifest(project) -> None:
    root = project(OTHER)
    build_ok(root)
    before = {p.name: p.read_bytes() for p in (root / "build").iterdir()}
    (root / "content/extra.md").write_text("---\ntitle: Extra\n---\n[x](missing.md)\n")
    assert run(root, "build").code == 1
    assert {p.name: p.read_bytes() for p in (root / "build").iterdir()} == before
