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

    from pamflet.schema import SCHEMAS, json_schema

    for name in SCHEMAS:
        published = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text())
        assert published == json_schema(name), f"regenerate schemas/{name}.schema.json"
