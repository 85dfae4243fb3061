"""Inputs the fuzzer (fuzz/run.py) found to crash pamflet, kept as tests."""

from __future__ import annotations

import pytest
from conftest import check


@pytest.mark.parametrize(
    "href",
    [
        "../../leaflets/" + "x" * 300 + "leveroperatie.yaml",  # fuzz seed 11: ENAMETOOLONG
        "../onderzoeken/" + "y" * 5000 + ".md",
        "nul%00byte.md",
        "../img/%00.png",
    ],
)
def test_impossible_file_names_are_reported_not_raised(project, href: str) -> None:
    result = check(
        project({"content/main.md": f"---\ntitle: A\n---\n[x]({href}) ![Foto]({href})\n"})
    )
    assert result.code == 1
    assert result.diags and all(d.path == "content/main.md" for d in result.diags)


NESTED = {
    "table in a list item": "- Schema:\n\n  | Dag | Dosis |\n  |---|---|\n  | 1 | 10 mg |\n",
    "table in a note": "> | Dag | Dosis |\n> |---|---|\n> | 1 | 10 mg |\n",
    "code in a note in a list": "- punt\n\n  > ```\n  > code\n  > ```\n",
    "image in a list item": "- ![Een lever](lever.png)\n",
}


@pytest.mark.parametrize("where", ["content/main.md", "content/contacten/nurse.md"])
@pytest.mark.parametrize("name", list(NESTED))
def test_full_width_elements_nested_in_boxes_fit(project, name: str, where: str) -> None:
    """Fuzz seed 23: a note inside a contact box was as wide as the page, wider than the box."""
    from conftest import BASE, build
    from PIL import Image

    files = {where: BASE[where] + "\n" + NESTED[name]}
    root = project(files)
    Image.new("RGB", (2000, 800), (200, 80, 80)).save(root / "content/lever.png")
    Image.new("RGB", (2000, 800), (200, 80, 80)).save(root / "content/contacten/lever.png")
    result = build(root)
    assert result.code == 0, result.output
