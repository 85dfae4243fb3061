"""Page composition: no heading at the foot of a page; a section's cards start with it."""

from __future__ import annotations

import pytest
from conftest import BASE, run
from pdfread import last_roles, page_of_text, read_page, structure, walk
from pypdf import PdfReader

FILLER = (
    "Vultekst {i} over wat er gebeurt tijdens de behandeling en daarna, zodat de kop steeds op "
    "een andere plek van de pagina terechtkomt als er meer alinea's voor staan."
)


def project_with(project, filler: int, fmt: str, cards: int = 3):
    paragraphs = "\n\n".join(FILLER.format(i=i) for i in range(filler))
    main = (
        "---\ntitle: Hoofdtekst\n---\n"
        f"{paragraphs}\n\n## Nazorg\n\nNa de behandeling rust u uit. " + "Een zin. " * 30 + "\n\n"
        "### Thuis\n\n- Drink genoeg.\n- Bel bij koorts.\n"
    )
    scans = {
        f"content/onderzoeken/scan{i}.md": (
            f"---\ntitle: Scan {i}\nkind: examination\nsummary: Een korte uitleg van scan {i} "
            f"voor op de kaart.\nurl: https://example.org/scan{i}\n---\nTekst.\n"
        )
        for i in range(cards)
    }
    leaflet = (
        BASE["leaflets/test.yaml"]
        .replace(
            "cards: [onderzoeken/scan]",
            f"cards: [{', '.join(f'onderzoeken/scan{i}' for i in range(cards))}]",
        )
        .replace("revised:", f"format: {fmt}\nrevised:")
    )
    files = {"content/main.md": main, "leaflets/test.yaml": leaflet, **scans,
             "content/onderzoeken/scan.md": None}  # fmt: skip
    root = project(files)
    (root / "content/onderzoeken/scan.md").unlink(missing_ok=True)
    return root


@pytest.mark.parametrize(
    "fmt, fillers", [("A4", range(8, 22, 1)), ("A5", range(2, 12, 1)), ("A5-booklet", [3, 6])]
)
def test_no_page_ends_with_a_heading_and_cards_start_with_their_heading(
    project, fmt, fillers
) -> None:
    for filler in fillers:
        root = project_with(project, filler, fmt)
        result = run(root, "build", "--jobs", "1")
        assert result.code == 0, result.output
        reader = PdfReader(root / "build/T-1.pdf")
        roles = last_roles(reader)
        for page, role in enumerate(roles[:-1]):
            assert not (role.startswith("H") and role[1:].isdigit()), (
                f"{fmt}, {filler} paragraphs: page {page + 1} ends with a heading ({role})"
            )
        heading = page_of_text(reader, "Onderzoeken Welke onderzoeken")
        first_card = page_of_text(reader, "Scan 0 Een korte uitleg")
        assert heading == first_card, (
            f"{fmt}, {filler}: heading on {heading}, cards on {first_card}"
        )
        nazorg = page_of_text(reader, "Nazorg Na de behandeling")
        assert nazorg >= 0, f"{fmt}, {filler}: 'Nazorg' is split from its first lines"


def test_a_first_block_named_like_the_leaflet_prints_no_second_title(project) -> None:
    main = "---\ntitle: Testfolder!\n---\nSentinel alpha.\n\n## Nazorg\n\nSentinel bravo.\n"
    scan = BASE["content/onderzoeken/scan.md"].replace("Scan body.", "Zie [de folder](../main.md).")
    leaflet = BASE["leaflets/test.yaml"].replace(
        "    cards: [onderzoeken/scan]\n",
        "    cards: [onderzoeken/scan]\n  - content: onderzoeken/scan\n",
    )
    root = project({"content/main.md": main, "content/onderzoeken/scan.md": scan,
                    "leaflets/test.yaml": leaflet})  # fmt: skip
    assert run(root, "build").code == 0
    reader = PdfReader(root / "build/T-1.pdf")
    text = "".join(p.extract_text() for p in reader.pages)
    assert text.count("Testfolder") == 1
    assert next(o.title for o in reader.outline if not isinstance(o, list)) == "Testfolder!"
    assert "testfolder" in reader.named_destinations
    assert reader.get_destination_page_number(reader.named_destinations["testfolder"]) == 0


def test_no_see_page_to_the_page_it_is_printed_on(project) -> None:
    filler = "\n\n".join(f"Alinea {i} met wat tekst om de bladzijde te vullen." for i in range(70))
    main = (
        "---\ntitle: Hoofdtekst\n---\nLees eerst [de nazorg](#nazorg) en bel dan "
        f"[uw contactpersoon](#uw-contactpersoon).\n\n## Nazorg\n\nSentinel bravo.\n\n{filler}\n"
    )
    root = project({"content/main.md": main})
    assert run(root, "build").code == 0
    reader = PdfReader(root / "build/T-1.pdf")
    first = " ".join(reader.pages[0].extract_text().split())
    assert "de nazorg en bel" in first  # Nazorg is on page 1 itself: no "(zie pagina 1)"
    contact = next(i for i, p in enumerate(reader.pages) if "Uw contactpersoon" in p.extract_text())
    assert contact > 0
    assert f"uw contactpersoon (zie pagina {contact + 1})" in first
    assert not any(name.startswith("_ref") for name in reader.named_destinations)


@pytest.mark.parametrize("fill", range(20, 32))
def test_a_paragraph_ending_in_a_colon_stays_with_what_follows(project, fill: int) -> None:
    filler = "\n\n".join(f"Alinea {i} met wat tekst." for i in range(fill))
    main = (
        f"---\ntitle: Hoofdtekst\n---\n{filler}\n\nUw arts vertelt u er meer over:\n\n"
        "- de eerste zaak om te weten;\n- de tweede zaak;\n- de derde zaak.\n"
    )
    root = project({"content/main.md": main})
    assert run(root, "build").code == 0
    for page in PdfReader(root / "build/T-1.pdf").pages:
        lines = [line for line in page.extract_text().splitlines() if line.strip()]
        body = [
            x for x in lines if not any(w in x for w in ("Pagina", "Herzien", "Testziekenhuis"))
        ]
        if body and "meer over:" in body[-1]:
            raise AssertionError(f"a page ends in the introduction (fill {fill})")


def sections_leaflet(sections: int, subsections: int, toc: str = "") -> dict[str, str]:
    files: dict[str, str] = {}
    items = []
    for s in range(sections):
        subs = "".join(
            f"\n\n## Deel {s}.{k}\n\n" + "Tekst van dit deel. " * 40 for k in range(subsections)
        )
        files[f"content/s{s}.md"] = (
            f"---\ntitle: Sectie {s}\n---\n" + "Inleiding. " * 120 + subs + "\n"
        )
        items.append(f"  - content: s{s}\n")
    files["leaflets/test.yaml"] = (
        f"code: T-1\ntitle: Testfolder\nrevised: 2026-01-01\n{toc}sections:\n" + "".join(items)
    )
    return files


def test_toc_auto_weighs_its_share_of_the_first_page(project) -> None:
    def contents(files: dict[str, str]) -> list[str]:
        root = project(files)
        assert run(root, "build").code == 0
        reader = PdfReader(root / "build/T-1.pdf")
        assert len(reader.pages) >= 4
        pages = [read_page(reader, i) for i in range(len(reader.pages))]
        entries = []
        for node in walk(structure(reader)):
            if node.role == "TOCI":
                marks = [k for n in walk(node) for k in n.kids if isinstance(k, tuple)]
                words = " ".join(pages[p].mcids.get(m, "") for p, m in marks).split()
                entries.append(" ".join(words[:2]))
        return entries

    assert len(contents(sections_leaflet(6, 0))) == 6  # a short list: shown
    assert contents(sections_leaflet(14, 0)) == []  # more than 30% of the page: left out
    assert len(contents(sections_leaflet(14, 0, "toc: always\n"))) == 14  # unless asked for
    entries = contents(sections_leaflet(5, 2))  # 15 entries do not fit; the 5 sections do
    assert len(entries) == 5 and all("Sectie" in e for e in entries)


def booklet(pages_of_text: float, layout: str = "") -> dict[str, str]:
    words = "Tekst van deze folder om te lezen. " * int(pages_of_text * 110)
    files = {
        "content/main.md": f"---\ntitle: Hoofdtekst\n---\n{words}\n",
        "leaflets/test.yaml": BASE["leaflets/test.yaml"].replace(
            "revised:", "format: A5-booklet\nrevised:"
        ),
    }
    if layout:
        files["layouts/default/layout.yaml"] = layout
    return files


def test_booklet_padding_is_said_and_can_be_chosen(project) -> None:
    root = project(booklet(1.2))
    result = run(root, "build")
    assert result.code == 0
    reader = PdfReader(root / "build/T-1.pdf")
    total = len(reader.pages)
    notes = sum("Aantekeningen" in p.extract_text() for p in reader.pages)
    assert total % 4 == 0 and notes == 3
    assert "so 3 pages fill its last sheet: 3 notes pages" in result.stdout  # booklet-padding
    root = project(booklet(1.2, "notes_pages: none\n"))
    assert run(root, "build").code == 0
    reader = PdfReader(root / "build/T-1.pdf")
    assert not any("Aantekeningen" in p.extract_text() for p in reader.pages)
    printed = PdfReader(root / "build/T-1-print.pdf")
    assert len(printed.pages) * 2 == 4 * -(-len(reader.pages) // 4)
    outer = printed.pages[0].extract_text()  # the back cover stands beside the cover
    assert "Uw contactpersoon" in outer and "Testfolder" in outer
    root = project(booklet(1.2, "max_notes_pages: 1\n"))
    result = run(root, "build")
    assert "1 notes page and 2 blank pages in the print file" in result.stdout
    reader = PdfReader(root / "build/T-1.pdf")
    assert sum("Aantekeningen" in p.extract_text() for p in reader.pages) == 1


def test_booklet_titles_break_in_balanced_lines_and_the_header_clears_the_edge(project) -> None:
    files = booklet(0.5)
    files["leaflets/test.yaml"] = files["leaflets/test.yaml"].replace(
        "subtitle: Alles over testen",
        "subtitle: Leverresectie bij uitzaaiingen van een tumor in de lever",
    )
    root = project(files)
    assert run(root, "build").code == 0
    reader = PdfReader(root / "build/T-1.pdf")
    lines = [x for x in reader.pages[0].extract_text().splitlines() if x.strip()]
    start = next(i for i, x in enumerate(lines) if x.startswith("Leverresectie"))
    first, second = lines[start], lines[start + 1]
    assert "lever" in second and abs(len(first) - len(second)) <= 12, (first, second)
    tops: list[float] = []

    def visit(text, cm, tm, font, size) -> None:
        if "Testziekenhuis" in text:
            tops.append(tm[5] + cm[5] + size * 0.72)

    reader.pages[1].extract_text(visitor_text=visit)
    height = float(reader.pages[1].mediabox.height)
    assert tops and height - max(tops) >= 10 * 72 / 25.4 - 0.5  # 10 mm from the edge
