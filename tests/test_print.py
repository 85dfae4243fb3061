"""Print production: booklets, QR codes, hyphenation, print marks, preflight."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest
import zxingcpp
from conftest import BASE, build, check, links, pdf, text_of
from reportlab.lib.pagesizes import A5
from reportlab.pdfgen.canvas import Canvas

from pamflet.finish.impose import impose, sheet_order

MM = 72 / 25.4


def numbered_a5(pages: int) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A5, invariant=1)
    for number in range(1, pages + 1):
        canvas.setFont("Helvetica", 40)
        canvas.drawString(150, 300, f"P{number}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def halves(data: bytes) -> list[tuple[str, str]]:
    """(left text, right text) of every sheet side."""
    doc = pdfium.PdfDocument(data)
    out = []
    for page in doc:
        width, height = page.get_size()
        text = page.get_textpage()
        left = text.get_text_bounded(0, 0, width / 2, height).strip()
        right = text.get_text_bounded(width / 2, 0, width, height).strip()
        out.append((left, right))
    return out


def reading_order(sides: list[tuple[str, str]]) -> list[str]:
    """Fold the printed sheets (outer sheet first) and read the booklet front to back."""
    sheets = [(sides[i], sides[i + 1]) for i in range(0, len(sides), 2)]
    first = [page for front, back in sheets for page in (front[1], back[0])]
    second = [page for front, back in reversed(sheets) for page in (back[1], front[0])]
    return first + second


@pytest.mark.parametrize("pages", range(1, 14))
def test_imposition_folds_into_reading_order(pages: int) -> None:
    imposed, count = impose(numbered_a5(pages))
    assert count == pages
    sides = halves(imposed)
    total = pages + (-pages % 4)
    assert len(sides) == total // 2
    expected = [f"P{n}" if n <= pages else "" for n in range(1, total + 1)]
    assert reading_order(sides) == expected
    reader = pdf_bytes(imposed)
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(841.89, abs=0.2)
        assert float(page.mediabox.height) == pytest.approx(595.28, abs=0.2)


def pdf_bytes(data: bytes):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data), strict=True)


def test_sheet_order_of_eight_pages() -> None:
    assert sheet_order(8) == [(7, 0), (1, 6), (5, 2), (3, 4)]


def booklet(project, body: str = "", extra: str = ""):
    leaflet = BASE["leaflets/test.yaml"].replace("revised:", f"format: A5-booklet\n{extra}revised:")
    files = {"leaflets/test.yaml": leaflet}
    if body:
        files["content/main.md"] = f"---\ntitle: Hoofdtekst\n---\n{body}\n"
    return project(files)


def test_booklet_build_writes_both_files(project) -> None:
    root = booklet(project)
    result = build(root)
    assert result.code == 0, result.output
    screen = pdf(root / "build/T-1.pdf")
    printed = pdf(root / "build/T-1-print.pdf")
    assert float(screen.pages[0].mediabox.width) == pytest.approx(419.53, abs=0.2)
    assert len(printed.pages) == 2 * ((len(screen.pages) + 3) // 4)
    assert float(printed.pages[0].mediabox.width) == pytest.approx(841.89, abs=0.2)
    sides = halves((root / "build/T-1-print.pdf").read_bytes())
    order = [p for p in reading_order(sides) if p]
    assert "Testfolder" in order[0]
    assert len(order) == len(screen.pages)
    first = (root / "build/T-1-print.pdf").read_bytes()
    assert build(root).code == 0
    assert (root / "build/T-1-print.pdf").read_bytes() == first


def test_booklet_with_many_blank_pages_warns(project) -> None:
    leaflet = "code: T-1\ntitle: Kort\nformat: A5-booklet\nrevised: 2026-01-01\nsections:\n  - content: main\n"
    plain = {"layouts/default/layout.yaml": "cover: false\n"}  # no cover: no notes pages either
    root = project({"leaflets/test.yaml": leaflet, **plain})  # one A5 page: 3 blank pages
    result = build(root)
    assert result.code == 0
    result.has("leaflets/test.yaml", 1, "are blank", "warning")
    assert build(root, "--strict").code == 1


def decode(path) -> set[str]:
    found: set[str] = set()
    for page in pdfium.PdfDocument(str(path)):
        image = page.render(scale=4).to_pil()
        found |= {code.text for code in zxingcpp.read_barcodes(image)}
    return found


def test_qr_codes_decode_to_their_addresses(project) -> None:
    leaflet = BASE["leaflets/test.yaml"].replace(
        "revised:", "url: https://example.org/folders/t-1\nrevised:"
    )
    nurse = BASE["content/contacten/nurse.md"].replace(
        "email:", "url: https://example.org/poli\nemail:"
    )
    files = {"leaflets/test.yaml": leaflet, "content/contacten/nurse.md": nurse}
    root = project(files)
    assert build(root).code == 0
    # By default only the leaflet's own address gets a code; cards print their short address.
    assert decode(root / "build/T-1.pdf") == {"https://example.org/folders/t-1"}
    text = text_of(pdf(root / "build/T-1.pdf"))
    assert "Deze folder online" in text
    assert "example.org/scan" in text
    root = project({**files, "layouts/default/layout.yaml": "qr: cards\n"})
    assert build(root).code == 0
    assert decode(root / "build/T-1.pdf") == {
        "https://example.org/scan",
        "https://example.org/poli",
        "https://example.org/folders/t-1",
    }


def test_qr_codes_can_be_turned_off(project) -> None:
    root = project({"layouts/default/layout.yaml": "qr: false\n"})
    assert build(root).code == 0
    assert decode(root / "build/T-1.pdf") == set()
    assert "https://example.org/scan" in {e["uri"] for e in links(pdf(root / "build/T-1.pdf"))}


def test_qr_code_is_at_least_15_mm(project) -> None:
    from pamflet.render.qrcodes import QR_SIZE

    assert QR_SIZE >= 15 * MM


PHONES = ["073 553 20 00", "06 1234 5678", "088 123 45 67"]
DOSES = ["10 mg", "≥ 5 ml", "70 °C", "2,5 mg"]


def test_hyphenation_never_splits_phone_numbers_or_doses(project) -> None:
    words = "arbeidsongeschiktheidsverzekering ziekenhuisopnameprocedure " * 2
    parts = []
    for i in range(30):
        parts.append(f"{'a ' * (i % 7)}{words} Bel {PHONES[i % 3]} of neem {DOSES[i % 4]} in.")
    root = project({
        "content/main.md": "---\ntitle: Hoofdtekst\n---\n" + "\n\n".join(parts) + "\n",
        "layouts/default/layout.yaml": "hyphenate: true\n",
    })  # fmt: skip
    assert build(root).code == 0
    reader = pdf(root / "build/T-1.pdf")
    lines = [
        line.replace("\u00a0", " ")
        for page in reader.pages
        for line in (page.extract_text() or "").splitlines()
    ]
    joined = "\n".join(lines)
    assert any(line.rstrip().endswith("-") for line in lines), "long words are hyphenated"
    for value in PHONES + DOSES:
        expected = sum(part.count(value) for part in parts)
        assert joined.count(value) >= expected, value  # the contact box adds one
        for i, char in enumerate(value):
            if char == " ":
                assert value[:i] + "\n" + value[i + 1 :] not in joined, f"{value} split"


def test_long_urls_break_at_slashes_and_stay_in_the_frame(project) -> None:
    url = "https://www.example.org/" + "/".join(["afdelingen", "maag-darm-en-leverziekten-mdl"] * 4)
    scan = BASE["content/onderzoeken/scan.md"].replace("https://example.org/scan", url)
    root = project(
        {"content/onderzoeken/scan.md": scan, "content/main.md": f"---\ntitle: H\n---\n<{url}>\n"}
    )
    assert build(root).code == 0
    page = pdfium.PdfDocument(str(root / "build/T-1.pdf"))[0]
    text = page.get_textpage()
    width, _ = page.get_size()
    for index in range(text.count_chars()):
        _, _, right, _ = text.get_charbox(index)
        assert right <= width - 18 * MM + 1, "text runs into the right margin"


@pytest.mark.parametrize("fmt", ["A4", "A5"])
def test_a_card_address_part_too_long_for_its_line_is_set_smaller_not_cut(project, fmt) -> None:
    part = "echo-onderzoek-algemeen-echografie"  # the seed's, a little too long in a card
    url = f"https://www.jeroenboschziekenhuis.nl/onderzoeken/{part}"
    scan = BASE["content/onderzoeken/scan.md"].replace("https://example.org/scan", url)
    leaflet = BASE["leaflets/test.yaml"].replace("revised:", f"format: {fmt}\nrevised:")
    root = project({"content/onderzoeken/scan.md": scan, "leaflets/test.yaml": leaflet})
    assert build(root).code == 0
    reader = pdf(root / "build/T-1.pdf")
    lines = [line.strip() for page in reader.pages for line in page.extract_text().splitlines()]
    assert part in lines  # whole, on a line of its own
    longer = part * 3  # too long even when smaller: cut in equal parts, no stray letters
    root = project({"content/onderzoeken/scan.md": scan.replace(part, longer),
                    "leaflets/test.yaml": leaflet})  # fmt: skip
    assert build(root).code == 0
    reader = pdf(root / "build/T-1.pdf")
    lines = [line.strip() for page in reader.pages for line in page.extract_text().splitlines()]
    start = next(i for i, line in enumerate(lines) if longer.startswith(line) and len(line) > 4)
    cut = [lines[start]]
    while "".join(cut) != longer:
        cut.append(lines[start + len(cut)])
    assert len(cut) >= 2 and max(map(len, cut)) - min(map(len, cut)) <= 1, cut


def test_print_marks_add_bleed_and_crop_boxes(project) -> None:
    """... to a print file: the reading PDF stays as it is without them."""
    root = project()
    assert build(root).code == 0
    reading = (root / "build/T-1.pdf").read_bytes()
    assert build(root, "--print-marks").code == 0
    assert (root / "build/T-1.pdf").read_bytes() == reading
    page = pdf(root / "build/T-1-print.pdf").pages[0]
    border = 12 * MM
    assert float(page.mediabox.width) == pytest.approx(595.28 + 2 * border, abs=0.2)
    trim = [float(v) for v in page.trimbox]
    bleed = [float(v) for v in page.bleedbox]
    assert trim == pytest.approx([border, border, border + 595.28, border + 841.89], abs=0.2)
    assert bleed == pytest.approx(
        [border - 3 * MM, border - 3 * MM, border + 595.28 + 3 * MM, border + 841.89 + 3 * MM],
        abs=0.2,
    )


def test_print_marks_on_a_booklet_mark_the_imposed_sheets(project) -> None:
    root = booklet(project)
    assert build(root).code == 0
    home = pdf(root / "build/T-1-print.pdf").pages[0]
    assert float(home.mediabox.width) == pytest.approx(841.89, abs=0.2)
    assert "/TrimBox" not in home
    reading = (root / "build/T-1.pdf").read_bytes()
    assert build(root, "--print-marks").code == 0
    assert (root / "build/T-1.pdf").read_bytes() == reading  # marks only on the print file
    border, bleed = 12 * MM, 3 * MM
    for sheet in pdf(root / "build/T-1-print.pdf").pages:
        assert float(sheet.mediabox.width) == pytest.approx(841.89 + 2 * border, abs=0.2)
        assert float(sheet.mediabox.height) == pytest.approx(595.28 + 2 * border, abs=0.2)
        trim = [float(v) for v in sheet.trimbox]
        a5 = 419.53  # the two pages side by side: an A4 sheet trimmed by 1 mm to 296 mm
        middle = border + 841.89 / 2
        assert trim == pytest.approx([middle - a5, border, middle + a5, border + 595.28], abs=0.2)
        assert [float(v) for v in sheet.bleedbox] == pytest.approx(
            [trim[0] - bleed, trim[1] - bleed, trim[2] + bleed, trim[3] + bleed], abs=0.2
        )
        content = sheet.get_contents().get_data().decode()
        assert "/All CS 1 SCN" in content  # marks in Registration, on every plate
        assert "/Separation" in str(sheet["/Resources"]["/ColorSpace"]["/All"])
        strokes = content.count(" l S")
        assert strokes == 10  # 8 crop marks, 2 fold marks
        forms = sheet["/Resources"]["/XObject"]
        boxes = sorted(
            tuple(round(float(v), 1) for v in f.get_object()["/BBox"]) for f in forms.values()
        )
        for box in boxes:  # each A5 page keeps its bleed on its three outer edges, not at the fold
            assert box[1] == pytest.approx(-bleed, abs=0.1)
            assert (box[0] == pytest.approx(-bleed, abs=0.1)) != (box[2] > 419.6)


def test_cmyk_layout_writes_no_rgb_colour(project) -> None:
    import re

    leaflet = BASE["leaflets/test.yaml"].replace(
        "revised:", "format: A5-booklet\nurl: https://example.org/t-1\nrevised:"
    )
    layout = "colour: cmyk\ncolours:\n  text: '#1a1a1a'\n  accent: '#005a9c'\n"
    root = project({"leaflets/test.yaml": leaflet, "layouts/default/layout.yaml": layout})
    assert build(root, "--print-marks").code == 0
    operators = re.compile(rb"(?<![A-Za-z])(rg|RG|g|G|sc|SC|scn|SCN|cs|CS|k|K)(?![A-Za-z])")
    for name in ("T-1.pdf", "T-1-print.pdf"):
        reader = pdf(root / f"build/{name}")
        found: set[bytes] = set()
        streams = [p.get_contents().get_data() for p in reader.pages]
        for page in reader.pages:
            for x in page["/Resources"].get("/XObject", {}).values():
                if x.get_object()["/Subtype"] == "/Form":
                    streams.append(x.get_object().get_data())
        for data in streams:
            text = re.sub(rb"\((?:\\.|[^\\)])*\)", b"()", data)  # leave out shown text
            found |= set(operators.findall(text))
        allowed = {b"k", b"K"} | ({b"CS", b"SCN"} if name.endswith("-print.pdf") else set())
        assert found <= allowed, f"{name}: {found}"  # CS/SCN: the Registration marks
    first = pdf(root / "build/T-1.pdf").pages[1].get_contents().get_data()
    assert b"0 0 0 1 k" in first  # body text in solid black on the K plate
    assert decode(root / "build/T-1.pdf") >= {"https://example.org/t-1"}


def test_preflight_small_font_and_low_contrast(project) -> None:
    layout = "font_size: 10\ncolours:\n  text: '#999999'\n  accent: '#005a9c'\n"
    result = check(project({"layouts/default/layout.yaml": layout}))
    assert result.code == 0
    result.has("layouts/default/layout.yaml", 1, "below 12 pt", "warning")
    result.has("layouts/default/layout.yaml", 3, "below 4.5:1", "warning")


def test_preflight_low_resolution_image(project) -> None:
    from PIL import Image

    root = project(
        {"content/main.md": "---\ntitle: Hoofdtekst\n---\nTekst.\n\n![Een lever](lever.png)\n"}
    )
    Image.new("RGB", (300, 200), (200, 80, 80)).save(root / "content/lever.png")
    result = check(root)
    assert result.code == 0
    result.has("content/main.md", 6, "dpi", "warning")
    Image.new("RGB", (2400, 1600), (200, 80, 80)).save(root / "content/lever.png")
    assert "dpi" not in check(root).output


def test_cross_leaflet_link_prints_title_and_code(project) -> None:
    other = (
        BASE["leaflets/test.yaml"]
        .replace("code: T-1", "code: T-2")
        .replace("title: Testfolder", "title: Leveroperatie\nurl: https://example.org/folders/t-2")
    )
    body = "Lees ook de [andere folder](../leaflets/other.yaml) en [Leveroperatie](../leaflets/other.yaml).\n"
    root = project({"leaflets/other.yaml": other, "content/main.md": f"---\ntitle: H\n---\n{body}"})
    assert build(root, "T-1").code == 0
    reader = pdf(root / "build/T-1.pdf")
    text = text_of(reader)
    assert "andere folder (Leveroperatie, T-2)" in text
    assert "Leveroperatie (T-2)" in text
    assert "https://example.org/folders/t-2" in {e["uri"] for e in links(reader)}


def test_example_booklet_folds_correctly(example) -> None:
    assert build(example).code == 0
    screen = pdf(example / "build/CHI-114.pdf")
    sides = halves((example / "build/CHI-114-print.pdf").read_bytes())
    order = [p for p in reading_order(sides) if p]
    assert len(order) == len(screen.pages) == 8
    assert order[0].startswith("Leveroperatie")  # the cover: no page number
    for number, text in enumerate(order[1:-1], start=2):
        assert f"Pagina {number} van {len(screen.pages)}" in text
    assert "Pagina" not in order[-1]  # nor the back cover
    assert "Uw vaste aanspreekpunt" in order[-1] and "Deze folder online" in order[-1]


def test_font_subsets_are_tagged_by_their_content(project) -> None:
    import re as regex

    root = project()
    assert build(root).code == 0
    first = (root / "build/T-1.pdf").read_bytes()
    reader = pdf(root / "build/T-1.pdf")
    names = {
        str(f.get_object()["/BaseFont"])
        for p in reader.pages
        for f in p["/Resources"]["/Font"].values()
    }
    tags = {name[1:7] for name in names}
    assert len(names) >= 2 and len(tags) == len(names)  # each subset its own tag
    assert all(regex.fullmatch(r"[A-Z]{6}", t) for t in tags) and "AAAAAA" not in tags
    assert build(root, "--force").code == 0
    assert (root / "build/T-1.pdf").read_bytes() == first  # still the same bytes


def test_a_font_file_is_parsed_when_first_measured_and_kept() -> None:
    from reportlab.pdfbase.ttfonts import TTFont

    from pamflet.render.styles import HashedSubsetFont
    from pamflet.resolve.fonts import BUNDLED_FONTS

    path = str(BUNDLED_FONTS["italic"])
    font = HashedSubsetFont("LazyItalicTest", path)
    assert "face" not in vars(font)  # registered, not read
    plain = TTFont("PlainItalicTest", path)
    assert font.stringWidth("Leveroperatie", 10) == plain.stringWidth("Leveroperatie", 10) > 40
    face = vars(font)["face"]  # parsed once, then a plain attribute
    assert font.face is face and face.name == plain.face.name
