"""The translations step: every translation checked against its source (the same headings,
links and images; the version it translates), and each language a leaflet lists resolved from
its translations into a Document of its own (`<code>.<lang>.pdf`).

A leaflet never mixes languages silently: a listed language without a translation of the
leaflet's own words or of every block it shows or lists as a card is an error naming the file
to write. A translation whose source changed since (`translation.of` is no longer the source's
git blob id) is `stale-translation`: a warning, or an error with `translations: {stale: error}`;
with git at hand, the paragraphs that changed are named.
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

from pamflet import model as m
from pamflet.diagnostics import Location
from pamflet.load.parser import parse
from pamflet.project import translated
from pamflet.records.checks import sha
from pamflet.records.history import git
from pamflet.resolve import labels
from pamflet.resolve.cards import card_refs
from pamflet.resolve.context import Context
from pamflet.resolve.sections import shown_refs


def check_all(ctx: Context) -> None:
    """Each translation once: its version, and its structure against the source's."""
    for (block_id, _lang), block in sorted(ctx.project.translations.items()):
        source = ctx.project.blocks.get(block_id)
        if source is None:
            continue
        stale(ctx, block.path, source.path, block.of, block.at("translation.of"))
        same_structure(ctx, source, block)
    for (path, _lang), words in sorted(ctx.project.leaflet_translations.items()):
        stale(ctx, words.path, path, words.of, words.at("translation.of"))
        leaflet = ctx.project.leaflet_paths.get(path)
        if leaflet is not None and len(words.sections) != len(leaflet.sections):
            ctx.report.error(
                "translation-structure", f"the translation has {len(words.sections)} sections, "
                f"{path} has {len(leaflet.sections)}", words.at("sections"),
                "give one item per section of the leaflet, in its order ({} for a block)",
            )  # fmt: skip


def stale(ctx: Context, rel: str, source: str, of: str | None, where: Location) -> None:
    now = ctx.files.blob(source)
    if of is None or now is None or of == now:
        return
    changed = changed_paragraphs(ctx, source, of)
    detail = f"; changed since: {changed}" if changed else ""
    report = ctx.report.error if ctx.project.settings.stale_translations == "error" else (
        ctx.report.warning
    )  # fmt: skip
    report(
        "stale-translation", f"{source} has changed since this translation was made{detail}",
        where, f"update the translation, then set 'of: {now}'",
    )  # fmt: skip


def changed_paragraphs(ctx: Context, source: str, of: str) -> str:
    """Where the source differs from the version translated, when git still has it."""
    before = git(ctx.files.root, "cat-file", "blob", of)
    if before is None:
        return ""
    old = {p.strip() for p in before.split("\n\n")}
    try:
        text = ctx.files.read_text(source)
    except Exception:
        return ""
    lines, out, line = text.split("\n\n"), [], 1
    for paragraph in lines:
        if paragraph.strip() and paragraph.strip() not in old:
            words = " ".join(paragraph.split())
            out.append(f"line {line} '{words[:40]}{'…' if len(words) > 40 else ''}'")
        line += paragraph.count("\n") + 2
    return ", ".join(out[:3]) + (f" and {len(out) - 3} more" if len(out) > 3 else "")


def shape(body: str) -> tuple[int, list[str], list[str]]:
    """Headings, link targets and image sources of a Markdown text, as the checks compare."""
    headings, hrefs, images = 0, [], []
    for token in parse(body):
        if token.type == "heading_open":
            headings += 1
        for child in token.children or []:
            if child.type == "link_open":
                hrefs.append(str(child.attrs.get("href", "")))
            elif child.type == "image":
                images.append(str(child.attrs.get("src", "")))
    return headings, sorted(hrefs), sorted(images)


def same_structure(ctx: Context, source: m.Block, block: m.Block) -> None:
    mine, theirs = shape(block.body), shape(source.body)
    where = Location(block.path, block.body_line, 1)
    for name, a, b in zip(("headings", "links", "images"), mine, theirs, strict=True):
        if a != b:
            count = lambda v: v if isinstance(v, int) else len(v)  # noqa: E731
            noun = name if count(a) != 1 else name.removesuffix("s")
            what = f"{count(a)} {noun}, its source {count(b)}"
            if not isinstance(a, int) and count(a) == count(b):
                what = f"other {name} than its source ({', '.join(sorted(set(a) ^ set(b)))})"
            ctx.report.error(
                "translation-structure", f"the translation has {what}", where,
                f"keep the {name} of {source.path}: translate the words, not the structure",
            )  # fmt: skip


def language_versions(ctx: Context, lf: m.Leaflet, resolve: object) -> list[m.Document]:
    """The leaflet in each other language it lists, each from its translations."""
    out: list[m.Document] = []
    for lang in lf.languages:
        if lang == lf.language:
            continue
        version = translated_leaflet(ctx, lf, lang)
        if version is None:
            continue
        leaflet, project, used = version
        other = Context(project, ctx.files, ctx.report, ctx.today)
        other.budget, other.release, other.history = ctx.budget, ctx.release, ctx.history
        doc = resolve(other, leaflet)  # type: ignore[operator]
        if doc is None:
            continue
        stem = f"{lf.code}.{lang}"  # keyed on the source's inputs and the translations it used
        ctx.inputs[stem] = sha("language", ctx.inputs.get(lf.code, ""), lang,
                               *(f"{p}\0{ctx.files.digests.get(p, '')}" for p in used))  # fmt: skip
        ctx.stems[stem] = lf.code
        out.append(replace(doc, output=stem))
    return out


def also_in(ctx: Context, lf: m.Leaflet) -> tuple[m.Node, ...]:
    """'Deze folder is ook beschikbaar in: Türkçe, Polski': each name in its own language,
    linked to that version's address when it has one."""
    source = translated(lf.path)[0]
    original = ctx.project.leaflet_paths.get(source)
    if original is None or len(original.languages) < 2:
        return ()
    runs: list[m.Inline] = [m.Text(labels.label(lf.language, "also_in") + " ")]
    for lang in original.languages:
        if lang == lf.language:
            continue
        words = ctx.project.leaflet_translations.get((source, lang))
        url = original.url if lang == original.language else (words.url if words else None)
        name = m.Text(labels.NAMES.get(lang, lang))
        if len(runs) > 1:
            runs.append(m.Text(", "))
        runs.append(m.Link((name,), href=url) if url else name)
    return (m.Para(tuple(runs), lf.loc),)


def needed(lf: m.Leaflet) -> list[str]:
    return list(dict.fromkeys([*shown_refs(lf), *card_refs(lf)]))


def translated_leaflet(
    ctx: Context, lf: m.Leaflet, lang: str
) -> tuple[m.Leaflet, m.Project, list[str]] | None:
    """The leaflet and the project as language `lang` sees them, and the translation files
    that made them; None (reported) when a translation is missing."""
    where = lf.at("languages")
    words = ctx.project.leaflet_translations.get((lf.path, lang))
    missing = []
    if words is None:
        missing.append(lf.path.removesuffix(".yaml") + f".{lang}.yaml")
    blocks = dict(ctx.project.blocks)
    used = [words.path] if words is not None else []
    for block_id in needed(lf):
        block = blocks.get(block_id)
        if block is None:
            continue
        translation = ctx.project.translations.get((block_id, lang))
        if translation is None:
            missing.append(block.path.removesuffix(".md") + f".{lang}.md")
            continue
        used.append(translation.path)
        blocks[block_id] = replace(
            block, title=translation.title, summary=translation.summary or block.summary,
            name=translation.name or block.name, role=translation.role or block.role,
            hours=translation.hours or block.hours, address=translation.address or block.address,
            url=translation.url or block.url, body=translation.body,
            body_line=translation.body_line, path=translation.path, loc=translation.loc,
            locs=translation.locs,
        )  # fmt: skip
    for path in missing:
        ctx.report.error(
            "missing-translation", f"'{lang}' is listed, but {path} does not exist", where,
            f"write {path} (a leaflet never mixes languages), or remove '{lang}'",
        )  # fmt: skip
    if missing or words is None or len(words.sections) != len(lf.sections):
        return None
    sections = []
    for section, mine in zip(lf.sections, words.sections, strict=True):
        if (section.title and not (mine and mine.title)) or (
            section.text and not (mine and mine.text)
        ):
            ctx.report.error(
                "missing-translation", "a section's title or text is not translated",
                mine.loc if mine else words.at("sections"),
                f"give this section its 'title' and 'text' in '{lang}', as {lf.path} has them",
            )  # fmt: skip
            return None
        if mine is not None:
            section = replace(section, title=mine.title or section.title, text=mine.text or section.text,
                              text_line=mine.text_line, text_indent=mine.text_indent,
                              text_places=())  # fmt: skip
        sections.append(section)
    leaflet = replace(
        lf, path=words.path, title=words.title, subtitle=words.subtitle, url=words.url or lf.url,
        language=lang, sections=tuple(sections), loc=words.loc,
        locs=MappingProxyType({**lf.locs, **words.locs}),
    )  # fmt: skip
    project = replace(ctx.project, blocks=MappingProxyType(blocks), leaflets=(leaflet,))
    return leaflet, project, sorted(used)


def status(ctx: Context) -> list[dict[str, str]]:
    """Per language a leaflet lists: each leaflet's words and each block it needs, as
    'up to date', 'stale' or 'missing' (for `pamflet translate status`)."""
    rows: dict[tuple[str, str], dict[str, str]] = {}
    for lf in ctx.project.leaflets:
        for lang in lf.languages:
            if lang == lf.language:
                continue
            words = ctx.project.leaflet_translations.get((lf.path, lang))
            path = lf.path.removesuffix(".yaml") + f".{lang}.yaml"
            rows[(lang, lf.path)] = row(
                ctx, lang, lf.path, path, words.of if words else None, words
            )
            for block_id in needed(lf):
                block = ctx.project.blocks.get(block_id)
                if block is None:
                    continue
                mine = ctx.project.translations.get((block_id, lang))
                path = block.path.removesuffix(".md") + f".{lang}.md"
                rows[(lang, block.path)] = row(
                    ctx, lang, block.path, path, mine.of if mine else None, mine
                )
    return [rows[key] for key in sorted(rows)]


def row(
    ctx: Context, lang: str, source: str, path: str, of: str | None, found: object
) -> dict[str, str]:
    state = (
        "missing" if found is None else "up to date" if of == ctx.files.blob(source) else "stale"
    )
    return {"language": lang, "source": source, "translation": path, "status": state}
