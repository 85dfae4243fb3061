"""The README's first code block is what CI runs."""

from __future__ import annotations

import re

from conftest import ROOT


def test_readme_commands_are_the_ci_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```(?:sh|bash)?\n(.*?)```", readme, re.S)
    assert block is not None
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(commands) == 2
    assert "pamflet build" in commands[0]
    assert "pytest" in commands[1]
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8").splitlines()
    for command in commands:
        assert command in ci


def test_published_schemas_match_the_code() -> None:
    import json

    from pamflet.load.schema import SCHEMAS, json_schema

    for name in SCHEMAS:
        published = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text())
        assert published == json_schema(name), f"regenerate schemas/{name}.schema.json"


def test_docs_link_only_to_files_in_the_repository() -> None:
    pages = [ROOT / "README.md", ROOT / "ARCHITECTURE.md", *sorted((ROOT / "docs").glob("*.md"))]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "../shared" not in text, page
        text = re.sub(r"```.*?```", "", text, flags=re.S)  # examples of an author's links
        text = re.sub(r"`[^`\n]*`", "", text)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path = (page.parent / target.split("#")[0]).resolve()
            assert path.exists(), f"{page.name} links to {target}, which does not exist"
            assert ROOT in path.parents, f"{page.name} links outside the repository: {target}"


def test_format_reference_names_every_field() -> None:
    from pamflet.load.schema import SCHEMAS

    reference = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    for name, spec in SCHEMAS.items():
        for key in spec.fields:
            assert f"`{key}`" in reference, f"docs/format.md does not document {name}: {key}"
