"""Images in the text, as wide as their resolution and the width left to them allow."""

from __future__ import annotations

from reportlab.platypus import Flowable

from pamflet import model as m
from pamflet.render.builder import Builder
from pamflet.render.primitives import Picture, tag
from pamflet.resolve.geometry import printed_size


def figure(b: Builder, node: m.Figure) -> Flowable:
    frame = (b.width, b.theme.frame_height)
    width, height = printed_size(node.width_px, node.height_px, frame)
    image = Picture(f"{b.doc.root}/{node.path}", width=width, height=height, hAlign="LEFT")
    image.spaceAfter = b.theme.size * 0.6
    element = b.parent.add("Figure", alt=node.alt)
    return tag(image, "Figure", node.loc, element=element)
