"""A5 booklets composed as booklets: cover, contents, notes pages, back cover."""

from __future__ import annotations

import pytest
from conftest import BASE, build, check, pdf, run
from pdfread import structure, walk
from test_print import decode, halves, reading_order

OTHER_CONTACT = (
    "---\ntitle: Polikliniek\nkind: contact\nname: Poli Test\nphone: 073 553 20 01\n---\n"
    "Sentinel echo polikliniek.\n"
)


def booklet(project, paragraphs: int, extra: str = "", layout: str = "", **files: str):
    body = "\n\n".join(
        f"Alinea {i} over de behandeling, de voorbereiding en wat u daarna thuis kunt "
        f"verwachten; zo loopt de tekst over meer pagina's."
        for i in range(paragraphs)
    )
    leaflet = BASE["leaflets/test.yaml"].replace(
        "revised:", f"format: A5-booklet\nurl: https://example.org/t-1\n{extra}revised:"
    )
    merged = {
        "leaflets/test.yaml": leaflet,
        "content/main.md": f"---\ntitle: Hoofdtekst\n---\n{body}\n",
    }
    if layout:
        merged["layouts/default/layout.yaml"] = layout
    merged.update({k.replace("__", "/"): v for k, v in files.items()})
    return project(merged)


def pages_text(root) -> list[str]:
    reader = pdf(root / "build/T-1.pdf")
    return [page.extract_text() for page in reader.pages]


@pytest.mark.parametrize("paragraphs", [2, 12, 22, 30, 45])
def test_booklet_has_cover_notes_and_back_cover(project, paragraphs) -> None:
    root = booklet(project, paragraphs)
    result = build(root)
    assert result.code == 0, result.output
    pages = pages_text(root)
    assert len(pages) % 4 == 0
    cover, back = pages[0], pages[-1]
    assert cover.startswith("Testfolder") and "Alles over testen" in cover and "T-1" in cover
    assert "Pagina 1 van" not in cover
    assert "Uw contactpersoon" in back and "Sentinel delta body." in back
    assert "Deze folder online" in back
    assert all("Sentinel delta body." not in p for p in pages[:-1])  # printed once, on the back
    notes = [i for i, p in enumerate(pages) if p.startswith("Aantekeningen")]
    if notes:
        assert notes == list(range(notes[0], len(pages) - 1))  # together, right before the back
    content = len(pages) - len(notes)
    assert len(notes) == -content % 4
    assert "Sentinel alpha" not in cover and any("Alinea 0" in p for p in pages[1:3])
    assert "https://example.org/t-1" in decode(root / "build/T-1.pdf")
    sides = halves((root / "build/T-1-print.pdf").read_bytes())
    assert len(sides) == len(pages) // 2
    assert "Uw contactpersoon" in sides[0][0] and sides[0][1].startswith("Testfolder")
    order = reading_order(sides)
    assert all(order), "a printed page is blank: notes pages should fill the sheet"


def test_back_true_chooses_the_back_cover_contact(project) -> None:
    leaflet = (
        BASE["leaflets/test.yaml"]
        .replace(
            "  - contact: contacten/nurse\n",
            "  - contact: contacten/nurse\n    back: true\n  - contact: contacten/poli\n",
        )
        .replace("revised:", "format: A5-booklet\nrevised:")
    )
    root = project({"leaflets/test.yaml": leaflet, "content/contacten/poli.md": OTHER_CONTACT})
    assert build(root).code == 0
    pages = pages_text(root)
    assert "Sentinel delta body." in pages[-1]
    assert "Sentinel echo polikliniek." not in pages[-1]
    assert any("Sentinel echo polikliniek." in p for p in pages[1:-1])
    default = project({"leaflets/test.yaml": leaflet.replace("    back: true\n", ""),
                       "content/contacten/poli.md": OTHER_CONTACT})  # fmt: skip
    assert build(default).code == 0
    assert "Sentinel echo polikliniek." in pages_text(default)[-1]  # the last contact


def test_back_true_mistakes_are_reported(project) -> None:
    wrong = (
        BASE["leaflets/test.yaml"]
        .replace("  - content: main\n", "  - content: main\n    back: true\n")
        .replace("revised:", "format: A5-booklet\nrevised:")
    )
    result = check(project({"leaflets/test.yaml": wrong}))
    result.has("leaflets/test.yaml", 8, "only a contact section can go on the back cover")
    a4 = BASE["leaflets/test.yaml"].replace(
        "  - contact: contacten/nurse\n", "  - contact: contacten/nurse\n    back: true\n"
    )
    result = check(project({"leaflets/test.yaml": a4}))
    assert result.code == 0
    result.has("leaflets/test.yaml", 11, "'back: true' only applies to A5-booklet", "warning")


def test_notes_pages_blank_and_no_cover(project) -> None:
    root = booklet(project, 2, layout="notes_pages: blank\n")
    assert build(root).code == 0
    pages = pages_text(root)
    assert len(pages) == 4
    assert not any(p.startswith("Aantekeningen") for p in pages)
    assert "Pagina 2 van 4" in pages[1] and "Pagina 3 van 4" in pages[2]
    plain = booklet(project, 2, layout="cover: false\n")
    assert build(plain).code == 0
    pages = pages_text(plain)
    assert f"Pagina 1 van {len(pages)}" in pages[0]  # no cover: the title page is page 1
    assert not any(p.startswith("Aantekeningen") for p in pages)
    assert "Uw contactpersoon" in pages[-1]


def test_english_booklet_notes_are_titled_notes(project) -> None:
    root = booklet(project, 2, extra="language: en\n")
    assert build(root).code == 0
    pages = pages_text(root)
    assert any(p.startswith("Notes") for p in pages)
    assert "This leaflet online" in pages[-1]


def test_cover_image_is_a_figure_on_the_cover(project) -> None:
    from PIL import Image

    root = booklet(project, 6, extra="cover_image: ../content/img/cover.jpg\n")
    (root / "content/img").mkdir(parents=True)
    Image.new("RGB", (1600, 1000), (30, 110, 160)).save(root / "content/img/cover.jpg", quality=90)
    result = build(root)
    assert result.code == 0, result.output
    reader = pdf(root / "build/T-1.pdf")
    images = reader.pages[0]["/Resources"]["/XObject"]
    assert any(x.get_object()["/Subtype"] == "/Image" and x.get_object()["/Width"] == 1600
               for x in images.values())  # fmt: skip
    figures = [n for n in walk(structure(reader)) if n.role == "Figure"]
    assert "Testfolder" in [str(n.obj.get("/Alt", "")) for n in figures]
    missing = check(booklet(project, 1, extra="cover_image: ../content/img/nope.jpg\n"))
    missing.has("leaflets/test.yaml", 6, "image 'content/img/nope.jpg' does not exist")
    a4 = BASE["leaflets/test.yaml"].replace("revised:", "cover_image: x.jpg\nrevised:")
    check(project({"leaflets/test.yaml": a4})).has(
        "leaflets/test.yaml", 4, "'cover_image' is printed on A5-booklet covers", "warning"
    )


def test_table_of_contents_follows_the_cover_when_the_booklet_is_long(project) -> None:
    heads = "\n\n".join(
        f"## Kop {i}\n\n" + "Tekst van een alinea die doorloopt. " * 12 for i in range(6)
    )
    root = booklet(project, 10, main=None)
    (root / "content/main.md").write_text(f"---\ntitle: Hoofdtekst\n---\n{heads}\n")
    assert run(root, "build").code == 0
    pages = pages_text(root)
    assert pages[1].startswith("Inhoud") or "Inhoud" in pages[1].split("\n")[1]
    short = booklet(project, 1)
    assert run(short, "build").code == 0
    assert not any("Inhoud" in p for p in pages_text(short))


def test_the_back_cover_has_no_running_header_number_or_second_code(project) -> None:
    from conftest import BASE, build
    from pypdf import PdfReader

    leaflet = BASE["leaflets/test.yaml"] + "format: A5-booklet\nurl: https://example.org/t1\n"
    root = project({"leaflets/test.yaml": leaflet})
    assert build(root).code == 0
    reader = PdfReader(root / "build/T-1.pdf")
    back = reader.pages[-1].extract_text()
    assert "Pagina" not in back and "Testziekenhuis" not in back
    assert "Deze folder online" in back and "example.org/t1" in back
    cover = reader.pages[0].get_contents().get_data()
    last = reader.pages[-1].get_contents().get_data()
    assert cover.count(b" re\n") > 100 and last.count(b" re\n") < 20  # the QR code's modules


def test_a_cover_without_an_address_has_no_empty_band(project) -> None:
    import pypdfium2 as pdfium
    from conftest import BASE, build

    root = project({"leaflets/test.yaml": BASE["leaflets/test.yaml"] + "format: A5-booklet\n"})
    assert build(root).code == 0
    page = pdfium.PdfDocument(str(root / "build/T-1.pdf"))[0]
    image = page.render(scale=0.5).to_pil().convert("L")
    width, height = image.size
    foot = image.crop((0, int(height * 0.9), width, height))
    assert foot.getextrema()[0] > 245, "the foot of the cover is tinted"
