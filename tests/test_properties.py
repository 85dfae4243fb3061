"""Property tests: arbitrary input never crashes; drawable text comes back out whole, in order."""

from __future__ import annotations

import io
import re
import tempfile
import unicodedata
from pathlib import Path

from conftest import BASE, write_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from pamflet.diagnostics import Report
from pamflet.load.assets import font_cmap
from pamflet.pipeline import Options, check, make
from pamflet.resolve.fonts import BUNDLED_FONTS

DRAWABLE = sorted(
    chr(cp)
    for cp in font_cmap(BUNDLED_FONTS["regular"])
    & font_cmap(BUNDLED_FONTS["bold"])
    & font_cmap(BUNDLED_FONTS["italic"])
    if unicodedata.category(chr(cp))[0] in "LNPS"
    and cp not in (0xAD,)  # soft hyphen: an invisible break hint, not a character to print
)
UNDRAWABLE = [
    chr(cp)
    for cp in [*range(0x4E00, 0x4E40), *range(0x1F600, 0x1F610), 0x2603, 0x2615]
    if cp not in font_cmap(BUNDLED_FONTS["regular"])
]
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


def markdown_literal(text: str) -> str:
    """Backslash-escape ASCII punctuation: CommonMark then prints every character as written."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", text)


def run_check(files: dict[str, str]) -> tuple[Report, list]:
    with tempfile.TemporaryDirectory() as tmp:
        root = write_project(Path(tmp), files)
        report = Report()
        return report, check(root, report)


def squash(text: str) -> str:
    return re.sub(r"[\s\-\u00ad]+", "", text)


@SETTINGS
@given(st.text(max_size=400))
def test_any_body_text_never_crashes_the_loader(text: str) -> None:
    run_check({"content/main.md": f"---\ntitle: T\n---\n{text}"})


@SETTINGS
@given(st.text(max_size=300))
def test_any_front_matter_never_crashes_the_loader(text: str) -> None:
    run_check({"content/main.md": f"---\n{text}\n---\nBody\n"})


@SETTINGS
@given(st.text(max_size=300))
def test_any_leaflet_file_never_crashes_the_loader(text: str) -> None:
    run_check({"leaflets/test.yaml": text})


@SETTINGS
@given(st.text(alphabet=st.sampled_from(DRAWABLE), min_size=1, max_size=300))
def test_drawable_text_comes_back_out_whole(text: str) -> None:
    text = " ".join(text.split())
    if not text:
        return
    files = {
        "content/main.md": f"---\ntitle: Hoofdtekst\n---\nBEGIN {markdown_literal(text)} EINDE\n"
    }
    report, docs = run_check(files)
    assert report.errors == 0, report.render("text")
    output = make(docs[0], Options())
    assert not [d for d in output.diagnostics if d.severity == "error"]
    reader = PdfReader(io.BytesIO(output.files["T-1.pdf"]))
    extracted = squash("".join(page.extract_text() for page in reader.pages))
    assert squash(f"BEGIN {text} EINDE") in extracted


@SETTINGS
@given(
    st.text(alphabet=st.sampled_from(DRAWABLE), max_size=40),
    st.sampled_from(UNDRAWABLE),
    st.sampled_from(["content/main.md", "content/onderzoeken/scan.md"]),
)
def test_undrawable_text_is_an_error_never_a_box(before: str, char: str, where: str) -> None:
    files = dict(BASE)
    text = markdown_literal(before) + char
    if where == "content/main.md":  # in a body
        files[where] = files[where].replace("Sentinel alpha", f"{text} Sentinel alpha")
    else:  # in a card's summary (a card prints no body)
        files[where] = files[where].replace(
            "summary: Sentinel", f"summary: {char}{before!r} Sentinel"
        )
    report, _ = run_check(files)
    problems = [d for d in report.diagnostics if d.code == "missing-glyph"]
    assert problems, report.render("text")
    assert problems[0].location.path == where
    assert f"U+{ord(char):04X}" in problems[0].message


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(
    st.lists(st.integers(5, 40), min_size=4, max_size=4),
    st.integers(9, 18),
    st.sampled_from(["A4", "A5", "A5-booklet"]),
)
def test_any_sane_layout_renders_the_example(margins: list[int], size: int, fmt: str) -> None:
    """House styles vary: no margin or font size in range may break the layout."""
    from conftest import ROOT

    files = {
        "pamflet.yaml": (ROOT / "pamflet.yaml").read_text(encoding="utf-8"),
        "layouts/default/layout.yaml": f"font_size: {size}\nmargins: [{', '.join(f'{m}mm' for m in margins)}]\n",
    }
    with tempfile.TemporaryDirectory() as tmp:
        import shutil

        root = Path(tmp)
        shutil.copytree(ROOT / "content", root / "content")
        shutil.copytree(ROOT / "leaflets", root / "leaflets")
        shutil.copytree(ROOT / "layouts" / "netwerk", root / "layouts" / "netwerk")
        write_project(root, {**{k: None for k in BASE}, **files})
        text = (root / "leaflets/levermetastasen.yaml").read_text(encoding="utf-8")
        (root / "leaflets/levermetastasen.yaml").write_text(
            text.replace("format: A4", f"format: {fmt}")
        )
        report = Report()
        docs = check(root, report)
        assert report.errors == 0, report.render("text")
        doc = next(d for d in docs if d.code == "LNG-092")
        output = make(doc, Options())
        assert not [d for d in output.diagnostics if d.severity == "error"], output.diagnostics
