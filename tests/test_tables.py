"""Tables that fit: columns as wide as their content needs; numbers stay with their units."""

from __future__ import annotations

import pytest
from conftest import build, pdf

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
