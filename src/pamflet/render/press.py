"""Colour for a CMYK press: the house colours and pictures separated with pamflet's FOGRA39
profile (src/pamflet/icc/README.md says where it comes from and its licence), the profile a
PDF/X-4 print file names as its output intent.

Greys and black never go through the profile: they print on the K plate alone, and text black
is solid 100% K, as a printer expects (a profile would build black from four inks and print
small text as a blurred dot screen). Pictures lose any transparency here, flattened on white,
so nothing in a print file asks the RIP to blend.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import Any

PROFILE = Path(__file__).resolve().parent.parent / "icc" / "pamflet-fogra39.icc"
CONDITION = "FOGRA39"  # the registered characterisation the profile was made from
CONDITION_TEXT = "Offset printing on coated paper (ISO 12647-2:2004/Amd 1, FOGRA39)"
REGISTRY = "http://www.color.org"


@lru_cache(maxsize=1)
def _transform() -> Any:
    from PIL import ImageCms

    return ImageCms.buildTransform(
        ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(str(PROFILE)), "RGB", "CMYK",
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
        flags=ImageCms.Flags.BLACKPOINTCOMPENSATION,
    )  # fmt: skip


def separate(red: float, green: float, blue: float) -> tuple[float, float, float, float]:
    """An sRGB colour (0-1 each) as the press prints it: C, M, Y, K from 0 to 1."""
    from PIL import Image, ImageCms

    pixel = Image.new("RGB", (1, 1), tuple(round(v * 255) for v in (red, green, blue)))
    inks = ImageCms.applyTransform(pixel, _transform()).getpixel((0, 0))
    return tuple(round(v / 255, 4) for v in inks)  # type: ignore[return-value]


@lru_cache(maxsize=32)
def press_image(path: str) -> bytes:
    """A picture as a lossless CMYK TIFF for the press: transparency flattened on white, RGB
    and grey separated with the profile (a CMYK picture is kept as it is)."""
    from PIL import Image, ImageCms

    with Image.open(path) as source:
        source.load()
        picture = source
        if picture.mode == "P" or "transparency" in picture.info:
            picture = picture.convert("RGBA")
        if picture.mode in ("RGBA", "LA", "PA"):
            white = Image.new("RGBA", picture.size, (255, 255, 255, 255))
            picture = Image.alpha_composite(white, picture.convert("RGBA"))
        if picture.mode != "CMYK":
            picture = ImageCms.applyTransform(picture.convert("RGB"), _transform())
        out = io.BytesIO()
        picture.save(out, "TIFF", compression="tiff_adobe_deflate")
    return out.getvalue()


def picture(path: str, cmyk: bool) -> str | io.BytesIO:
    """What ReportLab draws for the picture at `path`: the file itself, or its press copy."""
    return io.BytesIO(press_image(path)) if cmyk else path
