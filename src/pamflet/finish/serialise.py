"""ReportLab's document written once, compactly: every object that is not a stream goes into
compressed object streams, and the cross-reference table is a compressed stream (PDF 1.5).

ReportLab itself writes each object on its own and a plain cross-reference table. For a
tagged leaflet, whose structure tree is hundreds of small dictionaries, that is a third of the
file. The objects are formatted exactly as ReportLab formats them; only how they are put in the
file differs. Same objects, same bytes.

Plain dictionaries and arrays (the structure tree, annotations, resources) are formatted by
`Formatter`, which writes the bytes ReportLab's `format` writes for them without its
per-value dispatch; every other kind of object is formatted by ReportLab itself.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections import OrderedDict
from typing import Any

from reportlab import rl_config
from reportlab.pdfbase.pdfdoc import (
    NoEncryption,
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFObjectReference,
    fp_str,
)
from reportlab.pdfbase.pdfdoc import format as pdf_format

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
PER_STREAM = 200  # objects per object stream: one stream compresses best, readers want bounds
LEVEL = 9  # zlib: deterministic at any level; 9 is cheap on a few kilobytes of dictionaries


def serialise(canvas: Any, salt: bytes) -> bytes:
    """The finished PDF of a canvas whose pages are all shown. Its file identifier is a hash of
    the objects and `salt` (the leaflet's code, file kind and date): same input, same bytes."""
    document = canvas._doc
    if not isinstance(document.encrypt, NoEncryption):
        raise ValueError("encrypted documents are written by ReportLab itself")
    for font in document.delayedFonts:  # what GetPDFData does before formatting
        font.addObjects(document)
    catalog, info = document.Catalog, document.info
    document.Reference(catalog)
    document.Reference(info)
    document.Outlines.prepare(document, canvas)
    if document.Outlines.ready < 0:
        catalog.Outlines = None
    bodies = _bodies(document)
    digest = hashlib.md5(usedforsecurity=False)
    for body in bodies:
        digest.update(body)
    digest.update(salt)
    file_id = digest.hexdigest().upper().encode()
    root = pdf_format(document.Reference(catalog), document)
    info_ref = pdf_format(document.Reference(info), document)
    return _assemble(bodies, root, info_ref, file_id)


def _bodies(document: Any) -> list[bytes]:
    """Each object's body in object-number order; formatting one may register more (as in
    ReportLab's own PDFDocument.format)."""
    bodies: list[bytes] = []
    number = 0
    write = Formatter(document).top
    while (number := number + 1) in document.numberToId:
        obj = document.idToObject[document.numberToId[number]]
        document.encrypt.register(number, 0)
        body = write(obj)
        bodies.append(body if body.endswith(b"\n") else body + b"\n")
    if len(bodies) != len(document.numberToId):
        raise ValueError("ReportLab's object numbers are not contiguous")
    return bodies


class Formatter:
    """ReportLab's `pdfdoc.format` for plain PDFDictionary and PDFArray objects and what they
    hold (names, numbers, references), byte for byte; anything else goes to ReportLab."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.numbers = document.idToObjectNumberAndVersion
        self.names: dict[str, bytes] = {}
        # With comments on, ReportLab writes some objects' comments: it formats them all then.
        self.own = rl_config.invariant or not rl_config.pdfComments

    def top(self, obj: Any) -> bytes:
        kind = type(obj)
        if self.own and (kind is PDFDictionary or kind is PDFArray):
            return self.dictionary(obj) if kind is PDFDictionary else self.array(obj)
        return pdf_format(obj, self.document, toplevel=1)

    def value(self, value: Any) -> bytes:
        kind = type(value)
        if kind is PDFObjectReference:
            return b"%d %d R" % self.numbers[value.name]
        if kind is str:
            return value.encode("extpdfdoc")
        if kind is int or kind is float:
            return fp_str(value).encode("extpdfdoc")
        if kind is bytes:
            return value
        if (kind is PDFDictionary or kind is PDFArray) and "__RefOnly__" not in vars(value):
            return self.dictionary(value) if kind is PDFDictionary else self.array(value)
        return pdf_format(value, self.document)

    def name(self, key: str) -> bytes:
        if (known := self.names.get(key)) is None:
            known = self.names[key] = PDFName(key).encode("extpdfdoc")
        return known

    def dictionary(self, obj: PDFDictionary) -> bytes:
        entries = obj.dict
        keys = list(entries) if isinstance(entries, OrderedDict) else sorted(entries)
        parts = [self.name(key) + b" " + self.value(entries[key]) for key in keys]
        if (obj.multiline and rl_config.pdfMultiLine) or obj.multiline == "forced":
            return b"<<\n" + b"\n ".join(parts) + b"\n>>"
        for i in reversed(range(6, len(parts), 6)):
            parts.insert(i, b"\n ")
        return b"<<\n" + b" ".join(parts) + b"\n>>"

    def array(self, obj: PDFArray) -> bytes:
        parts = [self.value(item) for item in obj.sequence]
        if (obj.multiline and rl_config.pdfMultiLine) or obj.multiline == "forced":
            return b"[ " + b"\n ".join(parts) + b" ]"
        for i in reversed(range(10, len(parts), 10)):
            parts.insert(i, b"\n ")
        return b"[ " + b" ".join(parts) + b" ]"


def _is_stream(body: bytes) -> bool:
    return body.endswith(b"endstream\n")


def _assemble(bodies: list[bytes], root: bytes, info: bytes, file_id: bytes) -> bytes:
    out = bytearray(HEADER)
    count = len(bodies)
    # Object stream k is object count + 1 + k; the cross-reference stream comes last.
    packed = [n for n, body in enumerate(bodies, start=1) if not _is_stream(body)]
    groups = [packed[i : i + PER_STREAM] for i in range(0, len(packed), PER_STREAM)]
    entries: dict[int, tuple[int, int, int]] = {}
    for number, body in enumerate(bodies, start=1):
        if _is_stream(body):
            entries[number] = (1, len(out), 0)
            out += b"%d 0 obj\n" % number + body + b"endobj\n"
    for k, group in enumerate(groups):
        stream_number = count + 1 + k
        offsets, data = [], bytearray()
        for index, number in enumerate(group):
            offsets.append(b"%d %d" % (number, len(data)))
            data += bodies[number - 1]
            entries[number] = (2, stream_number, index)
        head = b" ".join(offsets) + b"\n"
        content = zlib.compress(bytes(head + data), LEVEL)
        entries[stream_number] = (1, len(out), 0)
        out += b"%d 0 obj\n" % stream_number
        out += b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (
            len(group),
            len(head),
            len(content),
        )
        out += content + b"\nendstream\nendobj\n"
    xref_number = count + len(groups) + 1
    entries[xref_number] = (1, len(out), 0)
    rows = [struct.pack(">BIH", 0, 0, 0xFFFF)]
    rows += [struct.pack(">BIH", *entries[n]) for n in range(1, xref_number + 1)]
    table = zlib.compress(b"".join(rows), LEVEL)
    out += b"%d 0 obj\n" % xref_number
    out += (
        b"<< /Type /XRef /Size %d /W [ 1 4 2 ] /Root %s /Info %s /ID [ <%s> <%s> ]\n"
        b"   /Filter /FlateDecode /Length %d >>\nstream\n"
        % (xref_number + 1, root, info, file_id, file_id, len(table))
    )
    out += table + b"\nendstream\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % entries[xref_number][1]
    return bytes(out)
