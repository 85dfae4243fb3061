"""PDF metadata with pypdf: document info, language, viewer preferences, a stable file id."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    Destination,
    Fit,
    NameObject,
    TextStringObject,
)

from pamflet import __version__
from pamflet import model as m


def pdf_date(doc: m.Document) -> str:
    """The document's date: SOURCE_DATE_EPOCH when set, else its `revised` date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    else:
        moment = dt.datetime.combine(doc.revised, dt.time(0, 0), dt.UTC)
    return moment.strftime("D:%Y%m%d%H%M%S+00'00'")


Destinations = dict[str, tuple[int, float, float]]


def with_metadata(
    doc: m.Document, pdf: bytes, suffix: str = "", destinations: Destinations | None = None
) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for name, (page, left, top) in sorted((destinations or {}).items()):
        target = writer.pages[page - 1].indirect_reference
        writer.add_named_destination_object(Destination(name, target, Fit.xyz(left, top, 0)))
    date = pdf_date(doc)
    writer.metadata = None
    writer.add_metadata(
        {
            "/Title": doc.title + suffix,
            "/Author": doc.organisation,
            "/Subject": doc.subtitle or doc.title,
            "/Keywords": doc.code,
            "/Creator": f"pamflet {__version__}",
            "/Producer": f"pamflet {__version__} (ReportLab, pypdf)",
            "/CreationDate": date,
            "/ModDate": date,
        }
    )
    root = writer.root_object
    root[NameObject("/Lang")] = TextStringObject(doc.language)
    prefs = writer.create_viewer_preferences()
    prefs[NameObject("/DisplayDocTitle")] = BooleanObject(True)
    if writer.outline:
        writer.page_mode = "/UseOutlines"
    digest = hashlib.md5(pdf + (doc.code + suffix + date).encode(), usedforsecurity=False).digest()
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
