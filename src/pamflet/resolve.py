"""Stage 2: resolve every reference and template into Documents; writes nothing."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pamflet import labels, templating
from pamflet import model as m
from pamflet.assets import AssetProblem, font_cmap, image_info
from pamflet.diagnostics import Location, Report, did_you_mean
from pamflet.geometry import default_margins, frame_size
from pamflet.links import Links
from pamflet.markdown import Converter, Slugger, Source, heading_texts, parse
from pamflet.memo import Memo
from pamflet.phones import tel_uri
from pamflet.preflight import Preflight
from pamflet.project import FileProblem, ProjectDir, join_relative
from pamflet.schema import MM

TOC_MODES = {"auto": None, "always": True, "never": False}
PARSED_KEPT = 256  # parsed texts kept in memory: a catalogue's would take gigabytes
PAGE_KINDS = ((1, 1), (1, 2), (2, 2), (2, 3), (3, 3), (10, 12))  # (page, pages) to try

FONT_DIR = Path(__file__).parent / "fonts"
BUNDLED_FONTS = {
    "regular": FONT_DIR / "LiberationSans-Regular.ttf",
    "bold": FONT_DIR / "LiberationSans-Bold.ttf",
    "italic": FONT_DIR / "LiberationSans-Italic.ttf",
    "bold_italic": FONT_DIR / "LiberationSans-BoldItalic.ttf",
}
FALLBACK = {"bold": "regular", "italic": "regular", "bold_italic": "bold"}
COLOURS = {"text": "#1a1a1a", "accent": "#005a9c", "background": "#ffffff"}
# ---- The resolver ------------------------------------------------------------------------------


@dataclass
class Resolver(Preflight):
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
    used: set[str] = field(default_factory=set)  # blocks a leaflet shows, links to or names
    # Where each block is used: block id -> {(leaflet code, where, how)}; for `pamflet list`.
    uses: dict[str, dict[tuple[str, Location, str], None]] = field(default_factory=dict)
    current: str | None = None  # the code of the leaflet being resolved
    named: dict[tuple[str, int], frozenset[str]] = field(default_factory=dict)
    touched: set[str] = field(default_factory=set)  # contacts the running template named
    reads: set[str] = field(default_factory=set)  # image files the running unit read
    memo: Memo | None = None  # the check cache: reuse what did not change
    inputs: dict[str, str] = field(default_factory=dict)  # leaflet code -> key of its inputs

    def use(self, block_id: str, loc: Location, how: str) -> None:
        """Record that the current leaflet shows, links to or names a block at `loc`."""
        self.used.add(block_id)
        if self.current is not None:
            self.uses.setdefault(block_id, {})[(self.current, loc, how)] = None

    def run(self) -> list[m.Document]:
        """Resolve every leaflet; with a memo, the documents of unchanged leaflets are left out
        (their reports are replayed; `inputs` still names them)."""
        checked: set[str] = set()
        docs = []
        for leaflet in self.project.leaflets:
            # A block whose text a leaflet shows is checked there, on all that its own check
            # covers and more (the same text, the same reports); a card's block is checked alone,
            # before the leaflet, so that its text is parsed once.
            checked.update(shown_refs(leaflet))
            for ref in card_refs(leaflet):
                if ref not in checked and (block := self.project.blocks.get(ref)) is not None:
                    self.check_unit(block)
                    checked.add(ref)
            docs.append(self.unit(f"leaflet:{leaflet.code}", leaflet, True,
                                  lambda lf=leaflet: self.leaflet(lf)))  # fmt: skip
        for block in self.project.blocks.values():
            if block.id not in checked:
                self.check_unit(block)
        self.check_unused()
        return [doc for doc in docs if doc is not None]

    def check_unit(self, block: m.Block) -> None:
        self.unit(f"block:{block.id}", block, False, lambda: self.check_block(block))

    def unit(self, name: str, obj: Any, dated: bool, work: Callable[[], Any]) -> Any:
        """Run `work` (one block's check, one leaflet's resolution), or replay its cached
        report when nothing it read has changed."""
        memo = self.memo
        if memo is not None and (hit := memo.lookup(name, obj, self.project, dated)):
            self.report.extend(hit.replay())
            self.used.update(hit.used)
            if isinstance(obj, m.Leaflet):
                self.inputs[obj.code] = hit.inputs
            return None
        outer, self.report = self.report, Report(severities=self.report.severities)
        used_before, self.reads = set(self.used), set()
        try:
            result = work()
        finally:
            captured, self.report = self.report, outer
        self.report.extend(captured.diagnostics)
        if memo is not None:
            used = sorted(self.used - used_before)
            if isinstance(obj, m.Leaflet):
                used = sorted({b for b, u in self.uses.items() if any(x[0] == obj.code for x in u)})
            unit = memo.record(name, obj, self.project, captured.diagnostics, used,
                               sorted(self.reads), dated)  # fmt: skip
            if isinstance(obj, m.Leaflet):
                self.inputs[obj.code] = unit.inputs
        return result

    def check_unused(self) -> None:
        """A block no leaflet uses is probably forgotten, or left behind by a rename."""
        if not self.project.leaflets or any(
            d.location.path.startswith("leaflets/") and d.severity == "error"
            for d in self.report.diagnostics
        ):  # a leaflet that failed to load may well use it
            return
        for block in self.project.blocks.values():
            if block.id not in self.used:
                self.report.warning(
                    "unused-block", f"no leaflet uses block '{block.id}'", block.loc,
                    "add it to a leaflet, link to it, or delete it",
                )  # fmt: skip

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
        self, text: str, path: str, first_line: int, variables: Mapping[str, Any], indent: int = 0
    ) -> Source | None:
        template = self.template(text, path, first_line)
        if template is None:
            return None
        shared = not template.needs("leaflet")  # the same text in every leaflet: expand once
        key = (path, first_line)
        if shared and key in self.sources:
            source = self.sources[key]
        else:
            self.touched = set()
            try:
                source = Source(path, first_line, templating.render(template, variables), indent)
            except templating.TemplateProblem as exc:
                self.template_error(exc, path, first_line)
                source = Source(path, first_line, text, indent)  # still check links and images
            self.named[key] = frozenset(self.touched)
            if shared:
                self.sources[key] = source
        lines = text.split("\n") if self.named[key] else []
        for block_id in sorted(self.named[key]):
            at = next((i for i, line in enumerate(lines) if block_id in line), 0)
            col = max(lines[at].find(block_id), 0) + 1 + indent
            self.use(block_id, Location(path, first_line + at, col), "template")
        return source

    def parse(self, source: Source) -> list[Any]:
        """Markdown tokens of a text. Texts repeat (a block's own check, then each leaflet that
        shows it), so the latest are kept; tokens are large, so only the latest few hundred."""
        tokens = self.parsed.pop(source.text, None)
        if tokens is None:
            tokens = parse(source.text)
            if len(self.parsed) >= PARSED_KEPT:
                del self.parsed[next(iter(self.parsed))]  # the least recently used
        self.parsed[source.text] = tokens
        return tokens

    @functools.cached_property
    def contacts(self) -> templating.Strict:
        """`contacts[...]` in templates: the same table for every leaflet."""
        table = {
            b.id: templating.Strict(f"field of contact '{b.id}'", contact_fields(b))
            for b in self.project.blocks.values()
            if b.kind == "contact"
        }
        return templating.Strict("contact", table, on_use=self.touched_contact)

    def touched_contact(self, block_id: str) -> None:
        self.used.add(block_id)
        self.touched.add(block_id)

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
        self.current = leaflet.code
        plan = LeafletPlan(self, leaflet)
        body = plan.nodes()
        self.current = None
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
            toc=TOC_MODES[leaflet.toc or style.toc],
            style=style,
            body=body,
            source=leaflet.loc,
            root=self.project.root,
            fields=leaflet_fields(leaflet),
            country=self.project.settings.country,
            cover_image=self.cover_image(leaflet),
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
        colours.setdefault("heading", colours["accent"])
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
            layout.hyphenate, layout.toc, layout.colour, layout.cover, layout.notes_pages,
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

    # -- images

    def cover_image(self, leaflet: m.Leaflet) -> m.Figure | None:
        """The booklet's cover picture, checked like any image; its alt text is the title."""
        if leaflet.cover_image is None:
            return None
        where = leaflet.at("cover_image")
        if leaflet.format != "A5-booklet":
            self.report.warning(
                "cover-image", f"'cover_image' is printed on A5-booklet covers, not {leaflet.format}",
                where, "remove it, or set 'format: A5-booklet'",
            )  # fmt: skip
            return None
        rel = join_relative(leaflet.path, leaflet.cover_image)
        figure = self.image_file(rel, leaflet.cover_image)
        if isinstance(figure, str):
            self.report.error("image", figure, where, "paths are relative to the leaflet's file")
            return None
        return m.Figure(figure.path, leaflet.title, where, figure.width_px, figure.height_px)

    def image_file(self, rel: str | None, written: str) -> m.Figure | str:
        """A figure for a project image, or what is wrong with it."""
        if rel is None or not self.files.inside(rel):
            return f"image '{written}' is outside the project"
        if rel not in self.images:
            self.images[rel] = self.read_image(rel)
        self.reads.add(rel)
        return self.images[rel]

    def read_image(self, rel: str) -> m.Figure | str:
        if not self.files.exists(rel):
            return f"image '{rel}' does not exist"
        try:
            info = image_info(self.files.read_bytes(rel))
        except (AssetProblem, FileProblem, OSError, ValueError) as exc:
            return f"image '{rel}': {exc}"
        return m.Figure(rel, "", Location(rel), info.width, info.height)


def layout_path(layout: m.Layout, rel: str) -> str | None:
    """A font or logo path, written relative to the layout's folder."""
    return join_relative(f"{layout.folder}/layout.yaml", rel)


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
        self.unsure = False  # a text failed to load or expand: its headings are unknown
        self.back = back_sections(leaflet, resolver)
        self.parts = [p for s in leaflet.sections if (p := self.part(s)) is not None]
        self.anchors: set[str] = set()
        self.block_anchor: dict[str, str] = {}
        self.block_heads: dict[str, dict[str, str]] = {}
        self.assign_anchors()

    def lookup(self, ref: m.Ref, how: str) -> m.Block | None:
        block = self.r.project.blocks.get(ref.id)
        if block is not None:
            self.r.use(block.id, ref.loc, how)
        if block is None and ref.id not in self.r.project.broken:
            hint = (
                did_you_mean(ref.id, self.r.project.blocks) or "block ids are paths below content/"
            )
            self.r.report.error("unknown-block", f"there is no block '{ref.id}'", ref.loc, hint)
        return block

    def part(self, section: m.Section) -> Part | None:
        ref = section.content or section.contact
        if ref is not None:
            block = self.lookup(ref, "contact" if section.contact is not None else "section")
            if block is None:
                self.unsure |= ref.id in self.r.project.broken
                return None
            if section.contact is not None and block.kind != "contact":
                self.r.report.error(
                    "not-a-contact", f"'{ref.id}' is a '{block.kind}' block, not a contact",
                    ref.loc, "use 'content:' for it, or set 'kind: contact' in its front matter",
                )  # fmt: skip
            part = Part(section, block.title, block.at("title"), block=block)
            part.source = self.r.expand(block.body, block.path, block.body_line, self.vars)
            self.unsure |= part.source is None
        else:
            part = Part(section, section.title or "", section.at("title"))
            if section.text is not None:
                path = self.leaflet.path
                part.source = self.r.expand(
                    section.text, path, section.text_line, self.vars, section.text_indent
                )
                self.unsure |= part.source is None
            for card in section.cards:
                self.add_card(part, card)
        if part.source is not None:
            part.tokens = self.r.parse(part.source)
        return part

    def add_card(self, part: Part, ref: m.Ref) -> None:
        block = self.lookup(ref, "card")
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
            body, part.section.loc, dict(b.locs), part.section in self.back,
        )  # fmt: skip

    def block_slugs(self, block: m.Block) -> list[str] | None:
        """Slugs a block has on its own: its title and its headings; None if its text failed."""
        source = self.r.expand(block.body, block.path, block.body_line, self.vars)
        return None if source is None else own_slugs(block.title, self.r.parse(source))


def shown_refs(leaflet: m.Leaflet) -> list[str]:
    """The blocks whose text a leaflet shows: sections and contacts."""
    return [r.id for s in leaflet.sections for r in (s.content, s.contact) if r is not None]


def card_refs(leaflet: m.Leaflet) -> list[str]:
    """The blocks a leaflet shows as cards (title, summary and address only)."""
    return [r.id for s in leaflet.sections for r in s.cards]


def back_sections(leaflet: m.Leaflet, r: Resolver) -> list[m.Section]:
    """The contact sections an A5 booklet prints on its back cover: those marked `back: true`,
    else the last contact section. Other formats have no back cover: `back` is a warning."""
    marked = [s for s in leaflet.sections if s.back]
    for section in marked:
        if section.contact is None:
            r.report.error(
                "back-cover", "only a contact section can go on the back cover",
                section.at("back"), "remove 'back: true', or make this a '- contact:' item",
            )  # fmt: skip
    if leaflet.format != "A5-booklet":
        for section in marked:
            r.report.warning(
                "back-cover", f"'back: true' only applies to A5-booklet leaflets, not {leaflet.format}",
                section.at("back"), "remove it, or set 'format: A5-booklet'",
            )  # fmt: skip
        return []
    contacts = [s for s in leaflet.sections if s.contact is not None]
    return [s for s in marked if s.contact is not None] or contacts[-1:]


def own_slugs(title: str, tokens: list[Any]) -> list[str]:
    """A block's slugs as if it stood alone, title first: what `block.md#slug` names."""
    own = Slugger()
    return [own(title), *(own(text) for _, text, _ in heading_texts(tokens))]


def make_resolver(
    project: m.Project, files: ProjectDir, report: Report, today: dt.date | None = None
) -> Resolver:
    return Resolver(project, files, report, today or dt.date.today())


def resolve(
    project: m.Project, files: ProjectDir, report: Report, today: dt.date | None = None
) -> list[m.Document]:
    """Stage 2: resolved documents for every leaflet that could be resolved."""
    return make_resolver(project, files, report, today).run()
