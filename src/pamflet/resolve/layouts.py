"""Layouts and images, for the resolver: the house style as a `Style`, pictures as figures."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pamflet import model as m
from pamflet.diagnostics import Location, did_you_mean
from pamflet.load.assets import AssetProblem, font_cmap, image_info
from pamflet.load.schema import MM
from pamflet.project import FileProblem, join_relative
from pamflet.resolve.geometry import default_margins, frame_size

if TYPE_CHECKING:
    from pamflet.diagnostics import Report
    from pamflet.project import ProjectDir

PAGE_KINDS = ((1, 1), (1, 2), (2, 2), (2, 3), (3, 3), (10, 12))  # (page, pages) to try
FONT_DIR = Path(__file__).parent.parent / "fonts"
BUNDLED_FONTS = {
    "regular": FONT_DIR / "LiberationSans-Regular.ttf",
    "bold": FONT_DIR / "LiberationSans-Bold.ttf",
    "italic": FONT_DIR / "LiberationSans-Italic.ttf",
    "bold_italic": FONT_DIR / "LiberationSans-BoldItalic.ttf",
}
FALLBACK = {"bold": "regular", "italic": "regular", "bold_italic": "bold"}
COLOURS = {"text": "#1a1a1a", "accent": "#005a9c", "background": "#ffffff"}


class Styling:
    """Resolver methods for layouts, fonts and images (mixed into `Resolver`)."""

    project: m.Project
    files: ProjectDir
    report: Report
    images: dict[str, m.Figure | str]
    reads: set[str]

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
