"""Lists, bulleted and numbered, nested: tagged L, LI, Lbl and LBody."""

from __future__ import annotations

from reportlab.platypus import Flowable, ListFlowable, ListItem, Paragraph, Spacer

from pamflet import model as m
from pamflet.render.builder import Builder
from pamflet.render.primitives import tag, tag_bullet


def listing(b: Builder, node: m.ListBlock, depth: int) -> Flowable:
    items, bullets = [], []
    element = b.parent.add("L")
    for item in node.items:
        entry = element.add("LI")
        bullets.append(entry.add("Lbl"))
        with b.narrower(b.theme.size * 1.4), b.within("LBody", entry.add("LBody")):
            inner = b.flowables(item, depth + 1) or [Spacer(1, 1)]
        for flowable in inner:  # the last paragraph of an item needs no space below it
            if isinstance(flowable, Paragraph):
                flowable.style = flowable.style.clone("item", spaceAfter=b.theme.size * 0.2)
        items.append(tag(ListItem(inner), "LI", node.loc))
    size = b.theme.size
    common = {  # right to left: the bullets on the right
        ("rightIndent" if b.rtl else "leftIndent"): size * 1.4,
        "bulletDir": "rtl" if b.rtl else "ltr",
        "bulletFontName": b.theme.fonts["regular"],
        "bulletFontSize": size,
        "bulletColor": b.theme.accent,
        "spaceAfter": size * 0.4 if depth == 0 else 0,
    }
    if node.ordered:
        kind = "1ai"[depth % 3]
        fmt = "%s." if kind == "1" else "%s)"
        flow = ListFlowable(
            items, bulletType=kind, start=str(node.start), bulletFormat=fmt, **common
        )
    else:
        flow = ListFlowable(items, bulletType="bullet", start=b.theme.bullet(depth), **common)
    drawers = [x._bullet for x in flow._content if getattr(x, "_bullet", None)]
    for drawer, label in zip(drawers, bullets, strict=False):
        tag_bullet(drawer, label)
    return tag(flow, "L", node.loc)
