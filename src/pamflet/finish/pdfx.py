"""PDF/X-4 for a print shop (`build --print-shop`): what ISO 15930-7 asks of a print file
beyond the CMYK drawing render/press.py makes.

- an output intent: the GTS_PDFX intent for FOGRA39 with pamflet's profile embedded;
- `GTS_PDFXVersion` and `Trapped` in the document information and in XMP, with the XMP
  identifiers (document, instance, version, rendition class) the standard names;
- TrimBox and BleedBox on every page (the print marks set them; a page without is an error);
- no annotations: PDF/X allows none on the printed area, and links mean nothing on paper.
"""

from __future__ import annotations

import uuid
from functools import lru_cache

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from pamflet.render import press

VERSION = "PDF/X-4"
XMP_NAMESPACES = (
    'xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"'
)


@lru_cache(maxsize=1)
def profile() -> bytes:
    return press.PROFILE.read_bytes()


def conform(writer: PdfWriter) -> None:
    """Make the print file in `writer` a PDF/X-4 file (its XMP comes from `xmp_properties`)."""
    for number, page in enumerate(writer.pages, start=1):
        if "/Annots" in page:
            del page[NameObject("/Annots")]
        if "/TrimBox" not in page or "/BleedBox" not in page:
            raise ValueError(f"page {number} of a print file has no TrimBox or BleedBox")
    stream = DecodedStreamObject()
    stream.set_data(profile())
    stream[NameObject("/N")] = NumberObject(4)
    intent = DictionaryObject({
        NameObject("/Type"): NameObject("/OutputIntent"),
        NameObject("/S"): NameObject("/GTS_PDFX"),
        NameObject("/OutputConditionIdentifier"): TextStringObject(press.CONDITION),
        NameObject("/OutputCondition"): TextStringObject(press.CONDITION_TEXT),
        NameObject("/RegistryName"): TextStringObject(press.REGISTRY),
        NameObject("/Info"): TextStringObject(press.CONDITION_TEXT),
        NameObject("/DestOutputProfile"): writer._add_object(stream.flate_encode()),
    })  # fmt: skip
    root = writer.root_object
    root[NameObject("/OutputIntents")] = ArrayObject([writer._add_object(intent)])
    for key in ("/StructTreeRoot", "/MarkInfo"):  # the print file is for the press only
        if key in root:
            del root[NameObject(key)]
    info = writer._info.get_object()  # type: ignore[union-attr]
    info[NameObject("/GTS_PDFXVersion")] = TextStringObject(VERSION)
    info[NameObject("/Trapped")] = NameObject("/False")


def xmp_properties(digest: bytes, version: int | None) -> str:
    """The XMP properties of a PDF/X-4 file; the ids come from the file's own digest, so the
    same sources still give the same bytes."""
    document = uuid.UUID(bytes=digest[:16], version=4)
    return f"""   <pdf:Trapped>False</pdf:Trapped>
   <pdfxid:GTS_PDFXVersion>{VERSION}</pdfxid:GTS_PDFXVersion>
   <xmpMM:DocumentID>uuid:{document}</xmpMM:DocumentID>
   <xmpMM:InstanceID>uuid:{document}</xmpMM:InstanceID>
   <xmpMM:VersionID>{version or 1}</xmpMM:VersionID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
"""
