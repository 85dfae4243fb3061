"""Reading a tagged PDF as a screen reader would: marked content, ActualText, structure tree."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject

HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def to_unicode(font: DictionaryObject) -> dict[int, str]:
    """A font's ToUnicode map (bfchar and bfrange), for single-byte codes as ReportLab writes."""
    cmap: dict[int, str] = {}
    stream = font.get("/ToUnicode")
    if stream is None:
        return cmap
    data = stream.get_object().get_data()
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        values = HEX.findall(block)
        for src, dst in zip(values[::2], values[1::2], strict=False):
            cmap[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        values = HEX.findall(block)
        for lo, hi, dst in zip(values[::3], values[1::3], values[2::3], strict=False):
            start = int(dst, 16)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                cmap[code] = chr(start + offset)
    return cmap


@dataclass
class PageContent:
    """What one page's content stream says, by marked-content sequence."""

    mcids: dict[int, str] = field(default_factory=dict)  # MCID -> text (ActualText applied)
    order: list[int] = field(default_factory=list)  # MCIDs in drawing order
    artifact: str = ""
    untagged: str = ""  # text outside both: must stay empty
    unbalanced: int = 0  # open sequences at the end (or a negative depth): must be 0


def raw(string: object) -> bytes:
    """The bytes of a PDF string as written (pypdf may hand back decoded text)."""
    original = getattr(string, "original_bytes", None)
    return original if original is not None else bytes(string)  # type: ignore[arg-type]


def read_page(reader: PdfReader, page_index: int) -> PageContent:
    page = reader.pages[page_index]
    fonts = page["/Resources"].get_object().get("/Font", {})
    maps = {name: to_unicode(ref.get_object()) for name, ref in fonts.items()}
    out = PageContent()
    stack: list[tuple[str, dict]] = []  # tag, properties
    spans: list[list[str]] = []  # text collected inside ActualText spans
    cmap: dict[int, str] = {}
    depth_error = 0

    def emit(text: str) -> None:
        if spans:
            spans[-1].append(text)
            return
        mcid = next((p["/MCID"] for _, p in reversed(stack) if "/MCID" in p), None)
        if mcid is not None:
            out.mcids[mcid] = out.mcids.get(mcid, "") + text
        elif any(tag == "/Artifact" for tag, _ in stack):
            out.artifact += text
        elif text.strip():
            out.untagged += text

    contents = ContentStream(page.get_contents(), reader)
    for operands, operator in contents.operations:
        if operator == b"Tf":
            cmap = maps.get(operands[0], {})
        elif operator in (b"Tj", b"'", b'"'):
            emit("".join(cmap.get(b, "") for b in raw(operands[-1])))
        elif operator == b"TJ":
            for item in operands[0]:
                if isinstance(item, bytes | str):
                    emit("".join(cmap.get(b, "") for b in raw(item)))
        elif operator in (b"T*", b"Td", b"TD", b"ET"):
            emit(" ")
        elif operator in (b"BDC", b"BMC"):
            props = operands[1] if operator == b"BDC" else {}
            props = props.get_object() if hasattr(props, "get_object") else props
            if not isinstance(props, dict):
                props = {}
            stack.append((str(operands[0]), dict(props)))
            if "/MCID" in props:
                out.order.append(int(props["/MCID"]))
            if "/ActualText" in props:
                spans.append([])
        elif operator == b"EMC":
            if not stack:
                depth_error -= 1
                continue
            _tag, props = stack.pop()
            if "/ActualText" in props:
                spans.pop()
                emit(str(props["/ActualText"]))
    out.unbalanced = len(stack) + (-depth_error)
    return out


@dataclass
class Node:
    role: str
    obj: DictionaryObject
    kids: list[Node | tuple[int, int] | DictionaryObject]  # elements, (page, mcid), OBJR dicts


def structure(reader: PdfReader) -> Node:
    """The structure tree with page indexes resolved."""
    pages = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    root = reader.trailer["/Root"]["/StructTreeRoot"].get_object()

    def page_of(obj: DictionaryObject, default: int | None) -> int | None:
        ref = obj.raw_get("/Pg") if "/Pg" in obj else None
        return pages[ref.idnum] if ref is not None else default

    def node(obj: DictionaryObject, page: int | None) -> Node:
        page = page_of(obj, page)
        kids_raw = obj.get("/K")
        kids_list = kids_raw if isinstance(kids_raw, list) else [kids_raw]
        kids: list[Node | tuple[int, int] | DictionaryObject] = []
        for kid in kids_list:
            if kid is None:
                continue
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, int):
                assert page is not None, "an MCID kid needs a /Pg on its element"
                kids.append((page, int(kid)))
            elif kid.get("/Type") == "/MCR":
                kids.append((pages[kid.raw_get("/Pg").idnum], int(kid["/MCID"])))
            elif kid.get("/Type") == "/OBJR":
                kids.append(kid)
            else:
                kids.append(node(kid, page))
        return Node(str(obj.get("/S", "/StructTreeRoot"))[1:], obj, kids)

    return node(root, None)


def walk(node: Node):
    yield node
    for kid in node.kids:
        if isinstance(kid, Node):
            yield from walk(kid)


def tree_text(reader: PdfReader, tree: Node) -> str:
    """The text of the structure tree, element by element in reading order."""
    pages = [read_page(reader, i) for i in range(len(reader.pages))]
    parts: list[str] = []

    def visit(node: Node) -> None:
        for kid in node.kids:
            if isinstance(kid, Node):
                visit(kid)
            elif isinstance(kid, tuple):
                parts.append(pages[kid[0]].mcids.get(kid[1], ""))

    visit(tree)
    return fold(" ".join(parts))


def page_text(reader: PdfReader) -> str:
    """The text of every page without artifacts, in drawing order."""
    parts = []
    for i in range(len(reader.pages)):
        content = read_page(reader, i)
        parts += [content.mcids.get(m, "") for m in content.order]
    return fold(" ".join(parts))


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def last_roles(reader: PdfReader) -> list[str]:
    """Per page, the structure role of the last text drawn on it (artifacts left out)."""
    owner: dict[tuple[int, int], str] = {}
    for node in walk(structure(reader)):
        for kid in node.kids:
            if isinstance(kid, tuple):
                owner[kid] = node.role
    out = []
    for i in range(len(reader.pages)):
        content = read_page(reader, i)
        drawn = [m for m in content.order if content.mcids.get(m, "").strip()]
        role = owner.get((i, drawn[-1]), "") if drawn else ""
        if role in ("Link", "Span"):  # a link's text: its paragraph or heading decides
            parents = [
                n
                for n in walk(structure(reader))
                if any(isinstance(k, Node) and (i, drawn[-1]) in k.kids for k in n.kids)
            ]
            role = parents[0].role if parents else role
        out.append(role)
    return out


def page_of_text(reader: PdfReader, needle: str) -> int:
    """The index of the first page whose tagged text holds `needle` (-1: none)."""
    for i in range(len(reader.pages)):
        content = read_page(reader, i)
        if needle in fold(" ".join(content.mcids.get(m, "") for m in content.order)):
            return i
    return -1
