"""The table of element renderers: each kind of document node and the function that draws it."""

from __future__ import annotations

from pamflet import model as m
from pamflet.render import cards, contacts, figures, lists, tables, text
from pamflet.render.builder import Renderer

KINDS: dict[type, Renderer] = {
    m.Heading: lambda b, node, depth: text.heading(b, node),
    m.Para: lambda b, node, depth: [text.paragraph(b, node)],
    m.ListBlock: lambda b, node, depth: [lists.listing(b, node, depth)],
    m.TableBlock: lambda b, node, depth: [tables.table(b, node)],
    m.Figure: lambda b, node, depth: [figures.figure(b, node)],
    m.Note: lambda b, node, depth: [text.note(b, node)],
    m.CodeBlock: lambda b, node, depth: [text.code(b, node)],
    m.Rule: lambda b, node, depth: [text.rule(b, node)],
    m.CardGrid: lambda b, node, depth: cards.cards(b, node),
    m.Contact: lambda b, node, depth: contacts.contact(b, node),
}
