"""The files `translate import` writes: a block's `.<lang>.md` and a leaflet's `.<lang>.yaml`,
laid out as an author would write them."""

from __future__ import annotations

from typing import Any

import yaml

from pamflet import model as m
from pamflet.authoring.xliff import (
    FIELDS,
    Doc,
    XliffProblem,
    block_doc,
    body_units,
    files_of,
    leaflet_doc,
    read,
    rebuild,
)
from pamflet.diagnostics import Location, Report
from pamflet.project import ProjectDir


class Literal(str):
    """Text written as a YAML block (`|`), one line per line."""


def _literal(dumper: yaml.SafeDumper, value: Literal) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")


class Dumper(yaml.SafeDumper):
    pass


Dumper.add_representer(Literal, _literal)


def dump(values: dict[str, Any]) -> str:
    return yaml.dump(values, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100)


def block_file(block: m.Block, doc: Doc, targets: dict[str, str], of: str) -> str:
    front: dict[str, Any] = {}
    for name in FIELDS:
        key = f"fm.{name}"
        if key in targets:
            value = targets[key]
            original = getattr(block, name) or ""
            front[name] = Literal(value.replace(" / ", "\n")) if "\n" in original else value
    front["translation"] = {"of": of}
    units = [u for u in doc.units if u.kind != "field"]
    body = rebuild(block.body, units, targets)
    return "---\n" + dump(front) + "---\n" + body


def leaflet_file(lf: m.Leaflet, doc: Doc, targets: dict[str, str], of: str) -> str:
    values: dict[str, Any] = {"title": targets["title"]}
    if "subtitle" in targets:
        values["subtitle"] = targets["subtitle"]
    sections: list[dict[str, Any]] = []
    for i, section in enumerate(lf.sections, start=1):
        item: dict[str, Any] = {}
        if section.title:
            item["title"] = targets[f"s{i}.title"]
        if section.text:
            units = body_units(section.text, f"s{i}.")
            item["text"] = Literal(rebuild(section.text, units, targets).rstrip("\n") + "\n")
        sections.append(item)
    values["sections"] = sections
    values["translation"] = {"of": of}
    return dump(values)


def import_file(
    files: ProjectDir, project: m.Project, data: bytes, rel: str, report: Report
) -> dict[str, str]:
    """The translation files an XLIFF file gives, by path; problems reported at its lines
    (then nothing is returned, so nothing is written)."""
    try:
        lang, imported = files_of(read(data))
    except XliffProblem as exc:
        report.error("xliff", str(exc), Location(rel, exc.line), exc.hint)
        return {}
    out: dict[str, str] = {}
    errors = report.errors
    blocks = {b.path: b for b in project.blocks.values()}
    for item in imported:
        block, lf = blocks.get(item.path), project.leaflet_paths.get(item.path)
        if block is None and lf is None:
            report.error("xliff", f"{item.path} is not a block or leaflet of this project",
                         Location(rel, item.line), "import it into the project it came from")  # fmt: skip
            continue
        if len(item.of) != 40:
            report.error("xliff", "the file has no pamflet-of note: which version was translated?",
                         Location(rel, item.line), "export the file again with pamflet")  # fmt: skip
            continue
        doc = block_doc(block, item.of, None) if block else leaflet_doc(lf, item.of, None)  # type: ignore[arg-type]
        wanted = {u.id for u in doc.units}
        for unit_id, (_, line) in item.targets.items():
            if unit_id not in wanted:
                report.error("xliff", f"unit '{unit_id}' is not in {item.path} as it is now",
                             Location(rel, line), "export again, and translate the new file")  # fmt: skip
        missing = [u.id for u in doc.units if u.id not in item.targets or not item.targets[u.id][0]]
        if missing:
            report.error("xliff", f"{len(missing)} unit(s) of {item.path} have no translation, "
                         f"the first '{missing[0]}'", Location(rel, item.line),
                         "translate every unit before importing")  # fmt: skip
            continue
        targets = {k: v for k, (v, _) in item.targets.items()}
        if block is not None:
            out[block.path.removesuffix(".md") + f".{lang}.md"] = block_file(
                block, doc, targets, item.of
            )
        else:
            out[lf.path.removesuffix(".yaml") + f".{lang}.yaml"] = leaflet_file(
                lf, doc, targets, item.of
            )  # type: ignore[union-attr]
    return out if report.errors == errors else {}
