"""Stage 2: resolve every reference and template into Documents; writes nothing."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pamflet import model as m
from pamflet.diagnostics import Location, Report
from pamflet.load import templating
from pamflet.load.markdown import Converter, Slugger, Source, parse
from pamflet.project import ProjectDir
from pamflet.records.checks import Memo
from pamflet.resolve import labels
from pamflet.resolve.layouts import BUNDLED_FONTS, Styling  # noqa: F401 (BUNDLED_FONTS: tests)
from pamflet.resolve.links import Links
from pamflet.resolve.preflight import Preflight
from pamflet.resolve.sections import LeafletPlan, card_refs, shown_refs

TOC_MODES = {"auto": None, "always": True, "never": False}
PARSED_KEPT = 256  # parsed texts kept in memory: a catalogue's would take gigabytes

# ---- The resolver ------------------------------------------------------------------------------


@dataclass
class Resolver(Styling, Preflight):
    """Resolves one project; holds caches shared by its leaflets."""

    project: m.Project
    files: ProjectDir
    report: Report
    today: dt.date
    images: dict[str, m.Figure | str] = field(default_factory=dict)
    templates: dict[tuple[str, int], templating.Template | None] = field(default_factory=dict)
    glyphs: dict[tuple[str, ...], frozenset[int] | None] = field(default_factory=dict)
    odd: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    sources: dict[tuple[str, int], Source | None] = field(default_factory=dict)
    parsed: dict[str, list[Any]] = field(default_factory=dict)
    page_texts: dict[str, list[tuple[str, Location]]] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)  # blocks a leaflet shows, links to or names
    # Where each block is used: block id -> {(leaflet code, where, how)}; for `pamflet list`.
    uses: dict[str, dict[tuple[str, Location, str], None]] = field(default_factory=dict)
    current: str | None = None  # the code of the leaflet being resolved
    by_leaflet: dict[str, set[str]] = field(default_factory=dict)  # code -> blocks it used
    named: dict[tuple[str, int], frozenset[str]] = field(default_factory=dict)
    touched: set[str] = field(default_factory=set)  # contacts the running template named
    reads: set[str] = field(default_factory=set)  # image files the running unit read
    memo: Memo | None = None  # the check cache: reuse what did not change
    inputs: dict[str, str] = field(default_factory=dict)  # leaflet code -> key of its inputs

    def use(self, block_id: str, loc: Location, how: str) -> None:
        """Record that the current leaflet shows, links to or names a block at `loc`."""
        self.used.add(block_id)
        if self.current is not None:
            self.uses.setdefault(block_id, {})[(self.current, loc, how)] = None
            self.by_leaflet.setdefault(self.current, set()).add(block_id)

    def run(self) -> list[m.Document]:
        """Resolve every leaflet; with a memo, the documents of unchanged leaflets are left out
        (their reports are replayed; `inputs` still names them)."""
        checked: set[str] = set()
        docs = []
        for leaflet in self.project.leaflets:
            # A block whose text a leaflet shows is checked there, on all that its own check
            # covers and more (the same text, the same reports); a card's block is checked alone,
            # before the leaflet, so that its text is parsed once.
            checked.update(shown_refs(leaflet))
            for ref in card_refs(leaflet):
                if ref not in checked and (block := self.project.blocks.get(ref)) is not None:
                    self.check_unit(block)
                    checked.add(ref)
            docs.append(self.unit(f"leaflet:{leaflet.code}", leaflet, True,
                                  lambda lf=leaflet: self.leaflet(lf)))  # fmt: skip
        for block in self.project.blocks.values():
            if block.id not in checked:
                self.check_unit(block)
        self.check_unused()
        return [doc for doc in docs if doc is not None]

    def check_unit(self, block: m.Block) -> None:
        self.unit(f"block:{block.id}", block, False, lambda: self.check_block(block))

    def unit(self, name: str, obj: Any, dated: bool, work: Callable[[], Any]) -> Any:
        """Run `work` (one block's check, one leaflet's resolution), or replay its cached
        report when nothing it read has changed."""
        memo = self.memo
        if memo is not None and (hit := memo.lookup(name, obj, self.project, dated)):
            self.report.extend(hit.replay())
            self.used.update(hit.used)
            if isinstance(obj, m.Leaflet):
                self.inputs[obj.code] = hit.inputs
            return None
        outer, self.report = self.report, Report(severities=self.report.severities)
        used_before, self.reads = set(self.used), set()
        try:
            result = work()
        finally:
            captured, self.report = self.report, outer
        self.report.extend(captured.diagnostics)
        if memo is not None:
            used = sorted(self.used - used_before)
            if isinstance(obj, m.Leaflet):
                used = sorted(self.by_leaflet.get(obj.code, ()))
            unit = memo.record(name, obj, self.project, captured.diagnostics, used,
                               sorted(self.reads), dated)  # fmt: skip
            if isinstance(obj, m.Leaflet):
                self.inputs[obj.code] = unit.inputs
        return result

    def check_unused(self) -> None:
        """A block no leaflet uses is probably forgotten, or left behind by a rename."""
        if not self.project.leaflets or any(
            d.location.path.startswith("leaflets/") and d.severity == "error"
            for d in self.report.diagnostics
        ):  # a leaflet that failed to load may well use it
            return
        for block in self.project.blocks.values():
            if block.id not in self.used:
                self.report.warning(
                    "unused-block", f"no leaflet uses block '{block.id}'", block.loc,
                    "add it to a leaflet, link to it, or delete it",
                )  # fmt: skip

    # -- templates

    def template(self, text: str, path: str, first_line: int) -> templating.Template | None:
        key = (path, first_line)
        if key not in self.templates:
            try:
                self.templates[key] = templating.compile_template(text)
            except templating.TemplateProblem as exc:
                self.template_error(exc, path, first_line)
                self.templates[key] = None
        return self.templates[key]

    def template_error(self, exc: templating.TemplateProblem, path: str, first_line: int) -> None:
        loc = Location(path, first_line + max(exc.line, 1) - 1, 1)
        self.report.error(exc.code, exc.message, loc, exc.hint)

    def expand(
        self, text: str, path: str, first_line: int, variables: Mapping[str, Any], indent: int = 0
    ) -> Source | None:
        template = self.template(text, path, first_line)
        if template is None:
            return None
        shared = not template.needs("leaflet")  # the same text in every leaflet: expand once
        key = (path, first_line)
        if shared and key in self.sources:
            source = self.sources[key]
        else:
            self.touched = set()
            try:
                source = Source(path, first_line, templating.render(template, variables), indent)
            except templating.TemplateProblem as exc:
                self.template_error(exc, path, first_line)
                source = Source(path, first_line, text, indent)  # still check links and images
            self.named[key] = frozenset(self.touched)
            if shared:
                self.sources[key] = source
        lines = text.split("\n") if self.named[key] else []
        for block_id in sorted(self.named[key]):
            at = next((i for i, line in enumerate(lines) if block_id in line), 0)
            col = max(lines[at].find(block_id), 0) + 1 + indent
            self.use(block_id, Location(path, first_line + at, col), "template")
        return source

    def parse(self, source: Source) -> list[Any]:
        """Markdown tokens of a text. Texts repeat (a block's own check, then each leaflet that
        shows it), so the latest are kept; tokens are large, so only the latest few hundred."""
        tokens = self.parsed.pop(source.text, None)
        if tokens is None:
            tokens = parse(source.text)
            if len(self.parsed) >= PARSED_KEPT:
                del self.parsed[next(iter(self.parsed))]  # the least recently used
        self.parsed[source.text] = tokens
        return tokens

    @functools.cached_property
    def contacts(self) -> templating.Strict:
        """`contacts[...]` in templates: the same table for every leaflet."""
        table = {
            b.id: templating.Strict(f"field of contact '{b.id}'", contact_fields(b))
            for b in self.project.blocks.values()
            if b.kind == "contact"
        }
        return templating.Strict("contact", table, on_use=self.touched_contact)

    def touched_contact(self, block_id: str) -> None:
        self.used.add(block_id)
        self.touched.add(block_id)

    def variables(self, leaflet: m.Leaflet | None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "organisation": self.project.settings.organisation,
            "contacts": self.contacts,
        }
        if leaflet is not None:
            out["leaflet"] = templating.Strict("leaflet field", leaflet_fields(leaflet))
        return out

    def page_text(
        self, text: str, path: str, line: int, variables: Mapping[str, Any]
    ) -> str | None:
        """A header or footer as one page shows it; never cached, the page number varies."""
        template = self.template(text, path, line)
        if template is None:
            return None
        try:
            return templating.render(template, variables)
        except templating.TemplateProblem as exc:
            self.template_error(exc, path, line)
            return None

    def page_variables(self, leaflet: m.Leaflet) -> dict[str, Any]:
        """What a header or footer can use: what the renderer gives it, no more."""
        return {
            "organisation": self.project.settings.organisation,
            "leaflet": templating.Strict("leaflet field", leaflet_fields(leaflet)),
        }

    # -- checks that do not depend on a leaflet

    def check_block(self, block: m.Block) -> None:
        template = self.template(block.body, block.path, block.body_line)
        if template is None or template.needs("leaflet"):
            return
        source = self.expand(block.body, block.path, block.body_line, self.variables(None))
        if source is not None:
            linker = Links(self, None, block.path)
            Converter(source, 1, Slugger(), linker).convert(self.parse(source))

    # -- one leaflet

    def leaflet(self, leaflet: m.Leaflet) -> m.Document | None:
        style = self.style(leaflet)
        self.check_dates(leaflet)
        self.current = leaflet.code
        plan = LeafletPlan(self, leaflet)
        body = plan.nodes()
        self.current = None
        if style is None:
            return None
        doc = m.Document(
            code=leaflet.code,
            title=leaflet.title,
            subtitle=leaflet.subtitle,
            organisation=self.project.settings.organisation,
            language=leaflet.language,
            format=leaflet.format,
            revised=leaflet.revised,
            owner=leaflet.owner,
            url=leaflet.url,
            toc=TOC_MODES[leaflet.toc or style.toc],
            style=style,
            body=body,
            source=leaflet.loc,
            root=self.project.root,
            fields=leaflet_fields(leaflet),
            country=self.project.settings.country,
            cover_image=self.cover_image(leaflet),
        )
        self.check_text(doc, leaflet)
        self.check_lengths(doc, style, leaflet)
        self.check_images(doc, style)
        return doc

    def check_dates(self, leaflet: m.Leaflet) -> None:
        review = leaflet.review
        if review is None:
            return
        if review < leaflet.revised:
            self.report.error(
                "review-date", f"review date {review} is before the revised date {leaflet.revised}",
                leaflet.at("review"),
            )  # fmt: skip
        elif review < self.today:
            self.report.warning(
                "review-overdue", f"the review date {review} has passed",
                leaflet.at("review"), "review the leaflet, then update 'revised' and 'review'",
            )  # fmt: skip


def contact_fields(block: m.Block) -> dict[str, str]:
    keys = ("title", "name", "role", "phone", "email", "hours", "address", "url", "summary")
    return {k: getattr(block, k) for k in keys if getattr(block, k) is not None}


def leaflet_fields(leaflet: m.Leaflet) -> dict[str, str]:
    out = {
        "code": leaflet.code,
        "title": leaflet.title,
        "language": leaflet.language,
        "format": leaflet.format,
        "revised": labels.long_date(leaflet.revised, leaflet.language),
        "revised_iso": leaflet.revised.isoformat(),
    }
    for key in ("subtitle", "owner", "url"):
        if getattr(leaflet, key) is not None:
            out[key] = getattr(leaflet, key)
    if leaflet.review is not None:
        out["review"] = labels.long_date(leaflet.review, leaflet.language)
    return out


def make_resolver(
    project: m.Project, files: ProjectDir, report: Report, today: dt.date | None = None
) -> Resolver:
    return Resolver(project, files, report, today or dt.date.today())


def resolve(
    project: m.Project, files: ProjectDir, report: Report, today: dt.date | None = None
) -> list[m.Document]:
    """Stage 2: resolved documents for every leaflet that could be resolved."""
    return make_resolver(project, files, report, today).run()
