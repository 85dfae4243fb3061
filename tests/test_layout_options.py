"""Layout and leaflet settings from FORMAT.md: toc modes, where QR codes go, hyphenation."""

from __future__ import annotations

import itertools

import pytest
from conftest import BASE, build, check, pdf, text_of

LEAFLET = BASE["leaflets/test.yaml"]
URL_LEAFLET = LEAFLET.replace("revised:", "url: https://example.org/folders/t-1\nrevised:")


def contents_shown(root) -> bool:
    return "Inhoud" in text_of(pdf(root / "build/T-1.pdf"))


@pytest.mark.parametrize(
    ("leaflet", "layout", "shown"),
    [
        ("always", None, True), ("never", None, False), ("auto", None, False),
        ("true", None, True), (None, "always", True), ("never", "always", False),
    ],
)  # fmt: skip
def test_table_of_contents_modes(project, leaflet, layout, shown) -> None:
    text = LEAFLET + (f"toc: {leaflet}\n" if leaflet else "")
    files = {"leaflets/test.yaml": text}
    if layout:
        files["layouts/default/layout.yaml"] = f"toc: {layout}\n"
    root = project(files)
    assert build(root).code == 0
    assert contents_shown(root) is shown


def test_unknown_toc_mode_is_an_error(project) -> None:
    result = check(project({"leaflets/test.yaml": LEAFLET + "toc: sometimes\n"}))
    assert result.code == 1
    result.has("leaflets/test.yaml", 11, "'sometimes' is not allowed")


@pytest.mark.parametrize(("mode", "expect"), [("cards", 2), ("leaflet", 1), ("none", 0)])
def test_where_qr_codes_go(project, mode: str, expect: int) -> None:
    import zxingcpp
    from pypdfium2 import PdfDocument

    root = project(
        {"leaflets/test.yaml": URL_LEAFLET, "layouts/default/layout.yaml": f"qr: {mode}\n"}
    )
    assert build(root).code == 0
    found = set()
    document = PdfDocument(str(root / "build/T-1.pdf"))
    for page in document:
        image = page.render(scale=4).to_pil()
        found |= {code.text for code in zxingcpp.read_barcodes(image)}
    document.close()
    assert len(found) == expect, found
    if expect == 1:
        assert found == {"https://example.org/folders/t-1"}
    assert "example.org/folders/t-1" in text_of(pdf(root / "build/T-1.pdf")).replace(" ", "")


def test_hyphenation_is_off_unless_the_layout_turns_it_on(project) -> None:
    words = " ".join(
        f"{'ja ' * (i % 9)}De alvleesklierkanker en de gastro-enteroloog." for i in range(30)
    )
    body = {"content/main.md": f"---\ntitle: Hoofdtekst\n---\n{words}\n"}

    def broken(root) -> list[tuple[str, str]]:
        """Line ends inside a word, but for the author's own hyphen in gastro-enteroloog."""
        lines = [
            line
            for p in pdf(root / "build/T-1.pdf").pages
            for line in p.extract_text().splitlines()
        ]
        return [
            (a, b) for a, b in itertools.pairwise(lines)
            if a.endswith("-") and not a.endswith("gastro-")
        ]  # fmt: skip

    root = project(body)
    assert build(root).code == 0
    assert broken(root) == []
    root = project({**body, "layouts/default/layout.yaml": "hyphenate: true\n"})
    assert build(root).code == 0
    split = broken(root)
    assert split, "no word was hyphenated: the test does not test anything"
    for before, after in split:  # never fewer than 4 letters on either side
        assert len(before.split()[-1].rstrip("-")) >= 4, before
        assert len(after.split()[0].rstrip(".,")) >= 4, after


@pytest.mark.parametrize(("fmt", "language"), [("A4", "nl"), ("A4", "en"), ("A5", "nl")])
def test_lines_keep_a_readable_measure(project, fmt: str, language: str) -> None:
    """Clear-print guidance: 60-70 characters a line. Measured on the glyphs drawn at body size."""
    words = "Uw arts bespreekt met u welke behandeling het beste past bij uw situatie en wensen. "
    leaflet = BASE["leaflets/test.yaml"].replace(
        "revised:", f"format: {fmt}\nlanguage: {language}\nrevised:"
    )
    root = project({
        "content/main.md": "---\ntitle: Hoofdtekst\n---\n" + words * 40 + "\n",
        "leaflets/test.yaml": leaflet,
    })  # fmt: skip
    assert build(root).code == 0
    lengths: list[int] = []

    def visit(text, cm, tm, font, size) -> None:
        if size == 12.0 and len(text.strip()) > 30:
            lengths.append(len(text.strip()))

    for page in pdf(root / "build/T-1.pdf").pages:
        page.extract_text(visitor_text=visit)
    full = sorted(lengths)[len(lengths) // 4 :]  # leave out paragraph ends
    assert len(full) > 20
    median = full[len(full) // 2]
    assert 55 <= median <= 75, (median, fmt)
    assert max(lengths) <= 80
