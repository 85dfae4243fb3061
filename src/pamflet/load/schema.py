"""The four file schemas (pamflet.yaml, leaflets, front matter, layouts), built from the rules
in `rules.py`, and their JSON Schema export for editors."""

from __future__ import annotations

from typing import Any

from pamflet.load.rules import (
    TOC,
    BlockId,
    Bool,
    Choice,
    Colour,
    Date,
    Dict,
    Email,
    Enum,
    Exact,
    Feedback,
    Field,
    Length,
    Map,
    Nodes,
    Number,
    Phone,
    Seq,
    Str,
    Url,
    Whole,
)
from pamflet.model import COLOPHON, FACES, FORMATS, KINDS, LANGUAGES, REQUIRABLE

CODE = r"[A-Za-z0-9][A-Za-z0-9._-]*"
MAX_CODE = 64  # a code names files (<code>-print.pdf, their temporaries): keep them short
TEXT = Str()
LINE = Str(multiline=False)

SOURCE = Map(
    {
        "title": Field(LINE, "Title of the guideline, article or web page.", True),
        "author": Field(LINE, "Author or body (e.g. Federatie Medisch Specialisten)."),
        "year": Field(Whole(1800, 2200), "Year of publication."),
        "url": Field(Url(), "Where it can be read."),
    },
    "a source",
)
SOURCES = Field(Seq(SOURCE, 1), "References the text rests on: title, author, year, url.")
REVIEWED_BY = Field(Seq(LINE, 1, one=True), "Who checked the text (a name or a list of names).")

SETTINGS = Map(
    {
        "organisation": Field(LINE, "Organisation: PDF author, shown on every page.", True),
        "language": Field(Enum(*LANGUAGES), "Default leaflet language."),
        "layout": Field(LINE, "Default layout: a folder in layouts/."),
        "country": Field(
            Str(multiline=False, pattern="[A-Z]{2}", example="write a country code such as NL"),
            "Country for phone numbers written without +code (ISO 3166, default NL).",
        ),
        "severity": Field(
            Dict(Enum("error", "warning", "ignore")),
            "Per diagnostic code: error, warning or ignore.",
        ),
        "readability": Field(
            Map(
                {
                    "max_sentence_words": Field(
                        Number(5, 200), "A longer sentence is a warning (default 20)."
                    ),
                    "min_score": Field(
                        Number(-100, 120), "Reading ease below this, per block, is a warning."
                    ),
                },
                "readability",
            ),
            "Thresholds of the plain-language report (pamflet check --readability).",
        ),
        "translations": Field(
            Map(
                {
                    "stale": Field(
                        Enum("warning", "error"),
                        "A stale translation is a warning (default) or an error.",
                    )
                },
                "translations",
            ),
            "How translations are checked.",
        ),
        "publishing": Field(
            Map(
                {
                    "require": Field(
                        Seq(Enum(*REQUIRABLE), one=True),
                        "Fields `pamflet release` requires of every leaflet: "
                        + ", ".join(REQUIRABLE)
                        + ".",
                    )
                },
                "publishing",
            ),
            "What `pamflet release` requires of every leaflet.",
        ),
    },
    "pamflet.yaml",
)

SECTION = Map(
    {
        "content": Field(BlockId(), "A whole block, under its own title."),
        "title": Field(LINE, "Title of a section with a heading of its own."),
        "text": Field(TEXT, "Markdown text of the section (Jinja2-templated)."),
        "cards": Field(Seq(BlockId(), 1), "Blocks shown as cards: title, summary, link."),
        "contact": Field(BlockId(), "A contact block, kept together on one page."),
        "back": Field(Bool(), "A5-booklet: print this contact section on the back cover."),
    },
    "a section",
)

LEAFLET = Map(
    {
        "code": Field(
            Exact(
                multiline=False,
                pattern=CODE,
                example="letters, digits, '-', '.' or '_'",
                max_len=MAX_CODE,
            ),
            "Unique leaflet code; the output is build/<code>.pdf.",
            True,
        ),
        "title": Field(LINE, "Leaflet title.", True),
        "subtitle": Field(LINE, "Subtitle under the title; the PDF's subject."),
        "language": Field(Enum(*LANGUAGES), "Language (default from pamflet.yaml)."),
        "layout": Field(LINE, "Layout name (default from pamflet.yaml)."),
        "format": Field(Enum(*FORMATS), "Page format."),
        "revised": Field(Date(), "Date of this version, printed on the leaflet.", True),
        "review": Field(Date(), "Review-by date: once past, a warning (an error with --strict)."),
        "owner": Field(LINE, "Who keeps the leaflet up to date."),
        "url": Field(Url(), "Where the leaflet is published online."),
        "toc": Field(TOC, "Table of contents: auto (4 pages and 5 headings), always, never."),
        "cover_image": Field(
            LINE, "A5-booklet cover picture (PNG or JPEG), relative to this file."
        ),
        "sections": Field(
            Nodes({"type": "array", "minItems": 1, "items": SECTION.json}),
            "The leaflet's sections, in order.",
            True,
        ),
        "version": Field(Whole(1, 999999), "Version number, raised on every release."),
        "approved": Field(
            Map(
                {
                    "by": Field(LINE, "Who approved the leaflet.", True),
                    "on": Field(Date(), "The day it was approved.", True),
                },
                "approved",
            ),
            "Approval: {by: ..., on: YYYY-MM-DD}. Without it the leaflet builds as a draft.",
        ),
        "reviewed_by": REVIEWED_BY,
        "sources": SOURCES,
        "feedback": Field(
            Feedback(),
            "How a patient reports a mistake: a contact block, an e-mail or a web address.",
        ),
        "languages": Field(
            Seq(Enum(*LANGUAGES), 1),
            "Languages to build: each other than `language` as build/<code>.<lang>.pdf, from "
            "translations beside the sources.",
        ),
    },
    "the leaflet",
)

FRONT_MATTER = Map(
    {
        "title": Field(LINE, "Title of the block.", True),
        "kind": Field(Enum(*KINDS), "What the block is (default text)."),
        "summary": Field(TEXT, "One or two sentences; required when used as a card."),
        "url": Field(Url(), "The block's public web page."),
        "name": Field(LINE, "Contact: person or team name."),
        "role": Field(LINE, "Contact: role, e.g. verpleegkundig specialist."),
        "phone": Field(Phone(), "Contact: phone number, printed as a tel: link."),
        "email": Field(Email(), "Contact: e-mail address, printed as a mailto: link."),
        "hours": Field(TEXT, "Contact: when to call (text; several lines allowed)."),
        "address": Field(Exact(), "Contact: postal address; one line per address line."),
        "sources": SOURCES,
        "reviewed_by": REVIEWED_BY,
        "language": Field(
            Enum(*LANGUAGES),
            "The block's language, when it is not the leaflet's: its text is "
            "tagged with it (/Lang) for screen readers.",
        ),
    },
    "the front matter",
)

TRANSLATION = Field(
    Map(
        {
            "of": Field(
                Exact(
                    multiline=False,
                    pattern="[0-9a-f]{40}",
                    example="the 40 hex digits of `git hash-object <source>`",
                ),
                "The git blob id of the source as translated.",
                True,
            )
        },
        "translation",
    ),
    "Which version of its source this translates.",
    True,
)
FRONT_TRANSLATION = Map({**FRONT_MATTER.fields, "translation": TRANSLATION}, "the front matter")
SECTION_TRANSLATION = Map(
    {
        "title": Field(LINE, "The section's title, translated."),
        "text": Field(TEXT, "The section's text, translated."),
    },
    "a section",
)
LEAFLET_TRANSLATION = Map(
    {
        "title": Field(LINE, "The leaflet's title, translated.", True),
        "subtitle": Field(LINE, "The subtitle, translated."),
        "url": Field(Url(), "Where this language version is published online."),
        "sections": Field(
            Nodes(
                {"type": "array", "items": {"oneOf": [{"type": "null"}, SECTION_TRANSLATION.json]}}
            ),
            "The sections in the source's order: each one's title and text ({} for a block).",
        ),
        "translation": TRANSLATION,
    },
    "the translation",
)

FONTS = Map(
    {face: Field(LINE, f"TTF file for {face}, beside layout.yaml.") for face in FACES}, "fonts"
)

COLOURS = Map(
    {
        "text": Field(Colour(), "Body text colour."),
        "accent": Field(Colour(), "Rules, bullets, card accents and links."),
        "heading": Field(Colour(), "Titles and headings (default: the accent)."),
        "background": Field(Colour(), "Page background."),
    },
    "colours",
)

LAYOUT = Map(
    {
        "font_size": Field(Number(6, 24), "Base font size in pt; below 12 is a warning."),
        "margins": Field(
            Seq(Length(), exact=(1, 4), one=True),
            "Page margins: one length for all four sides, or [top, right, bottom, left].",
        ),
        "fonts": Field(FONTS, "TTF files (regular, bold, italic, bold_italic)."),
        "colours": Field(COLOURS, "Colours: text, accent, background."),
        "logo": Field(LINE, "Logo image (PNG or JPEG) at the top of the first page."),
        "logo_alt": Field(
            LINE, "What the logo says, for screen readers (default: the organisation's name)."
        ),
        "header": Field(TEXT, "Header text (Jinja2)."),
        "footer": Field(TEXT, "Footer text (Jinja2); page and pages are available."),
        "qr": Field(
            Choice("cards", "leaflet", "none", aliases={"true": "cards", "false": "leaflet"}),
            "Where QR codes are printed: leaflet (the default: only the leaflet's own address, "
            "on its last page), cards (also beside every web address on cards and contacts) or "
            "none.",
        ),
        "toc": Field(TOC, "Table of contents for leaflets that do not say: auto, always, never."),
        "hyphenate": Field(
            Bool(), "Break long words at line ends with a hyphen (default false: whole words)."
        ),
        "underline_links": Field(
            Bool(),
            "Underline links, so that they differ from text by more than colour (default true).",
        ),
        "colour": Field(
            Choice("rgb", "cmyk"),
            "rgb (default) or cmyk: every colour as CMYK, black text, rules and QR codes as K only.",
        ),
        "cover": Field(Bool(), "A5 booklets get a cover and a back cover (default true)."),
        "notes_pages": Field(
            Choice("ruled", "blank", "none"),
            "Booklet padding pages: ruled notes pages (default), blank, or none (the print "
            "file gets blank pages before the back cover; the reading PDF none).",
        ),
        "max_notes_pages": Field(
            Whole(0, 3), "At most this many notes pages; the rest are blank in the print file."
        ),
        "draft_mark": Field(
            Bool(), "Mark unapproved leaflets 'CONCEPT' / 'DRAFT' on every page (default true)."
        ),
        "colophon": Field(
            Seq(Enum(*COLOPHON, "none"), one=True),
            "What the colophon (at the end, or on a booklet's back cover) shows (default all): "
            + ", ".join(COLOPHON)
            + "; none for no colophon.",
        ),
    },
    "the layout",
)

SCHEMAS: dict[str, Map] = {
    "pamflet": SETTINGS,
    "leaflet": LEAFLET,
    "front-matter": FRONT_MATTER,
    "layout": LAYOUT,
    "leaflet-translation": LEAFLET_TRANSLATION,
    "front-matter-translation": FRONT_TRANSLATION,
}


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of one file kind, for editors' autocompletion."""
    schema = SCHEMAS[name]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://pamflet.example/schemas/{name}.schema.json",
        "title": f"pamflet {name}",
        **schema.json,
    }
