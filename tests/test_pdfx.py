"""`build --print-shop`: print files a PDF/X-4 preflight accepts, checked with pikepdf (the
file's objects) and Ghostscript's tiffsep (the plates a printer makes), in A4, A5 and the
imposed A5 booklet, Dutch and English."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from conftest import BASE, build
from PIL import Image
from test_accessibility import readers_agree

MM = 72 / 25.4
APPROVED = 'version: 1\napproved: {by: "Dr. Test", on: 2026-01-02}\n'
LOGO_LAYOUT = "logo: logo.png\n"


def logo_with_alpha() -> bytes:
    """A green disc on a transparent ground: the logo a designer exports."""
    image = Image.new("RGBA", (240, 120), (0, 0, 0, 0))
    for x in range(240):
        for y in range(120):
            if (x - 60) ** 2 + (y - 60) ** 2 < 50**2:
                image.putpixel((x, y), (20, 140, 80, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def photo() -> bytes:
    image = Image.new("RGB", (600, 300), (200, 60, 40))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def press_project(project, fmt: str, language: str = "nl"):
    head = f"format: {fmt}\nlanguage: {language}\nurl: https://example.org/t-1\n"
    leaflet = BASE["leaflets/test.yaml"].replace("revised:", head + APPROVED + "revised:")
    main = (
        "---\ntitle: Hoofdtekst\n---\n"
        + "Sentinel plain body text that prints in black on the K plate alone. " * 12
        + "\n\n![Een foto](img/photo.png)\n\n"
        + "Meer tekst na de foto. " * 40
        + "\n"
    )
    return project({
        "leaflets/test.yaml": leaflet,
        "content/main.md": main,
        "content/img/photo.png": photo(),
        "layouts/default/layout.yaml": LOGO_LAYOUT,
        "layouts/default/logo.png": logo_with_alpha(),
    })  # fmt: skip


def preflight(path: Path) -> list[str]:
    """What a PDF/X-4 preflight would reject: no CMYK output intent, no version or Trapped key
    (Info and XMP), a page without TrimBox or BleedBox, annotations, DeviceRGB anywhere (in
    any content stream, form or image), soft masks and constant alpha."""
    problems: list[str] = []
    pdf = pikepdf.open(path)
    intents = pdf.Root.get("/OutputIntents")
    if not intents or intents[0].get("/S") != "/GTS_PDFX":
        problems.append("no GTS_PDFX output intent")
    elif int(intents[0].DestOutputProfile.get("/N")) != 4:
        problems.append("the output profile is not CMYK")
    elif str(intents[0].OutputConditionIdentifier) != "FOGRA39":
        problems.append("the output condition is not named")
    if str(pdf.docinfo.get("/GTS_PDFXVersion")) != "PDF/X-4":
        problems.append("no /GTS_PDFXVersion")
    if pdf.docinfo.get("/Trapped") not in (pikepdf.Name("/False"), pikepdf.Name("/True")):
        problems.append("no /Trapped")
    meta = pdf.open_metadata()
    if meta.get("pdfxid:GTS_PDFXVersion") != "PDF/X-4" or meta.get("pdf:Trapped") != "False":
        problems.append("XMP lacks the PDF/X identification")
    if not meta.get("xmpMM:DocumentID") or not meta.get("xmpMM:VersionID"):
        problems.append("XMP lacks the document and version ids")
    seen: set[tuple[int, int]] = set()

    def walk(obj: pikepdf.Object, resources: pikepdf.Dictionary, where: str) -> None:
        spaces = resources.get("/ColorSpace", pikepdf.Dictionary())
        for operands, op in pikepdf.parse_content_stream(obj):
            if str(op) in ("rg", "RG"):
                problems.append(f"{where}: DeviceRGB colour")
            if str(op) in ("cs", "CS") and str(operands[0]) not in ("/DeviceCMYK", "/DeviceGray"):
                space = spaces.get(str(operands[0]))
                if space is None or str(space[0]) != "/Separation":
                    problems.append(f"{where}: colour space {operands[0]}")
        for name, gs in resources.get("/ExtGState", pikepdf.Dictionary()).items():
            for key in ("/CA", "/ca"):
                if key in gs and float(gs[key]) < 1:
                    problems.append(f"{where}: transparency in {name}")
            if "/SMask" in gs and gs.SMask != pikepdf.Name("/None"):
                problems.append(f"{where}: soft mask in {name}")
        for name, x in resources.get("/XObject", pikepdf.Dictionary()).items():
            if x.objgen in seen:
                continue
            seen.add(x.objgen)
            if x.Subtype == "/Image":
                if x.get("/ColorSpace") not in (
                    pikepdf.Name("/DeviceCMYK"),
                    pikepdf.Name("/DeviceGray"),
                ):
                    problems.append(f"{where}: image {name} in {x.get('/ColorSpace')}")
                if "/SMask" in x or "/Mask" in x:
                    problems.append(f"{where}: image {name} has transparency")
            else:
                walk(x, x.get("/Resources", resources), f"{where} {name}")

    for number, page in enumerate(pdf.pages, start=1):
        if "/Annots" in page.obj:
            problems.append(f"page {number}: annotations")
        if "/TrimBox" not in page.obj or "/BleedBox" not in page.obj:
            problems.append(f"page {number}: no TrimBox or BleedBox")
        walk(page.obj, page.obj.get("/Resources", pikepdf.Dictionary()), f"page {number}")
    return problems


def plates(path: Path, page: int, dpi: int, folder: Path) -> dict[str, Image.Image]:
    """Ghostscript's separations of one page: ink per plate, 0 (none) to 255 (solid)."""
    gs = shutil.which("gs")
    if gs is None:
        pytest.skip("Ghostscript is not installed")
    out = folder / "sep.tif"
    subprocess.run(
        [gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiffsep", f"-r{dpi}",
         f"-dFirstPage={page}", f"-dLastPage={page}", f"-sOutputFile={out}", str(path)],
        check=True, capture_output=True,
    )  # fmt: skip
    return {
        ink: Image.eval(Image.open(folder / f"sep({ink}).tif").convert("L"), lambda v: 255 - v)
        for ink in ("Cyan", "Magenta", "Yellow", "Black")
    }


@pytest.mark.parametrize(("fmt", "language"), [("A4", "nl"), ("A5", "en"), ("A5-booklet", "nl")])
def test_print_shop_files_pass_a_pdfx4_preflight(project, fmt: str, language: str) -> None:
    root = press_project(project, fmt, language)
    assert build(root, "--print-shop").code == 0
    path = root / "build/T-1-print.pdf"
    assert preflight(path) == []
    readers_agree(path, tagged_pdf=False)
    # The logo and the photo are there, in CMYK, without their transparency.
    with pikepdf.open(path) as pdf:
        images = [x for page in pdf.pages for x in page.get_images().values()]
        assert len(images) >= 2
    # The reading PDF is not touched: RGB, links, tags, as a build without --print-shop.
    reading = (root / "build/T-1.pdf").read_bytes()
    with pikepdf.open(root / "build/T-1.pdf") as pdf:
        assert "/StructTreeRoot" in pdf.Root and any("/Annots" in page for page in pdf.pages)
    again = press_project(project, fmt, language)
    assert build(again).code == 0
    assert (again / "build/T-1.pdf").read_bytes() == reading
    assert build(root, "--print-shop", "--force").code == 0
    assert path.read_bytes() == (root / "build/T-1-print.pdf").read_bytes()


def test_print_shop_body_text_is_on_the_black_plate_alone(project, tmp_path: Path) -> None:
    root = press_project(project, "A4")
    assert build(root, "--print-shop").code == 0
    path = root / "build/T-1-print.pdf"
    document = pdfium.PdfDocument(str(path))
    page = document[0]
    text = page.get_textpage()
    found = text.search("Sentinel plain body text").get_next()
    assert found is not None
    first, _ = found
    boxes = [text.get_charbox(i) for i in range(first, first + 300)]
    document.close()
    dpi = 100
    left, bottom = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, top = max(b[2] for b in boxes), max(b[3] for b in boxes)
    with pikepdf.open(path) as pdf:
        height = float(pdf.pages[0].obj.MediaBox[3])
    box = tuple(round(v * dpi / 72) for v in (left, height - top, right, height - bottom))
    inks = {name: plate.crop(box) for name, plate in plates(path, 1, dpi, tmp_path).items()}
    assert inks["Black"].getextrema()[1] > 200  # the text, solid
    for name in ("Cyan", "Magenta", "Yellow"):
        assert inks[name].getextrema()[1] == 0, f"body text prints on the {name} plate"


def test_print_shop_booklet_bleeds_3_mm_on_its_imposed_sheets(project, tmp_path: Path) -> None:
    root = press_project(project, "A5-booklet")
    assert build(root, "--print-shop").code == 0
    path = root / "build/T-1-print.pdf"
    with pikepdf.open(path) as pdf:
        sheet = pdf.pages[0].obj
        trim = [float(v) for v in sheet.TrimBox]
        bleed = [float(v) for v in sheet.BleedBox]
        height = float(sheet.MediaBox[3])
    assert bleed == pytest.approx([trim[0] - 3 * MM, trim[1] - 3 * MM, trim[2] + 3 * MM,
                                   trim[3] + 3 * MM], abs=0.05)  # fmt: skip
    dpi = 200
    inks = plates(path, 1, dpi, tmp_path)
    cyan = inks["Cyan"]
    px = dpi / 72

    def ink_at(x_pt: float, y_pt: float) -> int:
        return cyan.getpixel((round(x_pt * px), round((height - y_pt) * px)))

    # The cover is the right half of the first sheet; its tinted foot touches three edges.
    x = trim[2] - 20 * MM
    assert ink_at(x, trim[1] + 2 * MM) > 0  # on the page
    assert ink_at(x, trim[1] - 2.7 * MM) > 0  # in the bleed, nearly 3 mm out
    assert ink_at(x, trim[1] - 3.5 * MM) == 0  # past the bleed: nothing
    assert ink_at(trim[2] + 2.7 * MM, trim[1] + 5 * MM) > 0  # the outer edge bleeds too
