"""Incremental builds: only what changed is rendered; a damaged manifest means a full rebuild."""

from __future__ import annotations

import json

import pytest
from conftest import BASE, outputs, run

from pamflet.records.manifest import MANIFEST

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


def damage_check_cache(path, how: str) -> None:
    if how == "missing":
        path.unlink()
    elif how == "garbage":
        path.write_bytes(b"\xff\xfe not json")
    elif how == "foreign":
        path.write_text(json.dumps({"format": 1, "pamflet": "0.0.0", "units": {}}))
    elif how == "wrong-shape":
        data = json.loads(path.read_text())
        for unit in data["units"].values():
            unit["diagnostics"] = [{"s": "error"}]
        path.write_text(json.dumps(data))
    elif how == "stale-keys":  # a cache that says 'no problems' for texts that have some
        data = json.loads(path.read_text())
        for unit in data["units"].values():
            unit["key"] = "0" * 64
        path.write_text(json.dumps(data))


def test_check_reuses_the_last_build_and_reports_the_same(project) -> None:
    root = project({**OTHER, "content/extra.md": OTHER["content/extra.md"] + "[kapot](#nergens)\n",
                    "content/spare.md": "---\ntitle: Reserve\n---\nx\n"})  # fmt: skip
    fresh = run(root, "check")
    assert fresh.code == 1  # the unknown anchor is an error: nothing is built, nothing cached
    (root / "content/extra.md").write_text(OTHER["content/extra.md"] + "[heel](#extra)\n")
    fresh = run(root, "check")
    build_ok(root)
    cache = root / "build/.pamflet-check.json"
    assert cache.is_file()
    before = cache.read_bytes()
    warm = run(root, "check")
    assert (warm.code, warm.stdout) == (fresh.code, fresh.stdout)
    assert "no leaflet uses block 'spare'" in warm.stdout
    assert cache.read_bytes() == before  # check writes nothing, not even its cache
    extra = root / "content/extra.md"
    extra.write_text(extra.read_text() + "[kapot](#nergens)\n")
    edited = run(root, "check")
    assert edited.code == 1
    edited.has("content/extra.md", 6, "this leaflet has no heading '#nergens'")


@pytest.mark.parametrize("how", ["missing", "garbage", "foreign", "wrong-shape", "stale-keys"])
def test_a_damaged_check_cache_means_a_full_check(project, how: str) -> None:
    root = project(OTHER)
    build_ok(root)
    main = root / "content/main.md"
    main.write_text(main.read_text() + "\n[kapot](#nergens)\n")
    truth = run(root, "check")
    assert truth.code == 1
    main.write_text(main.read_text().replace("\n[kapot](#nergens)\n", ""))
    build_ok(root)
    main.write_text(main.read_text() + "\n[kapot](#nergens)\n")
    damage_check_cache(root / "build/.pamflet-check.json", how)
    result = run(root, "check")
    assert (result.code, result.stdout) == (truth.code, truth.stdout)


def test_an_overdue_review_is_reported_on_the_day_it_falls_due(project) -> None:
    import datetime as dt

    from pamflet import pipeline
    from pamflet.diagnostics import Report

    leaflet = LEAFLET.replace("revised: 2026-01-01", "revised: 2026-01-01\nreview: 2030-06-01")
    root = project({"leaflets/test.yaml": leaflet})
    build_ok(root)
    for day, expected in ((dt.date(2030, 5, 31), 0), (dt.date(2030, 6, 2), 1)):
        report = Report()
        pipeline.check(root, report, today=day, cache=root / "build")
        assert report.warnings == expected


def test_front_matter_is_read_from_the_files_every_time(project) -> None:
    scan = BASE["content/onderzoeken/scan.md"].replace(
        "https://example.org/scan", "https://www.example.org/"
    )
    root = project({**OTHER, "content/onderzoeken/scan.md": scan})
    truth = run(root, "check")
    assert "example text from 'pamflet new'" in truth.stdout  # a warning from front matter
    build_ok(root)
    data = json.loads((root / "build/.pamflet-check.json").read_text())
    assert set(data) == {"format", "pamflet", "units"}  # no front matter is kept
    warm = run(root, "check")
    assert (warm.code, warm.stdout) == (truth.code, truth.stdout)
    extra = root / "content/extra.md"
    extra.write_text(extra.read_text().replace("title: Extra", "title: Extra\nphone: 1"))
    edited = run(root, "check")
    edited.has("content/extra.md", 3, "'phone' belongs to contact blocks")


def test_a_cache_naming_files_outside_the_project_reads_none_of_them(project, tmp_path) -> None:
    import os
    import subprocess
    import sys

    root = project(OTHER)
    build_ok(root)
    fifo = tmp_path / "fifo"  # reading it would block: the check would never end
    os.mkfifo(fifo)
    cache = root / "build/.pamflet-check.json"
    data = json.loads(cache.read_text())
    for unit in data["units"].values():
        unit["files"] = [str(fifo), "../fifo", "../../fifo"]
    cache.write_text(json.dumps(data))
    command = [sys.executable, "-m", "pamflet", "--project", str(root), "check"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_force_checks_everything_again(project) -> None:
    root = project(OTHER)
    build_ok(root)
    main = root / "content/main.md"
    main.write_text(main.read_text() + "\n[kapot](#nergens)\n")
    cache = root / "build/.pamflet-check.json"
    data = json.loads(cache.read_text())
    truth = run(root, "check")
    assert truth.code == 1
    # A forged cache whose keys match the edited files, with the reports of the clean ones:
    from pamflet import pipeline
    from pamflet.diagnostics import Report
    from pamflet.resolve.leaflets import run as resolve_all

    resolver = pipeline.resolved(root, Report(), None, root / "build")
    resolve_all(resolver)
    for name, unit in resolver.memo.new.items():
        data["units"][name]["key"] = unit.key
        data["units"][name]["inputs"] = unit.inputs
    cache.write_text(json.dumps(data))
    assert run(root, "check").code == 0  # the forged report is replayed ...
    result = run(root, "build", "--force")
    assert result.code == 1  # ... but --force checks again
    result.has("content/main.md", 11, "this leaflet has no heading '#nergens'")


def catalogue(project):
    """Four leaflets: A links to B; C shows its own block; D has a layout of its own; A an image."""
    from PIL import Image

    def leaflet(code: str, main: str, extra: str = "") -> str:
        return (f"code: {code}\ntitle: Folder {code}\nrevised: 2026-01-01\n{extra}sections:\n"
                f"  - content: {main}\n")  # fmt: skip

    files = {
        "leaflets/test.yaml": None,
        "leaflets/a.yaml": leaflet("A", "a"),
        "leaflets/b.yaml": leaflet("B", "b"),
        "leaflets/c.yaml": leaflet("C", "c"),
        "leaflets/d.yaml": leaflet("D", "d", "layout: eigen\n"),
        "content/a.md": "---\ntitle: Tekst A\n---\nZie [de andere folder](../leaflets/b.yaml).\n\n![Een foto](foto.png)\n",
        "content/b.md": "---\ntitle: Tekst B\n---\nTekst.\n",
        "content/c.md": "---\ntitle: Tekst C\nsummary: Kort.\n---\nTekst.\n",
        "content/d.md": "---\ntitle: Tekst D\n---\nTekst.\n",
        "layouts/eigen/layout.yaml": "font_size: 13\n",
    }
    for name in ("main", "onderzoeken/scan", "contacten/nurse"):
        files[f"content/{name}.md"] = None
    root = project(files)
    Image.new("RGB", (1600, 1000), (20, 90, 160)).save(root / "content/foto.png")
    build_ok(root)
    return root


def rebuilt(root, before) -> set[str]:
    after = state(root / "build")
    return {name for name in after if after[name] != before.get(name)}


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        ("delete D", set()),
        ("retitle B", {"A.pdf", "B.pdf"}),
        ("front matter of C", {"C.pdf"}),
        ("D's layout", {"D.pdf"}),
        ("A's image", {"A.pdf"}),
        ("the settings", {"A.pdf", "B.pdf", "C.pdf", "D.pdf"}),
    ],
)
def test_an_edit_rebuilds_the_leaflets_that_read_it_and_no_other(project, edit, expected) -> None:
    from PIL import Image

    root = catalogue(project)
    before = state(root / "build")
    if edit == "delete D":
        (root / "leaflets/d.yaml").unlink()
        (root / "content/d.md").unlink()
    elif edit == "retitle B":
        path = root / "leaflets/b.yaml"
        path.write_text(path.read_text().replace("title: Folder B", "title: Folder Bee"))
    elif edit == "front matter of C":
        path = root / "content/c.md"
        path.write_text(path.read_text().replace("summary: Kort.", "summary: Korter."))
    elif edit == "D's layout":
        (root / "layouts/eigen/layout.yaml").write_text("font_size: 14\n")
    elif edit == "A's image":
        Image.new("RGB", (1600, 1000), (200, 90, 16)).save(root / "content/foto.png")
    else:
        path = root / "pamflet.yaml"
        path.write_text(path.read_text().replace("Testziekenhuis", "Ander ziekenhuis"))
    build_ok(root)
    assert rebuilt(root, before) == expected
    if edit == "delete D":
        assert "D.pdf" not in state(root / "build")


def test_adding_a_missing_block_checks_its_leaflet_again(project) -> None:
    root = project(
        {
            "leaflets/test.yaml": BASE["leaflets/test.yaml"].replace(
                "content: main", "content: later"
            )
        }
    )
    assert run(root, "build").code == 1  # nothing was written, so nothing is cached
    (root / "leaflets/test.yaml").write_text(BASE["leaflets/test.yaml"])
    build_ok(root)
    (root / "leaflets/test.yaml").write_text(
        BASE["leaflets/test.yaml"].replace("content: main", "content: later")
    )
    assert "there is no block 'later'" in run(root, "check").stdout
    (root / "content/later.md").write_text("---\ntitle: Later\n---\nNu wel.\n")
    assert run(root, "check").code == 0


def test_deleting_a_block_a_card_links_to_is_found_with_the_check_cache(project) -> None:
    """A card's block is checked on its own; its link to another block is something it read.
    Deleting that block must fail the next check and build, as a cold check does, also when
    a leaflet used the block before the card's check ran."""
    scan = BASE["content/onderzoeken/scan.md"].replace("Scan body.", "Zie [extra](../extra.md).")
    extra = "---\ntitle: Extra\nurl: https://example.org/extra\n---\nExtra tekst.\n"
    for main in (None, BASE["content/main.md"] + "\nZie ook [extra](extra.md).\n"):
        files = {"content/onderzoeken/scan.md": scan, "content/extra.md": extra}
        if main is not None:
            files["content/main.md"] = main
        root = project(files)
        build_ok(root)
        (root / "content/extra.md").unlink()
        warm = run(root, "check")
        warm.has("content/onderzoeken/scan.md", 7, "there is no block 'extra'")
        assert run(root, "build").code == 1
