"""Images in the text, as wide as their resolution and the width left to them allow."""

from __future__ import annotations

from reportlab.platypus import Flowable

from pamflet import model as m
from pamflet.load.rules import short_url
from pamflet.render import press
from pamflet.render.builder import Builder
from pamflet.render.primitives import Picture, tag
from pamflet.resolve.geometry import printed_size


def figure(b: Builder, node: m.Figure) -> Flowable:
    frame = (b.width, b.theme.frame_height)
    width, height = printed_size(node.width_px, node.height_px, frame)
    source = press.picture(f"{b.doc.root}/{node.path}", b.theme.cmyk)
    image = Picture(source, width=width, height=height, hAlign="LEFT")
    image.spaceAfter = b.theme.size * 0.6
    target = node.href or (f"#{node.anchor}" if node.anchor else None)
    if target is None:
        element = b.parent.add("Figure", alt=node.alt)
        return tag(image, "Figure", node.loc, element=element)
    if node.anchor:
        b.used_refs.add(node.anchor)
    described = node.alt if node.anchor else f"{node.alt}, {short_url(target)}"
    link = b.parent.add("Link", href=target, description=described)
    element = link.add("Figure", alt=node.alt)
    return tag(image, "Figure", node.loc, element=element, link=link)
