"""Trust, round two: nothing lost without a word, and problems named where they are written.

Each case is one the hostile-input round found (issue 9): the exact error and its place, or
what the PDF holds.
"""

from __future__ import annotations

import io

from conftest import BASE, build, check, pdf, text_of
from PIL import Image

LEAFLET = BASE["leaflets/test.yaml"]


def body(text: str) -> dict[str, str | bytes]:
    return {"content/main.md": f"---\ntitle: Hoofdtekst\n---\n{text}\n"}


def picture(kind: str) -> bytes:
    """A real image, 600 pixels wide, with detail so that it does not compress to nothing."""
    image = Image.new("RGB", (600, 400))
    image.putdata(
        [((x * 7) % 256, (y * 3) % 256, (x * y) % 256) for y in range(400) for x in range(600)]
    )
    out = io.BytesIO()
    image.save(out, kind)
    return out.getvalue()


# ---- Nesting that markdown-it would drop --------------------------------------------------------


def test_lists_nested_too_deep_are_an_error_not_a_loss(project) -> None:
    nested = "\n".join("  " * i + f"- n{i}" for i in range(10))
    root = project(body(f"{nested}\n\nparagraph after"))
    result = check(root)
    assert result.code == 1
    result.has("content/main.md", 12, "nested more than 8 deep")


def test_quotes_nested_too_deep_are_an_error_not_a_loss(project) -> None:
    quotes = "".join(">" * i + f" q{i}\n" + ">" * i + "\n" for i in range(1, 26))
    root = project(body(f"{quotes}\nafter"))
    result = check(root)
    assert result.code == 1
    result.has("content/main.md", 20, "nested more than 8 deep")


def test_lists_eight_deep_print_every_level(project) -> None:
    nested = "\n".join("  " * i + f"- level{i}" for i in range(8))
    root = project(body(f"{nested}\n\nparagraph after"))
    assert build(root).code == 0
    text = text_of(pdf(root / "build/T-1.pdf"))
    assert all(f"level{i}" in text for i in range(8)) and "paragraph after" in text


# ---- Images where they cannot stand -------------------------------------------------------------


def test_image_in_a_heading_is_an_error_also_as_the_first_element(project) -> None:
    files = {**body("# Kop ![Rood](rood.png)\n\nTekst."), "content/rood.png": picture("PNG")}
    result = check(project(files))
    assert result.code == 1
    result.has("content/main.md", 4, "cannot stand in a heading or a table cell")


def test_image_in_a_heading_after_a_paragraph_and_in_a_cell(project) -> None:
    text = "Tekst.\n\n## Kop ![Rood](rood.png)\n\n| a | b |\n|---|---|\n| ![Rood](rood.png) | z |"
    result = check(project({**body(text), "content/rood.png": picture("PNG")}))
    result.has("content/main.md", 6, "cannot stand in a heading")
    result.has("content/main.md", 10, "cannot stand in a heading or a table cell")


# ---- Output names ----------------------------------------------------------------------------


def test_a_leaflet_coded_like_a_booklets_print_file_is_an_error(project) -> None:
    booklet = LEAFLET.replace("code: T-1\n", "code: T-1\nformat: A5-booklet\n")
    other = LEAFLET.replace("code: T-1\n", "code: T-1-print\n")
    result = check(project({"leaflets/test.yaml": booklet, "leaflets/other.yaml": other}))
    assert result.code == 1
    result.has("leaflets/other.yaml", 1, "print file of booklet 'T-1'")


# ---- Damaged images -------------------------------------------------------------------------


def test_a_cut_jpeg_is_an_error_at_its_reference(project) -> None:
    files = {**body("Tekst.\n\n![Foto](foto.jpg)"), "content/foto.jpg": picture("JPEG")[:600]}
    root = project(files)
    result = build(root)
    assert result.code == 1 and not (root / "build" / "T-1.pdf").exists()
    result.has("content/main.md", 6, "damaged or cut short")


def test_a_cut_png_is_an_error_at_its_reference(project) -> None:
    data = picture("PNG")
    files = {**body("Tekst.\n\n![Foto](foto.png)"), "content/foto.png": data[: len(data) // 2]}
    result = build(project(files))
    assert result.code == 1
    result.has("content/main.md", 6, "damaged or cut short")
    assert "build:1:1" not in result.output


def test_a_whole_jpeg_prints(project) -> None:
    files = {**body("Tekst.\n\n![Foto](foto.jpg)"), "content/foto.jpg": picture("JPEG")}
    root = project(files)
    assert build(root).code == 0
    images = pdf(root / "build/T-1.pdf").pages[0].images
    assert len(images) == 1 and images[0].image.size == (600, 400)


# ---- Headers and footers, on every page they can be drawn on ----------------------------------


def layout(text: str) -> dict[str, str | bytes]:
    return {"layouts/default/layout.yaml": text}


def test_header_characters_are_checked_for_later_pages(project) -> None:
    header = 'header: "{{ organisation }}{% if page > 1 %} ☃ ≠ 中{% endif %}"\n'
    result = check(project(layout(header)))
    assert result.code == 1
    result.has("layouts/default/layout.yaml", 1, "U+2603")
    result.has("layouts/default/layout.yaml", 1, "U+4E2D")


def test_footer_errors_on_later_pages_are_found_by_check(project) -> None:
    footer = 'footer: "{% if page > 1 %}{{ leaflet.nope }}{% endif %}"\n'
    result = check(project(layout(footer)))
    assert result.code == 1
    result.has("layouts/default/layout.yaml", 1, "unknown leaflet field 'nope'")


def test_header_may_use_only_what_pages_have(project) -> None:
    header = "header: \"{{ contacts['contacten/nurse'].phone }}\"\n"
    result = check(project(layout(header)))
    assert result.code == 1
    diag = result.has("layouts/default/layout.yaml", 1, "'contacts' is undefined")
    assert "contacts" not in diag.message.split("known here:")[-1]


def test_footer_wider_than_the_page_is_an_error(project) -> None:
    root = project(layout('footer: "' + "lang " * 60 + '"\n'))
    result = build(root)
    assert result.code == 1 and not (root / "build").exists()
    result.has("layouts/default/layout.yaml", 1, "footer is wider than the page on page 1")


def test_footer_with_more_lines_than_the_margin_holds_is_an_error(project) -> None:
    result = build(project(layout('footer: "a\\nb\\nc\\nd\\ne\\nf"\n')))
    assert result.code == 1
    result.has("layouts/default/layout.yaml", 1, "do not fit below the text")


def test_default_footer_wraps_on_narrow_large_print_pages(project) -> None:
    leaflet = LEAFLET.replace("code: T-1\n", "code: T-1\nformat: A5\n")
    files = {
        "leaflets/test.yaml": leaflet,
        **layout("font_size: 18\nmargins: [5mm, 5mm, 5mm, 25mm]\n"),
    }
    root = project(files)
    assert build(root).code == 0
    text = pdf(root / "build/T-1.pdf").pages[0].extract_text()
    assert "T-1" in text and "Pagina 1 van" in text


# ---- Links and settings -------------------------------------------------------------------------


def test_tel_link_with_letters_is_an_error(project) -> None:
    result = check(project(body("Bel [ons](tel:0800-DOKTER).")))
    assert result.code == 1
    result.has("content/main.md", 4, "not a phone number")


def test_link_without_text_is_a_warning(project) -> None:
    result = check(project(body("Zie [](https://example.org/a) hier.")))
    result.has("content/main.md", 4, "has no text", "warning")


def test_a_list_as_a_severity_key_is_an_error(project) -> None:
    settings = "organisation: Testziekenhuis\nseverity:\n  [a, b]: error\n"
    result = check(project({"pamflet.yaml": settings}))
    assert result.code == 1
    result.has("pamflet.yaml", 3, "a key must be plain text")
