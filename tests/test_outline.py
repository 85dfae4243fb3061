"""One outline everywhere: the title is the only H1, each section H2, a block's own headings
below its section; structure tags, bookmarks, type sizes and the table of contents agree."""

from __future__ import annotations

import itertools

import pytest
from conftest import BASE, build, pdf
from pdfread import read_page, structure, walk

TWIN = (
    "---\ntitle: Testfolder\nkind: condition\n---\n"  # named as the leaflet: it is the title
    "Sentinel alpha.\n\n## Oorzaken\n\nSentinel bravo.\n\n### Erfelijkheid\n\nSentinel charlie.\n"
)
DEEP = (  # a body that starts at level 1: its headings still nest below the block's title
    "---\ntitle: Behandeling\n---\nTekst.\n\n# Opereren\n\nTekst.\n\n## Na de operatie\n\nTekst.\n"
)
LEAFLET = (
    "code: T-1\ntitle: Testfolder\nrevised: 2026-01-01\ntoc: always\n{extra}sections:\n"
    "  - content: main\n"
    "  - content: behandeling\n"
    "  - title: Onderzoeken\n    text: Welke onderzoeken u krijgt.\n    cards: [onderzoeken/scan]\n"
    "  - contact: contacten/nurse\n"
)


def headings(reader) -> list[tuple[str, str]]:
    """(role, text) of every heading element in the structure tree, in order."""
    pages = [read_page(reader, i) for i in range(len(reader.pages))]
    out = []
    for node in walk(structure(reader)):
        if node.role[:1] == "H" and node.role[1:].isdigit():
            text = "".join(
                pages[p].mcids.get(m, "") for p, m in (k for k in node.kids if isinstance(k, tuple))
            )
            out.append((node.role, " ".join(text.split())))
    return out


def sizes(reader) -> dict[str, float]:
    """The largest font size each line of text is drawn at (a heading's, not its entry in the
    contents)."""
    found: dict[str, float] = {}

    def visit(text, cm, tm, font, size) -> None:
        line = " ".join(text.split())
        if line:
            found[line] = max(found.get(line, 0.0), round(size * tm[3] * cm[3], 1))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return found


def bookmarks(items, depth: int = 0) -> list[tuple[int, str]]:
    out = []
    for item in items:
        if isinstance(item, list):
            out += bookmarks(item, depth + 1)
        else:
            out.append((depth, item.title))
    return out


@pytest.mark.parametrize("fmt", ["A4", "A5-booklet"])
def test_the_title_is_the_only_h1_and_sections_are_h2(project, fmt: str) -> None:
    extra = f"format: {fmt}\n"
    root = project({
        "content/main.md": TWIN, "content/behandeling.md": DEEP,
        "leaflets/test.yaml": LEAFLET.format(extra=extra),
    })  # fmt: skip
    assert build(root).code == 0
    reader = pdf(root / "build/T-1.pdf")
    found = headings(reader)
    roles = dict((text, role) for role, text in found)
    assert [r for r, _ in found].count("H1") == 1 and roles["Testfolder"] == "H1"
    for section in ("Oorzaken", "Behandeling", "Onderzoeken", "Uw contactpersoon", "Inhoud"):
        assert roles[section] == "H2", section
    assert roles["Erfelijkheid"] == "H3"  # the twin's own headings are sections and below
    assert roles["Opereren"] == "H3" and roles["Na de operatie"] == "H4"
    assert roles["Scan"] == "H3"  # a card's title, below its section
    if fmt == "A5-booklet":
        assert roles.get("Aantekeningen") in (None, "H2")
    levels = [int(r[1]) for r, _ in found]
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels

    marks = bookmarks(reader.outline)
    assert marks[0] == (0, "Testfolder")
    assert all(depth >= 1 for depth, _ in marks[1:])  # everything hangs below the title
    level_of = {title: depth for depth, title in marks}
    assert level_of["Oorzaken"] == level_of["Behandeling"] == level_of["Onderzoeken"] == 1
    assert level_of["Uw contactpersoon"] == 1
    assert level_of["Erfelijkheid"] == level_of["Opereren"] == 2
    assert level_of["Na de operatie"] == 3

    size = sizes(reader)
    section = {size[t] for t in ("Oorzaken", "Behandeling", "Onderzoeken")}
    assert len(section) == 1, size  # siblings look alike
    assert size["Testfolder"] > section.pop() > size["Erfelijkheid"] >= size["Na de operatie"]


def test_the_contents_are_indented_by_level(project) -> None:
    root = project({
        "content/main.md": BASE["content/main.md"], "content/behandeling.md": DEEP,
        "leaflets/test.yaml": LEAFLET.format(extra=""),
    })  # fmt: skip
    assert build(root).code == 0
    reader = pdf(root / "build/T-1.pdf")
    x: dict[str, float] = {}

    def visit(text, cm, tm, font, size) -> None:
        x.setdefault(" ".join(text.split()), tm[4] + cm[4])

    reader.pages[0].extract_text(visitor_text=visit)
    assert x["Nazorg"] > x["Hoofdtekst"] + 5  # H3 under its H2
    assert x["Opereren"] > x["Behandeling"] + 5
    assert x["Onderzoeken"] == pytest.approx(x["Hoofdtekst"], abs=0.5)


def test_links_say_what_they_are_and_the_logo_says_what_it_shows(project) -> None:
    from conftest import ROOT

    root = project({
        "layouts/default/layout.yaml": "logo: logo.png\nlogo_alt: Oncologie netwerk Oost\n",
        "layouts/default/logo.png": (ROOT / "layouts/default/logo.png").read_bytes(),
    })  # fmt: skip
    assert build(root).code == 0
    reader = pdf(root / "build/T-1.pdf")
    described = {
        str(a.get_object().get("/Contents"))
        for page in reader.pages for a in page.get("/Annots") or []
    }  # fmt: skip
    assert "Meer informatie over Scan, example.org/scan" in described
    figures = [n for n in walk(structure(reader)) if n.role == "Figure"]
    assert "Oncologie netwerk Oost" in [str(n.obj.get("/Alt")) for n in figures]


def test_the_contact_details_are_a_table_with_row_headers(project) -> None:
    root = project()
    assert build(root).code == 0
    reader = pdf(root / "build/T-1.pdf")
    pages = [read_page(reader, i) for i in range(len(reader.pages))]
    tables = [n for n in walk(structure(reader)) if n.role == "Table"]
    rows = [[k for k in tr.kids if not isinstance(k, tuple)] for t in tables for tr in t.kids]
    heads = []
    for row in rows:
        assert [c.role for c in row] == ["TH", "TD"]
        assert str(row[0].obj["/A"]["/Scope"]) == "/Row"
        heads.append("".join(pages[p].mcids.get(m, "") for p, m in row[0].kids).strip())
    assert heads == ["Telefoon", "E-mail", "Bereikbaar"]
