"""A leaflet's structure: its parts, the anchors they define, and the nodes they become.

Built in two passes, anchors first, then links to them; used by `resolve.Resolver`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pamflet import model as m
from pamflet.diagnostics import Location, did_you_mean
from pamflet.load.markdown import Converter, Slugger, Source, heading_texts
from pamflet.load.phones import tel_uri
from pamflet.resolve.links import Links

if TYPE_CHECKING:
    from pamflet.resolve.leaflets import Resolver


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
