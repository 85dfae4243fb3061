"""Page composition: no heading at the foot of a page; a section's cards start with it."""

from __future__ import annotations

import pytest
from conftest import BASE, run
from pdfread import last_roles, page_of_text
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
