"""The links and images step: where each one in a text goes; the ones that go nowhere are
reported."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from pamflet import model as m
from pamflet.diagnostics import Location, did_you_mean
from pamflet.load.markdown import Target
from pamflet.load.phones import phone_problem
from pamflet.load.rules import LINK_SCHEMES, url_problem
from pamflet.project import join_relative
from pamflet.resolve.anchors import Anchors, block_slugs
from pamflet.resolve.context import Context
from pamflet.resolve.images import image_file

SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
DOMAIN = re.compile(r"^(www\.|[\w-]+\.(nl|com|org|net|eu|be|de|info)(/|$))", re.I)


@dataclass
class Links:
    """Decides where each link in one text goes; reports the ones that go nowhere."""

    ctx: Context
    anchors: Anchors | None  # None: a block checked alone, outside any leaflet
    path: str

    def error(self, code: str, message: str, loc: Location, hint: str = "") -> None:
        self.ctx.report.error(code, message, loc, hint)

    def warning(self, code: str, message: str, loc: Location, hint: str = "") -> None:
        self.ctx.report.warning(code, message, loc, hint)

    def link(self, href: str, loc: Location, text: str = "") -> Target | None:
        if not href.strip():
            self.error("link", "the link has no target", loc, "write [text](target)")
            return None
        if href.startswith("#"):
            return self.anchor(unquote(href[1:]), loc)
        if not text.strip() and not href.startswith("#"):
            self.ctx.report.warning(
                "link-text", f"the link to '{href}' has no text: a reader sees nothing to click",
                loc, "write the words to click between the brackets: [text](target)",
            )  # fmt: skip
        if SCHEME.match(href):
            problem = url_problem(href, LINK_SCHEMES)
            if not problem and href[:4].lower() == "tel:":
                number = unquote(href[4:])
                found = phone_problem(number, self.ctx.project.settings.country)
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
        if self.anchors is None:
            return Target()
        if slug in self.anchors.names:
            return Target(anchor=slug)
        if self.anchors.unsure:  # a text that failed has unknown headings; its error says so
            return None
        hint = (
            did_you_mean(slug, self.anchors.names)
            or "link to the slug of a heading in this leaflet"
        )
        self.error("unknown-anchor", f"this leaflet has no heading '#{slug}'", loc, hint)
        return None

    def relative(self, href: str, loc: Location, text: str) -> Target | None:
        written, _, fragment = href.partition("#")
        rel = join_relative(self.path, unquote(written))
        if rel is None or not self.ctx.files.inside(rel):
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
        elif self.ctx.files.exists(rel):
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
        block = self.ctx.project.blocks.get(block_id)
        if block is None:
            self.ctx.missed.add("block")
            if not self.ctx.files.exists(rel):
                hint = did_you_mean(block_id, self.ctx.project.blocks)
                self.error(
                    "link-missing", f"link '{href}': there is no block '{block_id}'", loc, hint
                )
            return None
        if self.anchors is None:  # a block's own check: it depends on the block being there
            self.ctx.reads.add(block.path)
            return Target()
        self.ctx.use(block_id, loc, "link")
        heads = self.anchors.block_heads.get(block_id, {})
        if fragment and fragment in heads:
            return Target(anchor=heads[fragment])
        if not fragment and block_id in self.anchors.block_anchor:
            return Target(anchor=self.anchors.block_anchor[block_id])
        slugs = block_slugs(self.ctx, self.anchors, block) if fragment else []
        if slugs is None:  # its text failed to expand, and that error is reported
            return None
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
        other = self.ctx.project.leaflet_paths.get(rel)
        self.ctx.linked.add(rel)  # its facts, or its absence, are in the unit's key
        if other is None:
            if not self.ctx.files.exists(rel):
                hint = did_you_mean(rel, self.ctx.project.leaflet_paths)
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
        figure = image_file(self.ctx, join_relative(self.path, unquote(src)), src)
        if isinstance(figure, str):
            self.error("image", figure, loc)
            return None
        return m.Figure(figure.path, alt.strip(), loc, figure.width_px, figure.height_px)
