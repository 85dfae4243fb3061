"""What every PDF says about itself: document information, the XMP packet, its date."""

from __future__ import annotations

import datetime as dt
import os
import re

from pamflet import __version__
from pamflet import model as m
from pamflet.render.primitives import escape

NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


LATEST = dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC)  # a PDF date has four digits


def epoch_problem() -> str | None:
    """What is wrong with SOURCE_DATE_EPOCH, if it is set and not a usable time."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return None
    if not epoch.isdigit() or int(epoch) > LATEST.timestamp():
        return (
            f"SOURCE_DATE_EPOCH={epoch[:30]!r} is not a time pamflet can use: "
            "write whole seconds since 1970, up to the year 9999"
        )
    return None


def moment(doc: m.Document) -> dt.datetime:
    """The document's date: SOURCE_DATE_EPOCH when set and usable, else its `revised` date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch and epoch_problem() is None:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.combine(doc.revised, dt.time(0, 0), dt.UTC)


def pdf_date(when: dt.datetime) -> str:
    return when.strftime("D:%Y%m%d%H%M%S+00'00'")


def info(doc: m.Document, suffix: str, when: dt.datetime, producer: str) -> dict[str, str]:
    """The document information dictionary's entries (without their leading slash)."""
    date = pdf_date(when)
    return {
        "Title": doc.title + suffix,
        "Author": doc.organisation,
        "Subject": doc.subtitle or doc.title,
        "Keywords": doc.code,
        "Creator": f"pamflet {__version__}",
        "Producer": f"pamflet {__version__} ({producer})",
        "CreationDate": date,
        "ModDate": date,
    }


def xmp(
    doc: m.Document, suffix: str, when: dt.datetime, producer: str, pdfx: str | None = None
) -> str:
    """The XMP packet: title, author, language, dates and the PDF/UA-1 identification; or,
    given a print file's `pdfx` properties, those instead of the PDF/UA claim."""

    def text(value: str) -> str:
        return escape(NOT_XML.sub("", value))

    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    if pdfx is None:
        claim_ns = 'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"'
        claim = "   <pdfuaid:part>1</pdfuaid:part>\n"
    else:
        from pamflet.finish.pdfx import XMP_NAMESPACES

        claim_ns, claim = XMP_NAMESPACES, pdfx
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    {claim_ns}>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{text(doc.title + suffix)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{text(doc.organisation)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{text(doc.subtitle or doc.title)}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{text(doc.language)}</rdf:li></rdf:Bag></dc:language>
   <pdf:Keywords>{text(doc.code)}</pdf:Keywords>
   <pdf:Producer>pamflet {__version__} ({producer})</pdf:Producer>
   <xmp:CreatorTool>pamflet {__version__}</xmp:CreatorTool>
   <xmp:CreateDate>{iso}</xmp:CreateDate>
   <xmp:ModifyDate>{iso}</xmp:ModifyDate>
   <xmp:MetadataDate>{iso}</xmp:MetadataDate>
{claim}  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
