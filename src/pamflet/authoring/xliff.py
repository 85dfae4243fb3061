"""XLIFF 2.0 for translation agencies: `pamflet translate export` writes one file with a unit per
heading, paragraph, list item, table cell and front-matter field; `translate import` writes the
`.<lang>.md` and `.<lang>.yaml` translations back, with the `of:` of the version exported.

Markdown's inline markup (emphasis, links and their targets, images, code, `{{ templates }}`) is
never text to translate: each piece is an inline code, `<ph id=".." dataRef=".."/>`, whose
original is kept in the unit's `<originalData>`; import puts the originals back where the
translator left the codes. The structure (heading marks, list marks, table pipes) comes from
the source, so a translation cannot change it.

Why not a library: translate-toolkit, the well-kept one (it reads XLIFF 2.0), is GPL-3.0 and
brings lxml; pamflet is MIT and hospitals redistribute it. XLIFF 2.0 core is small: written here
with ElementTree, read with the standard library's expat with line numbers for every error, and
with document type declarations refused (no entities, no external references).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from xml.parsers import expat

from pamflet import model as m
from pamflet.load.parser import parse

NS = "urn:oasis:names:tc:xliff:document:2.0"
FIELDS = ("title", "summary", "name", "role", "hours", "address")  # a block's words
CODE = re.compile(
    r"`[^`\n]*`|\{\{.*?\}\}|\{%.*?%\}|!\[|\]\([^)\s]*(?:\s+\"[^\"]*\")?\)|\[|<https?://[^>\s]+>"
    r"|\*\*|__|\*|(?<!\w)_|_(?!\w)|\\$"
)


@dataclass
class Unit:
    id: str
    text: str  # the source's Markdown for this piece, one line
    kind: str  # field | heading | paragraph | cell
    first: int = 0  # the lines it stands on in the source, 0-based, end excluded
    last: int = 0
    target: str | None = None


@dataclass
class Doc:
    """One source file's units, and what its translation needs besides."""

    path: str
    of: str
    units: list[Unit] = field(default_factory=list)


def body_units(text: str, prefix: str = "b") -> list[Unit]:
    """A Markdown text's translatable pieces, in order: each named by its line in the source
    and its place on that line (a table row holds several cells)."""
    tokens = parse(text)
    out, counts = [], {}
    for i, token in enumerate(tokens):
        if token.type != "inline" or token.map is None:
            continue
        before = tokens[i - 1].type if i else ""
        kind = {"th_open": "cell", "td_open": "cell", "heading_open": "heading"}.get(
            before, "paragraph"
        )
        first, last = token.map
        counts[first] = counts.get(first, 0) + 1
        content = " ".join(line.strip() for line in token.content.split("\n"))
        out.append(Unit(f"{prefix}{first + 1}.{counts[first]}", content, kind, first, last))
    return out


def block_doc(block: m.Block, blob: str, translation: m.Block | None) -> Doc:
    doc = Doc(block.path, blob)
    for name in FIELDS:
        value = getattr(block, name)
        if value:
            mine = getattr(translation, name) if translation is not None else None
            doc.units.append(Unit(f"fm.{name}", value, "field", target=mine))
    units = body_units(block.body)
    theirs = body_units(translation.body) if translation is not None else []
    if len(theirs) == len(units):
        for unit, mine in zip(units, theirs, strict=True):
            unit.target = mine.text
    doc.units += units
    return doc


def leaflet_doc(lf: m.Leaflet, blob: str, words: m.LeafletTranslation | None) -> Doc:
    doc = Doc(lf.path, blob)
    doc.units.append(Unit("title", lf.title, "field", target=words.title if words else None))
    if lf.subtitle:
        doc.units.append(
            Unit("subtitle", lf.subtitle, "field", target=words.subtitle if words else None)
        )
    for i, section in enumerate(lf.sections, start=1):
        mine = words.sections[i - 1] if words and i <= len(words.sections) else None
        if section.title:
            doc.units.append(Unit(f"s{i}.title", section.title, "field",
                                  target=mine.title if mine else None))  # fmt: skip
        if section.text:
            units = body_units(section.text, f"s{i}.")
            theirs = body_units(mine.text, f"s{i}.") if mine and mine.text else []
            if len(theirs) == len(units):
                for unit, other in zip(units, theirs, strict=True):
                    unit.target = other.text
            doc.units += units
    return doc


def with_codes(parent: ET.Element, text: str, data: dict[str, str]) -> None:
    """`text` into `parent`, its inline markup as <ph> codes whose originals go into `data`."""
    pos, last = 0, None
    for match in CODE.finditer(text):
        if match.start() > pos:
            chunk = text[pos : match.start()]
            if last is None:
                parent.text = (parent.text or "") + chunk
            else:
                last.tail = (last.tail or "") + chunk
        ref = f"d{len(data) + 1}"
        data[ref] = match.group()
        last = ET.SubElement(parent, f"{{{NS}}}ph", {"id": ref.removeprefix("d"), "dataRef": ref})
        pos = match.end()
    rest = text[pos:]
    if last is None:
        parent.text = (parent.text or "") + rest
    else:
        last.tail = (last.tail or "") + rest


def export(docs: list[Doc], source_lang: str, lang: str) -> bytes:
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}xliff", {"version": "2.0", "srcLang": source_lang, "trgLang": lang})
    for n, doc in enumerate(docs, start=1):
        file = ET.SubElement(root, f"{{{NS}}}file", {"id": f"f{n}", "original": doc.path})
        notes = ET.SubElement(file, f"{{{NS}}}notes")
        note = ET.SubElement(notes, f"{{{NS}}}note", {"category": "pamflet-of"})
        note.text = doc.of
        for unit in doc.units:
            element = ET.SubElement(
                file, f"{{{NS}}}unit", {"id": unit.id, "type": f"pamflet:{unit.kind}"}
            )
            data: dict[str, str] = {}
            original = ET.SubElement(element, f"{{{NS}}}originalData")
            segment = ET.SubElement(element, f"{{{NS}}}segment",
                                    {"state": "translated" if unit.target else "initial"})  # fmt: skip
            source = ET.SubElement(segment, f"{{{NS}}}source")
            with_codes(source, unit.text, data)
            if unit.target:
                target_data: dict[str, str] = {}
                target = ET.SubElement(segment, f"{{{NS}}}target")
                with_codes(target, unit.target, target_data)
                remap(target, target_data, data)
            for ref, value in data.items():
                ET.SubElement(original, f"{{{NS}}}data", {"id": ref}).text = value
            if not data:
                element.remove(original)
    indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def indent(element: ET.Element, depth: int = 0) -> None:
    """Pretty-print the structure, never inside <source> or <target>: their spaces are text."""
    kids = list(element)
    if not kids or element.tag in (f"{{{NS}}}source", f"{{{NS}}}target"):
        return
    element.text = "\n" + "  " * (depth + 1)
    for i, kid in enumerate(kids):
        indent(kid, depth + 1)
        kid.tail = "\n" + "  " * (depth + (1 if i < len(kids) - 1 else 0))


def remap(target: ET.Element, mine: dict[str, str], source: dict[str, str]) -> None:
    """A target's codes refer to the source's originals: the same markup, in order."""
    free = {ref: value for ref, value in source.items()}
    for ph in target.iter(f"{{{NS}}}ph"):
        value = mine[ph.attrib["dataRef"]]
        ref = next((r for r, v in free.items() if v == value), None)
        if ref is None:  # markup the source does not have: kept as the translator wrote it
            ref = f"d{len(source) + 1}"
            source[ref] = value
        else:
            del free[ref]
        ph.attrib.update({"id": ref.removeprefix("d"), "dataRef": ref})


# ---- reading --------------------------------------------------------------------------------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list[Node | str] = field(default_factory=list)

    def kids(self, name: str) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node) and c.tag == name]


class XliffProblem(Exception):
    def __init__(self, message: str, line: int, hint: str = "") -> None:
        super().__init__(message)
        self.line, self.hint = line, hint


def read(data: bytes) -> Node:
    """The document as a tree with line numbers; no DTDs, no entities beyond XML's own."""
    parser = expat.ParserCreate(namespace_separator=" ")
    stack: list[Node] = []
    root: list[Node] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        ns, _, local = name.rpartition(" ")
        if ns and ns != NS:
            local = f"{{{ns}}}{local}"
        node = Node(
            local, {k.rpartition(" ")[2]: v for k, v in attrs.items()}, parser.CurrentLineNumber
        )
        (stack[-1].children if stack else root).append(node)
        stack.append(node)

    def end(name: str) -> None:
        stack.pop()

    def chars(text: str) -> None:
        if stack:
            stack[-1].children.append(text)

    def doctype(*args: object) -> None:
        raise XliffProblem(
            "the file declares a document type, which XLIFF does not use", parser.CurrentLineNumber
        )

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler, parser.StartDoctypeDeclHandler = chars, doctype
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise XliffProblem(f"not well-formed XML: {expat.errors.messages[exc.code]}", exc.lineno,
                           "fix the file, or export it again") from None  # fmt: skip
    if not root or root[0].tag != "xliff":
        raise XliffProblem("this is not an XLIFF 2 file (no <xliff> in its namespace)", 1)
    return root[0]


def text_of(node: Node, data: dict[str, str], line: int) -> str:
    out = []
    for child in node.children:
        if isinstance(child, str):
            out.append(child)
        elif child.tag == "ph":
            ref = child.attrs.get("dataRef", "")
            if ref not in data:
                raise XliffProblem(
                    f'the code <ph dataRef="{ref}"/> has no original data', child.line
                )
            out.append(data[ref])
        else:
            out.append(text_of(child, data, line))
    return " ".join("".join(out).split())


@dataclass
class Imported:
    path: str  # the source file
    of: str
    targets: dict[str, tuple[str, int]]  # unit id -> (Markdown text, line in the XLIFF file)
    line: int


def files_of(root: Node) -> tuple[str, list[Imported]]:
    lang = root.attrs.get("trgLang", "")
    if not lang:
        raise XliffProblem("the <xliff> element has no trgLang: which language is this?", root.line)
    out = []
    for file in root.kids("file"):
        path = file.attrs.get("original", "")
        notes = [
            n
            for ns in file.kids("notes")
            for n in ns.kids("note")
            if n.attrs.get("category") == "pamflet-of"
        ]
        of = "".join(c for c in notes[0].children if isinstance(c, str)).strip() if notes else ""
        targets = {}
        for unit in file.kids("unit"):
            data = {
                d.attrs.get("id", ""): "".join(c for c in d.children if isinstance(c, str))
                for o in unit.kids("originalData") for d in o.kids("data")
            }  # fmt: skip
            for segment in unit.kids("segment"):
                target = segment.kids("target")
                if target:
                    targets[unit.attrs.get("id", "")] = (
                        text_of(target[0], data, target[0].line),
                        target[0].line,
                    )
        out.append(Imported(path, of, targets, file.line))
    return lang, out


def rebuild(text: str, units: list[Unit], targets: dict[str, str]) -> str:
    """The source's Markdown with each unit's words replaced by its translation."""
    lines = text.split("\n")
    rows: dict[int, list[Unit]] = {}
    replaced: dict[int, str] = {}
    drop: set[int] = set()
    for unit in units:
        if unit.kind == "cell":
            rows.setdefault(unit.first, []).append(unit)
            continue
        first_line = lines[unit.first]
        start = first_line.find(unit.text.split(" ")[0]) if unit.text else len(first_line)
        prefix = first_line[: max(start, 0)]
        replaced[unit.first] = prefix + targets[unit.id]
        drop.update(range(unit.first + 1, unit.last))
    for line, cells in rows.items():
        indent = lines[line][: len(lines[line]) - len(lines[line].lstrip())]
        replaced[line] = (
            indent + "| " + " | ".join(targets[c.id].replace("|", "\\|") for c in cells) + " |"
        )
    out = [replaced.get(i, line) for i, line in enumerate(lines) if i not in drop]
    return "\n".join(out)
