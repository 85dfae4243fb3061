"""The structure tree: the renderer's elements and marked content as objects of ReportLab's own
document, before it is written (PDF/UA-1): /StructTreeRoot, the parent tree, /StructParents and
/Tabs on each page, /MarkInfo."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFObjectReference,
    PDFString,
)

from pamflet.render.tagging import Annot, Element, Marked

NULL = b"null"  # ReportLab writes bytes as they are
TRUE = b"true"


class TreeWriter:
    """Writes elements as /StructElem objects and remembers who owns each MCID and link."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.pages = [document.Reference(page) for page in document.Pages.pages]
        self.owners: dict[int, dict[int, PDFObjectReference]] = defaultdict(dict)  # page -> mcid
        self.annot_owners: dict[int, PDFObjectReference] = {}

    def element(self, element: Element, parent: PDFObjectReference) -> PDFObjectReference | None:
        if not element.has_content():
            return None
        obj = PDFDictionary()
        entries = obj.dict  # filled in after it is numbered: before its kids, as read
        ref = self.document.Reference(obj)
        entries["Type"] = PDFName("StructElem")
        entries["S"] = PDFName(element.role)
        entries["P"] = parent
        first = next((k.page for k in element.kids if isinstance(k, Marked)), None)
        if first is not None:
            entries["Pg"] = self.pages[first - 1]
        kids = [item for kid in element.kids if (item := self.kid(kid, ref, first)) is not None]
        entries["K"] = kids[0] if len(kids) == 1 else PDFArray(kids)
        if element.alt is not None:
            entries["Alt"] = PDFString(element.alt)
        if element.lang:
            entries["Lang"] = PDFString(element.lang)
        if element.actual:
            entries["ActualText"] = PDFString(element.actual)
        if element.scope:
            entries["A"] = PDFDictionary({"O": PDFName("Table"), "Scope": PDFName(element.scope)})
        return ref

    def kid(self, kid: Element | Marked | Annot, ref: PDFObjectReference, first: int | None) -> Any:
        if isinstance(kid, Element):
            return self.element(kid, ref)
        if isinstance(kid, Marked):
            self.owners[kid.page][kid.mcid] = ref
            if kid.page == first:
                return kid.mcid
            return PDFDictionary(
                {"Type": PDFName("MCR"), "Pg": self.pages[kid.page - 1], "MCID": kid.mcid}
            )
        if kid.name not in self.document.idToObject:  # an annotation that was not written
            return None
        self.annot_owners[kid.key] = ref
        return PDFDictionary({
            "Type": PDFName("OBJR"),
            "Obj": PDFObjectReference(kid.name),
            "Pg": self.pages[kid.page - 1],
        })  # fmt: skip


def add_structure(document: Any, root: Element, annotations: int) -> None:
    """Structure tree, parent tree, /StructParents and /Tabs on pages, /MarkInfo."""
    tree = PDFDictionary({"Type": PDFName("StructTreeRoot")})
    entries = tree.dict
    tree_ref = document.Reference(tree)
    out = TreeWriter(document)
    top = out.element(root, tree_ref)
    entries["K"] = top if top is not None else PDFArray([])
    nums: list[Any] = []
    for key in range(annotations):
        nums += [key, out.annot_owners.get(key, NULL)]
    for index, page in enumerate(document.Pages.pages):
        key = annotations + index
        page.__NoDefault__ = [*page.__NoDefault__, "StructParents", "Tabs"]
        page.StructParents, page.Tabs = key, PDFName("S")
        owners = out.owners.get(index + 1, {})
        mcids = range(max(owners) + 1 if owners else 0)
        nums += [key, PDFArray([owners.get(n, NULL) for n in mcids])]
    entries["ParentTree"] = PDFDictionary({"Nums": PDFArray(nums)})
    entries["ParentTreeNextKey"] = annotations + len(document.Pages.pages)
    catalog = document.Catalog
    catalog.StructTreeRoot = tree_ref
    catalog.MarkInfo = PDFDictionary({"Marked": TRUE})
