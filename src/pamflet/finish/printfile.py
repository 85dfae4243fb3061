"""Print files that pypdf makes: the imposed booklet sheets and the PDF/X-4 files of
`--print-shop` get their document information, XMP and file identifier here."""

from __future__ import annotations

import hashlib
import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DecodedStreamObject,
    NameObject,
)

from pamflet import model as m
from pamflet.finish import metadata

PRODUCER = "ReportLab, pypdf"


def finish_print(
    doc: m.Document, pdf: bytes, suffix: str, press: bool = False, writer: PdfWriter | None = None
) -> bytes:
    """A print file written: `writer` (the imposed sheets made from `pdf`), or `pdf` itself,
    with its metadata; with `press`, what makes it PDF/X-4 (finish/pdfx.py)."""
    if writer is None:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.pdf_header = b"%PDF-1.7"
    when = metadata.moment(doc)
    writer.metadata = None
    entries = metadata.info(doc, suffix, when, PRODUCER)
    writer.add_metadata({f"/{k}": v for k, v in entries.items()})
    root = writer.root_object
    prefs = writer.create_viewer_preferences()
    prefs[NameObject("/DisplayDocTitle")] = BooleanObject(True)
    digest = hashlib.md5(pdf + (doc.code + suffix + metadata.pdf_date(when)).encode(),
                         usedforsecurity=False).digest()  # fmt: skip
    if press:
        from pamflet.finish import pdfx

        pdfx.conform(writer)
        packet = metadata.xmp(doc, suffix, when, PRODUCER, pdfx.xmp_properties(digest, doc.version))
        stream = DecodedStreamObject()
        stream.set_data(packet.encode("utf-8"))
        stream[NameObject("/Type")] = NameObject("/Metadata")
        stream[NameObject("/Subtype")] = NameObject("/XML")
        root[NameObject("/Metadata")] = writer._add_object(stream)
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
