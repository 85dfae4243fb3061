"""The images step: project pictures read once, as figures, or what is wrong with them."""

from __future__ import annotations

from pamflet import model as m
from pamflet.diagnostics import Location, did_you_mean
from pamflet.load.assets import AssetProblem, image_info
from pamflet.project import FileProblem, join_relative
from pamflet.resolve.context import Context


def cover_image(ctx: Context, leaflet: m.Leaflet) -> m.Figure | None:
    """The booklet's cover picture, checked like any image; its alt text is the title."""
    if leaflet.cover_image is None:
        return None
    where = leaflet.at("cover_image")
    if leaflet.format != "A5-booklet":
        ctx.report.warning(
            "cover-image", f"'cover_image' is printed on A5-booklet covers, not {leaflet.format}",
            where, "remove it, or set 'format: A5-booklet'",
        )  # fmt: skip
        return None
    rel = join_relative(leaflet.path, leaflet.cover_image)
    figure = image_file(ctx, rel, leaflet.cover_image)
    if isinstance(figure, str):
        ctx.report.error("image", figure, where, "paths are relative to the leaflet's file")
        return None
    return m.Figure(figure.path, leaflet.title, where, figure.width_px, figure.height_px)


def image_file(ctx: Context, rel: str | None, written: str) -> m.Figure | str:
    """A figure for a project image, or what is wrong with it."""
    if rel is None or not ctx.files.inside(rel):
        return f"image '{written}' is outside the project"
    if rel not in ctx.images:
        ctx.images[rel] = read_image(ctx, rel)
    ctx.reads.add(rel)
    return ctx.images[rel]


IMAGES = (".png", ".jpg", ".jpeg", ".PNG", ".JPG", ".JPEG")


def read_image(ctx: Context, rel: str) -> m.Figure | str:
    if not ctx.files.exists(rel):
        folder, _, name = rel.rpartition("/")
        nearby = {
            p.rpartition("/")[2]: p
            for suffix in IMAGES
            for p in ctx.files.files(folder or ".", suffix)
            if p.rpartition("/")[0] == folder
        }
        close = did_you_mean(name, nearby)
        return f"image '{rel}' does not exist" + (f"; {close}" if close else "")
    try:
        info = image_info(ctx.files.read_bytes(rel))
    except (AssetProblem, FileProblem, OSError, ValueError) as exc:
        return f"image '{rel}': {exc}"
    return m.Figure(rel, "", Location(rel), info.width, info.height)
