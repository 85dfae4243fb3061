"""The fonts pamflet ships: the house font when a layout names none, and one for Arabic."""

from __future__ import annotations

from pathlib import Path

FONT_DIR = Path(__file__).parent.parent / "fonts"
BUNDLED_FONTS = {
    "regular": FONT_DIR / "LiberationSans-Regular.ttf",
    "bold": FONT_DIR / "LiberationSans-Bold.ttf",
    "italic": FONT_DIR / "LiberationSans-Italic.ttf",
    "bold_italic": FONT_DIR / "LiberationSans-BoldItalic.ttf",
}
# Arabic: DejaVu Sans has Arabic and Latin in one face (Liberation Sans has no Arabic); Arabic
# is not set in italics, so the italic faces are the upright ones.
RIGHT_TO_LEFT_FONTS = {
    "regular": FONT_DIR / "DejaVuSans.ttf",
    "bold": FONT_DIR / "DejaVuSans-Bold.ttf",
    "italic": FONT_DIR / "DejaVuSans.ttf",
    "bold_italic": FONT_DIR / "DejaVuSans-Bold.ttf",
}
FALLBACK = {"bold": "regular", "italic": "regular", "bold_italic": "bold"}
ARABIC_ALEF = 0x0627  # a house font with this letter is taken to have Arabic
