"""Read what checking needs from fonts and images, from their headers, without ReportLab."""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MAX_PIXELS = 40_000_000  # larger images are refused: a decompression bomb costs gigabytes


class AssetProblem(Exception):
    """The file is not what it claims to be."""


@dataclass(frozen=True)
class ImageInfo:
    kind: str
    width: int
    height: int


def image_info(data: bytes) -> ImageInfo:
    """Type and pixel size of a PNG or JPEG, after decoding it whole (a cut file is refused)."""
    try:
        return _image_info(data)
    except (struct.error, IndexError):  # a header cut short
        raise AssetProblem("the image is damaged or cut short") from None


def _image_info(data: bytes) -> ImageInfo:
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return _decoded(data, _checked(ImageInfo("png", width, height)))
    if data[:3] == b"\xff\xd8\xff":
        return _decoded(data, _checked(_jpeg_info(data)))
    if data.lstrip()[:5] in (b"<?xml", b"<svg ") or b"<svg" in data[:512]:
        raise AssetProblem("SVG images are not supported yet: export it as PNG")
    raise AssetProblem("not a PNG or JPEG image")


def _decoded(data: bytes, info: ImageInfo) -> ImageInfo:
    """Decode every pixel with Pillow: a damaged image would print blank or break the PDF."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except Exception as exc:  # Pillow raises many kinds for damaged data
        raise AssetProblem(f"the image is damaged or cut short ({exc})") from None
    return info


def _checked(info: ImageInfo) -> ImageInfo:
    if info.width <= 0 or info.height <= 0:
        raise AssetProblem("the image has no pixels")
    if info.width * info.height > MAX_PIXELS:
        raise AssetProblem(
            f"the image is {info.width}x{info.height} pixels, more than "
            f"{MAX_PIXELS // 1_000_000} million: scale it down"
        )
    return info


def _jpeg_info(data: bytes) -> ImageInfo:
    pos = 2
    while pos + 9 < len(data):
        if data[pos] != 0xFF:
            raise AssetProblem("a damaged JPEG file")
        marker = data[pos + 1]
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return ImageInfo("jpeg", width, height)
        pos += 2 + length
    raise AssetProblem("a damaged JPEG file: no image size found")


@lru_cache(maxsize=32)
def font_cmap(path: Path) -> frozenset[int]:
    """The code points a TrueType font has glyphs for (cmap formats 4 and 12)."""
    return frozenset(_font(path)[0])


@dataclass(frozen=True)
class Advances:
    """How wide a font's characters are, to measure a line without ReportLab."""

    widths: dict[int, float]  # code point -> advance, in em

    def width(self, text: str, size: float) -> float:
        return sum(self.widths.get(ord(c), 0.5) for c in text) * size


@lru_cache(maxsize=32)
def font_advances(path: Path) -> Advances:
    glyphs, data = _font(path)
    try:
        tables = _tables(data)
        (units,) = struct.unpack(">H", data[tables[b"head"] + 18 : tables[b"head"] + 20])
        (metrics,) = struct.unpack(">H", data[tables[b"hhea"] + 34 : tables[b"hhea"] + 36])
        at = tables[b"hmtx"]
        advances = struct.unpack(f">{metrics * 2}H", data[at : at + 4 * metrics])[::2]
    except (KeyError, struct.error, IndexError):
        raise AssetProblem("a damaged TrueType font (no widths)") from None
    last = advances[-1] if advances else units
    return Advances(
        {c: (advances[g] if g < len(advances) else last) / units for c, g in glyphs.items()}
    )


def _font(path: Path) -> tuple[dict[int, int], bytes]:
    data = path.read_bytes()
    if data[:4] == b"OTTO":
        raise AssetProblem("OpenType fonts with CFF outlines are not supported: use a TTF file")
    if data[:4] not in (b"\x00\x01\x00\x00", b"true"):
        raise AssetProblem("not a TrueType (.ttf) font")
    try:
        _tables_whole(data)
        return _cmap(data), data
    except (struct.error, IndexError):
        raise AssetProblem("a damaged TrueType font") from None


def _tables_whole(data: bytes) -> None:
    """Every table the font lists lies inside the file: a cut or damaged file is refused."""
    (num_tables,) = struct.unpack(">H", data[4:6])
    for i in range(num_tables):
        tag, _, offset, length = struct.unpack(">4sIII", data[12 + 16 * i : 28 + 16 * i])
        if offset + length > len(data):
            name = tag.decode("latin-1", "replace").strip()
            raise AssetProblem(f"a damaged or cut TrueType font (its '{name}' table is missing)")


def _tables(data: bytes) -> dict[bytes, int]:
    (num_tables,) = struct.unpack(">H", data[4:6])
    tables = {}
    for i in range(num_tables):
        tag, _, offset, _ = struct.unpack(">4sIII", data[12 + 16 * i : 28 + 16 * i])
        tables[tag] = offset
    return tables


def _cmap(data: bytes) -> dict[int, int]:
    tables = _tables(data)
    if b"cmap" not in tables:
        raise AssetProblem("the font has no character map")
    base = tables[b"cmap"]
    (count,) = struct.unpack(">H", data[base + 2 : base + 4])
    subtables = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack(
            ">HHI", data[base + 4 + 8 * i : base + 12 + 8 * i]
        )
        subtables[(platform, encoding)] = base + offset
    for key in ((3, 10), (0, 4), (0, 6), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0)):
        if key in subtables:
            return _subtable(data, subtables[key])
    raise AssetProblem("the font has no Unicode character map")


def _subtable(data: bytes, at: int) -> dict[int, int]:
    (fmt,) = struct.unpack(">H", data[at : at + 2])
    points: dict[int, int] = {}
    if fmt == 12:
        (groups,) = struct.unpack(">I", data[at + 12 : at + 16])
        for g in range(groups):
            start, end, first = struct.unpack(">III", data[at + 16 + 12 * g : at + 28 + 12 * g])
            points.update((code, first + code - start) for code in range(start, end + 1))
        return points
    if fmt != 4:
        raise AssetProblem(f"unsupported character map format {fmt}")
    (seg2,) = struct.unpack(">H", data[at + 6 : at + 8])
    ends = struct.unpack(f">{seg2 // 2}H", data[at + 14 : at + 14 + seg2])
    starts = struct.unpack(f">{seg2 // 2}H", data[at + 16 + seg2 : at + 16 + 2 * seg2])
    deltas = struct.unpack(f">{seg2 // 2}h", data[at + 16 + 2 * seg2 : at + 16 + 3 * seg2])
    range_at = at + 16 + 3 * seg2
    offsets = struct.unpack(f">{seg2 // 2}H", data[range_at : range_at + seg2])
    for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
        for code in range(start, end + 1):
            if code == 0xFFFF:
                continue
            if offsets[i] == 0:
                glyph = (code + deltas[i]) & 0xFFFF
            else:
                pos = range_at + 2 * i + offsets[i] + 2 * (code - start)
                (glyph,) = struct.unpack(">H", data[pos : pos + 2])
                glyph = (glyph + deltas[i]) & 0xFFFF if glyph else 0
            if glyph:
                points[code] = glyph
    return points
