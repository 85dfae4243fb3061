"""Layout and leaflet settings from FORMAT.md: toc modes, where QR codes go, hyphenation."""

from __future__ import annotations

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


def test_hyphenation_can_be_turned_off(project) -> None:
    words = " ".join(["De alvleesklierkanker en de gastro-enteroloog."] * 30)
    body = {"content/main.md": f"---\ntitle: Hoofdtekst\n---\n{words}\n"}
    root = project(body)
    assert build(root).code == 0
    hyphenated = pdf(root / "build/T-1.pdf").pages[0].get_contents().get_data().count(b"ActualText")
    root = project({**body, "layouts/default/layout.yaml": "hyphenate: false\n"})
    assert build(root).code == 0
    plain = pdf(root / "build/T-1.pdf").pages[0].get_contents().get_data().count(b"ActualText")
    assert hyphenated > 0 and plain == 0
