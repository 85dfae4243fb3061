"""The contacts step: a contact section as a `Contact` node, and which go on a back cover."""

from __future__ import annotations

from pamflet import model as m
from pamflet.load.phones import tel_uri
from pamflet.resolve.context import Context
from pamflet.resolve.sections import Part


def contact(
    ctx: Context, part: Part, heading: m.Heading, body: tuple[m.Node, ...], back: bool
) -> m.Contact:
    b = part.block
    assert b is not None
    phone_uri = tel_uri(b.phone, ctx.project.settings.country) if b.phone else None
    if not (b.phone or b.email or b.url):
        ctx.report.warning(
            "contact-details", f"contact '{b.id}' has no phone, email or url", b.loc,
            "add at least one way to reach the contact",
        )  # fmt: skip
    return m.Contact(
        heading, b.name, b.role, b.phone, phone_uri, b.email, b.hours, b.address, b.url,
        body, part.section.loc, dict(b.locs), back,
    )  # fmt: skip


def back_sections(ctx: Context, leaflet: m.Leaflet) -> list[m.Section]:
    """The contact sections an A5 booklet prints on its back cover: those marked `back: true`,
    else the last contact section. Other formats have no back cover: `back` is a warning."""
    marked = [s for s in leaflet.sections if s.back]
    for section in marked:
        if section.contact is None:
            ctx.report.error(
                "back-cover", "only a contact section can go on the back cover",
                section.at("back"), "remove 'back: true', or make this a '- contact:' item",
            )  # fmt: skip
    if leaflet.format != "A5-booklet":
        for section in marked:
            ctx.report.warning(
                "back-cover", f"'back: true' only applies to A5-booklet leaflets, not {leaflet.format}",
                section.at("back"), "remove it, or set 'format: A5-booklet'",
            )  # fmt: skip
        return []
    contacts = [s for s in leaflet.sections if s.contact is not None]
    return [s for s in marked if s.contact is not None] or contacts[-1:]
