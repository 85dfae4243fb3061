"""`pamflet build`: the PDF a patient receives, read back with pypdf."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BASE, build, links, outputs, pdf, text_of
from pypdf import PdfReader
from pypdf.generic import Destination

A4 = (595.28, 841.89)
A5 = (419.53, 595.28)


def outline_titles(reader) -> list[str]:
    out = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                out.append(item.title)

    walk(reader.outline)
    return out


@pytest.fixture
def built(project) -> Path:
    root = project()
    result = build(root)
    assert result.code == 0, result.output
    return root


def test_every_block_text_is_in_the_pdf(built) -> None:
    text = text_of(pdf(built / "build/T-1.pdf"))
    for sentinel in ("Sentinel alpha", "Sentinel bravo", "Sentinel charlie", "Sentinel delta"):
        assert sentinel in text
    for fixed in ("Testfolder", "Alles over testen", "Zuster Test", "Testziekenhuis", "T-1"):
        assert fixed in text


def test_summary_line_and_no_stray_files(built) -> None:
    assert sorted(p.name for p in outputs(built / "build")) == ["T-1.pdf"]


def test_links_are_clickable(built) -> None:
    found = links(pdf(built / "build/T-1.pdf"))
    uris = {entry["uri"] for entry in found}
    assert "https://example.org/scan" in uris
    assert "tel:+31735532000" in uris
    assert "mailto:nurse@example.org" in uris


def test_internal_links_jump_and_carry_the_page(project) -> None:
    body = "Lees eerst [de nazorg](#nazorg) en de [scan](onderzoeken/scan.md).\n\n## Nazorg\n\nTekst.\n"
    root = project({"content/main.md": f"---\ntitle: Hoofdtekst\n---\n{body}"})
    assert build(root).code == 0
    reader = pdf(root / "build/T-1.pdf")
    internal = [entry for entry in links(reader) if entry["uri"] is None]
    assert len(internal) >= 2
    named = reader.named_destinations
    assert {"nazorg", "scan"} <= set(named)
    targets = {(reader.get_destination_page_number(d), round(float(d.top))) for d in named.values()}
    for entry in internal:
        dest = entry["dest"]
        page = reader.get_page_number(reader.get_object(dest[0].indirect_reference))
        assert (page, round(float(dest[3]))) in targets
    text = text_of(reader)
    assert len(reader.pages) == 1
    assert "zie pagina" not in text  # a one-page leaflet needs no page references
    assert "Lees eerst de nazorg en de scan." in text


def test_see_page_is_right_when_the_target_is_later(project) -> None:
    filler = "\n\n".join(["Vultekst over de behandeling die lang doorgaat. " * 8] * 14)
    body = f"Zie [nazorg](#nazorg).\n\n{filler}\n\n## Nazorg\n\nEinde.\n"
    root = project({"content/main.md": f"---\ntitle: Hoofdtekst\n---\n{body}"})
    assert build(root).code == 0
    reader = pdf(root / "build/T-1.pdf")
    page_of_target = next(
        i + 1
        for i, page in enumerate(reader.pages)
        if "Nazorg" in (page.extract_text() or "") and "Einde" in (page.extract_text() or "")
    )
    assert page_of_target > 1
    assert f"nazorg (zie pagina {page_of_target})" in text_of(reader)


def test_outline_holds_the_headings(built) -> None:
    titles = outline_titles(pdf(built / "build/T-1.pdf"))
    assert titles[:3] == ["Testfolder", "Hoofdtekst", "Nazorg"]
    assert "Onderzoeken" in titles
    assert "Uw contactpersoon" in titles


def test_footer_numbering_and_page_size(built) -> None:
    reader = pdf(built / "build/T-1.pdf")
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        assert f"Pagina {number} van {total}" in page.extract_text()
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            A4, abs=0.1
        )
    assert "T-1 · Herzien 1 januari 2026" in reader.pages[0].extract_text()


def test_english_labels(project) -> None:
    root = project({"pamflet.yaml": "organisation: Test Hospital\nlanguage: en\n"})
    assert build(root).code == 0
    text = text_of(pdf(root / "build/T-1.pdf"))
    assert "Page 1 of" in text
    assert "More information" in text


def test_metadata(built) -> None:
    reader = pdf(built / "build/T-1.pdf")
    meta = reader.metadata
    assert meta.title == "Testfolder"
    assert meta.author == "Testziekenhuis"
    assert meta.subject == "Alles over testen"
    assert meta["/Keywords"] == "T-1"
    assert meta.creator.startswith("pamflet ")
    assert meta["/CreationDate"].startswith("D:20260101")
    assert reader.trailer["/Root"]["/Lang"] == "nl"


def test_markup_like_text_survives_literally(project) -> None:
    body = "Bij <3 cm & > 70 °C: let op. <font color=red>rood</font> <b>vet</b> &amp; <Ward 7>\n"
    root = project({"content/main.md": f"---\ntitle: Hoofdtekst\n---\n{body}"})
    assert build(root).code == 0
    text = text_of(pdf(root / "build/T-1.pdf"))
    assert "<3 cm & > 70 °C" in text
    assert "<font color=red>rood</font> <b>vet</b> & <Ward 7>" in text  # CommonMark decodes &amp;


def test_byte_identical_rebuilds(built) -> None:
    first = (built / "build/T-1.pdf").read_bytes()
    assert build(built).code == 0
    assert (built / "build/T-1.pdf").read_bytes() == first


def test_source_date_epoch_is_honoured(project, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = project()
    assert build(root).code == 0
    assert pdf(root / "build/T-1.pdf").metadata["/CreationDate"].startswith("D:20231114")


def test_failed_rebuild_keeps_the_previous_pdf(built) -> None:
    good = (built / "build/T-1.pdf").read_bytes()
    (built / "content/main.md").write_text("---\ntitle: x\n---\n[kapot](#nergens)\n")
    result = build(built)
    assert result.code == 1
    assert "no file was written" in result.stderr
    assert (built / "build/T-1.pdf").read_bytes() == good
    assert sorted(p.name for p in outputs(built / "build")) == ["T-1.pdf"]


def test_out_and_selected_codes(project, tmp_path) -> None:
    second = BASE["leaflets/test.yaml"].replace("code: T-1", "code: T-2")
    root = project({"leaflets/second.yaml": second})
    out = tmp_path / "elders" / "pdf"
    assert build(root, "T-2", "--out", str(out)).code == 0
    assert [p.name for p in outputs(out)] == ["T-2.pdf"]
    assert build(root, "T-9").code == 2


def test_parallel_jobs_give_the_same_bytes(project, tmp_path) -> None:
    second = BASE["leaflets/test.yaml"].replace("code: T-1", "code: T-2")
    root = project({"leaflets/second.yaml": second})
    assert build(root, "--out", str(tmp_path / "a")).code == 0
    assert build(root, "--jobs", "2", "--out", str(tmp_path / "b")).code == 0
    for name in ("T-1.pdf", "T-2.pdf"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_a5_format(project) -> None:
    root = project(
        {"leaflets/test.yaml": BASE["leaflets/test.yaml"].replace("revised", "format: A5\nrevised")}
    )
    assert build(root).code == 0
    page = pdf(root / "build/T-1.pdf").pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A5, abs=0.1)


def test_fonts_are_embedded(built) -> None:
    reader = pdf(built / "build/T-1.pdf")
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for ref in fonts.values():
        font = ref.get_object()
        descendant = (
            font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        )
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor


def test_every_element_renders(project) -> None:
    body = (
        "Tekst met **vet**, *cursief*, `code` en een [link](https://example.org/a).\n\n"
        "## Lijsten\n\n- een\n  - twee\n    - drie\n- vier\n\n1. eerste\n2. tweede\n\n"
        "> Let op: neem uw medicijnen mee.\n\n"
        "| Dosis | Wanneer |\n|---|---:|\n| 10 mg | ochtend |\n| 20 mg | avond |\n\n"
        "```\nvoorbeeld code\n```\n\n---\n\nAdres:\\\nStraat 1\\\n1234 AB Stad\n"
    )
    root = project({"content/main.md": f"---\ntitle: Hoofdtekst\n---\n{body}"})
    result = build(root)
    assert result.code == 0, result.output
    text = text_of(pdf(root / "build/T-1.pdf"))
    for part in ("vet", "cursief", "code", "een", "twee", "drie", "eerste", "Let op", "10 mg",
                 "ochtend", "Wanneer", "voorbeeld code", "Straat 1", "1234 AB Stad"):  # fmt: skip
        assert part in text, part


def test_long_table_repeats_its_header(project) -> None:
    rows = "\n".join(f"| Rij {i} | {'Uitleg over deze rij. ' * 3} |" for i in range(80))
    body = f"| Moment | Wat u doet |\n|---|---|\n{rows}\n"
    root = project({"content/main.md": f"---\ntitle: Hoofdtekst\n---\n{body}"})
    assert build(root).code == 0
    reader = pdf(root / "build/T-1.pdf")
    pages_with_rows = [p for p in reader.pages if "Rij " in (p.extract_text() or "")]
    assert len(pages_with_rows) >= 2
    for page in pages_with_rows:
        assert "Wat u doet" in page.extract_text()


def test_table_of_contents_for_long_leaflets(project) -> None:
    filler = "\n\n".join(
        f"## Deel {i}\n\n" + "Lange uitleg over dit onderwerp. " * 40 for i in range(12)
    )
    root = project({"content/main.md": f"---\ntitle: Hoofdtekst\n---\n{filler}"})
    assert build(root).code == 0
    reader = pdf(root / "build/T-1.pdf")
    assert len(reader.pages) > 4
    first = reader.pages[0].extract_text()
    assert "Inhoud" in first
    assert "Deel 0" in first


def test_image_is_drawn(project) -> None:
    from PIL import Image

    root = project({"content/main.md": "---\ntitle: Hoofdtekst\n---\n![Een lever](lever.png)\n"})
    Image.new("RGB", (1200, 600), (200, 80, 80)).save(root / "content/lever.png")
    assert build(root).code == 0
    reader = pdf(root / "build/T-1.pdf")
    assert any(page.images for page in reader.pages)


def test_named_destinations_exist_for_cards(built) -> None:
    reader = pdf(built / "build/T-1.pdf")
    assert "scan" in reader.named_destinations
    assert isinstance(reader.named_destinations["scan"], Destination)


def test_read_only_output_folder_is_an_error(built) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can write to read-only folders")
    out = built / "build"
    out.chmod(0o500)
    try:
        result = build(built)
        assert result.code == 1
        assert "cannot write" in result.output
    finally:
        out.chmod(0o700)


def test_custom_layout(project) -> None:
    from pamflet.resolve.fonts import BUNDLED_FONTS

    layout = (
        "font_size: 13\n"
        "margins: [30mm, 25mm, 30mm, 25mm]\n"
        "fonts:\n  regular: fonts/Body.ttf\n"
        "colours: {text: '#222222', accent: '#7a1f5c'}\n"
        'header: "{{ organisation }} - {{ leaflet.title }}"\n'
        'footer: "Blad {{ page }}/{{ pages }} {{ leaflet.code }}"\n'
    )
    root = project(
        {"layouts/huis/layout.yaml": layout, "pamflet.yaml": "organisation: Huis\nlayout: huis\n"}
    )
    (root / "layouts/huis/fonts").mkdir()
    (root / "layouts/huis/fonts/Body.ttf").write_bytes(BUNDLED_FONTS["italic"].read_bytes())
    result = build(root)
    assert result.code == 0, result.output
    reader = pdf(root / "build/T-1.pdf")
    text = reader.pages[0].extract_text()
    assert "Huis - Testfolder" in text
    assert "Blad 1/1 T-1" in text
    fonts = {
        str(f.get_object()["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()
    }
    assert any("LiberationSans-Italic" in name for name in fonts)
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(str(root / "build/T-1.pdf"))[0]
    chars = page.get_textpage()
    lefts = [
        chars.get_charbox(i)[0]
        for i in range(chars.count_chars())
        if chars.get_text_range(i, 1).strip()
    ]
    assert min(lefts) >= 25 * 72 / 25.4 - 1


def test_unknown_layout_in_pamflet_yaml_is_reported_there(project) -> None:
    from conftest import check

    result = check(project({"pamflet.yaml": "organisation: T\nlayout: huis\n"}))
    assert result.code == 1
    result.has("pamflet.yaml", 2, "no layout 'huis'")


def test_empty_layout_file_is_valid(project) -> None:
    root = project({"layouts/default/layout.yaml": ""})
    assert build(root).code == 0


@pytest.mark.parametrize(
    ("fmt", "logo_size"), [("A5", (360, 240)), ("A4", (360, 240)), ("A5", (3000, 100))]
)
def test_logo_stays_inside_the_top_margin_area(
    project, fmt: str, logo_size: tuple[int, int]
) -> None:
    """On A5 the logo was drawn above the 15 mm top margin, past the edge of the paper."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c
    from PIL import Image

    leaflet = BASE["leaflets/test.yaml"].replace("revised:", f"format: {fmt}\nrevised:")
    root = project(
        {"leaflets/test.yaml": leaflet, "layouts/default/layout.yaml": "logo: logo.png\n"}
    )
    Image.new("RGB", logo_size, (0, 90, 156)).save(root / "layouts/default/logo.png")
    assert build(root).code == 0
    page = pdfium.PdfDocument(str(root / "build/T-1.pdf"))[0]
    width, height = page.get_size()
    images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
    assert len(images) == 1
    left, bottom, right, top = images[0].get_bounds()
    margin_left = (14 if fmt == "A5" else 18) * 72 / 25.4
    margin_top = (15 if fmt == "A5" else 20) * 72 / 25.4
    assert left >= margin_left - 0.5 and right <= width - margin_left + 0.5
    assert top <= height - margin_top + 0.5, "the logo reaches into the top margin"
    assert bottom >= 0


def test_shards_split_the_leaflets_stably_and_add_up_to_a_full_build(project, tmp_path) -> None:
    from conftest import run

    leaflet = BASE["leaflets/test.yaml"]
    files = {
        f"leaflets/t{i}.yaml": leaflet.replace("code: T-1", f"code: T-{i}") for i in range(2, 10)
    }
    root = project(files)
    full = tmp_path / "full"
    assert run(root, "build", "--out", str(full)).code == 0
    parts: dict[str, bytes] = {}
    for k in (1, 2, 3):
        out = tmp_path / f"shard{k}"
        assert run(root, "build", "--shard", f"{k}/3", "--out", str(out)).code == 0
        mine = {p.name: p.read_bytes() for p in out.glob("*.pdf")}
        assert not set(mine) & set(parts), "a leaflet in two shards"
        parts.update(mine)
    assert parts == {p.name: p.read_bytes() for p in full.glob("*.pdf")}
    before = {k: {p.name for p in (tmp_path / f"shard{k}").glob("*.pdf")} for k in (1, 2, 3)}
    (root / "leaflets/extra.yaml").write_text(leaflet.replace("code: T-1", "code: EXTRA-1"))
    for k in (1, 2, 3):
        out = tmp_path / f"again{k}"
        assert run(root, "build", "--shard", f"{k}/3", "--out", str(out)).code == 0
        now = {p.name for p in out.glob("*.pdf")} - {"EXTRA-1.pdf"}
        assert now == before[k], "adding a leaflet moved others to another shard"
    from conftest import write_project

    lonely = write_project(tmp_path / "lonely", {})
    shards = [
        run(lonely, "build", "--shard", f"{k}/5", "--out", str(tmp_path / f"s{k}"))
        for k in range(1, 6)
    ]
    assert all(r.code == 0 for r in shards)
    assert sum(len(list((tmp_path / f"s{k}").glob("*.pdf"))) for k in range(1, 6)) == 1
    assert run(lonely, "build", "--shard", "4/3").code == 2


def test_reportlab_uses_its_c_accelerator() -> None:
    """rl-accel is a dependency: stringWidth in C is most of a layout pass."""
    from reportlab.lib import rl_accel

    assert {"instanceStringWidthTTF", "fp_str"} <= set(rl_accel._c_funcs)


def with_contents_and_references(sections: int, text: str, ahead: int) -> str:
    """The test leaflet with `toc: always` and `sections` sections of `text`, each ending in
    a 'see section N' link `ahead` sections on: page numbers the first pass cannot know."""
    parts = "".join(
        f"  - title: Deel {i}\n    text: |\n      {text}\n\n"
        f"      Zie [deel {(i + ahead) % sections}](#deel-{(i + ahead) % sections}).\n"
        for i in range(sections)
    )
    return BASE["leaflets/test.yaml"].replace("sections:\n", "toc: always\nsections:\n" + parts)


def test_a_leaflet_with_page_references_and_contents_is_laid_out_twice(project) -> None:
    """One measuring pass, one drawing pass: the pages a pass is given are the pages it finds."""

    from pamflet import pipeline
    from pamflet.diagnostics import Report
    from pamflet.render import render

    leaflet = with_contents_and_references(12, "Tekst. " * 120, 5)
    root = project({"leaflets/test.yaml": leaflet})
    (doc,) = pipeline.check(root, Report())
    rendered = render(doc)
    assert rendered.pages >= 4 and rendered.passes == 2
    booklet = project({"leaflets/test.yaml": leaflet + "format: A5-booklet\n"})
    (doc,) = pipeline.check(booklet, Report())
    assert render(doc).passes == 2


@pytest.mark.parametrize(
    ("language", "words"), [("nl", ["Let op", "Belangrijk"]), ("en", ["Warning", "Important"])]
)
def test_alerts_are_boxes_with_their_label(project, language, words) -> None:
    """GitHub's alert syntax gives a box of its own, labelled in the leaflet's language, its
    label in the structure tree; a plain quote stays a quote."""
    from conftest import BASE, build
    from pdfread import Node, structure, tree_text, walk
    from pypdf import PdfReader

    main = (
        "---\ntitle: Hoofdtekst\n---\nIntro.\n\n> [!WARNING]\n> U moet zich voorbereiden.\n\n"
        "> [!IMPORTANT]\n> Neem uw medicijnen mee.\n\n> Een gewoon citaat.\n"
    )
    settings = BASE["pamflet.yaml"].replace("language: nl", f"language: {language}")
    root = project({"content/main.md": main, "pamflet.yaml": settings})
    assert build(root).code == 0
    reader = PdfReader(root / "build/T-1.pdf")
    text = reader.pages[0].extract_text()
    for word in words:
        assert word in text
    assert "[!WARNING]" not in text and "WARNING" not in text.replace("Warning", "")
    tree = structure(reader)
    divs = [n for n in walk(tree) if n.role == "Div" and words[0] in tree_text(reader, n)]
    assert divs, "the alert is a Div holding its label"
    quotes = [n for n in walk(tree) if n.role == "BlockQuote"]
    assert len(quotes) == 1 and "gewoon citaat" in tree_text(reader, quotes[0])
    assert all(isinstance(k, Node) for k in divs[0].kids)


def test_an_a4_build_never_imports_pypdf_or_jinja2(project) -> None:
    """Write once: ReportLab writes the reading PDF whole; pypdf is for imposing a booklet, and
    the default header and footer are filled in without Jinja2."""
    root = project()
    code = (
        "import sys; from click.testing import CliRunner; from pamflet.cli import main;"
        f"r = CliRunner().invoke(main, ['--project', r'{root}', 'build', '--jobs', '1']);"
        "assert r.exit_code == 0, r.output;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('pypdf', 'jinja2')];"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    reader = PdfReader(root / "build/T-1.pdf", strict=True)
    assert reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    assert "pypdf" not in reader.metadata["/Producer"]


@pytest.mark.parametrize("fmt", ["A4", "A5-booklet"])
def test_no_pypdf_writer_touches_a_reading_pdf(project, monkeypatch, fmt: str) -> None:
    """The reading PDF is the file ReportLab wrote: no pypdf writer reads or writes it, also
    when a booklet's print file is imposed from its pages."""
    import pypdf

    from pamflet import pipeline
    from pamflet.diagnostics import Report

    written: list[bytes] = []
    original = pypdf.PdfWriter.write

    def recording(self, stream):  # type: ignore[no-untyped-def]
        result = original(self, stream)
        written.append(stream.getvalue())
        return result

    monkeypatch.setattr(pypdf.PdfWriter, "write", recording)
    leaflet = BASE["leaflets/test.yaml"] + f"format: {fmt}\n"
    root = project({"leaflets/test.yaml": leaflet})
    (doc,) = pipeline.check(root, Report())
    output = pipeline.make(doc, pipeline.Options(print_marks=True))
    reading = output.files["T-1.pdf"]
    assert reading.startswith(b"%PDF-1.7") and b"/Type /ObjStm" in reading
    assert reading not in written
    assert len(written) == (1 if fmt == "A5-booklet" else 0)  # the imposed sheets, once
    assert "T-1-print.pdf" in output.files


def test_reading_pdfs_are_compact(example) -> None:
    """Object streams and a cross-reference stream: no plain xref table, no loose dictionaries."""
    assert build(example).code == 0
    for path in sorted((example / "build").glob("*.pdf")):
        if path.name.endswith("-print.pdf"):
            continue
        data = path.read_bytes()
        assert b"\nxref\n" not in data and b"/Type /XRef" in data
        assert data.count(b" obj\n") < 40, path.name  # streams and their object streams only
        reader = PdfReader(path, strict=True)
        assert len(data) / len(reader.pages) < 31_000, path.name  # fonts are most of it


def test_the_drawing_pass_takes_the_line_breaks_of_the_measuring_pass(project, monkeypatch) -> None:
    """A paragraph whose text, style and width did not change is not broken into lines again
    in the drawing pass; the PDF is the one a fresh line breaking gives, byte for byte."""
    from reportlab.platypus import Paragraph

    from pamflet import pipeline
    from pamflet.diagnostics import Report
    from pamflet.finish import finish
    from pamflet.render import primitives, render

    leaflet = with_contents_and_references(8, "Een zin over de behandeling. " * 40, 3)
    root = project({"leaflets/test.yaml": leaflet})
    (doc,) = pipeline.check(root, Report())
    broken = []
    plain = Paragraph.breakLines
    monkeypatch.setattr(Paragraph, "breakLines", lambda self, w: broken.append(1) or plain(self, w))

    def made() -> tuple[bytes, int]:
        broken.clear()
        rendered = render(doc)
        assert rendered.passes == 2
        return finish(doc, rendered)[0]["T-1.pdf"], len(broken)

    kept, few = made()
    monkeypatch.setattr(primitives.PassCache, "take", lambda self, *args: None)
    fresh, many = made()
    assert kept == fresh
    # At least the 8 headings and 8 long paragraphs are not broken again; the contents and
    # the 'see page' paragraphs are (their page numbers changed), and so are split halves.
    assert many - few >= 16, (few, many)


def test_the_writer_formats_objects_as_reportlab_does() -> None:
    from collections import OrderedDict

    from reportlab.pdfbase.pdfdoc import (
        PDFArray,
        PDFDictionary,
        PDFDocument,
        PDFName,
        PDFString,
    )
    from reportlab.pdfbase.pdfdoc import format as pdf_format

    from pamflet.finish.serialise import Formatter

    document = PDFDocument()
    page = document.Reference(PDFDictionary({"Type": PDFName("Page")}))
    shared = PDFDictionary({"Type": PDFName("Shared")})
    shared.__RefOnly__ = 1  # nested, ReportLab writes a reference to it
    nested = PDFDictionary({"Zeta": 1, "Alpha": 2.5, "Mid": PDFName("Sect")})
    values = [0, 1, -3, 0.1, 12.3456789, 1e-7, True, None, b"null", "/Raw", page, nested, shared]
    tried = [
        PDFDictionary({f"K{i:02d}": v for i, v in enumerate(values)}),  # more than 6 entries
        PDFArray([*values, *range(15)]),  # more than 10 items
        PDFArray([PDFArray([page, 1]), PDFDictionary({"Type": PDFName("MCR"), "MCID": 7})]),
        PDFDictionary({"Alt": PDFString("Scan — lever"), "Lang": PDFString("nl-NL")}),
        PDFDictionary(OrderedDict([("Z", 1), ("A", 2)])),  # kept in its own order
        PDFDictionary({"a b#(c)": PDFName("x y"), "Ünï": PDFArray([])}),
        PDFDictionary(),
    ]
    fast = Formatter(document)
    for obj in tried:
        assert fast.top(obj) == pdf_format(obj, document, toplevel=1)
    multiline = PDFDictionary({"A": 1, "B": PDFArray([1, 2])})
    multiline.multiline = "forced"
    assert fast.top(multiline) == pdf_format(multiline, document, toplevel=1)
