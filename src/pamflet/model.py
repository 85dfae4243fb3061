"""Frozen objects passed between the stages; each remembers where its values came from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from pamflet.diagnostics import Location

Kind = Literal["condition", "examination", "treatment", "department", "contact", "text"]
KINDS: tuple[str, ...] = ("condition", "examination", "treatment", "department", "contact", "text")
FORMATS: tuple[str, ...] = ("A4", "A5", "A5-booklet")
LANGUAGES: tuple[str, ...] = ("nl", "en", "de", "fr", "pl", "tr", "uk", "ar")
RIGHT_TO_LEFT: tuple[str, ...] = ("ar",)  # laid out right to left (render/bidi.py)
STARTERS: tuple[str, ...] = ("nl", "en", "de", "fr", "pl", "tr", "uk", "ar")  # `init --language`
FACES: tuple[str, ...] = ("regular", "bold", "italic", "bold_italic")
CONTACT_FIELDS: tuple[str, ...] = ("name", "role", "phone", "email", "hours", "address")
# Document control: what `publishing.require` may ask of a leaflet, what a colophon may show.
REQUIRABLE: tuple[str, ...] = ("approved", "sources", "feedback", "review", "version", "owner")
COLOPHON: tuple[str, ...] = ("version", "approved", "reviewed_by", "sources", "feedback", "review")

EMPTY: Mapping[str, Location] = MappingProxyType({})


@dataclass(frozen=True)
class Located:
    """Base for loaded objects: `loc` is where the object starts, `locs` where each field is."""

    loc: Location
    locs: Mapping[str, Location] = field(default_factory=lambda: EMPTY, repr=False, compare=False)

    def at(self, name: str) -> Location:
        """Where field `name` was written, or the object itself when it was not."""
        return self.locs.get(name, self.loc)


@dataclass(frozen=True)
class Ref:
    """A reference to a block by id, where it was written."""

    id: str
    loc: Location


@dataclass(frozen=True)
class Settings(Located):
    organisation: str = ""
    language: str = "nl"
    layout: str = "default"
    country: str = "NL"
    severity: Mapping[str, str] = field(default_factory=lambda: EMPTY)
    max_sentence_words: int = 20  # readability: a longer sentence is a warning
    min_score: float = 60.0  # readability: a block reading less easily is a warning
    require: tuple[str, ...] = ()  # publishing.require: what `pamflet release` insists on
    stale_translations: str = "warning"  # translations.stale: warning | error


@dataclass(frozen=True)
class Approval:
    """Who approved a leaflet, and on what day (`approved: {by:, on:}`)."""

    by: str
    on: dt.date
    loc: Location


@dataclass(frozen=True)
class Reference:
    """One item of `sources:`: the evidence a text rests on."""

    title: str
    author: str | None = None
    year: int | None = None
    url: str | None = None
    loc: Location = field(default_factory=lambda: Location(""))


@dataclass(frozen=True)
class Block(Located):
    """A content block: front matter fields plus its Markdown body (still a template)."""

    id: str = ""
    path: str = ""
    title: str = ""
    kind: str = "text"
    summary: str | None = None
    url: str | None = None
    name: str | None = None
    role: str | None = None
    phone: str | None = None
    email: str | None = None
    hours: str | None = None
    address: str | None = None
    body: str = ""
    body_line: int = 1
    sources: tuple[Reference, ...] = ()
    reviewed_by: tuple[str, ...] = ()
    of: str | None = None  # a translation: the git blob id of the source it translates
    language: str | None = None  # written in another language than the leaflets that show it


@dataclass(frozen=True)
class Section(Located):
    """One item of a leaflet's `sections`: a whole block, a titled group, or a contact."""

    content: Ref | None = None
    contact: Ref | None = None
    title: str | None = None
    text: str | None = None
    text_line: int = 1
    text_indent: int = 0  # the text's columns of indentation in the file
    # Where each character of the text is written, line by line (folded and quoted scalars).
    text_places: tuple[tuple[tuple[int, int], ...], ...] = ()
    cards: tuple[Ref, ...] = ()
    back: bool = False  # A5-booklet: print this contact on the back cover


@dataclass(frozen=True)
class Leaflet(Located):
    path: str = ""
    code: str = ""
    title: str = ""
    subtitle: str | None = None
    language: str = "nl"
    layout: str = "default"
    format: str = "A4"
    revised: dt.date = dt.date(2000, 1, 1)
    review: dt.date | None = None
    owner: str | None = None
    url: str | None = None
    toc: str | None = None  # auto | always | never; None: the layout's
    cover_image: str | None = None  # A5-booklet cover picture, relative to the leaflet file
    sections: tuple[Section, ...] = ()
    version: int | None = None  # raised on every release
    approved: Approval | None = None
    reviewed_by: tuple[str, ...] = ()
    sources: tuple[Reference, ...] = ()
    feedback: str | None = None  # a contact block id, an e-mail address or a web address
    languages: tuple[str, ...] = ()  # built in each: <code>.<lang>.pdf beside <code>.pdf


@dataclass(frozen=True)
class LeafletTranslation(Located):
    """`leaflets/x.<lang>.yaml`: the leaflet's own words in another language."""

    path: str = ""
    source: str = ""  # the leaflet file it translates
    language: str = ""
    title: str = ""
    subtitle: str | None = None
    url: str | None = None
    sections: tuple[Section | None, ...] = ()  # by position; None: nothing of its own to say
    of: str | None = None


@dataclass(frozen=True)
class Layout(Located):
    name: str = "default"
    folder: str = ""
    font_size: float = 12.0
    margins: tuple[float, float, float, float] | None = None
    fonts: Mapping[str, str] = field(default_factory=lambda: EMPTY)
    colours: Mapping[str, str] = field(default_factory=lambda: EMPTY)
    logo: str | None = None
    header: str | None = None
    footer: str | None = None
    qr: str = "leaflet"  # cards | leaflet | none
    toc: str = "auto"  # auto | always | never, for leaflets that do not say
    hyphenate: bool = False  # off by default: whole words read more easily
    underline_links: bool = True
    colour: str = "rgb"  # rgb | cmyk
    cover: bool = True  # A5 booklets get a cover and a back cover
    notes_pages: str = "ruled"  # ruled | blank | none: booklet padding pages
    max_notes_pages: int | None = None  # at most this many; the rest blank in the print file
    draft_mark: bool = True  # unapproved leaflets show 'CONCEPT' / 'DRAFT' on every page
    logo_alt: str | None = None  # what the logo says; default: the organisation's name
    colophon: tuple[str, ...] = COLOPHON  # what the colophon at the end shows
    # Where each character of the header and footer is written (see load/positions.py).
    places: Mapping[str, tuple[tuple[tuple[int, int], ...], ...]] = field(
        default_factory=lambda: EMPTY
    )


@dataclass(frozen=True)
class Project:
    """Everything stage 1 loaded; missing or broken parts were reported and left out."""

    root: str
    settings: Settings
    blocks: Mapping[str, Block]
    leaflets: tuple[Leaflet, ...]
    layouts: Mapping[str, Layout]
    leaflet_paths: Mapping[str, Leaflet]
    broken: frozenset[str] = frozenset()  # blocks that exist but could not be loaded
    # Translations: (block id, language) -> the translated block; (leaflet path, language) ->
    # the leaflet's own words.
    translations: Mapping[tuple[str, str], Block] = field(default_factory=lambda: EMPTY)
    leaflet_translations: Mapping[tuple[str, str], LeafletTranslation] = field(
        default_factory=lambda: EMPTY
    )


# ---- The resolved document: what stage 2 hands to rendering ---------------------------------


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Styled:
    """Inline children in bold (`strong`), italic (`em`) or as code (`code`); `ins` and `del`
    mark what a review copy shows as inserted or removed."""

    style: Literal["strong", "em", "code", "span", "ins", "del"]
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Link:
    """A link: `href` external (https, mailto, tel) or `anchor` inside this leaflet."""

    children: tuple[Inline, ...]
    href: str | None = None
    anchor: str | None = None


@dataclass(frozen=True)
class Break:
    """A hard line break."""


@dataclass(frozen=True)
class Span:
    """A passage in another language than the leaflet's (`[woord]{lang=nl}`)."""

    lang: str
    children: tuple[Inline, ...]


Inline = Text | Styled | Link | Break | Span


def inline_text(inlines: tuple[Inline, ...] | list[Inline]) -> str:
    """The plain text of inline runs."""
    out = []
    for item in inlines:
        if isinstance(item, Text):
            out.append(item.text)
        elif isinstance(item, Styled | Link | Span):
            out.append(inline_text(item.children))
    return "".join(out)


@dataclass(frozen=True)
class Heading:
    level: int
    text: tuple[Inline, ...]
    anchor: str
    loc: Location
    plain: str = ""


@dataclass(frozen=True)
class Para:
    text: tuple[Inline, ...]
    loc: Location


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    start: int
    items: tuple[tuple[Node, ...], ...]
    loc: Location


@dataclass(frozen=True)
class TableBlock:
    head: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    align: tuple[str, ...]
    loc: Location
    row_locs: tuple[Location, ...] = ()  # where each row (head rows first) is written


@dataclass(frozen=True)
class Figure:
    path: str
    alt: str
    loc: Location
    width_px: int = 0
    height_px: int = 0
    href: str | None = None  # a linked image: `[![alt](img.png)](https://...)`
    anchor: str | None = None  # ... or a link to a heading of the leaflet


@dataclass(frozen=True)
class Note:
    """A block quote, shown as a highlighted note; an alert (`> [!WARNING]`) has a kind."""

    children: tuple[Node, ...]
    loc: Location
    kind: str | None = None  # note, tip, important, warning, caution


@dataclass(frozen=True)
class CodeBlock:
    text: str
    loc: Location


@dataclass(frozen=True)
class Rule:
    loc: Location


@dataclass(frozen=True)
class Card:
    title: str
    summary: str
    url: str | None
    anchor: str
    loc: Location
    locs: Mapping[str, Location] = field(default_factory=dict)  # where the block wrote each field


@dataclass(frozen=True)
class CardGrid:
    cards: tuple[Card, ...]
    loc: Location


@dataclass(frozen=True)
class Contact:
    """A contact block: heading, fields and body, kept together on one page."""

    heading: Heading
    name: str | None
    role: str | None
    phone: str | None
    phone_uri: str | None
    email: str | None
    hours: str | None
    address: str | None
    url: str | None
    body: tuple[Node, ...]
    loc: Location
    locs: Mapping[str, Location] = field(default_factory=dict)  # where the block wrote each field
    back: bool = False  # on the back cover of an A5 booklet


Node = (
    Heading | Para | ListBlock | TableBlock | Figure | Note | CodeBlock | Rule | CardGrid | Contact
)


@dataclass(frozen=True)
class Style:
    """The resolved house style: absolute font files, sizes in points, colours as hex."""

    font_size: float
    margins: tuple[float, float, float, float]
    fonts: Mapping[str, str]
    colours: Mapping[str, str]
    logo: str | None
    header: str | None
    footer: str | None
    qr: str  # cards | leaflet | none
    source: Location
    underline_links: bool = True
    hyphenate: bool = False  # off by default: whole words read more easily
    toc: str = "auto"
    colour: str = "rgb"  # rgb | cmyk
    cover: bool = True
    notes_pages: str = "ruled"
    draft_mark: bool = True
    logo_alt: str | None = None
    max_notes_pages: int | None = None


@dataclass(frozen=True)
class Document:
    """A leaflet ready to render: every reference resolved, every template expanded."""

    code: str
    title: str
    subtitle: str | None
    organisation: str
    language: str
    format: str
    revised: dt.date
    owner: str | None
    url: str | None
    toc: bool | None
    style: Style
    body: tuple[Node, ...]
    source: Location
    root: str
    fields: Mapping[str, str] = field(default_factory=dict)  # `leaflet.*` in templates
    country: str = "NL"  # for phone numbers in running text
    cover_image: Figure | None = None  # A5-booklet cover picture
    version: int | None = None
    approved: Approval | None = None
    review: dt.date | None = None
    draft: bool = False  # not approved, or approved before a change: marked on every page
    output: str = ""  # the file name's stem: the code, or <code>.<lang> for a translation
    colophon: tuple[Node, ...] = ()  # 'about this leaflet': after the body, or on a back cover

    @property
    def nodes(self) -> tuple[Node, ...]:
        """Everything the leaflet prints below its title: the body, then the colophon."""
        return self.body + self.colophon

    @property
    def stem(self) -> str:
        return self.output or self.code

    @property
    def booklet(self) -> bool:
        """An A5 booklet with a cover, back cover and notes pages."""
        return self.format == "A5-booklet" and self.style.cover
