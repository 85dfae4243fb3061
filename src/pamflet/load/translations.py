"""Translations beside their sources: `content/x.tr.md` translates `content/x.md` (same block
id), `leaflets/x.tr.yaml` the leaflet's own words. Each says which version of its source it
translates (`translation: {of: <git blob id>}`); resolve/translations.py compares."""

from __future__ import annotations

from types import MappingProxyType

import yaml

from pamflet.diagnostics import Location, Report
from pamflet.load import rules, schema
from pamflet.load.loader import block_indent, first_line, load_block, load_mapping
from pamflet.model import Block, LeafletTranslation, Section, Settings
from pamflet.project import ProjectDir, translated


def load_translations(
    project: ProjectDir, report: Report, settings: Settings, blocks: dict[str, Block],
    leaflets: set[str], broken: set[str],
) -> tuple[dict[tuple[str, str], Block], dict[tuple[str, str], LeafletTranslation]]:  # fmt: skip
    by_path = {b.path: b for b in blocks.values()}
    out: dict[tuple[str, str], Block] = {}
    for rel in project.files("content", ".md"):
        source, lang = translated(rel)
        if lang is None:
            continue
        original = by_path.get(source)
        if original is None:
            if source.removeprefix("content/").removesuffix(".md") not in broken:
                report.error(
                    "translation-source", f"this translates {source}, which does not exist",
                    Location(rel), f"rename it after its source, e.g. <block>.{lang}.md",
                )  # fmt: skip
            continue
        block = load_block(
            project, rel, report, settings.country, schema.FRONT_TRANSLATION, original.kind
        )
        if block is not None:
            if block.kind != original.kind and "kind" in block.locs:
                report.error(
                    "translation-kind", f"the translation is '{block.kind}', its source "
                    f"'{original.kind}'", block.at("kind"), "remove 'kind' from the translation",
                )  # fmt: skip
            out[(original.id, lang)] = block
    leaflet_words: dict[tuple[str, str], LeafletTranslation] = {}
    for rel in project.files("leaflets", ".yaml"):
        source, lang = translated(rel)
        if lang is None:
            continue
        if source not in leaflets:
            report.error(
                "translation-source", f"this translates {source}, which is not a leaflet",
                Location(rel), f"rename it after its leaflet, e.g. <leaflet>.{lang}.yaml",
            )  # fmt: skip
            continue
        words = load_leaflet_words(project, rel, source, lang, report)
        if words is not None:
            leaflet_words[(source, lang)] = words
    return out, leaflet_words


def load_leaflet_words(
    project: ProjectDir, rel: str, source: str, lang: str, report: Report
) -> LeafletTranslation | None:
    loaded = load_mapping(project, rel, schema.LEAFLET_TRANSLATION, report)
    if loaded is None:
        return None
    values, locs, loc, ctx = loaded
    translation = values.pop("translation", None) or {}
    if "of" in getattr(translation, "locs", {}):
        locs["translation.of"] = translation.locs["of"]
    nodes = values.pop("sections", None)
    sections: list[Section | None] = []
    if isinstance(nodes, yaml.SequenceNode):
        for node in nodes.value:
            sections.append(section_words(node, ctx))
    elif nodes is not None:
        ctx.error(nodes, "type", "'sections' must be a list of items starting with '- '")
    if "title" not in values:
        return None
    return LeafletTranslation(
        loc, MappingProxyType(locs), path=rel, source=source, language=lang,
        title=values["title"], subtitle=values.get("subtitle"), url=values.get("url"),
        sections=tuple(sections), of=translation.get("of"),
    )  # fmt: skip


def section_words(node: yaml.Node, ctx: rules.Ctx) -> Section | None:
    if rules.is_null(node):
        return None
    values, locs = schema.SECTION_TRANSLATION.read(node, ctx)
    if values is rules.MISSING or not values:
        return None
    text_line, text_indent = ctx.loc(node).line, 0
    if "text" in values:  # as the leaflet's own sections: template errors at their true column
        text_node = next(v for k, v in node.value if k.value == "text")
        text_line, text_indent = first_line(text_node, ctx), block_indent(text_node, ctx)
    return Section(ctx.loc(node), MappingProxyType(locs), title=values.get("title"),
                   text=values.get("text"), text_line=text_line,
                   text_indent=text_indent)  # fmt: skip
