"""Check what the sdist and the wheel in a folder carry: code, fonts, starters and licences."""

from __future__ import annotations

import sys
import tarfile
import zipfile
from pathlib import Path

WHEEL_NEEDS = [
    "pamflet/__init__.py",
    "pamflet/cli/__init__.py",
    "pamflet/load/loader.py",
    "pamflet/resolve/leaflets.py",
    "pamflet/render/story.py",
    "pamflet/finish/write.py",
    "pamflet/records/checks.py",
    "pamflet/authoring/scaffold.py",
    "pamflet/fonts/LiberationSans-Regular.ttf",
    "pamflet/fonts/LiberationSans-Bold.ttf",
    "pamflet/fonts/LiberationSans-Italic.ttf",
    "pamflet/fonts/LiberationSans-BoldItalic.ttf",
    "pamflet/fonts/LICENSE-OFL.txt",
    "pamflet/fonts/DejaVuSans.ttf",
    "pamflet/fonts/DejaVuSans-Bold.ttf",
    "pamflet/fonts/LICENSE-DejaVu.txt",
    "pamflet/icc/pamflet-fogra39.icc",
    "pamflet/icc/README.md",
    "pamflet/authoring/starter/logo.png",
    "pamflet/authoring/starter/workflow.yml",
    "pamflet/authoring/starter/gitignore",
    "pamflet/authoring/starter/nl/pamflet.yaml",
    "pamflet/authoring/starter/en/pamflet.yaml",
    "pamflet/authoring/starter/en/layouts/default/layout.yaml",
]
LICENCES = ["licenses/LICENSE", "licenses/src/pamflet/fonts/LICENSE-OFL.txt",
            "licenses/src/pamflet/fonts/LICENSE-DejaVu.txt", "licenses/src/pamflet/icc/README.md"]  # fmt: skip
SDIST_NEEDS = ["LICENSE", "CHANGELOG.md", "README.md", "pyproject.toml", "docs/guide.md",
               "tests/conftest.py", "src/pamflet/fonts/LICENSE-OFL.txt"]  # fmt: skip


def main(folder: Path) -> int:
    wheels, sdists = sorted(folder.glob("*.whl")), sorted(folder.glob("*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        print(f"expected one wheel and one sdist in {folder}, found {wheels + sdists}")
        return 1
    names = set(zipfile.ZipFile(wheels[0]).namelist())
    info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
    missing = [n for n in WHEEL_NEEDS if n not in names]
    missing += [f"{info}/{n}" for n in LICENCES if f"{info}/{n}" not in names]
    root = sdists[0].name.removesuffix(".tar.gz")
    with tarfile.open(sdists[0]) as tar:
        members = set(tar.getnames())
    missing += [f"sdist:{n}" for n in SDIST_NEEDS if f"{root}/{n}" not in members]
    for name in missing:
        print(f"missing from the distribution: {name}")
    print(f"{wheels[0].name}: {len(names)} files; {sdists[0].name}: {len(members)} files")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
