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
