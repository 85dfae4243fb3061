"""The package's layout: one package per stage, no import circles, no stage importing a later one."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "pamflet"
STAGES = ["load", "resolve", "render", "finish"]
TOP = {"__init__.py", "__main__.py", "pipeline.py", "model.py", "diagnostics.py", "project.py"}
PACKAGES = {
    "cli",
    "load",
    "resolve",
    "render",
    "finish",
    "records",
    "authoring",
    "control",
    "fonts",
    "icc",  # the press profile (data, like fonts)
}


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, set[str]]:
    """Each module -> the pamflet modules it imports (at any depth, lazy imports included)."""
    modules = {module_name(p): p for p in SRC.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pamflet"):
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    found.add(full if full in modules else node.module or "")
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.startswith("pamflet")}
        graph[name] = found - {"pamflet", name}
    return graph


def stage(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def test_top_level_holds_only_the_pipeline_and_the_stage_packages() -> None:
    files = {p.name for p in SRC.iterdir() if p.is_file() and p.suffix == ".py"}
    folders = {p.name for p in SRC.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert files == TOP
    assert folders == PACKAGES


def test_no_stage_imports_a_later_stage_or_the_front_end() -> None:
    wrong = []
    for name, deps in imports().items():
        here = stage(name)
        if here is None:
            continue
        for dep in deps:
            there = stage(dep)
            later = there is not None and STAGES.index(there) > STAGES.index(here)
            front = dep.split(".")[1:2] in (["cli"], ["pipeline"], ["authoring"])
            if later or front:
                wrong.append(f"{name} -> {dep}")
    assert wrong == []


def test_no_import_circle() -> None:
    graph = imports()
    circles: list[list[str]] = []

    def visit(name: str, path: list[str], done: set[str]) -> None:
        for dep in sorted(graph.get(name, ())):
            if dep in path:
                circles.append([*path[path.index(dep) :], dep])
            elif dep not in done:
                done.add(dep)
                visit(dep, [*path, dep], done)

    for name in graph:
        visit(name, [name], set())
    assert circles == []


def test_no_mixins() -> None:
    """No class is assembled from several of pamflet's own classes (a mixin split over files):
    stages share a context object instead. Extending one ReportLab class with one of ours is fine."""
    trees = [ast.parse(p.read_text(encoding="utf-8")) for p in SRC.rglob("*.py")]
    classes = [n for tree in trees for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    ours = {c.name for c in classes}
    mixed = [
        c.name
        for c in classes
        if sum(isinstance(b, ast.Name) and b.id in ours for b in c.bases) > 1
    ]
    assert mixed == []
