"""Messages a new user misread: each shows its first cause only, at the right place."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import BASE, check, run

NURSE = BASE["content/contacten/nurse.md"]


def only(result, path: str, line: int, words: str) -> None:
    """The report holds this one problem and nothing else of its severity."""
    assert [(d.path, d.line) for d in result.diags if d.severity == "error"] == [(path, line)], (
        result.output
    )
    assert words in result.diags[0].message, result.output


def test_an_invalid_phone_is_one_error_not_two(project) -> None:
    main = BASE["content/main.md"] + "\nBel {{ contacts['contacten/nurse'].phone }}.\n"
    result = check(project({"content/contacten/nurse.md": NURSE.replace("073 553 20 00", "abc"),
                            "content/main.md": main}))  # fmt: skip
    only(result, "content/contacten/nurse.md", 5, "is not a phone number")


def test_a_phone_invalid_for_the_country_is_an_error(project) -> None:
    result = check(
        project({"content/contacten/nurse.md": NURSE.replace("073 553 20 00", "073 553 20")})
    )
    only(result, "content/contacten/nurse.md", 5, "not a valid phone number in NL")


def test_a_misspelt_block_adds_no_unknown_anchor(project) -> None:
    leaflet = BASE["leaflets/test.yaml"].replace("content: main", "content: mian")
    leaflet = leaflet.replace("situatie.", "situatie. Zie [nazorg](#nazorg).")
    only(
        check(project({"leaflets/test.yaml": leaflet})),
        "leaflets/test.yaml",
        6,
        "did you mean 'main'",
    )


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        (
            "  - contact: contacten/nurse",
            "   - contact: contacten/nurse",
            10,
            "indented by 3 spaces, the lines around it by 2",
        ),
        (
            "    cards: [onderzoeken/scan]",
            "      cards: [onderzoeken/scan]",
            9,
            "indented by 6 spaces, the lines around it by 4",
        ),
    ],
)
def test_yaml_indentation_errors_show_the_expected_indentation(
    project, old, new, line, words
) -> None:
    result = check(project({"leaflets/test.yaml": BASE["leaflets/test.yaml"].replace(old, new)}))
    assert result.diags[0].line == line and words in result.diags[0].message, result.output


def test_a_missing_image_gets_a_did_you_mean(project) -> None:
    root = project({"content/main.md": BASE["content/main.md"] + "\n![Een foto](foto.jpg)\n"})
    (root / "content/fotos.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    only(check(root), "content/main.md", 11, "did you mean 'fotos.jpg'")


def test_the_examples_pamflet_new_writes_are_warned_about(tmp_path: Path) -> None:
    root = tmp_path / "p"
    assert run(tmp_path, "init", str(root), "--language", "en").code == 0
    assert run(root, "new", "block", "examinations/ct-scan", "--kind", "examination").code == 0
    assert run(root, "new", "leaflet", "GAS-002", "--title", "CT").code == 0
    result = check(root)
    places = {(d.path, d.line) for d in result.diags if "from 'pamflet new'" in d.message}
    assert {("content/examinations/ct-scan.md", 4), ("content/examinations/ct-scan.md", 5),
            ("content/examinations/ct-scan.md", 7), ("leaflets/gas-002.yaml", 10)} <= places  # fmt: skip
    assert not any(p[0] == "content/examinations/ultrasound.md" for p in places)  # its own url


def test_a_revised_date_in_the_future_is_a_warning(project) -> None:
    leaflet = BASE["leaflets/test.yaml"].replace("revised: 2026-01-01", "revised: 2999-01-01")
    result = check(project({"leaflets/test.yaml": leaflet}))
    assert any(d.line == 4 and "in the future" in d.message for d in result.diags), result.output


def test_up_to_date_is_not_followed_by_built_0(project) -> None:
    root = project()
    assert run(root, "build").code == 0
    again = run(root, "build")
    assert "1 leaflet up to date" in again.stderr and "built 0" not in again.stderr


def test_list_uses_names_every_use(project) -> None:
    main = BASE["content/main.md"] + (
        "\nBel {{ contacts['contacten/nurse'].phone }}.\n\nOf mail {{ contacts['contacten/nurse'].email }}.\n"
    )
    root = project({"content/main.md": main})
    lines = run(root, "list", "--uses", "contacten/nurse").stdout.splitlines()
    assert sum("content/main.md:11:" in x for x in lines) == 1
    assert sum("content/main.md:13:" in x for x in lines) == 1


def test_preview_pages_reversed() -> None:
    from pamflet.authoring.preview import PreviewProblem, page_numbers

    with pytest.raises(PreviewProblem, match="reversed"):
        page_numbers("3-1", 4)


def test_new_block_gives_an_english_example_in_an_english_project(tmp_path: Path) -> None:
    root = tmp_path / "p"
    assert run(tmp_path, "init", str(root), "--language", "en").code == 0
    result = run(root, "new", "block", "Bad Id")
    assert result.code == 2 and "examinations/ct-scan" in result.stderr


def test_new_block_never_writes_through_a_linked_folder(tmp_path: Path) -> None:
    root, outside = tmp_path / "p", tmp_path / "outside"
    assert run(tmp_path, "init", str(root), "--language", "en").code == 0
    outside.mkdir()
    os.symlink(outside, root / "content/ext")
    result = run(root, "new", "block", "ext/x")
    assert result.code == 2 and list(outside.iterdir()) == []


def test_links_fifos_and_loops_under_content_are_named(project, tmp_path: Path) -> None:
    root = project()
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", root / "content/ext")
    os.mkfifo(root / "content/pipe.md")
    os.symlink(root / "content/loop.md", root / "content/loop.md")
    result = check(root)
    skipped = {d.path for d in result.diags if "it is not read" in d.message}
    assert skipped == {"content/ext", "content/pipe.md", "content/loop.md"}


def test_invisible_characters_stay_out_of_the_metadata(project) -> None:
    from pypdf import PdfReader

    leaflet = BASE["leaflets/test.yaml"].replace("Testfolder", "Test\u202efolder\u200b")
    root = project({"leaflets/test.yaml": leaflet.replace("Alles over testen", "Alles\u200b over")})
    assert run(root, "build").code == 0
    meta = PdfReader(root / "build/T-1.pdf").metadata
    assert meta["/Title"] == "Testfolder" and meta["/Subject"] == "Alles over"


def test_watch_ignores_editor_files() -> None:
    from pamflet.authoring.watch import EDITOR_ENDINGS, EDITOR_STARTS

    for name in ("x.md~", ".x.md.swp", "4913", "#x.md#", ".#x.md", "x.md___jb_tmp___", "~$x.docx"):
        assert name.endswith(EDITOR_ENDINGS) or name.startswith(EDITOR_STARTS) or name == "4913"
