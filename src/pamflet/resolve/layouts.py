"""The layouts step: a leaflet's house style as a `Style` (fonts, colours, margins, logo, header
and footer tried on every kind of page)."""

from __future__ import annotations

from pathlib import Path

from pamflet import model as m
from pamflet.diagnostics import Location, did_you_mean
from pamflet.load.assets import AssetProblem, font_advances, font_cmap
from pamflet.load.markdown import Source
from pamflet.load.rules import MM
from pamflet.project import join_relative
from pamflet.resolve.context import Context
from pamflet.resolve.fonts import ARABIC_ALEF, BUNDLED_FONTS, FALLBACK, RIGHT_TO_LEFT_FONTS
from pamflet.resolve.geometry import (
    PAGE_TEXT_SCALE,
    default_margins,
    footer_fits,
    frame_size,
    header_room,
    page_size,
)
from pamflet.resolve.images import image_file
from pamflet.resolve.preflight import house_style
from pamflet.resolve.templates import page_text, page_variables, template

PAGE_KINDS = ((1, 1), (1, 2), (2, 2), (2, 3), (3, 3), (10, 12))  # (page, pages) to try
COLOURS = {"text": "#1a1a1a", "accent": "#005a9c", "background": "#ffffff"}


def style(ctx: Context, leaflet: m.Leaflet) -> m.Style | None:
    name = leaflet.layout
    layout = ctx.project.layouts.get(name)
    if layout is None:
        explicit = leaflet.locs.get("layout") or ctx.project.settings.locs.get("layout")
        ctx.missed.add("layout")  # a layout made later must be read
        if explicit is None:
            layout = m.Layout(Location("pamflet.yaml"), name=name, folder=f"layouts/{name}")
        else:
            hint = did_you_mean(name, ctx.project.layouts) or "create layouts/<name>/layout.yaml"
            ctx.report.error("unknown-layout", f"there is no layout '{name}'", explicit, hint)
            return None
    errors = ctx.report.errors
    faces = fonts(ctx, layout, leaflet.language)
    colours = {**COLOURS, **layout.colours}
    colours.setdefault("heading", colours["accent"])
    margins = layout.margins or default_margins(leaflet.format)
    width, height = frame_size(leaflet.format, margins)
    if width < 60 * MM or height < 80 * MM:
        ctx.report.error(
            "margins", f"these margins leave only {width / MM:.0f} x {height / MM:.0f} mm for "
            f"text on {leaflet.format} pages", layout.at("margins"), "make the margins smaller",
        )  # fmt: skip
    logo, logo_figure = None, None
    if layout.logo:
        figure = image_file(ctx, layout_path(layout, layout.logo), layout.logo)
        if isinstance(figure, str):
            ctx.report.error("image", figure, layout.at("logo"))
        else:
            logo, logo_figure = str(ctx.files.abspath(figure.path)), figure
    logo_px = (logo_figure.width_px, logo_figure.height_px) if logo_figure else None
    page_texts(ctx, leaflet, layout, faces, margins, logo_px)
    house_style(ctx, layout, colours)
    if ctx.report.errors > errors:
        return None
    return m.Style(
        layout.font_size, margins, faces, colours, logo,
        layout.header, layout.footer, layout.qr, layout.loc, layout.underline_links,
        layout.hyphenate, layout.toc, layout.colour, layout.cover, layout.notes_pages,
        layout.draft_mark, layout.logo_alt, layout.max_notes_pages,
    )  # fmt: skip


def page_texts(
    ctx: Context, leaflet: m.Leaflet, layout: m.Layout, faces: dict[str, str],
    margins: tuple[float, float, float, float], logo_px: tuple[int, int] | None,
) -> None:  # fmt: skip
    """The header and footer as every kind of page prints them: kept for the glyph check (with
    every character the templates hold, printed on whichever page), and measured as the page
    decorator will measure them, so that check says what build will say."""
    samples = ctx.page_texts.setdefault(leaflet.path, [])
    first_room, room = header_room(page_size(leaflet.format)[0], margins, logo_px)
    size = layout.font_size * PAGE_TEXT_SCALE
    for key in ("header", "footer"):
        text = getattr(layout, key)
        if text is None:
            continue
        raw = Source(layout.loc.path, layout.at(key).line, text, places=layout.places.get(key, ()))
        where = raw.at(0, 1)
        compiled = template(ctx, raw)
        if compiled is not None:
            samples.append((compiled.literals, where))
        for page, pages in PAGE_KINDS:  # every branch a page number can take
            variables = {**page_variables(ctx, leaflet), "page": page, "pages": pages}
            about = f" (page {page} of {pages} of {leaflet.code})"
            sample = page_text(ctx, raw, variables, about)
            if sample is None:
                break
            samples.append((sample, where))
            lines = [line.strip() for line in sample.strip().split("\n")]
            if key == "header" and page == 1 and logo_px is not None:
                face, width, line_size = faces.get("bold"), first_room, layout.font_size
            else:
                face, width, line_size = faces.get("regular"), room, size
            if face is not None and too_wide(ctx, key, lines, face, line_size, width, page, where):
                break
            if key == "footer" and not footer_fits(len(lines), size, margins[2]):
                ctx.report.error(
                    "page-text", f"the footer's {len(lines)} lines do not fit below the text",
                    where, "make the footer shorter, or the bottom margin larger",
                )  # fmt: skip
                break


def too_wide(
    ctx: Context, key: str, lines: list[str], face: str, size: float, room: float, page: int,
    where: Location,
) -> bool:  # fmt: skip
    """Report a header or footer line wider than the page (page decorator's measure)."""
    try:
        advances = font_advances(Path(face))
    except (AssetProblem, OSError):
        return False
    wide = next((x for x in lines if advances.width(x, size) > room), None)
    if wide is None:
        return False
    ctx.report.error(
        "page-text", f"the {key} is wider than the page on page {page}: '{wide[:40]}…'",
        where, f"make the layout's {key} shorter, or split it over two lines",
    )  # fmt: skip
    return True


def fonts(ctx: Context, layout: m.Layout, language: str = "") -> dict[str, str]:
    if not layout.fonts:
        bundled = RIGHT_TO_LEFT_FONTS if language in m.RIGHT_TO_LEFT else BUNDLED_FONTS
        return {face: str(path) for face, path in bundled.items()}
    found: dict[str, str] = {}
    for face, rel in layout.fonts.items():
        path = layout_path(layout, rel)
        loc = layout.at(f"fonts.{face}")
        if path is None or not ctx.files.inside(path):
            ctx.report.error("font", f"font '{rel}' is outside the project", loc)
        elif not ctx.files.exists(path):
            ctx.report.error("font", f"font file '{path}' does not exist", loc)
        else:
            try:
                font_cmap(ctx.files.abspath(path))
                found[face] = str(ctx.files.abspath(path))
            except (AssetProblem, OSError) as exc:
                ctx.report.error("font", f"font '{path}': {exc}", loc)
    if "regular" not in found:
        if "regular" not in layout.fonts:
            ctx.report.error("font", "the layout's fonts need a 'regular' face", layout.loc)
        return found
    if language in m.RIGHT_TO_LEFT and ARABIC_ALEF not in font_cmap(Path(found["regular"])):
        # The house font has no Arabic: an Arabic version is set in the bundled DejaVu Sans.
        return {face: str(path) for face, path in RIGHT_TO_LEFT_FONTS.items()}
    for face in ("bold", "italic", "bold_italic"):
        found.setdefault(face, found.get(FALLBACK[face]) or found["regular"])
    return found


def layout_path(layout: m.Layout, rel: str) -> str | None:
    """A font or logo path, written relative to the layout's folder."""
    return join_relative(f"{layout.folder}/layout.yaml", rel)
