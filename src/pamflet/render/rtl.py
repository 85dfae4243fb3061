"""Right-to-left text: the Unicode bidi algorithm for ReportLab, and what a page mirrors.

ReportLab breaks an RTL paragraph into lines in logical order and asks `rlbidi.log2vis` for
each line's visual order (`pamflet/__init__.py` installs the stand-in). `log2vis` runs
python-bidi's reference implementation of UAX #9 step by step, so that it can also say where
each visual character came from (`positions_V_to_L`), which ReportLab needs to keep a word's
formatting with it.
"""

from __future__ import annotations

import re

from pamflet.load.rules import RIGHT_TO_LEFT_SCRIPT
from pamflet.model import RIGHT_TO_LEFT

STRONG_RTL = RIGHT_TO_LEFT_SCRIPT
RTL_RUN = re.compile(STRONG_RTL.pattern + "+(?:[ \u00a0]+" + STRONG_RTL.pattern + "+)*")
MIRROR = {"(": ")", ")": "(", "[": "]", "]": "[", "{": "}", "}": "{", "<": ">", ">": "<",
          "«": "»", "»": "«", "‹": "›", "›": "‹"}  # fmt: skip


def log2vis(
    text: str, base_direction: str | None = "RTL", clean: bool = True,
    positions_V_to_L: list[int] | None = None, levels: list[int] | None = None, **_: object,
) -> str:  # fmt: skip
    """`text` in visual order, with `base_direction` 'RTL' or 'LTR' (else found from the text);
    `positions_V_to_L` and `levels` are filled with each visual character's logical index and
    embedding level (odd: right to left)."""
    from bidi import algorithm as uax9

    storage = uax9.get_empty_storage()
    level = {"RTL": 1, "LTR": 0}.get((base_direction or "").upper())
    if level is None:
        level = uax9.get_base_level(text, False)
    storage["base_level"], storage["base_dir"] = level, ("L", "R")[level]
    uax9.get_embedding_levels(text, storage, False, False)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    uax9.explicit_embed_and_overrides(storage, False)
    uax9.resolve_weak_types(storage, False)
    uax9.resolve_neutral_types(storage, False)
    uax9.resolve_implicit_levels(storage, False)
    uax9.reorder_resolved_levels(storage, False)
    uax9.apply_mirroring(storage, False)
    chars = storage["chars"]
    if positions_V_to_L is not None:
        positions_V_to_L[:] = [char["index"] for char in chars]
    if levels is not None:
        levels[:] = [char["level"] for char in chars]
    return "".join(char["ch"] for char in chars)


def is_rtl(language: str) -> bool:
    return language in RIGHT_TO_LEFT
