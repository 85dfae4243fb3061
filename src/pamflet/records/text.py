"""A leaflet's resolved text, section by section: what a release archives and `diff` compares.

Resolved means after templates, shared blocks and contacts: a phone number changed in a contact
block shows in every leaflet that prints it, because the text is taken from the Document.
"""

from __future__ import annotations

from pamflet import model as m
from pamflet.load.rules import short_url


def sections(doc: m.Document) -> list[tuple[str, str]]:
    """(title, text) per section: the title block first, then each top-level heading's part."""
    head = [doc.title, doc.subtitle or "", f"{doc.code} · {doc.revised.isoformat()}"]
    out: list[tuple[str, list[str]]] = [(doc.title, [line for line in head if line])]
    for node in doc.nodes:
        if isinstance(node, m.Heading) and node.level <= 2:
            if node.level == 1:  # a first block named as the leaflet: the title
                continue
            out.append((node.plain, []))
        elif isinstance(node, m.Contact):
            out.append((node.heading.plain, contact_lines(node)))
        else:
            out[-1][1].extend(node_lines(node))
    seen: dict[str, int] = {}
    named = []
    for title, lines in out:  # sections are matched by title: a repeated one is numbered
        seen[title] = seen.get(title, 0) + 1
        named.append((title if seen[title] == 1 else f"{title} ({seen[title]})", "\n".join(lines)))
    return named


def contact_lines(node: m.Contact) -> list[str]:
    fields = [node.name, node.role, node.phone, node.email, node.hours, node.address, node.url]
    lines = [str(f) for f in fields if f]
    for child in node.body:
        lines.extend(node_lines(child))
    return lines


def node_lines(node: m.Node) -> list[str]:
    if isinstance(node, m.Heading):
        return ["#" * node.level + " " + node.plain]
    if isinstance(node, m.Para):
        return [inline(node.text)]
    if isinstance(node, m.ListBlock):
        out = []
        for number, item in enumerate(node.items, start=node.start):
            mark = f"{number}." if node.ordered else "-"
            lines = [line for child in item for line in node_lines(child)]
            out.extend(f"{mark} {line}" if i == 0 else f"  {line}" for i, line in enumerate(lines))
        return out
    if isinstance(node, m.TableBlock):
        return [" | ".join(inline(cell) for cell in row) for row in (*node.head, *node.rows)]
    if isinstance(node, m.Figure):
        return [f"[{node.alt}]"]
    if isinstance(node, m.Note):
        return [line for child in node.children for line in node_lines(child)]
    if isinstance(node, m.CodeBlock):
        return node.text.splitlines()
    if isinstance(node, m.CardGrid):
        return [
            " ".join(x for x in (c.title + ":", c.summary, c.url or "") if x) for c in node.cards
        ]
    if isinstance(node, m.Contact):
        return [node.heading.plain, *contact_lines(node)]
    return []


def inline(runs: tuple[m.Inline, ...]) -> str:
    """Inline text, a link's address after its words when they differ."""
    out = []
    for run in runs:
        if isinstance(run, m.Text):
            out.append(run.text)
        elif isinstance(run, m.Break):
            out.append(" ")
        elif isinstance(run, m.Styled | m.Span):
            out.append(inline(run.children))
        elif isinstance(run, m.Link):
            words = inline(run.children)
            target = run.href or ""
            shown = not target.startswith(("http://", "https://")) or short_url(target) in words
            out.append(words if shown else f"{words} ({target})")
    return " ".join("".join(out).split())
