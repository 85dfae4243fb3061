"""Tables that fit: columns as wide as their content needs; numbers stay with their units."""

from __future__ import annotations

import itertools

import pytest
from conftest import build, pdf
from pypdf import PdfReader

from pamflet.render.primitives import NBSP, keep_together

TIMETABLE = """---
title: Your timetable
---
| When | What to do |
|---|---|
| Day before, 9 am | Stop eating solid food. Drink clear fluids only: water, clear soup, tea without milk, squash that is not red or purple, and clear fruit juice without bits. |
| 5 pm | Drink the first litre of the bowel preparation over 1 hour, a glass every 15 minutes. Keep drinking clear fluids after it: at least another litre before you go to bed. |
| from now on | Stay near a toilet. Take loperamide only if your doctor says so: 10 mg at most. Call the unit if you feel dizzy or faint, or cannot keep the fluids down. |
"""


@pytest.mark.parametrize("fmt", ["A5-booklet", "A5", "A4"])
def test_a_short_column_keeps_its_cells_on_one_line(project, fmt) -> None:
    leaflet = (
        f"code: T-1\ntitle: Bowel preparation\nformat: {fmt}\nlanguage: en\nrevised: 2026-01-01\n"
        "sections:\n  - content: prep\n"
    )
    root = project({"leaflets/test.yaml": leaflet, "content/prep.md": TIMETABLE,
                    "content/main.md": None})  # fmt: skip
    result = build(root)
    assert result.code == 0, result.output
    lines = [
        line.strip().replace(NBSP, " ")
        for page in pdf(root / "build/T-1.pdf").pages
        for line in page.extract_text().split("\n")
    ]
    for cell in ("Day before, 9 am", "5 pm", "from now on"):
        assert any(line.startswith(cell) for line in lines), f"{cell!r} is broken in {fmt}"
    assert not any(line.endswith((" 9", " 10", " 15")) for line in lines), "a number left its unit"


@pytest.mark.parametrize(
    "text",
    ["9 am", "5 p.m.", "10 mg", "2 tablets", "3 days", "4 weeks", "1 litre", "37 °C", "50 %",
     "3 uur", "10 minuten", "2 dagen", "4 weken", "5 ml", "2 keer"],
)  # fmt: skip
def test_number_and_unit_never_split(text) -> None:
    assert keep_together(f"neem {text} en") == f"neem {text.replace(' ', NBSP, 1)} en"


def test_words_that_start_like_a_unit_may_split() -> None:
    assert keep_together("9 amandelen en 5 minder") == "9 amandelen en 5 minder"


DOSES = [  # as authors type them: wrapped source lines, other spaces, fractions, ranges
    ("Neem 0.5\nmg per dag.", "0.5 mg"),
    ("Neem 0,5\u202fmg per dag.", "0,5 mg"),
    ("Een waarde ≥\n5 mmol is hoog.", "≥ 5 mmol"),
    ("Neem 2½ mg per dag.", "2½ mg"),
    ("Open van 8.30 tot\n16.30 uur.", "8.30 tot 16.30 uur"),
    ("Neem 1 - 2\ntabletten.", "1 - 2 tabletten"),
    ("Drink 5\u2007ml.", "5 ml"),
    ("Take 10\tdays off.", "10 days"),
    ("From 9\nto 5 pm.", "9 to 5 pm"),
]


@pytest.mark.parametrize(("source", "together"), DOSES)
def test_a_dose_split_over_source_lines_stays_together(project, source, together) -> None:
    """The paragraph is printed at every offset, so that the dose lands on a line end."""
    from conftest import build

    paragraphs = "\n\n".join("x" * k + " " + source for k in range(40, 110, 3))
    root = project({"content/main.md": f"---\ntitle: Hoofdtekst\n---\n{paragraphs}\n"})
    assert build(root).code == 0
    words = together.split()
    text = "".join(p.extract_text() for p in PdfReader(root / "build/T-1.pdf").pages)
    lines = [line.strip() for line in text.replace("\u00a0", " ").splitlines()]
    assert sum(together in line for line in lines) >= 20  # printed, on one line each time
    for line, after in itertools.pairwise(lines):
        for cut in range(1, len(words)):
            head, tail = " ".join(words[:cut]), " ".join(words[cut:])
            assert not (line.endswith(head) and after.startswith(tail)), (line, after)
