"""The PDF as a digital document: navigation that lands, tagged PDF/UA-1, words that read back.

Every PDF is read by several readers (qpdf, pypdf strict, pdfium, Ghostscript, poppler, the
PyPI `pdfua` checker) and its structure tree walked as a screen reader would.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import BASE, build, check, pdf
from pdfread import Node, page_text, read_page, structure, tree_text, walk
from pypdf import PdfReader

REQUIRE = bool(os.environ.get("PAMFLET_REQUIRE_TOOLS") or os.environ.get("PAMFLET_REQUIRE_QPDF"))
LONG_NL = "alvleesklierkanker"
LONG_EN = "gastroenterologist"

FILLER = "Dit is een gewone zin die de pagina vult met tekst voor de test. " * 12
FILLER_EN = "This is an ordinary sentence that fills the page with text for the test. " * 12


def tool(name: str) -> str | None:
    path = shutil.which(name)
    if path is None and REQUIRE:
        raise AssertionError(f"{name} is required in CI but not installed")
    return path


def later_targets(fmt: str, language: str = "nl") -> dict[str, str]:
    """A leaflet whose jump targets sit pages after their links, with a table of contents."""
    filler = FILLER if language == "nl" else FILLER_EN
    body = "\n\n".join(filler for _ in range(6))
    word = LONG_NL if language == "nl" else LONG_EN
    return {
        "pamflet.yaml": f"organisation: Testziekenhuis\nlanguage: {language}\n",
        "leaflets/test.yaml": (
            "code: T-1\ntitle: Testfolder\nrevised: 2026-01-01\n"
            f"format: {fmt}\ntoc: true\n"
            "sections:\n  - content: main\n  - content: later\n"
            "  - title: Onderzoeken\n    cards: [onderzoeken/scan]\n"
            "  - contact: contacten/nurse\n"
        ),
        "content/main.md": (
            "---\ntitle: Hoofdtekst\n---\n"
            "Zie [de nazorg](later.md#nazorg-thuis), [de scan](onderzoeken/scan.md) en "
            "[uw contactpersoon](contacten/nurse.md).\n\n"
            + "\n\n".join(
                f"Zin {'een' * (i % 5)} over {word} en nog meer {word} tekst." for i in range(30)
            )
            + "\n\n| Dag | Tijd |\n|---|---|\n| maandag | 9 uur |\n| dinsdag | 10 uur |\n\n"
            "- eerste punt\n- tweede punt\n"
        ),
        "content/later.md": f"---\ntitle: Later\n---\n{body}\n\n## Nazorg thuis\n\nSentinel after.\n",
        "content/onderzoeken/scan.md": BASE["content/onderzoeken/scan.md"],
        "content/contacten/nurse.md": BASE["content/contacten/nurse.md"],
        "layouts/default/layout.yaml": "qr: cards\n",  # QR codes as figures on the cards too
    }


def page_with_line(reader: PdfReader, text: str) -> int:
    """The 0-based page on which the heading that reads `text` is printed."""
    pages = [read_page(reader, i) for i in range(len(reader.pages))]
    for node in walk(structure(reader)):
        if node.role in {f"H{i}" for i in range(1, 7)}:
            marks = [k for k in node.kids if isinstance(k, tuple)]
            if marks and pages[marks[0][0]].mcids.get(marks[0][1], "").strip() == text:
                return marks[0][0]
    raise AssertionError(f"no heading reads {text!r}")


def flat_outline(items: list) -> list:
    return [x for item in items for x in (flat_outline(item) if isinstance(item, list) else [item])]


@pytest.mark.parametrize("fmt", ["A4", "A5", "A5-booklet"])
def test_bookmarks_and_jumps_land_on_their_heading(project, fmt: str) -> None:
    root = project(later_targets(fmt))
    assert build(root).code == 0
    reader = pdf(root / "build" / "T-1.pdf")
    landed = 0
    for item in flat_outline(reader.outline):
        assert reader.get_destination_page_number(item) == page_with_line(reader, item.title)
        landed += 1
    assert landed >= 4
    jumps = []
    numbers = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    for index, page in enumerate(reader.pages):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            dest = annot.get("/Dest")
            if dest is not None:
                jumps.append((index, numbers[dest[0].idnum], annot["/Contents"]))
    by_title = {str(c).split(" (")[0]: p for _i, p, c in jumps}
    assert by_title["de nazorg"] == page_with_line(reader, "Nazorg thuis")
    assert by_title["Nazorg thuis"] == page_with_line(reader, "Nazorg thuis")
    assert by_title["de scan"] == page_with_line(reader, "Scan")
    assert by_title["uw contactpersoon"] == page_with_line(reader, "Uw contactpersoon")
    assert any(target > source + 1 for source, target, _c in jumps), "no target on a later page"


def test_imposed_print_file_has_no_dangling_links(project) -> None:
    root = project(later_targets("A5-booklet"))
    assert build(root).code == 0
    reader = pdf(root / "build" / "T-1-print.pdf")
    tree = {p.indirect_reference.idnum for p in reader.pages}
    for page in reader.pages:
        for ref in page.get("/Annots") or []:
            dest = ref.get_object().get("/Dest")
            assert dest is None or dest[0].idnum in tree
    ghostscript_reads_cleanly(root / "build" / "T-1-print.pdf")


def ghostscript_reads_cleanly(path: Path) -> None:
    """Ghostscript says 'repaired' only without -q: read its whole output."""
    gs = tool("gs")
    if gs:
        done = subprocess.run(
            [gs, "-o", os.devnull, "-sDEVICE=nullpage", "-dPDFSTOPONERROR", str(path)],
            capture_output=True, text=True,
        )  # fmt: skip
        output = done.stdout + done.stderr
        assert done.returncode == 0, output
        for word in ("error", "repair", "warning", "circular"):
            assert word not in output.lower(), f"Ghostscript on {path.name}:\n{output}"


def tagged(path: Path) -> tuple[PdfReader, Node]:
    reader = pdf(path)
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert reader.pdf_header == "%PDF-1.7"
    return reader, structure(reader)


@pytest.mark.parametrize(("fmt", "language"), [("A4", "nl"), ("A5-booklet", "nl"), ("A4", "en")])
def test_structure_tree_reads_like_the_page(project, fmt: str, language: str) -> None:
    root = project(later_targets(fmt, language))
    assert build(root).code == 0
    reader, tree = tagged(root / "build" / "T-1.pdf")
    assert tree.kids and tree.kids[0].role == "Document"
    for index in range(len(reader.pages)):
        content = read_page(reader, index)
        assert content.unbalanced == 0, f"page {index + 1}: marked content left open"
        assert content.untagged == "", f"page {index + 1}: untagged text {content.untagged!r}"
        back = fmt == "A5-booklet" and index == len(reader.pages) - 1  # the back: no header
        assert back or "Testziekenhuis" in content.artifact  # the header is an artifact
    assert tree_text(reader, tree) == page_text(reader)
    assert "Testziekenhuis" not in tree_text(reader, tree)
    roles = [n.role for n in walk(tree)]
    for role in ("H1", "H2", "P", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "Link",
                 "Figure", "TOC", "TOCI", "Div"):  # fmt: skip
        assert role in roles, role


def test_parent_tree_and_annotations(project) -> None:
    root = project(later_targets("A4"))
    assert build(root).code == 0
    reader, tree = tagged(root / "build" / "T-1.pdf")
    nums = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    owners = {}
    for node in walk(tree):
        for kid in node.kids:
            if isinstance(kid, tuple):
                owners[kid] = node.obj
            elif isinstance(kid, dict):
                assert node.role == "Link"
                owners[("annot", kid.raw_get("/Obj").idnum)] = node.obj
    for index, page in enumerate(reader.pages):
        assert page["/Tabs"] == "/S"
        content = read_page(reader, index)
        listed = parents[int(page["/StructParents"])]
        for mcid in content.order:  # every MCID drawn is in the tree, owned by its element
            assert listed[mcid].get_object() == owners[(index, mcid)]
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            assert str(annot["/Contents"]).strip(), "a link without a description"
            assert ("annot", ref.idnum) in owners, "a link annotation missing from the tree"
            assert parents[int(annot["/StructParent"])].get_object() == owners[("annot", ref.idnum)]


def test_figures_have_alt_and_headings_do_not_skip(project, tmp_path: Path) -> None:
    from conftest import ROOT

    files = later_targets("A4")
    files["content/img/dot.png"] = (ROOT / "layouts/default/logo.png").read_bytes()
    files["content/main.md"] += "\n![Een rode stip](img/dot.png)\n"
    root = project(files)
    assert build(root).code == 0
    _reader, tree = tagged(root / "build" / "T-1.pdf")
    figures = [n for n in walk(tree) if n.role == "Figure"]
    alts = [str(n.obj.get("/Alt", "")) for n in figures]
    assert all(alts), "a figure without alternative text"
    assert "Een rode stip" in alts
    assert "QR-code: https://example.org/scan" in alts
    levels = [int(n.role[1]) for n in walk(tree) if n.role in {f"H{i}" for i in range(1, 7)}]
    assert levels[0] == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"heading level skipped: H{before} then H{after}"
    headers = [n for n in walk(tree) if n.role == "TH"]
    scopes = {str(n.obj["/A"]["/Scope"]) for n in headers}
    assert headers and scopes == {"/Column", "/Row"}  # a Markdown table's, the contact's labels
    for table in (n for n in walk(tree) if n.role == "Table"):  # every row of a table alike
        rows = [n for n in walk(table) if n.role == "TR"]
        assert rows and len({len(r.kids) for r in rows}) == 1


def test_metadata_claims_pdf_ua(project) -> None:
    root = project(later_targets("A4", "en"))
    assert build(root).code == 0
    reader = pdf(root / "build" / "T-1.pdf")
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
    assert "Testfolder</rdf:li>" in xmp and "<rdf:li>en</rdf:li>" in xmp


@pytest.mark.parametrize(("language", "word"), [("nl", LONG_NL), ("en", LONG_EN)])
def test_hyphenated_words_read_back_whole(project, language: str, word: str) -> None:
    root = project(
        {**later_targets("A5", language), "layouts/default/layout.yaml": "hyphenate: true\n"}
    )
    assert build(root).code == 0
    path = root / "build" / "T-1.pdf"
    reader = pdf(path)
    drawn = "".join("".join(read_page(reader, i).mcids.values()) for i in range(len(reader.pages)))
    count = drawn.count(word)
    assert count == 60, "ActualText did not give every whole word"  # 30 sentences, 2 each
    raw = []
    for index in range(len(reader.pages)):
        for operands, operator in (
            __import__("pypdf")
            .generic.ContentStream(reader.pages[index].get_contents(), reader)
            .operations
        ):
            if operator == b"BDC" and "/ActualText" in operands[1]:
                raw.append(str(operands[1]["/ActualText"]))
    assert word in raw, "no word was hyphenated: the test does not test anything"
    pdftotext = tool("pdftotext")
    if pdftotext:
        for mode in (["-raw"], []):
            text = subprocess.run(
                [pdftotext, *mode, str(path), "-"], capture_output=True, text=True
            )
            assert text.stderr == ""
            assert text.stdout.count(word) >= count
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert text.count(word) >= count
    document.close()


def test_author_hyphen_at_line_end_stays_a_hyphen(project) -> None:
    words = " ".join(["Bespreek de voor- en nadelen met uw arts."] * 40)
    root = project({"content/main.md": f"---\ntitle: Hoofdtekst\n---\n{words}\n"})
    assert build(root).code == 0
    reader = pdf(root / "build" / "T-1.pdf")
    drawn = " ".join(read_page(reader, 0).mcids.values())
    assert drawn.count("voor-") == 40 and "vooren" not in drawn


def test_links_are_underlined_and_can_be_turned_off_with_a_warning(project) -> None:
    root = project()
    assert build(root).code == 0
    stream = pdf(root / "build" / "T-1.pdf").pages[0].get_contents().get_data()
    underlined = stream.count(b" l S")  # ReportLab draws each underline as a line
    root = project({"layouts/default/layout.yaml": "underline_links: false\n"})
    result = check(root)
    result.has("layouts/default/layout.yaml", 1, "not underlined", "warning")
    assert build(root).code == 0
    plain = pdf(root / "build" / "T-1.pdf").pages[0].get_contents().get_data()
    assert underlined > plain.count(b" l S")


def readers_agree(path: Path, tagged_pdf: bool) -> None:
    """qpdf, pypdf strict, pdfium, Ghostscript, poppler and pdfua: no warning, no repair."""
    pdf(path)
    qpdf = tool("qpdf")
    if qpdf:
        done = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
        assert done.returncode == 0 and "WARNING" not in done.stdout + done.stderr
    ghostscript_reads_cleanly(path)
    pdftotext = tool("pdftotext")
    if pdftotext:
        done = subprocess.run([pdftotext, str(path), os.devnull], capture_output=True, text=True)
        assert done.returncode == 0 and done.stderr == ""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    for page in document:
        page.render(scale=0.2)
        page.get_textpage().get_text_range()
    document.close()
    if tagged_pdf:
        from pdfua.cli import main as pdfua_main

        assert pdfua_main(["check", str(path)]) == 0, f"pdfua reports findings on {path.name}"


def test_every_example_pdf_passes_every_reader(example) -> None:
    assert build(example).code == 0
    paths = sorted((example / "build").glob("*.pdf"))
    assert len(paths) == 6  # RAD-027 in Dutch, Turkish and Arabic, CHI-114 with its print file
    for path in paths:
        readers_agree(path, tagged_pdf=not path.name.endswith("-print.pdf"))
        if not path.name.endswith("-print.pdf"):
            reader, tree = tagged(path)
            if ".ar." in path.name:  # the tree reads in logical order, mirrored columns differ
                assert sorted(tree_text(reader, tree).split()) == sorted(page_text(reader).split())
            else:
                assert tree_text(reader, tree) == page_text(reader)


def test_print_marks_keep_the_page_tagged(example) -> None:
    assert build(example, "--print-marks").code == 0
    path = example / "build" / "RAD-027.pdf"
    readers_agree(path, tagged_pdf=True)
    reader, tree = tagged(path)
    for index in range(len(reader.pages)):
        content = read_page(reader, index)
        assert content.unbalanced == 0 and content.untagged == ""
    assert tree_text(reader, tree) == page_text(reader)


PAINT = {
    b"Tj",
    b"TJ",
    b"'",
    b'"',
    b"Do",
    b"f",
    b"F",
    b"f*",
    b"S",
    b"s",
    b"B",
    b"B*",
    b"b",
    b"b*",
    b"sh",
    b"BI",
}


def empty_sequences(path: Path) -> list[tuple[int, str, int]]:
    """Marked-content sequences with an MCID that draw nothing: (page, tag, MCID)."""
    from pypdf.generic import ContentStream

    reader = pdf(path)
    empty = []
    for number, page in enumerate(reader.pages, start=1):
        stack: list[list] = []
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op in (b"BDC", b"BMC"):
                props = operands[1] if op == b"BDC" and len(operands) > 1 else None
                mcid = props.get("/MCID") if hasattr(props, "get") else None
                stack.append([str(operands[0]), mcid, False])
            elif op == b"EMC" and stack:
                tag, mcid, painted = stack.pop()
                if mcid is not None and not painted:
                    empty.append((number, tag, int(mcid)))
                if painted and stack:
                    stack[-1][2] = True
            elif op in PAINT and not (op in (b"Tj", b"'", b'"') and operands and not operands[-1]):
                for entry in stack:
                    entry[2] = True
    return empty


def test_no_marked_content_paints_nothing(project, example) -> None:
    assert build(example).code == 0
    root = project(later_targets("A5"))
    assert build(root).code == 0
    for path in [*sorted((example / "build").glob("*.pdf")), root / "build/T-1.pdf"]:
        if not path.name.endswith("-print.pdf"):
            assert empty_sequences(path) == [], path.name
