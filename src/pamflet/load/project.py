"""Stage 1's entry point: the whole project, sources and their translations, as one
`model.Project`."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from pamflet.diagnostics import Location, Report
from pamflet.load.fork import load_all
from pamflet.load.loader import check_codes, load_block, load_layout, load_leaflet, load_settings
from pamflet.load.translations import load_translations
from pamflet.model import Block, Layout, Leaflet, Project
from pamflet.project import SETTINGS_FILE, ProjectDir, translated


def load_project(project: ProjectDir, report: Report, jobs: int | None = None) -> Project:
    """Stage 1: everything on disk, as model objects; problems go to `report`. A large
    project's blocks and leaflets load in two processes unless `jobs` is 1 (load/fork.py)."""
    settings = load_settings(project, report)
    report.severities.update(settings.severity)
    blocks: dict[str, Block] = {}
    broken: set[str] = set()
    sources = [rel for rel in project.files("content", ".md") if translated(rel)[1] is None]
    pages = [rel for rel in project.files("leaflets", ".yaml") if translated(rel)[1] is None]

    def load(files: ProjectDir, rel: str, into: Report) -> Block | Leaflet | None:
        if rel.startswith("leaflets/"):
            return load_leaflet(files, rel, settings, into)
        return load_block(files, rel, into, settings.country)

    # Blocks and leaflets, every other one in a second process when there are many;
    # translations are loaded with their source, below.
    loaded = load_all(project, report, [*sources, *pages], load, jobs)
    for rel, block in zip(sources, loaded, strict=False):
        if isinstance(block, Block):
            blocks[block.id] = block
        else:
            broken.add(rel.removeprefix("content/").removesuffix(".md"))
    leaflets = [lf for lf in loaded[len(sources) :] if isinstance(lf, Leaflet)]
    translations, leaflet_translations = load_translations(
        project, report, settings, blocks, {lf.path for lf in leaflets}, broken
    )
    check_codes(leaflets, report)
    for rel, why in sorted(project.skipped.items()):
        report.warning("skipped-file", f"'{rel}' is {why}; it is not read", Location(rel),
                       "put the file itself in the project")  # fmt: skip
    if not project.files("leaflets", ".yaml"):
        report.warning(
            "no-leaflets",
            "the project has no leaflets",
            Location(SETTINGS_FILE),
            "add leaflets/<name>.yaml",
        )
    for rel in project.files("leaflets", ".yml"):
        report.warning(
            "ignored-file",
            "leaflet files end in .yaml; this one is ignored",
            Location(rel),
            "rename it to .yaml",
        )
    layouts: Mapping[str, Layout] = {
        name: layout
        for name in project.folders("layouts")
        if (layout := load_layout(project, name, report)) is not None
    }
    return Project(
        root=str(project.root),
        settings=settings,
        blocks=MappingProxyType(blocks),
        leaflets=tuple(leaflets),
        layouts=MappingProxyType(dict(layouts)),
        leaflet_paths=MappingProxyType({lf.path: lf for lf in leaflets}),
        broken=frozenset(broken),
        translations=MappingProxyType(translations),
        leaflet_translations=MappingProxyType(leaflet_translations),
    )
