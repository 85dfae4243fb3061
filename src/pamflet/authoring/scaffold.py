"""Starting points for authors: `pamflet init` (a whole project) and `pamflet new` (one file).

Nothing here overwrites a file: every target is checked before the first one is written, and a
file is created with O_EXCL, so even a file that appears meanwhile is kept.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from pamflet import __version__
from pamflet.authoring import install
from pamflet.load.loader import PLACEHOLDERS
from pamflet.load.phones import example as phone_example
from pamflet.load.schema import CODE, SCHEMAS, json_schema
from pamflet.model import FORMATS, KINDS, STARTERS
from pamflet.project import SETTINGS_FILE

BLOCK_ID = re.compile(r"[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_-]*)*")
ORGANISATION = {
    "nl": "Ziekenhuis Voorbeeld",
    "en": "Example Hospital",
    "de": "Beispielklinikum",
    "fr": "Hôpital Exemple",
    "pl": "Szpital Przykładowy",
    "tr": "Örnek Hastanesi",
    "uk": "Лікарня «Приклад»",
    "ar": "مستشفى المثال",
}
COUNTRY = {
    "nl": "NL",
    "en": "GB",
    "de": "DE",
    "fr": "FR",
    "pl": "PL",
    "tr": "TR",
    "uk": "UA",
    "ar": "NL",
}
# What `pamflet new` writes in each language: a first section's title, opening hours, an id.
NEW_WORDS = {
    "nl": ("Inleiding", "maandag tot en met vrijdag", "onderzoeken/ct-scan"),
    "en": ("Introduction", "Monday to Friday", "examinations/ct-scan"),
    "de": ("Einleitung", "Montag bis Freitag", "untersuchungen/ct"),
    "fr": ("Introduction", "Du lundi au vendredi", "examens/scanner"),
    "pl": ("Wprowadzenie", "Od poniedziałku do piątku", "badania/tomografia"),
    "tr": ("Giriş", "Pazartesi–Cuma", "tetkikler/tomografi"),
    "uk": ("Вступ", "З понеділка по п’ятницю", "obstezhennia/kt"),
    "ar": ("مقدمة", "من الاثنين إلى الجمعة", "fuhusat/ashia"),
}
# Files shared by all languages: where each goes in the new project.
COMMON = {
    "logo.png": "layouts/default/logo.png",
    "gitignore": ".gitignore",
    "workflow.yml": ".github/workflows/leaflets.yml",
}


class ScaffoldProblem(Exception):
    """The files cannot be made as asked; nothing was written."""


# Files an existing folder (a fresh git repository) may have already: those are kept as they are.
KEEP = ("README.md", ".gitignore", ".github/workflows/leaflets.yml")


def init_project(
    root: Path, language: str, organisation: str | None = None, today: dt.date | None = None
) -> tuple[list[str], list[str]]:
    """Write a small project that checks clean and builds; return the files made and kept."""
    if language not in STARTERS:
        raise ScaffoldProblem(f"no starter in '{language}': choose one of {', '.join(STARTERS)}")
    if (root / SETTINGS_FILE).exists():
        raise ScaffoldProblem(f"{root / SETTINGS_FILE} already exists: this is a project already")
    today = today or dt.date.today()
    words = {
        "@ORGANISATION@": yaml_text(organisation or ORGANISATION[language]),
        "@REVISED@": today.isoformat(),
        "@REVIEW@": today.replace(year=today.year + 1, day=min(today.day, 28)).isoformat(),
        "@PHONE@": phone_example(COUNTRY[language]),
        "@VERSION@": __version__,
    }
    starter = resources.files("pamflet.authoring") / "starter"
    files: dict[str, bytes] = {}
    for rel, item in walk(starter / language):
        text = item.read_text(encoding="utf-8")
        for key, value in words.items():
            text = text.replace(key, value)
        files[rel] = text.encode()
    for name, rel in COMMON.items():
        files[rel] = (starter / name).read_bytes()
    workflow = COMMON["workflow.yml"]
    files[workflow] = fill_install(files[workflow].decode()).encode()
    for kind in SCHEMAS:
        schema = json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"
        files[f"schemas/{kind}.schema.json"] = schema.encode()
    kept = [rel for rel in KEEP if (root / rel).exists()]
    return write_new(root, {k: v for k, v in files.items() if k not in kept}), kept


def fill_install(text: str) -> str:
    """The workflow's install line: this version from PyPI, and how to get it from its source."""
    source = install.from_source()
    note = (
        f"Until it is on PyPI: {source}" if source else "Or install it from a wheel or a checkout."
    )
    words = {"@VERSION@": __version__, "@INSTALL@": install.from_pypi(), "@SOURCE_NOTE@": note}
    for key, value in words.items():
        text = text.replace(key, value)
    return text


def new_leaflet(
    root: Path, code: str, title: str, language: str, fmt: str, codes: set[str],
    today: dt.date | None = None,
) -> str:  # fmt: skip
    """Add leaflets/<code>.yaml with one section to fill in; return its path."""
    if not re.fullmatch(CODE, code) or code.endswith("-print"):
        raise ScaffoldProblem(f"'{code}' cannot be a code: use letters, digits, '-', '.', '_'")
    if code.upper() in {c.upper() for c in codes}:
        raise ScaffoldProblem(f"a leaflet with code {code} exists already")
    if fmt not in FORMATS:
        raise ScaffoldProblem(f"unknown format '{fmt}': choose {', '.join(FORMATS)}")
    today = today or dt.date.today()
    words = PLACEHOLDERS.get(language, PLACEHOLDERS["en"])
    intro, text = NEW_WORDS.get(language, NEW_WORDS["en"])[0], words["text"]
    content = (
        "# yaml-language-server: $schema=../schemas/leaflet.schema.json\n"
        f"code: {code}\ntitle: {yaml_text(title)}\nformat: {fmt}\n"
        f"revised: {today.isoformat()}\n"
        f"review: {today.replace(year=today.year + 1, day=min(today.day, 28)).isoformat()}\n"
        f"sections:\n  - title: {intro}\n    text: |\n      {text}\n"
    )
    rel = f"leaflets/{code.lower()}.yaml"
    write_new(root, {rel: content.encode()})
    return rel


def new_block(root: Path, block_id: str, kind: str, title: str | None, language: str,
              country: str) -> str:  # fmt: skip
    """Add content/<id>.md with the front matter its kind needs; return its path."""
    block_id = block_id.removeprefix("content/").removesuffix(".md")
    if not BLOCK_ID.fullmatch(block_id):
        example = NEW_WORDS.get(language, NEW_WORDS["en"])[2]
        raise ScaffoldProblem(
            f"'{block_id}' cannot be a block id: use lower-case words with '-', and '/' "
            f"between folders, e.g. {example}"
        )
    if kind not in KINDS:
        raise ScaffoldProblem(f"unknown kind '{kind}': choose {', '.join(KINDS)}")
    words, web = PLACEHOLDERS.get(language, PLACEHOLDERS["en"]), PLACEHOLDERS["any"]
    title = title or block_id.rsplit("/", 1)[-1].replace("-", " ").capitalize()
    lines = ["---", f"title: {yaml_text(title)}", f"kind: {kind}"]
    if kind in ("condition", "examination", "treatment", "department"):
        lines += [f"summary: {words['summary']}", f"url: {web['url']}"]
    if kind == "contact":
        lines += [
            f"name: {words['name']}",
            f"phone: {phone_example(country)}",
            f"email: {web['email']}",
            "hours: " + NEW_WORDS.get(language, NEW_WORDS["en"])[1],
        ]
    lines += ["---", words["body"], ""]
    rel = f"content/{block_id}.md"
    write_new(root, {rel: "\n".join(lines).encode()})
    return rel


def yaml_text(text: str) -> str:
    """`text` as a YAML scalar that reads back as written (quoted when YAML would guess)."""
    plain = re.fullmatch(r"[^\s#:'\"{}\[\],&*!|>%@`-][^#:\n]*", text) and text == text.strip()
    return text if plain else json.dumps(text, ensure_ascii=False)


def walk(folder: Traversable, prefix: str = "") -> Iterator[tuple[str, Traversable]]:
    for item in sorted(folder.iterdir(), key=lambda i: i.name):
        rel = f"{prefix}{item.name}"
        if item.is_dir():
            yield from walk(item, rel + "/")
        elif item.name != "__init__.py":
            yield rel, item


def write_new(root: Path, files: dict[str, bytes]) -> list[str]:
    """Create every file, or none when any of them exists already or would be written through
    a link (a linked folder may lead out of the project)."""
    for rel in files:
        linked = next(
            (p for p in (root / rel).parents if p.is_symlink() and root in p.parents), None
        )
        if linked is not None:
            where = linked.relative_to(root).as_posix()
            raise ScaffoldProblem(f"{where} is a link to another folder; nothing was written there")
    taken = [rel for rel in files if (root / rel).exists() or (root / rel).is_symlink()]
    if taken:
        raise ScaffoldProblem(
            f"{', '.join(taken[:5])}{' ...' if len(taken) > 5 else ''} "
            f"exist{'s' * (len(taken) == 1)} already; nothing was written (pamflet never "
            "overwrites a file)"
        )
    made: list[str] = []
    try:
        for rel, data in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "xb") as fh:
                fh.write(data)
            made.append(rel)
    except OSError as exc:
        for rel in made:  # all or nothing
            (root / rel).unlink(missing_ok=True)
        raise ScaffoldProblem(f"cannot write {root}: {exc.strerror or exc}") from None
    return made
