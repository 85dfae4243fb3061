"""`pamflet diff --pdf`: a review copy for the doctor who approves: the current leaflet in its
own layout, with inserted words underlined in green and removed words struck through in red
(control/marked.py), a legend at the top, and 'not for patients' in the header of every page
and in its title. It is tagged and read like the leaflet itself, and never has a draft mark:
it is not a draft of anything a patient gets.
"""

from __future__ import annotations

from pamflet import model as m
from pamflet.control.marked import marked
from pamflet.diagnostics import Diagnostic
from pamflet.finish.document import write
from pamflet.render import render
from pamflet.resolve import labels


def review_pdf(
    doc: m.Document, old: list[tuple[str, str]], against: str
) -> tuple[bytes, list[Diagnostic]]:
    """The review copy of `doc` with what changed since `old`; empty bytes when it cannot be
    laid out (the diagnostics say why)."""
    copy = marked(doc, old, against)
    rendered = render(copy)
    if rendered.canvas is None:
        return b"", rendered.diagnostics
    notice = labels.label(doc.language, "review_copy")
    return write(copy, rendered, suffix=f" ({notice})"), rendered.diagnostics
