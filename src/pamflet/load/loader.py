"""Stage 1: read pamflet.yaml, leaflets, content blocks and layouts into model objects."""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Any

import yaml
from yaml.events import AliasEvent

from pamflet.diagnostics import Location, Report
from pamflet.load import rules, schema
from pamflet.model import (
    Approval,
    Block,
    Layout,
    Leaflet,
    Reference,
    Section,
    Settings,
)
from pamflet.project import SETTINGS_FILE, FileProblem, ProjectDir, translated

STANDARD_TAGS = {
    f"tag:yaml.org,2002:{t}"
    for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")
# What `pamflet new` writes for the author to replace: left in, it would be printed.
PLACEHOLDERS = {
    "nl": {"summary": "Eén of twee zinnen voor op een kaart.", "name": "Naam of team",
           "body": "Schrijf hier de tekst.",
           "text": "Schrijf hier wat de patiënt moet weten. Gebruik korte zinnen."},
    "en": {"summary": "One or two sentences for a card.", "name": "Name or team",
           "body": "Write the text here.",
           "text": "Write here what the patient needs to know. Use short sentences."},
    "de": {"summary": "Ein oder zwei Sätze für eine Karte.", "name": "Name oder Team",
           "body": "Schreiben Sie hier den Text.",
           "text": "Schreiben Sie hier, was die Patientin oder der Patient wissen muss. Schreiben Sie kurze Sätze."},
    "fr": {"summary": "Une ou deux phrases pour une carte.", "name": "Nom ou équipe",
           "body": "Écrivez le texte ici.",
           "text": "Écrivez ici ce que le patient doit savoir. Faites des phrases courtes."},
    "pl": {"summary": "Jedno lub dwa zdania na kartę.", "name": "Imię i nazwisko lub zespół",
           "body": "Tu wpisz tekst.",
           "text": "Tu wpisz, co pacjent powinien wiedzieć. Pisz krótkimi zdaniami."},
    "tr": {"summary": "Bir kart için bir veya iki cümle.", "name": "Ad veya ekip",
           "body": "Metni buraya yazın.",
           "text": "Hastanın bilmesi gerekenleri buraya yazın. Kısa cümleler kullanın."},
    "uk": {"summary": "Одне-два речення для картки.", "name": "Ім’я або команда",
           "body": "Напишіть тут текст.",
           "text": "Напишіть тут, що пацієнтові потрібно знати. Пишіть короткими реченнями."},
    "ar": {"summary": "جملة أو جملتان لبطاقة.", "name": "الاسم أو الفريق",
           "body": "اكتب النص هنا.",
           "text": "اكتب هنا ما يحتاج المريض إلى معرفته. استخدم جملًا قصيرة."},
    "any": {"url": "https://www.example.org/", "email": "info@example.org"},
}  # fmt: skip
PLACEHOLDER_VALUES = {v for words in PLACEHOLDERS.values() for v in words.values()}
PLACEHOLDER_TEXTS = {w[k] for w in PLACEHOLDERS.values() for k in ("body", "text") if k in w}
ANY_PLACEHOLDER = re.compile("|".join(re.escape(t) for t in sorted(PLACEHOLDER_TEXTS)))


def placeholders(rel: str, report: Report, texts: list[tuple[str, Location]]) -> None:
    """Warn about the example words `pamflet new` writes, where they were left: a field that
    is one of them, or a text that holds one of its sentences."""
    for text, loc in texts:
        if text not in PLACEHOLDER_VALUES and not ANY_PLACEHOLDER.search(text):
            continue  # most texts: one search instead of one per example sentence and line
        for line_no, line in enumerate(text.split("\n")):
            found = text if text in PLACEHOLDER_VALUES else None
            found = found or next((p for p in PLACEHOLDER_TEXTS if p in line), None)
            if found is not None:
                at = Location(
                    rel, loc.line + line_no, (loc.col if not line_no else 1) + line.find(found)
                )
                report.warning(
                    "placeholder-text", f"'{found}' is an example text from 'pamflet new'",
                    at, "write the real text, or remove the line",
                )  # fmt: skip


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases: they are how YAML 'billion laughs' bombs work."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None,
                None,
                "aliases (*name) are not supported: write the value out",
                event.start_mark,
            )
        return super().compose_node(parent, index)


ALIAS = re.compile(r"(^|[\s\[{,:-])\*[^\s*]")
_Fast = getattr(yaml, "CSafeLoader", None)


def _loader_for(text: str) -> type:
    """libyaml when it is there and the text has no alias; ours reports an alias where it is."""
    return _Fast if _Fast is not None and not ALIAS.search(text) else _Loader


def parse_yaml(text: str, ctx: rules.Ctx) -> yaml.Node | None:
    """Compose one YAML document into nodes with positions; report syntax errors and bad tags."""
    try:
        node = yaml.compose(text, Loader=_loader_for(text))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        opened = exc.context or ""
        unclosed = "end of stream" in (exc.problem or "") or "expected ',' or" in (
            exc.problem or ""
        )
        if exc.context_mark and unclosed and ("quoted scalar" in opened or "flow" in opened):
            mark = exc.context_mark  # an unclosed quote or bracket: point where it was opened
        line, col = (ctx.mark(mark).line - ctx.line_offset, ctx.mark(mark).col) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        if mark is exc.context_mark and opened:
            what = "quote" if "quoted" in opened else "'['" if "sequence" in opened else "'{'"
            problem = f"the {what} opened here is never closed"
        lines = text.split("\n")
        nearby = "\n".join(lines[max(0, line - 2) : line]) if mark else ""
        hint = indent_hint(lines, line) or yaml_hint(problem + ("'\\t'" if "\t" in nearby else ""))
        loc = Location(ctx.path, line + ctx.line_offset, col)
        ctx.report.error("yaml", f"YAML syntax error: {problem}", loc, hint)
        return None
    except yaml.YAMLError as exc:
        ctx.report.error("yaml", f"YAML error: {exc}", Location(ctx.path, 1 + ctx.line_offset, 1))
        return None
    except RecursionError:  # PyYAML's composer recurses once per level of nesting
        ctx.report.error(
            "yaml", "the YAML is nested too deeply to read", Location(ctx.path, 1 + ctx.line_offset, 1),
            "a leaflet needs no more than a few levels of lists and mappings",
        )  # fmt: skip
        return None
    return node if node is None or _tags_ok(node, ctx) else None


def indent_hint(lines: list[str], line: int) -> str:
    """Where indentation is the likely cause: how far the line is indented, and how far the
    lines it belongs with are (the nearest line above at another depth, and its siblings)."""

    def depth(text: str) -> int:
        return len(text) - len(text.lstrip(" "))

    def content(text: str) -> bool:
        return bool(text.strip()) and not text.lstrip().startswith("#")

    if not 0 < line <= len(lines) or not content(lines[line - 1]) or "\t" in lines[line - 1]:
        return ""
    here = depth(lines[line - 1])
    item = lines[line - 1].lstrip().startswith("- ")
    alike = [x for x in lines if content(x) and x.lstrip().startswith("- ") == item]
    known = {depth(x) for x in alike if x is not lines[line - 1]} - {here}
    if not known or any(depth(x) == here for x in lines[: line - 1] if content(x)):
        return ""
    near = min(known, key=lambda d: (abs(d - here), d))
    what = "this item" if item else "this line"
    return (
        f"{what} is indented by {here} space{'s' * (here != 1)}, the lines around it by "
        f"{near}: line it up with the ones it belongs with ({near} spaces)"
    )


def yaml_hint(problem: str) -> str:
    if "'\\t'" in problem:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be put in quotes"
    if "aliases" in problem:
        return ""
    if "never closed" in problem:
        return "close it on the same line, or put the whole value in quotes"
    return "check the indentation and quotes on this line and the one above"


def _tags_ok(node: yaml.Node, ctx: rules.Ctx) -> bool:
    """Reject explicit tags such as !!python/object, and any node reached twice (an alias)."""
    stack, ok, seen = [node], True, set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            ctx.error(current, "yaml", "aliases (*name) are not supported: write the value out")
            return False
        seen.add(id(current))
        if current.tag not in STANDARD_TAGS:
            ctx.error(current, "yaml-tag", f"the tag '{current.tag}' is not allowed", "remove it")
            ok = False
        if isinstance(current, yaml.MappingNode):
            stack.extend(n for pair in current.value for n in pair)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return ok


def read(project: ProjectDir, rel: str, report: Report) -> str | None:
    """Read a text file, reporting instead of raising."""
    try:
        return project.read_text(rel)
    except FileProblem as exc:
        report.error("file", exc.message, exc.loc, exc.hint)
    except (OSError, ValueError) as exc:
        report.error("file", f"cannot read: {getattr(exc, 'strerror', None) or exc}", Location(rel))
    return None


def load_mapping(
    project: ProjectDir, rel: str, spec: rules.Map, report: Report, region: str = "NL"
) -> tuple[dict[str, Any], dict[str, Location], Location, rules.Ctx] | None:
    """Read a YAML file and validate it against `spec`."""
    text = read(project, rel, report)
    if text is None:
        return None
    ctx = rules.Ctx(rel, report, region=region, text=text)
    node = parse_yaml(text, ctx)
    if node is None and text.strip() and report.errors:
        return None
    if node is None:
        node = yaml.ScalarNode("tag:yaml.org,2002:null", "", yaml.Mark(rel, 0, 0, 0, "", 0))
    ctx.root = node
    values, locs = spec.read(node, ctx)
    if values is rules.MISSING:
        return None
    return values, locs, ctx.loc(node), ctx


def load_settings(project: ProjectDir, report: Report) -> Settings:
    loaded = load_mapping(project, SETTINGS_FILE, schema.SETTINGS, report)
    if loaded is None:
        return Settings(Location(SETTINGS_FILE))
    values, locs, loc, _ = loaded
    severity = MappingProxyType(dict(values.pop("severity", {})))
    readability = values.pop("readability", {})
    for key, at in getattr(readability, "locs", {}).items():
        locs[f"readability.{key}"] = at
    if "max_sentence_words" in readability:
        values["max_sentence_words"] = int(readability["max_sentence_words"])
    if "min_score" in readability:
        values["min_score"] = float(readability["min_score"])
    stale = values.pop("translations", {})
    for key, at in getattr(stale, "locs", {}).items():
        locs[f"translations.{key}"] = at
    values["stale_translations"] = stale.get("stale", "warning")
    publishing = values.pop("publishing", {})
    for key, at in getattr(publishing, "locs", {}).items():
        locs[f"publishing.{key}"] = at
    values["require"] = tuple(dict.fromkeys(publishing.get("require", ())))
    return Settings(loc, MappingProxyType(locs), severity=severity, **values)


def split_front_matter(text: str, rel: str, report: Report) -> tuple[str, int, str, int] | None:
    """Return (front matter, its first line, body, body's first line), reporting a bad fence."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        report.error(
            "front-matter", "no front matter: the file must start with a line '---'",
            Location(rel), "start with '---', then 'title: ...', then '---'",
        )  # fmt: skip
        return None
    for i in range(1, len(lines)):
        if FENCE.match(lines[i]):
            return "\n".join(lines[1:i]), 2, "\n".join(lines[i + 1 :]), i + 2
    report.error(
        "front-matter", "the front matter opened on line 1 is never closed",
        Location(rel), "add a line '---' after the last field",
    )  # fmt: skip
    return None


def load_block(
    project: ProjectDir, rel: str, report: Report, region: str,
    spec: rules.Map = schema.FRONT_MATTER, kind: str = "text",
) -> Block | None:  # fmt: skip
    text = read(project, rel, report)
    if text is None:
        return None
    parts = split_front_matter(text, rel, report)
    if parts is None:
        return None
    front, front_line, body, body_line = parts
    return read_front(rel, report, region, front, front_line, body, body_line, spec, kind)


def read_front(
    rel: str,
    report: Report,
    region: str,
    front: str,
    front_line: int,
    body: str,
    body_line: int,
    spec: rules.Map = schema.FRONT_MATTER,
    kind: str = "text",
) -> Block | None:
    ctx = rules.Ctx(rel, report, line_offset=front_line - 1, region=region, text=front)
    node = parse_yaml(front, ctx)
    if node is None and front.strip():
        return None
    if node is None:
        report.error(
            "missing", "the front matter has no 'title'", Location(rel), "add 'title: ...'"
        )
        return None
    values, locs = spec.read(node, ctx)
    translation = None if values is rules.MISSING else values.pop("translation", None)
    if translation is not None:  # a translation: the version of its source it translates
        values["of"] = translation.get("of")
        locs["translation.of"] = translation.locs.get("of", locs.get("translation", Location(rel)))
    if values is rules.MISSING or "title" not in values:
        return None
    kind = values.setdefault("kind", kind)
    for key in ("name", "role", "phone", "email", "hours", "address"):
        if key in locs and kind != "contact":
            report.error(
                "contact-field", f"'{key}' belongs to contact blocks, and this block is '{kind}'",
                locs[key], "set 'kind: contact' or remove the field",
            )  # fmt: skip
    block_id = translated(rel)[0].removeprefix("content/").removesuffix(".md")
    control(values, locs, Location(rel, 1, 1))
    loc = Location(rel, 1, 1)
    texts = [(str(v), locs[k]) for k, v in values.items() if isinstance(v, str) and k in locs]
    placeholders(rel, report, [*texts, (body, Location(rel, body_line, 1))])
    return Block(
        loc, MappingProxyType(locs), id=block_id, path=rel, body=body, body_line=body_line, **values
    )


def load_section(node: yaml.Node, ctx: rules.Ctx) -> Section | None:
    values, locs = schema.SECTION.read(node, ctx)
    if values is rules.MISSING:
        return None
    loc = ctx.loc(node)
    present = [k for k in ("content", "contact") if k in locs]
    group = [k for k in ("title", "text", "cards") if k in locs]
    unknown = any(
        isinstance(k, yaml.ScalarNode) and k.value not in schema.SECTION.fields
        for k, _ in node.value
    )
    if not present and not group and unknown:  # the unknown key's did-you-mean says it all
        return None
    if len(present) + bool(group) != 1:
        ctx.error(
            node, "section", "a section needs exactly one of: 'content', 'contact', or 'title'",
            "split it into separate items, each starting with '- '",
        )  # fmt: skip
        return None
    if group and "title" not in locs:
        ctx.error(
            node, "missing", "a section with text or cards needs a 'title'", "add 'title: ...'"
        )
        return None
    if group and not ({"text", "cards"} & set(locs)):
        ctx.error(node, "section", "this section has a title but no 'text' or 'cards'")
    text_line, text_indent, text_places = 1, 0, ()
    if "text" in values:
        text_node = next(v for k, v in node.value if k.value == "text")
        text_line = first_line(text_node, ctx)
        text_indent = block_indent(text_node, ctx)
        text_places = ctx.places(text_node)
        placeholders(
            ctx.path, ctx.report, [(values["text"], Location(ctx.path, text_line, text_indent + 1))]
        )
    return Section(
        loc, MappingProxyType(locs), text_line=text_line, text_indent=text_indent,
        text_places=text_places, **values,
    )  # fmt: skip


def first_line(node: yaml.Node, ctx: rules.Ctx) -> int:
    """The line a text scalar's first line is on (a block scalar starts below its `|`)."""
    return ctx.loc(node).line + (1 if node.style in ("|", ">") else 0)


def block_indent(node: yaml.Node, ctx: rules.Ctx) -> int:
    """Columns before a text scalar's first line in the file, so that columns inside it are true."""
    line, col = ctx.lines.place(node.start_mark.index)
    if node.style not in ("|", ">"):
        return col - 1 + (1 if node.style in ("'", '"') else 0)
    for text in ctx.text.split("\n")[line - ctx.line_offset :]:
        if text.strip():
            return len(text) - len(text.lstrip(" "))
    return 0


def load_leaflet(
    project: ProjectDir, rel: str, settings: Settings, report: Report
) -> Leaflet | None:
    loaded = load_mapping(project, rel, schema.LEAFLET, report, settings.country)
    if loaded is None:
        return None
    values, locs, loc, ctx = loaded
    section_nodes = values.pop("sections", None)
    sections: list[Section] = []
    if isinstance(section_nodes, yaml.SequenceNode):
        if not section_nodes.value:
            ctx.error(section_nodes, "empty", "the leaflet has no sections", "add at least one")
        sections = [s for n in section_nodes.value if (s := load_section(n, ctx)) is not None]
    elif section_nodes is not None:
        ctx.error(section_nodes, "type", "'sections' must be a list of items starting with '- '")
    values.setdefault("language", settings.language)
    values.setdefault("layout", settings.layout)
    control(values, locs, loc)
    if "languages" in values:
        values["languages"] = tuple(dict.fromkeys(values["languages"]))
    if "code" not in values or "title" not in values or "revised" not in values:
        return None
    return Leaflet(loc, MappingProxyType(locs), path=rel, sections=tuple(sections), **values)


def control(values: dict[str, Any], locs: dict[str, Location], loc: Location) -> None:
    """Document-control fields as model objects: the approval, sources, reviewers."""
    approved = values.pop("approved", None)
    if approved is not None and "by" in approved and "on" in approved:
        where = approved.locs.get("on", locs.get("approved", loc))
        values["approved"] = Approval(str(approved["by"]), approved["on"], where)
        locs["approved.by"] = approved.locs.get("by", where)
        locs["approved.on"] = where
    if "sources" in values:
        where = locs.get("sources", loc)
        values["sources"] = tuple(
            Reference(
                str(i["title"]),
                i.get("author"),
                i.get("year"),
                i.get("url"),
                i.locs.get("title", where),
            )
            for i in values["sources"]
            if "title" in i
        )
    if "reviewed_by" in values:
        values["reviewed_by"] = tuple(str(name) for name in values["reviewed_by"])


def load_layout(project: ProjectDir, name: str, report: Report) -> Layout | None:
    rel = f"layouts/{name}/layout.yaml"
    if not project.exists(rel):
        return None
    loaded = load_mapping(project, rel, schema.LAYOUT, report)
    if loaded is None:
        return Layout(Location(rel), name=name, folder=f"layouts/{name}")
    values, locs, loc, ctx = loaded
    places = {
        k.value: ctx.places(v)
        for k, v in getattr(ctx.root, "value", [])
        if k.value in ("header", "footer") and isinstance(v, yaml.ScalarNode)
    }
    if "colophon" in values:
        shown = tuple(dict.fromkeys(values["colophon"]))
        values["colophon"] = () if "none" in shown else shown
    margins = values.pop("margins", None)
    if margins is not None and len(margins) == 1:
        margins = margins * 4
    for key in ("fonts", "colours"):
        nested = values.get(key, {})
        locs.update({f"{key}.{k}": loc for k, loc in getattr(nested, "locs", {}).items()})
        values[key] = MappingProxyType(dict(nested))
    return Layout(
        loc, MappingProxyType(locs), name=name, folder=f"layouts/{name}", margins=margins,
        places=MappingProxyType(places), **values,
    )  # fmt: skip


def check_codes(leaflets: list[Leaflet], report: Report) -> None:
    """Every output file has one leaflet: codes are unique, also against '<code>-print'."""
    seen: dict[str, Leaflet] = {}
    for leaflet in leaflets:
        first = seen.setdefault(leaflet.code.upper(), leaflet)
        if first is not leaflet:
            report.error(
                "duplicate-code", f"leaflet code '{leaflet.code}' is also used by {first.path}",
                leaflet.at("code"), "give every leaflet its own code",
            )  # fmt: skip
    for leaflet in leaflets:
        if leaflet.format != "A5-booklet":
            continue
        other = seen.get(f"{leaflet.code}-PRINT".upper())
        if other is not None:
            report.error(
                "duplicate-code",
                f"leaflet code '{other.code}' is the name of the print file of booklet "
                f"'{leaflet.code}' ({leaflet.path}): both would write build/{other.code}.pdf",
                other.at("code"), "give this leaflet another code",
            )  # fmt: skip
