"""The structure tree: the renderer's elements and marked content as PDF objects (PDF/UA-1)."""

from __future__ import annotations

from collections import defaultdict

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    TextStringObject,
)

from pamflet.render.tagging import Annot, Element, Marked


class TreeWriter:
    """Writes elements as /StructElem objects and remembers who owns each MCID and link."""

    def __init__(self, writer: PdfWriter) -> None:
        self.writer = writer
        self.pages = [page.indirect_reference for page in writer.pages]
        self.annots: dict[int, IndirectObject] = {}
        for page in writer.pages:
            for ref in page.get("/Annots") or []:
                key = ref.get_object().get("/StructParent")
                if key is not None:
                    self.annots[int(key)] = ref
        self.owners: dict[int, dict[int, IndirectObject]] = defaultdict(dict)  # page -> mcid
        self.annot_owners: dict[int, IndirectObject] = {}

    def element(self, element: Element, parent: IndirectObject) -> IndirectObject | None:
        if not element.has_content():
            return None
        obj = DictionaryObject()
        ref = self.writer._add_object(obj)
        obj[NameObject("/Type")] = NameObject("/StructElem")
        obj[NameObject("/S")] = NameObject("/" + element.role)
        obj[NameObject("/P")] = parent
        first = next((k.page for k in element.kids if isinstance(k, Marked)), None)
        if first is not None:
            obj[NameObject("/Pg")] = self.pages[first - 1]
        kids = ArrayObject()
        for kid in element.kids:
            item = self.kid(kid, ref, first)
            if item is not None:
                kids.append(item)
        obj[NameObject("/K")] = kids[0] if len(kids) == 1 else kids
        if element.alt is not None:
            obj[NameObject("/Alt")] = TextStringObject(element.alt)
        if element.lang:
            obj[NameObject("/Lang")] = TextStringObject(element.lang)
        if element.actual:
            obj[NameObject("/ActualText")] = TextStringObject(element.actual)
        if element.scope:
            obj[NameObject("/A")] = DictionaryObject(
                {
                    NameObject("/O"): NameObject("/Table"),
                    NameObject("/Scope"): NameObject("/" + element.scope),
                }
            )
        return ref

    def kid(
        self, kid: Element | Marked | Annot, ref: IndirectObject, first: int | None
    ) -> PdfObject | None:
        if isinstance(kid, Element):
            return self.element(kid, ref)
        if isinstance(kid, Marked):
            self.owners[kid.page][kid.mcid] = ref
            if kid.page == first:
                return NumberObject(kid.mcid)
            return DictionaryObject({
                NameObject("/Type"): NameObject("/MCR"),
                NameObject("/Pg"): self.pages[kid.page - 1],
                NameObject("/MCID"): NumberObject(kid.mcid),
            })  # fmt: skip
        annot = self.annots.get(kid.key)
        if annot is None:
            return None
        self.annot_owners[kid.key] = ref
        return DictionaryObject({
            NameObject("/Type"): NameObject("/OBJR"),
            NameObject("/Obj"): annot,
            NameObject("/Pg"): self.pages[kid.page - 1],
        })  # fmt: skip


def add_structure(writer: PdfWriter, root: Element, annotations: int) -> None:
    """Structure tree, parent tree, /StructParents and /Tabs on pages, /MarkInfo."""
    tree = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
    tree_ref = writer._add_object(tree)
    out = TreeWriter(writer)
    document = out.element(root, tree_ref)
    tree[NameObject("/K")] = document if document is not None else ArrayObject()
    nums = ArrayObject()
    for key in range(annotations):
        nums += [NumberObject(key), out.annot_owners.get(key, NullObject())]
    for index, page in enumerate(writer.pages):
        key = annotations + index
        page[NameObject("/StructParents")] = NumberObject(key)
        page[NameObject("/Tabs")] = NameObject("/S")
        owners = out.owners.get(index + 1, {})
        mcids = range(max(owners) + 1 if owners else 0)
        nums += [NumberObject(key), ArrayObject(owners.get(n, NullObject()) for n in mcids)]
    tree[NameObject("/ParentTree")] = DictionaryObject({NameObject("/Nums"): nums})
    tree[NameObject("/ParentTreeNextKey")] = NumberObject(annotations + len(writer.pages))
    catalog = writer.root_object
    catalog[NameObject("/StructTreeRoot")] = tree_ref
    catalog[NameObject("/MarkInfo")] = DictionaryObject(
        {NameObject("/Marked"): BooleanObject(True)}
    )
