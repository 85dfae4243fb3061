"""Write once: a drawn leaflet finished inside ReportLab's own document, then written.

Document information, the XMP packet, `/Lang`, viewer preferences, named destinations and,
for a reading PDF, the structure tree (finish/tagging.py) are added as objects of the document
ReportLab drew, and the file is written a single time (finish/serialise.py). No PDF library
parses and re-writes what ReportLab has just written.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString

from pamflet import model as m
from pamflet.finish import metadata
from pamflet.finish.serialise import serialise
from pamflet.finish.tagging import TRUE, add_structure
from pamflet.render import Rendered

PRODUCER = "ReportLab"


def write(doc: m.Document, rendered: Rendered, suffix: str = "", tagged: bool = True) -> bytes:
    """The PDF of a rendered leaflet. `tagged`: the reading PDF, with its structure tree, the
    PDF/UA claim and its named destinations; else a print copy (`suffix` in its title)."""
    canvas = rendered.canvas
    if canvas is None:
        raise ValueError("a leaflet that was not laid out has no PDF")
    document = canvas._doc
    when = metadata.moment(doc)
    entries = metadata.info(doc, suffix, when, PRODUCER)
    document.info = PDFDictionary({k: PDFString(v) for k, v in entries.items()})
    catalog = document.Catalog
    catalog.Lang = PDFString(doc.language)
    catalog.ViewerPreferences = PDFDictionary({"DisplayDocTitle": TRUE})
    if document.Outlines.buildtree:  # the outline opens beside the pages
        catalog.PageMode = PDFName("UseOutlines")
    if tagged:
        if rendered.destinations:
            catalog.Names = PDFDictionary({"Dests": named(document, rendered.destinations)})
        if rendered.tags is not None:
            add_structure(document, rendered.tags, rendered.annotations)
        packet = metadata.xmp(doc, suffix, when, PRODUCER).encode("utf-8")
        stream = PDFStream(
            PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}), packet
        )
        catalog.Metadata = stream
    return serialise(canvas, (doc.code + suffix + metadata.pdf_date(when)).encode())


def named(document: Any, destinations: dict[str, tuple[int, float, float]]) -> PDFDictionary:
    """The named destinations as a name tree of one leaf, sorted as its keys' bytes sort."""
    pages = document.Pages.pages
    leaf: list[Any] = []
    for name in sorted(destinations, key=lambda n: PDFString(n).format(document)):
        page, left, top = destinations[name]
        target = document.Reference(pages[page - 1])
        leaf += [PDFString(name), PDFArray([target, PDFName("XYZ"), left, top, 0])]
    return PDFDictionary({"Names": PDFArray(leaf)})
