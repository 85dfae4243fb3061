"""Stage 2: resolve every reference and template into Documents; writes nothing."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from pamflet import labels, templating
from pamflet import model as m
from pamflet.assets import AssetProblem, font_cmap, image_info
from pamflet.diagnostics import Location, Report, did_you_mean
from pamflet.markdown import Converter, Slugger, Source, Target, heading_texts, parse
from pamflet.phones import phone_problem, tel_uri
from pamflet.project import FileProblem, ProjectDir, join_relative
from pamflet.schema import INVISIBLE, LINK_SCHEMES, MM, url_problem

FONT_DIR = Path(__file__).parent / "fonts"
BUNDLED_FONTS = {
    "regular": FONT_DIR / "LiberationSans-Regular.ttf",
    "bold": FONT_DIR / "LiberationSans-Bold.ttf",
    "italic": FONT_DIR / "LiberationSans-Italic.ttf",
    "bold_italic": FONT_DIR / "LiberationSans-BoldItalic.ttf",
}
FALLBACK = {"bold": "regular", "italic": "regular", "bold_italic": "bold"}
COLOURS = {"text": "#1a1a1a", "accent": "#005a9c", "background": "#ffffff"}
PAGE_SIZES = {"A4": (210 * MM, 297 * MM), "A5": (148 * MM, 210 * MM)}
MARGINS = {"A4": (20, 18, 22, 18), "A5": (15, 14, 18, 14)}
MAX_PARAGRAPH = 20_000  # characters: longer takes ReportLab minutes to lay out
MIN_EM = 0.3  # the narrowest average character, in em: a longer word cannot fit a line
MAX_WORD = 1_000  # characters without a break: longer takes ReportLab minutes to split
UNBREAKABLE = re.compile(r"[^\s/?&.\-_]+")  # runs between places a line may break
CELL_PADDING = 12  # left and right padding of a table cell, in points


def max_columns(width: float, font_size: float) -> int:
    """How many table columns fit across `width`: each holds its padding and a character."""
    return max(1, int(width // (CELL_PADDING + font_size)))


PAGE_KINDS = ((1, 1), (1, 2), (2, 2), (2, 3), (3, 3), (10, 12))  # (page, pages) to try
MIN_DPI = 150
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
DOMAIN = re.compile(r"^(www\.|[\w-]+\.(nl|com|org|net|eu|be|de|info)(/|$))", re.I)


def page_size(fmt: str) -> tuple[float, float]:
    return PAGE_SIZES["A4" if fmt == "A4" else "A5"]


def default_margins(fmt: str) -> tuple[float, float, float, float]:
    top, right, bottom, left = MARGINS["A4" if fmt == "A4" else "A5"]
    return (top * MM, right * MM, bottom * MM, left * MM)


def frame_size(fmt: str, margins: tuple[float, float, float, float]) -> tuple[float, float]:
    width, height = page_size(fmt)
    return width - margins[1] - margins[3], height - margins[0] - margins[2]


def printed_size(width_px: int, height_px: int, frame: tuple[float, float]) -> tuple[float, float]:
    """An image's printed size in points: 96 dpi at most its natural size, within the frame."""
    width, height = width_px * 72 / 96, height_px * 72 / 96
    scale = min(1.0, frame[0] / width, frame[1] * 0.6 / height)
    return width * scale, height * scale


# ---- The resolver ------------------------------------------------------------------------------


@dataclass
class Resolver:
    """Resolves one project; holds caches shared by its leaflets."""

    project: m.Project
    files: ProjectDir
    report: Report
    today: dt.date
    images: dict[str, m.Figure | str] = field(default_factory=dict)
    templates: dict[tuple[str, int], templating.Template | None] = field(default_factory=dict)
    glyphs: dict[tuple[str, ...], frozenset[int] | None] = field(default_factory=dict)
    odd: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    sources: dict[tuple[str, int], Source | None] = field(default_factory=dict)
    parsed: dict[str, list[Any]] = field(default_factory=dict)
    page_texts: dict[str, list[tuple[str, Location]]] = field(default_factory=dict)

    def run(self) -> list[m.Document]:
        for block in self.project.blocks.values():
            self.check_block(block)
        docs = [self.leaflet(leaflet) for leaflet in self.project.leaflets]
        return [doc for doc in docs if doc is not None]

    # -- templates

    def template(self, text: str, path: str, first_line: int) -> templating.Template | None:
        key = (path, first_line)
        if key not in self.templates:
            try:
                self.templates[key] = templating.compile_template(text)
            except templating.TemplateProblem as exc:
                self.template_error(exc, path, first_line)
                self.templates[key] = None
        return self.templates[key]

    def template_error(self, exc: templating.TemplateProblem, path: str, first_line: int) -> None:
        loc = Location(path, first_line + max(exc.line, 1) - 1, 1)
        self.report.error(exc.code, exc.message, loc, exc.hint)

    def expand(
        self, text: str, path: str, first_line: int, variables: Mapping[str, Any]
    ) -> Source | None:
        template = self.template(text, path, first_line)
        if template is None:
            return None
        shared = not template.needs("leaflet")  # the same text in every leaflet: expand once
        if shared and (path, first_line) in self.sources:
            return self.sources[(path, first_line)]
        try:
            source = Source(path, first_line, templating.render(template, variables))
        except templating.TemplateProblem as exc:
            self.template_error(exc, path, first_line)
            source = Source(path, first_line, text)  # still check its links and images
        if shared:
            self.sources[(path, first_line)] = source
        return source

    def parse(self, source: Source) -> list[Any]:
        """Markdown tokens of a text; texts repeat across leaflets, so parse each once."""
        if source.text not in self.parsed:
            self.parsed[source.text] = parse(source.text)
        return self.parsed[source.text]

    @functools.cached_property
    def contacts(self) -> templating.Strict:
        """`contacts[...]` in templates: the same table for every leaflet."""
        table = {
            b.id: templating.Strict(f"field of contact '{b.id}'", contact_fields(b))
            for b in self.project.blocks.values()
            if b.kind == "contact"
        }
        return templating.Strict("contact", table)

    def variables(self, leaflet: m.Leaflet | None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "organisation": self.project.settings.organisation,
            "contacts": self.contacts,
        }
        if leaflet is not None:
            out["leaflet"] = templating.Strict("leaflet field", leaflet_fields(leaflet))
        return out

    def page_text(
        self, text: str, path: str, line: int, variables: Mapping[str, Any]
    ) -> str | None:
        """A header or footer as one page shows it; never cached, the page number varies."""
        template = self.template(text, path, line)
        if template is None:
            return None
        try:
            return templating.render(template, variables)
        except templating.TemplateProblem as exc:
            self.template_error(exc, path, line)
            return None

    def page_variables(self, leaflet: m.Leaflet) -> dict[str, Any]:
        """What a header or footer can use: what the renderer gives it, no more."""
        return {
            "organisation": self.project.settings.organisation,
            "leaflet": templating.Strict("leaflet field", leaflet_fields(leaflet)),
        }

    # -- checks that do not depend on a leaflet

    def check_block(self, block: m.Block) -> None:
        template = self.template(block.body, block.path, block.body_line)
        if template is None or template.needs("leaflet"):
            return
        source = self.expand(block.body, block.path, block.body_line, self.variables(None))
        if source is not None:
            linker = Links(self, None, block.path)
            Converter(source, 1, Slugger(), linker).convert(self.parse(source))

    # -- one leaflet

    def leaflet(self, leaflet: m.Leaflet) -> m.Document | None:
        style = self.style(leaflet)
        self.check_dates(leaflet)
        plan = LeafletPlan(self, leaflet)
        body = plan.nodes()
        if style is None:
            return None
        doc = m.Document(
            code=leaflet.code,
            title=leaflet.title,
            subtitle=leaflet.subtitle,
            organisation=self.project.settings.organisation,
            language=leaflet.language,
            format=leaflet.format,
            revised=leaflet.revised,
            owner=leaflet.owner,
            url=leaflet.url,
            toc=leaflet.toc,
            style=style,
            body=body,
            source=leaflet.loc,
            root=self.project.root,
            fields=leaflet_fields(leaflet),
            country=self.project.settings.country,
        )
        self.check_text(doc, leaflet)
        self.check_lengths(doc, style, leaflet)
        self.check_images(doc, style)
        return doc

    def check_dates(self, leaflet: m.Leaflet) -> None:
        review = leaflet.review
        if review is None:
            return
        if review < leaflet.revised:
            self.report.error(
                "review-date", f"review date {review} is before the revised date {leaflet.revised}",
                leaflet.at("review"),
            )  # fmt: skip
        elif review < self.today:
            self.report.warning(
                "review-overdue", f"the review date {review} has passed",
                leaflet.at("review"), "review the leaflet, then update 'revised' and 'review'",
            )  # fmt: skip

    # -- layout

    def style(self, leaflet: m.Leaflet) -> m.Style | None:
        name = leaflet.layout
        layout = self.project.layouts.get(name)
        if layout is None:
            explicit = leaflet.locs.get("layout") or self.project.settings.locs.get("layout")
            if explicit is None:
                layout = m.Layout(Location("pamflet.yaml"), name=name, folder=f"layouts/{name}")
            else:
                hint = (
                    did_you_mean(name, self.project.layouts) or "create layouts/<name>/layout.yaml"
                )
                self.report.error("unknown-layout", f"there is no layout '{name}'", explicit, hint)
                return None
        errors = self.report.errors
        fonts = self.fonts(layout)
        colours = {**COLOURS, **layout.colours}
        margins = layout.margins or default_margins(leaflet.format)
        width, height = frame_size(leaflet.format, margins)
        if width < 60 * MM or height < 80 * MM:
            self.report.error(
                "margins", f"these margins leave only {width / MM:.0f} x {height / MM:.0f} mm for "
                f"text on {leaflet.format} pages", layout.at("margins"), "make the margins smaller",
            )  # fmt: skip
        logo = None
        if layout.logo:
            figure = self.image_file(layout_path(layout, layout.logo), layout.logo)
            if isinstance(figure, str):
                self.report.error("image", figure, layout.at("logo"))
            else:
                logo = str(self.files.abspath(figure.path))
        samples = self.page_texts.setdefault(leaflet.path, [])
        for key in ("header", "footer"):
            text = getattr(layout, key)
            if text is None:
                continue
            for page, pages in PAGE_KINDS:  # every branch a page number can take
                variables = {**self.page_variables(leaflet), "page": page, "pages": pages}
                sample = self.page_text(text, layout.loc.path, layout.at(key).line, variables)
                samples += [(sample, layout.at(key))] if sample is not None else []
        self.preflight(layout, colours)
        if self.report.errors > errors:
            return None
        return m.Style(
            layout.font_size, margins, fonts, colours, logo,
            layout.header, layout.footer, layout.qr, layout.loc, layout.underline_links,
        )  # fmt: skip

    def fonts(self, layout: m.Layout) -> dict[str, str]:
        if not layout.fonts:
            return {face: str(path) for face, path in BUNDLED_FONTS.items()}
        found: dict[str, str] = {}
        for face, rel in layout.fonts.items():
            path = layout_path(layout, rel)
            loc = layout.at(f"fonts.{face}")
            if path is None or not self.files.inside(path):
                self.report.error("font", f"font '{rel}' is outside the project", loc)
            elif not self.files.exists(path):
                self.report.error("font", f"font file '{path}' does not exist", loc)
            else:
                try:
                    font_cmap(self.files.abspath(path))
                    found[face] = str(self.files.abspath(path))
                except (AssetProblem, OSError) as exc:
                    self.report.error("font", f"font '{path}': {exc}", loc)
        if "regular" not in found:
            if "regular" not in layout.fonts:
                self.report.error("font", "the layout's fonts need a 'regular' face", layout.loc)
            return found
        for face in ("bold", "italic", "bold_italic"):
            found.setdefault(face, found.get(FALLBACK[face]) or found["regular"])
        return found

    def preflight(self, layout: m.Layout, colours: Mapping[str, str]) -> None:
        if layout.font_size < 12:
            self.report.warning(
                "small-font", f"font size {layout.font_size:g} pt is below 12 pt",
                layout.at("font_size"), "clear-print guidance asks for 12 pt or more",
            )  # fmt: skip
        for key in ("text", "accent"):
            ratio = contrast(colours[key], colours["background"])
            if ratio < 4.5:
                self.report.warning(
                    "low-contrast",
                    f"{key} colour {colours[key]} on {colours['background']} has contrast "
                    f"{ratio:.1f}:1, below 4.5:1 (WCAG AA)",
                    layout.locs.get(f"colours.{key}", layout.at("colours")), "choose a darker colour",
                )  # fmt: skip
        if not layout.underline_links:
            self.report.warning(
                "links-not-underlined",
                "links are not underlined, so colour alone tells them from text (WCAG 1.4.1)",
                layout.at("underline_links"), "remove 'underline_links: false'",
            )  # fmt: skip

    # -- images

    def image_file(self, rel: str | None, written: str) -> m.Figure | str:
        """A figure for a project image, or what is wrong with it."""
        if rel is None or not self.files.inside(rel):
            return f"image '{written}' is outside the project"
        if rel not in self.images:
            self.images[rel] = self.read_image(rel)
        return self.images[rel]

    def read_image(self, rel: str) -> m.Figure | str:
        if not self.files.exists(rel):
            return f"image '{rel}' does not exist"
        try:
            info = image_info(self.files.read_bytes(rel))
        except (AssetProblem, FileProblem, OSError, ValueError) as exc:
            return f"image '{rel}': {exc}"
        return m.Figure(rel, "", Location(rel), info.width, info.height)

    def check_images(self, doc: m.Document, style: m.Style) -> None:
        frame = frame_size(doc.format, style.margins)
        most = max_columns(frame[0], style.font_size)
        for node in walk(doc.body):
            columns = (
                max((len(r) for r in node.head + node.rows), default=0)
                if isinstance(node, m.TableBlock)
                else 0
            )
            if columns > most:
                self.report.error(
                    "table-width", f"the table has {columns} columns; at most {most} fit across "
                    f"a {doc.format} page at {style.font_size:g} pt", node.loc,
                    "split it into smaller tables, or turn it into a list",
                )  # fmt: skip
            if isinstance(node, m.Figure):
                width, _ = printed_size(node.width_px, node.height_px, frame)
                dpi = node.width_px / (width / 72)
                if dpi < MIN_DPI:
                    self.report.warning(
                        "low-resolution", f"image '{node.path}' prints at {dpi:.0f} dpi",
                        node.loc, f"use an image of at least {MIN_DPI} dpi at its printed size",
                    )  # fmt: skip

    # -- characters

    def check_lengths(self, doc: m.Document, style: m.Style, leaflet: m.Leaflet) -> None:
        """Refuse what cannot be laid out in reasonable time: huge paragraphs, endless words."""
        width = frame_size(doc.format, style.margins)[0]
        longest = int(width / (style.font_size * MIN_EM))  # characters, at the narrowest
        for text, loc in author_texts(doc, leaflet):
            if len(text) > MAX_PARAGRAPH:
                self.report.error(
                    "too-long", f"the text has {len(text):,} characters in one paragraph, more "
                    f"than {MAX_PARAGRAPH:,}", loc, "split it into paragraphs",
                )  # fmt: skip
                continue
            word = max(UNBREAKABLE.findall(text), key=len, default="")
            if len(word) > MAX_WORD:  # breaking it costs time that grows with its square
                self.report.error(
                    "long-word", f"'{word[:30]}…' has {len(word):,} characters without a place "
                    f"to break, more than {MAX_WORD:,}", loc,
                    "break it with spaces or hyphens, or shorten it",
                )  # fmt: skip
            elif len(word) > longest:
                self.report.warning(
                    "long-word", f"'{word[:30]}…' has {len(word)} characters without a place to "
                    f"break, more than a {doc.format} line holds; it is broken at the edge", loc,
                    "break it with spaces or hyphens where a reader expects it",
                )  # fmt: skip

    def check_text(self, doc: m.Document, leaflet: m.Leaflet) -> None:
        drawable = self.drawable(tuple(sorted(doc.style.fonts.values())))
        if drawable is None:
            return
        seen: set[tuple[str, Location]] = set()
        for text, loc in [*doc_texts(doc, leaflet), *self.page_texts.get(leaflet.path, [])]:
            if (text, loc) in seen:
                continue
            seen.add((text, loc))
            for char in self.odd_chars(text, drawable):
                if INVISIBLE.match(char):
                    self.report.warning(
                        "invisible-char", f"the text contains the invisible character {char_name(char)}",
                        loc, "remove it; it is left out of the PDF",
                    )  # fmt: skip
                else:
                    self.report.error(
                        "missing-glyph", f"the font cannot print '{char}' ({char_name(char)})",
                        loc, "write it differently or use a layout font that has it",
                    )  # fmt: skip

    def drawable(self, fonts: tuple[str, ...]) -> frozenset[int] | None:
        """Code points every face of a family can draw (cached per family)."""
        if fonts not in self.glyphs:
            try:
                self.glyphs[fonts] = frozenset.intersection(*(font_cmap(Path(f)) for f in fonts))
            except (AssetProblem, OSError):
                self.glyphs[fonts] = None
        return self.glyphs[fonts]

    def odd_chars(self, text: str, drawable: frozenset[int]) -> list[str]:
        """Invisible or undrawable characters of a text, sorted (cached: texts repeat a lot)."""
        key = (text, id(drawable))
        if key not in self.odd:
            chars = set(text) - {"\n", "\t"}
            self.odd[key] = sorted(c for c in chars if INVISIBLE.match(c) or ord(c) not in drawable)
        return self.odd[key]


def layout_path(layout: m.Layout, rel: str) -> str | None:
    """A font or logo path, written relative to the layout's folder."""
    return join_relative(f"{layout.folder}/layout.yaml", rel)


def char_name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, '')}".strip()


def contrast(fg: str, bg: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def contact_fields(block: m.Block) -> dict[str, str]:
    keys = ("title", "name", "role", "phone", "email", "hours", "address", "url", "summary")
    return {k: getattr(block, k) for k in keys if getattr(block, k) is not None}


def leaflet_fields(leaflet: m.Leaflet) -> dict[str, str]:
    out = {
        "code": leaflet.code,
        "title": leaflet.title,
        "language": leaflet.language,
        "format": leaflet.format,
        "revised": labels.long_date(leaflet.revised, leaflet.language),
        "revised_iso": leaflet.revised.isoformat(),
    }
    for key in ("subtitle", "owner", "url"):
        if getattr(leaflet, key) is not None:
            out[key] = getattr(leaflet, key)
    if leaflet.review is not None:
        out["review"] = labels.long_date(leaflet.review, leaflet.language)
    return out


# ---- A leaflet's structure: parts, anchors, nodes ----------------------------------------------


@dataclass
class Part:
    """One section of the leaflet, with its texts parsed."""

    section: m.Section
    title: str
    title_loc: Location
    block: m.Block | None = None
    source: Source | None = None
    tokens: list[Any] = field(default_factory=list)
    cards: list[tuple[m.Ref, m.Block]] = field(default_factory=list)
    anchor: str = ""
    heading_anchors: list[str] = field(default_factory=list)
    card_anchors: list[str] = field(default_factory=list)


class LeafletPlan:
    """Builds a leaflet's nodes in two passes: anchors first, then links to them."""

    def __init__(self, resolver: Resolver, leaflet: m.Leaflet) -> None:
        self.r, self.leaflet = resolver, leaflet
        self.vars = resolver.variables(leaflet)
        self.parts = [p for s in leaflet.sections if (p := self.part(s)) is not None]
        self.anchors: set[str] = set()
        self.block_anchor: dict[str, str] = {}
        self.block_heads: dict[str, dict[str, str]] = {}
        self.assign_anchors()

    def lookup(self, ref: m.Ref) -> m.Block | None:
        block = self.r.project.blocks.get(ref.id)
        if block is None and ref.id not in self.r.project.broken:
            hint = (
                did_you_mean(ref.id, self.r.project.blocks) or "block ids are paths below content/"
            )
            self.r.report.error("unknown-block", f"there is no block '{ref.id}'", ref.loc, hint)
        return block

    def part(self, section: m.Section) -> Part | None:
        ref = section.content or section.contact
        if ref is not None:
            block = self.lookup(ref)
            if block is None:
                return None
            if section.contact is not None and block.kind != "contact":
                self.r.report.error(
                    "not-a-contact", f"'{ref.id}' is a '{block.kind}' block, not a contact",
                    ref.loc, "use 'content:' for it, or set 'kind: contact' in its front matter",
                )  # fmt: skip
            part = Part(section, block.title, block.at("title"), block=block)
            part.source = self.r.expand(block.body, block.path, block.body_line, self.vars)
        else:
            part = Part(section, section.title or "", section.at("title"))
            if section.text is not None:
                path = self.leaflet.path
                part.source = self.r.expand(section.text, path, section.text_line, self.vars)
            for card in section.cards:
                self.add_card(part, card)
        if part.source is not None:
            part.tokens = self.r.parse(part.source)
        return part

    def add_card(self, part: Part, ref: m.Ref) -> None:
        block = self.lookup(ref)
        if block is None:
            return
        if not block.summary:
            self.r.report.error(
                "card-summary", f"block '{ref.id}' has no summary, so it cannot be a card",
                ref.loc, f"add 'summary: ...' to the front matter of {block.path}",
            )  # fmt: skip
        part.cards.append((ref, block))

    def assign_anchors(self) -> None:
        slug = Slugger()
        for part in self.parts:
            part.anchor = slug(part.title)
            if part.block is not None:
                self.block_anchor.setdefault(part.block.id, part.anchor)
            part.heading_anchors = [slug(text) for _, text, _ in heading_texts(part.tokens)]
            if part.block is not None:
                own = own_slugs(part.title, part.tokens)
                heads = dict(zip(own, [part.anchor, *part.heading_anchors], strict=True))
                self.block_heads.setdefault(part.block.id, heads)
            for _, block in part.cards:
                part.card_anchors.append(slug(block.title))
                self.block_anchor.setdefault(block.id, part.card_anchors[-1])
        self.anchors = slug.seen

    def nodes(self) -> tuple[m.Node, ...]:
        out: list[m.Node] = []
        for part in self.parts:
            out.extend(self.part_nodes(part))
        return tuple(out)

    def part_nodes(self, part: Part) -> list[m.Node]:
        heading = m.Heading(1, (m.Text(part.title),), part.anchor, part.title_loc, part.title)
        body: tuple[m.Node, ...] = ()
        if part.source is not None:
            anchors = iter(part.heading_anchors)
            linker = Links(self.r, self, part.source.path)
            body = Converter(part.source, 1, lambda _: next(anchors), linker).convert(part.tokens)
        if part.section.contact is not None and part.block is not None:
            return [self.contact(part, heading, body)]
        out: list[m.Node] = [heading, *body]
        if part.cards:
            cards = [
                m.Card(b.title, b.summary or "", b.url, anchor, ref.loc, dict(b.locs))
                for (ref, b), anchor in zip(part.cards, part.card_anchors, strict=True)
            ]
            out.append(m.CardGrid(tuple(cards), part.section.at("cards")))
        return out

    def contact(self, part: Part, heading: m.Heading, body: tuple[m.Node, ...]) -> m.Contact:
        b = part.block
        assert b is not None
        phone_uri = tel_uri(b.phone, self.r.project.settings.country) if b.phone else None
        if not (b.phone or b.email or b.url):
            self.r.report.warning(
                "contact-details", f"contact '{b.id}' has no phone, email or url", b.loc,
                "add at least one way to reach the contact",
            )  # fmt: skip
        return m.Contact(
            heading, b.name, b.role, b.phone, phone_uri, b.email, b.hours, b.address, b.url,
            body, part.section.loc, dict(b.locs),
        )  # fmt: skip

    def block_slugs(self, block: m.Block) -> list[str]:
        """Slugs a block has on its own: its title and its headings."""
        source = self.r.expand(block.body, block.path, block.body_line, self.vars)
        return own_slugs(block.title, self.r.parse(source) if source is not None else [])


def own_slugs(title: str, tokens: list[Any]) -> list[str]:
    """A block's slugs as if it stood alone, title first: what `block.md#slug` names."""
    own = Slugger()
    return [own(title), *(own(text) for _, text, _ in heading_texts(tokens))]


# ---- Links and images --------------------------------------------------------------------------


@dataclass
class Links:
    """Decides where each link in one text goes; reports the ones that go nowhere."""

    r: Resolver
    plan: LeafletPlan | None
    path: str

    def error(self, code: str, message: str, loc: Location, hint: str = "") -> None:
        self.r.report.error(code, message, loc, hint)

    def link(self, href: str, loc: Location, text: str = "") -> Target | None:
        if not href.strip():
            self.error("link", "the link has no target", loc, "write [text](target)")
            return None
        if href.startswith("#"):
            return self.anchor(unquote(href[1:]), loc)
        if not text.strip() and not href.startswith("#"):
            self.r.report.warning(
                "link-text", f"the link to '{href}' has no text: a reader sees nothing to click",
                loc, "write the words to click between the brackets: [text](target)",
            )  # fmt: skip
        if SCHEME.match(href):
            problem = url_problem(href, LINK_SCHEMES)
            if not problem and href[:4].lower() == "tel:":
                number = unquote(href[4:])
                found = phone_problem(number, self.r.project.settings.country)
                problem = found[1] if found and found[0] == "error" else ""
            if problem:
                self.error(
                    "link-scheme",
                    f"link '{href if len(href) <= 80 else href[:60] + '…'}' {problem}",
                    loc,
                )
                return None
            return Target(href=href)
        return self.relative(href, loc, text)

    def anchor(self, slug: str, loc: Location) -> Target | None:
        if self.plan is None:
            return Target()
        if slug in self.plan.anchors:
            return Target(anchor=slug)
        hint = (
            did_you_mean(slug, self.plan.anchors) or "link to the slug of a heading in this leaflet"
        )
        self.error("unknown-anchor", f"this leaflet has no heading '#{slug}'", loc, hint)
        return None

    def relative(self, href: str, loc: Location, text: str) -> Target | None:
        written, _, fragment = href.partition("#")
        rel = join_relative(self.path, unquote(written))
        if rel is None or not self.r.files.inside(rel):
            self.error("link-outside", f"link '{href}' leads outside the project", loc)
            return None
        if rel.startswith("content/") and rel.endswith(".md"):
            return self.to_block(rel, unquote(fragment), href, loc)
        if rel.startswith("leaflets/") and rel.endswith(".yaml"):
            return self.to_leaflet(rel, href, loc, text)
        if DOMAIN.match(written):
            self.error(
                "link-scheme", f"link '{href}' has no scheme", loc, f"write https://{written}"
            )
        elif self.r.files.exists(rel):
            self.error(
                "link-file", f"link '{href}' points to a file that is not a block or a leaflet",
                loc, "link to a content block (.md) or a leaflet (.yaml)",
            )  # fmt: skip
        else:
            self.error(
                "link-missing", f"link '{href}' points to '{rel}', which does not exist", loc
            )
        return None

    def to_block(self, rel: str, fragment: str, href: str, loc: Location) -> Target | None:
        block_id = rel.removeprefix("content/").removesuffix(".md")
        block = self.r.project.blocks.get(block_id)
        if block is None:
            if not self.r.files.exists(rel):
                hint = did_you_mean(block_id, self.r.project.blocks)
                self.error(
                    "link-missing", f"link '{href}': there is no block '{block_id}'", loc, hint
                )
            return None
        if self.plan is None:
            return Target()
        heads = self.plan.block_heads.get(block_id, {})
        if fragment and fragment in heads:
            return Target(anchor=heads[fragment])
        if not fragment and block_id in self.plan.block_anchor:
            return Target(anchor=self.plan.block_anchor[block_id])
        slugs = self.plan.block_slugs(block) if fragment else []
        if fragment and fragment not in slugs:
            hint = did_you_mean(fragment, slugs)
            self.error(
                "unknown-anchor", f"block '{block_id}' has no heading '#{fragment}'", loc, hint
            )
            return None
        if block.url is None:
            self.error(
                "link-no-url", f"'{block_id}' is not in this leaflet and has no url",
                loc, f"add 'url: https://...' to {block.path}, or add the block to the leaflet",
            )  # fmt: skip
            return None
        return Target(href=block.url)

    def to_leaflet(self, rel: str, href: str, loc: Location, text: str) -> Target | None:
        other = self.r.project.leaflet_paths.get(rel)
        if other is None:
            if not self.r.files.exists(rel):
                hint = did_you_mean(rel, self.r.project.leaflet_paths)
                self.error("link-missing", f"link '{href}': there is no leaflet '{rel}'", loc, hint)
            return None
        return Target(href=other.url, replace=(m.Text(self.leaflet_label(other, text)),))

    def leaflet_label(self, other: m.Leaflet, text: str) -> str:
        """What follows the link text: the code, and the title unless the text has it."""
        if other.title.lower() in text.lower():
            return f" ({other.code})"
        return f" ({other.title}, {other.code})"

    def image(self, src: str, alt: str, loc: Location) -> m.Figure | None:
        if not alt.strip():
            self.error(
                "image-alt", "the image has no alt text", loc,
                "describe it between the brackets: ![What the image shows](...)",
            )  # fmt: skip
            return None
        if SCHEME.match(src):
            self.error(
                "image-remote", f"image '{src}' is not a file in the project", loc,
                "save the image in the project: nothing is downloaded during a build",
            )  # fmt: skip
            return None
        figure = self.r.image_file(join_relative(self.path, unquote(src)), src)
        if isinstance(figure, str):
            self.error("image", figure, loc)
            return None
        return m.Figure(figure.path, alt.strip(), loc, figure.width_px, figure.height_px)


# ---- Walking the document ----------------------------------------------------------------------


def walk(nodes: tuple[m.Node, ...]) -> Iterator[m.Node]:
    for node in nodes:
        yield node
        if isinstance(node, m.ListBlock):
            for item in node.items:
                yield from walk(item)
        elif isinstance(node, m.Note):
            yield from walk(node.children)
        elif isinstance(node, m.Contact):
            yield node.heading
            yield from walk(node.body)


def node_texts(node: m.Node) -> Iterator[tuple[str, Location]]:
    """The texts a node prints, each with where it was written."""
    if isinstance(node, m.Heading | m.Para):
        yield m.inline_text(node.text), node.loc
    elif isinstance(node, m.TableBlock):
        for row in (*node.head, *node.rows):
            yield from ((m.inline_text(cell), node.loc) for cell in row)
    elif isinstance(node, m.CodeBlock):
        yield node.text, node.loc
    elif isinstance(node, m.Figure):
        yield node.alt, node.loc
    elif isinstance(node, m.CardGrid):
        for card in node.cards:
            for key in ("title", "summary", "url"):
                yield getattr(card, key) or "", card.locs.get(key, card.loc)
    elif isinstance(node, m.Contact):
        for key in ("name", "role", "phone", "email", "hours", "address", "url"):
            if getattr(node, key):
                yield getattr(node, key), node.locs.get(key, node.loc)


def doc_texts(doc: m.Document, leaflet: m.Leaflet) -> Iterator[tuple[str, Location]]:
    """Every text the PDF will print, with where it was written."""
    yield doc.organisation + doc.code, leaflet.at("code")
    yield " ".join(labels.LABELS[doc.language].values()) + "0123456789 ·", leaflet.loc
    yield from author_texts(doc, leaflet)


def author_texts(doc: m.Document, leaflet: m.Leaflet) -> Iterator[tuple[str, Location]]:
    """The texts the leaflet's authors wrote, with where they wrote them."""
    yield doc.title, leaflet.at("title")
    yield doc.subtitle or "", leaflet.at("subtitle")
    for node in walk(doc.body):
        yield from node_texts(node)


def make_resolver(
    project: m.Project, files: ProjectDir, report: Report, today: dt.date | None = None
) -> Resolver:
    return Resolver(project, files, report, today or dt.date.today())


def resolve(
    project: m.Project, files: ProjectDir, report: Report, today: dt.date | None = None
) -> list[m.Document]:
    """Stage 2: resolved documents for every leaflet that could be resolved."""
    return make_resolver(project, files, report, today).run()
