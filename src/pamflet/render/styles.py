"""House style to ReportLab: registered fonts, paragraph styles, colours, page geometry."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from pamflet import model as m
from pamflet.load.assets import font_cmap
from pamflet.model import RIGHT_TO_LEFT
from pamflet.render.tagging import zero_width_markers
from pamflet.resolve.fonts import ARABIC_ALEF, RIGHT_TO_LEFT_FONTS
from pamflet.resolve.geometry import frame_size, page_size

HYPHENATION = {  # pyphen's dictionaries; none for Turkish (and Arabic): no hyphenation there
    "nl": "nl_NL", "en": "en_GB", "de": "de_DE", "fr": "fr", "pl": "pl_PL", "uk": "uk_UA",
}  # fmt: skip


MIN_FRAGMENT = 4  # letters on either side of a hyphen: no 'be-' or '-en' alone


@lru_cache(maxsize=8)
def hyphenator(lang: str) -> object:
    """ReportLab's hyphenation callable for `lang` ('' for none): pyphen's, leaving at least
    MIN_FRAGMENT letters on either side (pyphen's own default is 2)."""
    if not lang:
        return ""
    import pyphen

    return pyphen.Pyphen(lang=lang, left=MIN_FRAGMENT, right=MIN_FRAGMENT).iterate


def configure() -> None:
    """ReportLab settings set here, never taken from the environment."""
    rl_config.invariant = 1  # no timestamps or random ids: same input, same bytes
    rl_config.trustedHosts = None  # nothing is fetched over the network
    rl_config.trustedSchemes = []
    rl_config.allowTableBoundsErrors = 0  # a table wider than the frame is an error
    rl_config.hyphenationMinWordLength = 10  # conservative: long words only
    rl_config.uriWasteReduce = 0.3
    rl_config.embeddedHyphenation = 0  # never split codes like LNG-092 at their hyphen
    rl_config.warnOnMissingFontGlyphs = 0
    rl_config.pageCompression = 1
    rl_config.useA85 = 0  # binary streams: smaller files, and ASCII85 in Python is slow
    rl_config.toColorCanUse = None


class LazyFace:
    """A font's `face`, parsed on first use and then kept as a plain attribute of the font
    (ReportLab reads it for every word it measures: a property would run each time)."""

    def __get__(self, font: HashedSubsetFont, owner: type | None = None) -> Any:
        from reportlab.pdfbase.ttfonts import TTFontFace

        face = TTFontFace(font._path)
        zero_width_markers(face)
        font.__dict__["face"] = face
        return face


class HashedSubsetFont(TTFont):
    """A TrueType font whose subsets are tagged by a hash of what they hold ('QXKFTB+Font'),
    not by their number ('AAAAAA+Font' for the first subset of every font): RIPs and imposition
    tools that merge files tell different subsets apart. Same text, same tag.

    The font file is parsed when the font is first measured or drawn, not when it is
    registered: a leaflet without italics never reads its italic faces (ReportLab parses a
    face in Python, some 15 ms each).
    """

    face = LazyFace()

    def __init__(self, name: str, path: str) -> None:
        from reportlab.pdfbase import ttfonts

        self._path = path
        parse = ttfonts.TTFontFace
        ttfonts.TTFontFace = lambda *args, **kwargs: None  # type: ignore[assignment,misc]
        try:
            super().__init__(name, path)
        finally:
            ttfonts.TTFontFace = parse  # type: ignore[misc]
        del self.face  # the None it was given: `LazyFace` parses the file when first asked

    def addObjects(self, doc: object) -> None:
        from reportlab.pdfbase import ttfonts

        state = self.state.get(doc)
        if state is None:
            return super().addObjects(doc)
        tags = [subset_tag(self.face.name, subset) for subset in state.subsets]
        numbered = ttfonts.SUBSETN
        ttfonts.SUBSETN = lambda n, *rest: tags[n]
        try:
            super().addObjects(doc)
        finally:
            ttfonts.SUBSETN = numbered


def subset_tag(name: bytes, subset: list[int]) -> bytes:
    digest = hashlib.sha256(name + b"\0" + ",".join(map(str, subset)).encode()).digest()
    return bytes(65 + b % 26 for b in digest[:6])


@lru_cache(maxsize=16)
def register_font(path: str) -> str:
    """Register a TTF once per process under a name derived from its content."""
    with open(path, "rb") as fh:
        digest = hashlib.sha1(fh.read()).hexdigest()[:10]
    name = f"F{digest}"
    if name not in pdfmetrics.getRegisteredFontNames():
        # Registered as pdfmetrics.registerFont does for a font of its own face name, without
        # reading the face's name (which would parse the file now).
        pdfmetrics._fonts[name] = HashedSubsetFont(name, path)
        pdfmetrics.registerFontFamily(name)
    return name


@lru_cache(maxsize=1)
def fallback_font() -> str:
    """The bundled font for Arabic words (a language's own name) when the house font has no
    Arabic; registered the first time a leaflet has such a word."""
    faces = {k: register_font(str(v)) for k, v in RIGHT_TO_LEFT_FONTS.items()}
    pdfmetrics.registerFontFamily(
        faces["regular"], normal=faces["regular"], bold=faces["bold"],
        italic=faces["italic"], boldItalic=faces["bold_italic"],
    )  # fmt: skip
    return faces["regular"]


@dataclass(frozen=True)
class Theme:
    """Everything the flowables need to know about the house style."""

    fonts: dict[str, str]
    size: float
    text: colors.Color
    accent: colors.Color
    heading: colors.Color
    tint: colors.Color
    background: colors.Color
    muted: colors.Color
    frame_width: float
    frame_height: float
    page: tuple[float, float]
    margins: tuple[float, float, float, float]
    language: str
    glyphs: frozenset[int]
    styles: dict[str, ParagraphStyle]
    qr: bool  # beside web addresses on cards and contacts
    qr_leaflet: bool  # the leaflet's own address
    cmyk: bool = False  # every colour as DeviceCMYK (the canvas refuses any other)
    fallback: bool = False  # right-to-left words the house font lacks: in fallback_font()
    alerts: dict[str, tuple[colors.Color, colors.Color]] = field(default_factory=dict)

    def markup(self, colour: colors.Color) -> str:
        """A colour as paragraph markup writes it: CMYK stays CMYK."""
        if isinstance(colour, colors.CMYKColor):
            return "cmyk({:.4f},{:.4f},{:.4f},{:.4f})".format(*colour.cmyk())
        return colour.hexval().replace("0x", "#")

    def bullet(self, depth: int) -> str:
        """A bullet the font can draw, different for each nesting level."""
        for char in ("•–◦"[depth % 3], "•", "-"):
            if ord(char) in self.glyphs:
                return char
        return "-"


# Alert borders and labels: each at least 4.5:1 on its own tinted background (WCAG AA).
ALERT_COLOURS = {"note": "#0a58a8", "tip": "#17692e", "important": "#5b34a6",
                 "warning": "#7a4f00", "caution": "#a61b12"}  # fmt: skip


def to_cmyk(colour: colors.Color) -> colors.CMYKColor:
    """A colour for a CMYK press: greys on the K plate only, near-black as solid 100% K (a tint
    would print text as a dot screen), others separated with the press profile (render/press.py),
    the one a PDF/X-4 print file names as its output intent."""
    r, g, b = colour.red, colour.green, colour.blue
    if abs(r - g) < 0.004 and abs(g - b) < 0.004:
        k = 1 - (r + g + b) / 3
        return colors.CMYKColor(0, 0, 0, 1 if k >= 0.8 else round(k, 4))  # text black: solid K
    from pamflet.render.press import separate

    return colors.CMYKColor(*separate(r, g, b))


def mix(colour: colors.Color, other: colors.Color, amount: float) -> colors.Color:
    """`amount` of `colour` over `other`: a tint of the accent for backgrounds."""
    return colors.Color(
        colour.red * amount + other.red * (1 - amount),
        colour.green * amount + other.green * (1 - amount),
        colour.blue * amount + other.blue * (1 - amount),
    )


def theme(doc: m.Document) -> Theme:
    configure()
    style = doc.style
    fonts = {face: register_font(path) for face, path in style.fonts.items()}
    pdfmetrics.registerFontFamily(
        fonts["regular"], normal=fonts["regular"], bold=fonts["bold"],
        italic=fonts["italic"], boldItalic=fonts["bold_italic"],
    )  # fmt: skip
    paint = to_cmyk if style.colour == "cmyk" else (lambda c: c)
    text = colors.HexColor(style.colours["text"])
    accent = colors.HexColor(style.colours["accent"])
    heading = colors.HexColor(style.colours.get("heading", style.colours["accent"]))
    background = colors.HexColor(style.colours["background"])
    fw, fh = frame_size(doc.format, style.margins)
    glyphs = frozenset(font_cmap_of(style.fonts["regular"]))
    return Theme(
        fonts=fonts, size=style.font_size, text=paint(text), accent=paint(accent),
        heading=paint(heading), tint=paint(mix(accent, background, 0.09)),
        background=paint(background), muted=paint(mix(text, background, 0.72)),
        frame_width=fw, frame_height=fh,
        page=page_size(doc.format), margins=style.margins, language=doc.language, glyphs=glyphs,
        styles=paragraph_styles(
            fonts, style.font_size, paint(text), paint(heading),
            doc.language if style.hyphenate else "", style.underline_links,
            rtl=doc.language in RIGHT_TO_LEFT,
        ),
        qr=style.qr == "cards", qr_leaflet=style.qr != "none", cmyk=style.colour == "cmyk",
        fallback=ARABIC_ALEF not in glyphs,
        alerts={
            kind: (paint(colour), paint(mix(colour, background, 0.08)))
            for kind, colour in ((k, colors.HexColor(v)) for k, v in ALERT_COLOURS.items())
        },
    )  # fmt: skip


def font_cmap_of(path: str) -> frozenset[int]:
    from pathlib import Path

    return font_cmap(Path(path))


def paragraph_styles(
    fonts: dict[str, str],
    size: float,
    text: colors.Color,
    heading: colors.Color,
    lang: str,
    underline: bool = True,
    rtl: bool = False,
) -> dict[str, ParagraphStyle]:
    """The paragraph styles; right-to-left ones (`rtl`) are right-aligned (render/bidi.py lays
    them out)."""
    base = ParagraphStyle(
        "body",
        fontName=fonts["regular"],
        fontSize=size,
        leading=size * 1.4,
        textColor=text,
        alignment=TA_RIGHT if rtl else TA_LEFT,
        spaceAfter=size * 0.55,
        allowWidows=0,
        allowOrphans=0,
        hyphenationLang=hyphenator(HYPHENATION.get(lang, "")),
        hyphenationMinWordLength=10,
        embeddedHyphenation=0,
        uriWasteReduce=0.3,
        splitLongWords=1,
        linkUnderline=int(underline),  # links differ from text by more than colour
        underlineWidth="0.06*F",
        underlineOffset="-0.12*F",
    )

    def derive(name: str, **kw: object) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    # Headings keep with what follows through render/compose.py, which measures the start of
    # it; ReportLab's keepWithNext would move a whole long paragraph or table instead.
    head = {"fontName": fonts["bold"], "keepWithNext": 0, "hyphenationLang": ""}
    return {
        "body": base,
        "title": derive(
            "title", fontName=fonts["bold"], fontSize=size * 2, leading=size * 2.4,
            textColor=heading, spaceAfter=size * 0.2, hyphenationLang="",
        ),
        "subtitle": derive("subtitle", fontSize=size * 1.25, leading=size * 1.6, spaceAfter=2),
        "cover_title": derive(
            "cover_title", fontName=fonts["bold"], fontSize=size * 2.4, leading=size * 2.8,
            textColor=heading, spaceAfter=size * 0.5, hyphenationLang="",
        ),
        "cover_subtitle": derive(
            "cover_subtitle", fontSize=size * 1.4, leading=size * 1.8, spaceAfter=size * 0.6
        ),
        "meta": derive("meta", fontSize=size * 0.8, leading=size, textColor=text, spaceAfter=0),
        "h1": derive(
            "h1", **head, fontSize=size * 1.5, leading=size * 1.85, textColor=heading,
            spaceBefore=size * 1.1, spaceAfter=size * 0.45,
        ),
        "h2": derive(
            "h2", **head, fontSize=size * 1.25, leading=size * 1.55,
            spaceBefore=size * 0.8, spaceAfter=size * 0.3,
        ),
        "h3": derive(
            "h3", **head, fontSize=size * 1.1, leading=size * 1.4,
            spaceBefore=size * 0.6, spaceAfter=size * 0.25,
        ),
        "h4": derive("h4", **head, spaceBefore=size * 0.5, spaceAfter=size * 0.2),
        "cell": derive("cell", spaceAfter=0, leading=size * 1.3),
        "cellhead": derive("cellhead", fontName=fonts["bold"], spaceAfter=0, leading=size * 1.3),
        "card_title": derive(
            "card_title", fontName=fonts["bold"], textColor=heading, spaceAfter=size * 0.25,
            keepWithNext=0, hyphenationLang="",
        ),
        "card": derive("card", spaceAfter=size * 0.3, leading=size * 1.3),
        "small": derive("small", fontSize=size * 0.85, leading=size * 1.1, spaceAfter=0),
        "label": derive("label", fontName=fonts["bold"], spaceAfter=0, leading=size * 1.3),
        "toc": derive("toc", spaceAfter=0, leading=size * 1.5),
        "code": derive("code", spaceAfter=0, leading=size * 1.3, hyphenationLang=""),
    }  # fmt: skip
