"""The package as users install it: one version, install lines that install, starters that link
only to what exists. (CI builds the sdist and wheel and tries them away from the checkout.)"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from conftest import ROOT, run

import pamflet

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
REPOSITORY = PYPROJECT["project"]["urls"]["Repository"]
V = re.escape(pamflet.__version__)
INSTALLS = [  # what an install line of pamflet may say
    rf'pip install "pamflet(\[\w+\])?=={V}"',  # PyPI, pinned
    rf'pip install "pamflet(\[\w+\])? @ git\+{re.escape(REPOSITORY)}@v{V}"',  # its source tag
    rf'pip install "?pamflet-{V}-py3-none-any\.whl(\[\w+\])?"?',  # a wheel of this version
    r"pip install '?\.(\[\w+\])?'?( |$)",  # this checkout (README's first block)
    r"pip install \./pamflet( |$|`)",  # a checkout elsewhere
    r"""pip install ["']pypdfium2>=[\d.]+["']""",  # only the preview extra's dependency
]


def install_lines(text: str) -> list[str]:
    return [m.group(0).rstrip("`") for m in re.finditer(r"pip install [^\n`]*`?", text)]


def test_one_version_source() -> None:
    assert "version" not in PYPROJECT["project"]
    assert PYPROJECT["project"]["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "pamflet.__version__"}
    assert f"## [{pamflet.__version__}]" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_every_install_line_in_the_docs_installs_this_version() -> None:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    starter = ROOT / "src/pamflet/authoring/starter"
    pages += sorted(p for p in starter.rglob("*") if p.suffix in (".md", ".yml", ".yaml"))
    pages += sorted(p for p in (ROOT / "src/pamflet").rglob("*.py") if p.name != "install.py")
    found = 0
    for page in pages:
        for line in install_lines(page.read_text(encoding="utf-8")):
            found += 1
            assert any(re.match(p, line) for p in INSTALLS), f"{page.relative_to(ROOT)}: {line}"
    assert found >= 10


def test_the_workflow_init_writes_pins_this_version(tmp_path: Path) -> None:
    from pamflet.authoring import install

    assert run(tmp_path, "init", str(tmp_path / "proj"), "--language", "en").code == 0
    workflow = (tmp_path / "proj/.github/workflows/leaflets.yml").read_text(encoding="utf-8")
    assert f'- run: pip install "pamflet=={pamflet.__version__}"' in workflow
    assert "@" not in re.sub(r"@v\d|uses: \S+@v\d+", "", workflow.split("steps:")[0])
    lines = install_lines(workflow)
    assert all(any(re.match(p, line) for p in INSTALLS) for line in lines), lines
    source = install.from_source()
    if source is not None:  # installed: the repository comes from the package's metadata
        assert source in workflow
        assert REPOSITORY in source


def test_the_init_readme_links_only_to_files_of_the_project(tmp_path: Path) -> None:
    for language in ("nl", "en"):
        assert run(tmp_path, "init", str(tmp_path / language), "--language", language).code == 0
        readme = (tmp_path / language / "README.md").read_text(encoding="utf-8")
        assert "@VERSION@" not in readme and pamflet.__version__ in readme
        assert "http" not in readme
        for target in re.findall(r"\]\(([^)\s]+)\)", readme):
            assert (tmp_path / language / target).exists(), target


def test_preview_without_pdfium_says_how_to_install_it() -> None:
    source = (ROOT / "src/pamflet/cli/authoring.py").read_text(encoding="utf-8")
    hint = re.search(r"needs pypdfium2: (pip install [^\"]+)\"", source)
    assert hint is not None
    extra = PYPROJECT["project"]["optional-dependencies"]["preview"]
    assert hint.group(1) == f"pip install '{extra[0]}'"
