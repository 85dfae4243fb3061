"""The review copy's document: the current leaflet, node for node, with what changed since an
older version marked in it: inserted words underlined in one colour, removed words struck
through in another (`Styled('ins' | 'del')`).

The older version is known only as resolved text by section (records/text.py: what a release
archives), so the two are matched line by line within each section, a line being what
`node_lines` makes of a node: a paragraph, a heading, a list item, a table row, a card. A line
that changed is shown as its word diff; a new line keeps its own formatting, underlined; a
removed line is struck through where it stood. Nodes that hold several lines (cards, tables,
contacts) are kept as they are, followed by the word diff of their lines.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace

from pamflet import model as m
from pamflet.control.diff import runs
from pamflet.diagnostics import Location
from pamflet.records.text import contact_lines, node_lines
from pamflet.resolve import labels

MARK = re.compile(r"^(?:#+ |- |\d+\. |\s+)")  # a heading's or list item's mark in node_lines


def marked(doc: m.Document, old: list[tuple[str, str]], against: str) -> m.Document:
    """`doc` with the changes since `old` marked, a legend at the top, and the header saying
    on every page that it is not for patients (across the page: no logo beside it)."""
    lang, loc = doc.language, doc.source
    before = dict(old)
    groups = sections(doc)
    head = [x for x in (doc.title, doc.subtitle, f"{doc.code} · {doc.revised.isoformat()}") if x]
    first = lines_of(old[0][1]) if old else []  # the title section: the head lines, then text
    out: list[m.Node] = []
    current = {t for t, _ in groups}
    for n, (title, nodes) in enumerate(groups):
        if n == 0:
            was: list[str] | None = first[len(head) :]
        else:
            text = before.get(title)
            was = None if text is None else lines_of(text)
        out += mark_section(nodes, was, loc)
        out += removed_sections(old, title, current, loc)
    twin, rest = (out[:1], out[1:]) if out and is_title(out[0]) else ([], out)
    if first[: len(head)] != head:  # the title, subtitle or revised date changed
        rest.insert(0, m.Para(diffed(" ".join(first[: len(head)]), " ".join(head)), loc))
    notice = labels.label(lang, "review_copy")
    legend = [
        m.Para((m.Text(f"{notice}. {labels.label(lang, 'changes_since', what=against)}"),), loc),
        m.Para((
            m.Styled("ins", (m.Text(labels.label(lang, "inserted")),)), m.Text(" · "),
            m.Styled("del", (m.Text(labels.label(lang, "removed")),)),
        ), loc),
    ]  # fmt: skip
    header = "{% raw %}" + f"{notice} · {doc.code}" + "{% endraw %}"
    return replace(
        doc, body=tuple(twin + legend + rest), colophon=(), draft=False,
        style=replace(doc.style, header=header, logo=None), output=f"{doc.code}-review",
    )  # fmt: skip


def is_title(node: m.Node) -> bool:
    return isinstance(node, m.Heading) and node.level == 1


def sections(doc: m.Document) -> list[tuple[str, list[m.Node]]]:
    """The nodes by section, titled as records/text.py titles them (a repeated title
    numbered): the leaflet's title first, for what stands before the first section."""
    out: list[tuple[str, list[m.Node]]] = [(doc.title, [])]
    for node in doc.nodes:
        if isinstance(node, m.Heading) and node.level == 2:
            out.append((node.plain, [node]))
        elif isinstance(node, m.Contact):
            out.append((node.heading.plain, [node]))
        else:
            out[-1][1].append(node)
    seen: dict[str, int] = {}
    named = []
    for title, nodes in out:
        seen[title] = seen.get(title, 0) + 1
        named.append((title if seen[title] == 1 else f"{title} ({seen[title]})", nodes))
    return named


def lines_of(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def own_lines(node: m.Node) -> list[str]:
    """The lines a node adds to its section's text (a contact's heading is the section's)."""
    return contact_lines(node) if isinstance(node, m.Contact) else node_lines(node)


def mark_section(nodes: list[m.Node], was: list[str] | None, loc: Location) -> list[m.Node]:
    """A section's nodes with its changes marked; all of it inserted when `was` is None."""
    if was is None:
        return [inserted(node) for node in nodes]
    units = [(i, line) for i, node in enumerate(nodes) for line in own_lines(node)
             if not (isinstance(node, m.Heading) and node.level <= 2)]  # fmt: skip
    changes: dict[int, list[tuple[str | None, str | None]]] = {}  # node -> (old, new) lines
    removed_before: dict[int, list[str]] = {}  # node -> old lines removed just before it
    now = [line for _, line in units]
    matcher = difflib.SequenceMatcher(None, was, now, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            old = was[i1 + k] if i1 + k < i2 else None
            if j1 + k < j2:
                changes.setdefault(units[j1 + k][0], []).append((old, now[j1 + k]))
            else:
                at = units[j2][0] if j2 < len(units) else len(nodes)
                removed_before.setdefault(at, []).append(old or "")
    out: list[m.Node] = []
    for i, node in enumerate(nodes):
        out += [struck(line, loc) for line in removed_before.get(i, [])]
        out += mark_node(node, changes.get(i, []), loc)
    out += [struck(line, loc) for line in removed_before.get(len(nodes), [])]
    return out


def mark_node(
    node: m.Node, changes: list[tuple[str | None, str | None]], loc: Location
) -> list[m.Node]:
    if not changes:
        return [node]
    if all(old is None for old, _ in changes) and len(changes) == len(own_lines(node)):
        return [inserted(node)]
    if isinstance(node, m.Para | m.Heading) and len(changes) == 1:
        old, new = changes[0]
        text = diffed(old or "", new or "")
        if isinstance(node, m.Heading):
            return [replace(node, text=text)]
        return [m.Para(text, node.loc)]
    old = "\n".join(strip(o) for o, _ in changes if o is not None)
    new = "\n".join(strip(n) for _, n in changes if n is not None)
    return [node, m.Para(diffed(old, new), loc)]


def diffed(old: str, new: str) -> tuple[m.Inline, ...]:
    """The word diff of two lines as inline runs: kept words plain, the rest marked."""
    out: list[m.Inline] = []
    for op, words in runs(strip(old), strip(new)):
        words = " ".join(words.split())
        if not words:
            continue
        if out:
            out.append(m.Text(" "))
        kind = {"insert": "ins", "delete": "del"}.get(op)
        out.append(m.Styled(kind, (m.Text(words),)) if kind else m.Text(words))  # type: ignore[arg-type]
    return tuple(out)


def strip(line: str) -> str:
    return MARK.sub("", line, count=1).strip()


def inserted(node: m.Node) -> m.Node:
    """A new node, underlined in its own formatting where it has running text."""
    if isinstance(node, m.Para):
        return replace(node, text=(m.Styled("ins", node.text),))
    if isinstance(node, m.Heading):
        return replace(node, text=(m.Styled("ins", node.text),))
    if isinstance(node, m.ListBlock):
        items = tuple(tuple(inserted(child) for child in item) for item in node.items)
        return replace(node, items=items)
    return node


def struck(line: str, loc: Location) -> m.Para:
    return m.Para((m.Styled("del", (m.Text(strip(line)),)),), loc)


def removed_sections(
    old: list[tuple[str, str]], after: str, current: set[str], loc: Location
) -> list[m.Node]:
    """Old sections gone from the leaflet, struck through after the section they followed."""
    titles = [t for t, _ in old]
    if after not in titles:
        return []
    out: list[m.Node] = []
    for title, text in old[titles.index(after) + 1 :]:
        if title in current:
            break
        out.append(m.Para((m.Styled("strong", (m.Styled("del", (m.Text(title),)),)),), loc))
        out += [struck(line, loc) for line in lines_of(text)]
    return out
