"""What the steps of stage 2 share: the project, the report, and caches across leaflets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pamflet import model as m
from pamflet.diagnostics import Location, Report
from pamflet.load import templating
from pamflet.load.markdown import Source
from pamflet.project import ProjectDir
from pamflet.records.checks import Memo
from pamflet.records.history import History


@dataclass
class Context:
    """One project's resolution: passed to every step; holds caches shared by its leaflets."""

    project: m.Project
    files: ProjectDir
    report: Report
    today: dt.date
    images: dict[str, m.Figure | str] = field(default_factory=dict)
    templates: dict[tuple[str, int], templating.Template | None] = field(default_factory=dict)
    glyphs: dict[tuple[str, ...], frozenset[int] | None] = field(default_factory=dict)
    printable: dict[tuple[str, ...], frozenset[str] | None] = field(default_factory=dict)
    odd: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    sources: dict[tuple[str, int], Source | None] = field(default_factory=dict)
    parsed: dict[str, list[Any]] = field(default_factory=dict)
    page_texts: dict[str, list[tuple[str, Location]]] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)  # blocks a leaflet shows, links to or names
    unit_used: set[str] = field(default_factory=set)  # those the running unit used
    # Where each block is used: block id -> {(leaflet code, where, how)}; for `pamflet list`.
    uses: dict[str, dict[tuple[str, Location, str], None]] = field(default_factory=dict)
    current: str | None = None  # the code of the leaflet being resolved
    by_leaflet: dict[str, set[str]] = field(default_factory=dict)  # code -> blocks it used
    named: dict[tuple[str, int], frozenset[str]] = field(default_factory=dict)
    touched: set[str] = field(default_factory=set)  # contacts the running template named
    reads: set[str] = field(default_factory=set)  # image and font files the running unit read
    linked: set[str] = field(default_factory=set)  # leaflets the running unit linked to
    missed: set[str] = field(
        default_factory=set
    )  # what it looked for in vain: block, leaflet, layout
    memo: Memo | None = None  # the check cache: reuse what did not change
    inputs: dict[str, str] = field(default_factory=dict)  # leaflet code -> key of its inputs
    stems: dict[str, str] = field(default_factory=dict)  # <code>.<lang> -> code, translations
    contact_table: templating.Strict | None = None  # `contacts[...]`, built when first used
    budget: templating.Budget = field(default_factory=templating.Budget)  # all templates' time
    # `pamflet release`: the leaflets (codes in upper case; empty: all) to which the publishing
    # policy applies and that must not be drafts; None when not releasing.
    release: frozenset[str] | None = None
    history: History | None = None  # when each file changed, for approvals; made when needed
    jobs: int | None = None  # processes the run may use (None: the cores), see load/fork.py

    def releasing(self, code: str) -> bool:
        return self.release is not None and (not self.release or code.upper() in self.release)

    def use(self, block_id: str, loc: Location, how: str) -> None:
        """Record that the current leaflet shows, links to or names a block at `loc`."""
        self.used.add(block_id)
        self.unit_used.add(block_id)
        if self.current is not None:
            self.uses.setdefault(block_id, {})[(self.current, loc, how)] = None
            self.by_leaflet.setdefault(self.current, set()).add(block_id)
