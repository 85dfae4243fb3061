"""Authoring commands: init, new, list, readability, preview, watch."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import BASE, check, run
from pypdf import PdfReader

from pamflet.cli import main


def invoke(cwd: Path, *args: str):
    """Run the CLI from `cwd`, as an author would, without --project."""
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


TITLES = {"nl": "Galstenen", "en": "Gallstones", "de": "Gallensteine", "fr": "Calculs biliaires",
          "pl": "Kamica żółciowa", "tr": "Safra taşı", "uk": "Жовчні камені",
          "ar": "حصى المرارة"}  # fmt: skip
PAGE_WORD = {"nl": "Pagina", "en": "Page", "de": "Seite", "fr": "Page", "pl": "Strona",
             "tr": "Sayfa", "uk": "Сторінка", "ar": "صفحة"}  # fmt: skip


@pytest.mark.parametrize("language", sorted(TITLES))
def test_init_makes_a_project_that_checks_clean_and_builds(tmp_path: Path, language) -> None:
    root = tmp_path / "leaflets-project"
    result = invoke(tmp_path, "init", str(root), "--language", language)
    assert result.exit_code == 0, result.output
    for rel in ("pamflet.yaml", "README.md", ".gitignore", ".github/workflows/leaflets.yml",
                "layouts/default/layout.yaml", "layouts/default/logo.png",
                "schemas/leaflet.schema.json", "schemas/front-matter.schema.json"):  # fmt: skip
        assert (root / rel).is_file(), rel
    assert "build/" in (root / ".gitignore").read_text()
    kinds = {p.read_text().split("kind: ")[1].split()[0] for p in root.glob("content/**/*.md")}
    assert kinds == {"condition", "examination", "contact"}
    leaflet = next(root.glob("leaflets/*.yaml")).read_text()
    assert "$schema=../schemas/leaflet.schema.json" in leaflet
    assert json.loads((root / "schemas/leaflet.schema.json").read_text())["type"] == "object"

    result = check(root, "--strict")
    assert result.code == 0, result.output
    assert result.diags == []
    assert run(root, "build").code == 0
    pdf = next((root / "build").glob("*.pdf"))
    reader = PdfReader(pdf, strict=True)
    text = "".join(page.extract_text() for page in reader.pages)
    text = unicodedata.normalize("NFKC", text)  # Arabic's joined letters back as letters
    assert TITLES[language] in text and PAGE_WORD[language] in text  # its own words too
    assert reader.pdf_header == "%PDF-1.7" and reader.trailer["/Root"]["/Lang"] == language
    uris = [a.get_object().get("/A", {}).get("/URI", "") for a in reader.pages[-1]["/Annots"]]
    assert any(uri.startswith("tel:+") for uri in uris)


def test_init_never_overwrites(tmp_path: Path) -> None:
    root = tmp_path / "p"
    root.mkdir()
    (root / "README.md").write_text("our own readme\n")
    result = invoke(tmp_path, "init", str(root))
    assert result.exit_code == 0
    assert (root / "README.md").read_text() == "our own readme\n"
    assert "kept" in result.output and "README.md" in result.output
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    again = invoke(tmp_path, "init", str(root))
    assert again.exit_code == 2
    assert "already" in again.stderr
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before

    other = tmp_path / "q"
    (other / "content").mkdir(parents=True)
    (other / "content/x.md").write_text("mine")
    (other / "leaflets").mkdir()
    (other / "leaflets/galstenen.yaml").write_text("mine")
    result = invoke(tmp_path, "init", str(other))
    assert result.exit_code == 2
    assert "leaflets/galstenen.yaml exists already; nothing was written" in result.stderr
    assert sorted(p.name for p in other.rglob("*")) == [
        "content",
        "galstenen.yaml",
        "leaflets",
        "x.md",
    ]


@pytest.mark.parametrize("language", ["de", "tr", "uk", "ar"])
def test_new_files_speak_the_project_language(tmp_path: Path, language: str) -> None:
    root = tmp_path / "p"
    assert invoke(tmp_path, "init", str(root), "--language", language).exit_code == 0
    assert invoke(root, "new", "leaflet", "GAS-009", "--title", "T").exit_code == 0
    assert invoke(root, "new", "block", "x/team", "--kind", "contact").exit_code == 0
    from pamflet.load.loader import PLACEHOLDERS

    words = PLACEHOLDERS[language]
    assert words["text"] in (root / "leaflets/gas-009.yaml").read_text(encoding="utf-8")
    assert words["name"] in (root / "content/x/team.md").read_text(encoding="utf-8")
    result = check(root)
    assert result.code == 0
    assert all("example text from 'pamflet new'" in d.message or "no leaflet uses" in d.message
               for d in result.diags)  # fmt: skip


def test_new_leaflet_and_block_add_one_file_each_from_a_subfolder(tmp_path: Path) -> None:
    root = tmp_path / "p"
    assert invoke(tmp_path, "init", str(root), "--language", "en").exit_code == 0
    sub = root / "content" / "conditions"
    result = invoke(sub, "new", "block", "examinations/ct-scan", "--kind", "examination")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "created content/examinations/ct-scan.md"
    result = invoke(sub, "new", "block", "contacts/ward", "--kind", "contact", "--title", "Ward 4")
    assert result.exit_code == 0
    assert "title: Ward 4" in (root / "content/contacts/ward.md").read_text()
    result = invoke(sub, "new", "leaflet", "GAS-002", "--title", "Gallstone surgery: what next?")
    assert result.stdout.strip() == "created leaflets/gas-002.yaml"
    text = (root / "leaflets/gas-002.yaml").read_text()
    assert 'title: "Gallstone surgery: what next?"' in text

    result = check(root)
    assert result.code == 0, result.output
    assert {d.message.split(";")[0] for d in result.diags if "pamflet new" not in d.message} == {
        "no leaflet uses block 'examinations/ct-scan'", "no leaflet uses block 'contacts/ward'",
    }  # fmt: skip
    assert any("pamflet new" in d.message for d in result.diags)  # the examples to replace
    assert run(root, "build", "GAS-002").code == 0
    pdf = PdfReader(root / "build/GAS-002.pdf")
    assert "Gallstone surgery: what next?" in pdf.pages[0].extract_text()

    before = (root / "content/contacts/ward.md").read_bytes()
    for args in (("new", "block", "contacts/ward", "--kind", "contact"),
                 ("new", "leaflet", "GAS-002", "--title", "Again"),
                 ("new", "leaflet", "gas-001", "--title", "Same code, other case")):  # fmt: skip
        result = invoke(sub, *args)
        assert result.exit_code == 2, args
    assert (root / "content/contacts/ward.md").read_bytes() == before
    assert invoke(sub, "new", "block", "../outside", "--kind", "text").exit_code == 2
    assert not (root / "outside.md").exists() and not (root.parent / "outside.md").exists()


LIST_FILES = {
    "leaflets/second.yaml": (
        "code: T-2\ntitle: Tweede\nformat: A5\nrevised: 2025-01-01\nreview: 2025-06-01\n"
        "sections:\n  - title: Meer\n    text: Lees over de [scan](../content/onderzoeken/scan.md).\n"
    ),
    "content/spare.md": "---\ntitle: Reserve\n---\nNiet gebruikt.\n",
}


def test_list_leaflets_blocks_uses_and_due(project) -> None:
    root = project(LIST_FILES)
    result = run(root, "list")
    assert result.code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["code", "title", "format", "lang", "revised", "review", "pages"]
    assert lines[1].split()[:3] == ["T-1", "Testfolder", "A4"]
    assert lines[2].split() == ["T-2", "Tweede", "A5", "nl", "2025-01-01", "2025-06-01", "-"]
    assert run(root, "build").code == 0
    rows = json.loads(run(root, "list", "--format", "json").stdout)
    assert [r["code"] for r in rows] == ["T-1", "T-2"]
    assert rows[0]["pages"] == len(PdfReader(root / "build/T-1.pdf").pages)
    assert rows[0]["blocks"] == ["contacten/nurse", "main", "onderzoeken/scan"]
    assert rows[1]["readability"]["words"] == 4

    blocks = run(root, "list", "--blocks").stdout
    assert "onderzoeken/scan  examination  T-1, T-2" in blocks
    assert "spare" in blocks and "(no leaflet)" in blocks

    uses = run(root, "list", "--uses", "onderzoeken/scan").stdout.splitlines()
    assert uses == [
        "leaflets/second.yaml:8:31: T-2 links to it",
        "leaflets/test.yaml:9:13: T-1 shows it as a card",
    ]
    assert run(root, "list", "--uses", "content/onderzoeken/scan.md").stdout.splitlines() == uses
    missing = run(root, "list", "--uses", "onderzoeken/sacn")
    assert missing.code == 2
    assert "did you mean 'onderzoeken/scan'" in missing.stderr

    due = run(root, "list", "--due").stdout.splitlines()
    assert [line.split()[0] for line in due[1:]] == ["T-2"]  # T-1 has no review date
    assert "overdue by" in due[1]
    review = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    soon = {**LIST_FILES, "leaflets/test.yaml": BASE["leaflets/test.yaml"] + f"review: {review}\n"}
    root = project(soon)
    due = json.loads(run(root, "list", "--due", "30", "--format", "json").stdout)
    assert [(r["code"], r["review_in_days"]) for r in due] == [
        ("T-2", due[0]["review_in_days"]),
        ("T-1", 10),
    ]
    assert due[0]["review_in_days"] < 0
    assert [
        r["code"] for r in json.loads(run(root, "list", "--due", "5", "--format", "json").stdout)
    ] == ["T-2"]


READABLE = {
    "leaflets/test.yaml": (
        "code: T-1\ntitle: Test\nrevised: 2026-01-01\nlanguage: {lang}\n"
        "sections:\n  - content: main\n"
    ),
    "content/main.md": "---\ntitle: Hoofdtekst\n---\n{text}\n",
}


@pytest.mark.parametrize(
    "lang, text, words, sentences, syllables, ease",
    [
        # Counted by hand: De arts kijkt naar uw le-ver (6 words, 7 syllables), U krijgt een
        # e-cho (4, 5). Flesch-Douma: 206.84 - 0.93 * 5 - 77 * 12/10 = 109.79.
        ("nl", "De arts kijkt naar uw lever. U krijgt een echo.", 10, 2, 12, 109.8),
        # The doc-tor looks at your li-ver (6, 8); You will have a scan (5, 5).
        # Flesch: 206.835 - 1.015 * 5.5 - 84.6 * 13/11 = 101.27.
        ("en", "The doctor looks at your liver. You will have a scan.", 11, 2, 13, 101.3),
        # Abbreviations and times do not end a sentence: bijv. / 8.30 (one word).
        # Bel bijv. om 8.30 uur de po-li (7 words, 8 syllables); Neem uw me-di-cij-nen mee (4, 7).
        ("nl", "Bel bijv. om 8.30 uur de poli. Neem uw medicijnen mee.", 11, 2, 15, 96.7),
    ],
)
def test_readability_figures_match_a_hand_count(
    project, lang, text, words, sentences, syllables, ease
) -> None:
    files = {k: v.format(lang=lang, text=text) for k, v in READABLE.items()}
    root = project({**files, "leaflets/test.yaml": files["leaflets/test.yaml"]})
    rows = json.loads(run(root, "list", "--format", "json").stdout)
    figures = rows[0]["readability"]
    assert (figures["words"], figures["sentences"], figures["syllables"]) == (
        words, sentences, syllables,
    )  # fmt: skip
    assert figures["reading_ease"] == ease
    assert figures["formula"] == ("Flesch-Douma" if lang == "nl" else "Flesch")


def test_readability_warns_at_the_long_sentence_and_the_low_block(project) -> None:
    long = " ".join(["woord"] * 23)
    body = f"Een korte zin.\nNog een zin en dan\n{long.capitalize()}.\n"
    leaflet = BASE["leaflets/test.yaml"].replace(
        "    text: Welke onderzoeken u krijgt, hangt af van uw situatie.\n",
        f"    text: |\n      Kort. {' '.join(['lang'] * 21).capitalize()}.\n",
    )
    root = project({"content/main.md": f"---\ntitle: Hoofdtekst\n---\n{body}",
                    "leaflets/test.yaml": leaflet})  # fmt: skip
    assert "long-sentence" not in check(root).output  # only with --readability
    result = check(root, "--readability")
    assert result.code == 0
    found = result.has("content/main.md", 5, "a sentence of 28 words (more than 20)", "warning")
    assert found.col == 1
    found = result.has("leaflets/test.yaml", 9, "a sentence of 21 words", "warning")
    assert found.col == 13
    assert "LNG" not in result.stdout and "T-1" in result.stdout.split("\n")[2]
    strict = {"pamflet.yaml": BASE["pamflet.yaml"] + "readability:\n  max_sentence_words: 30\n"
              "  min_score: 120\n"}  # fmt: skip
    root = project({**strict, "content/main.md": f"---\ntitle: Hoofdtekst\n---\n{body}",
                    "leaflets/test.yaml": leaflet})  # fmt: skip
    result = check(root, "--readability")
    assert "long-sentence" not in result.output
    result.has("content/main.md", 1, "block 'main' scores", "warning")
    bad = check(project({"pamflet.yaml": BASE["pamflet.yaml"] + "readability: {min_scor: 3}\n"}))
    bad.has("pamflet.yaml", 3, "did you mean 'min_score'")


def test_preview_writes_pngs_of_the_pages_and_a_contact_sheet(project) -> None:
    pytest.importorskip("pypdfium2")
    from PIL import Image

    long = "\n\n".join(f"Alinea {i} met genoeg tekst om de pagina te vullen." for i in range(90))
    root = project({"content/main.md": f"---\ntitle: Hoofdtekst\n---\n{long}\n"})
    result = run(root, "preview", "T-1", "--pages", "1,2", "--dpi", "50")
    assert result.code == 0, result.output
    paths = [Path(line) for line in result.stdout.split()]
    assert [p.name for p in paths] == ["T-1-1.png", "T-1-2.png"]
    width, height = Image.open(paths[0]).size
    assert abs(width - 595.28 * 50 / 72) <= 1 and abs(height - 841.89 * 50 / 72) <= 1
    pages = len(PdfReader(root / "build/T-1.pdf").pages)
    assert pages >= 3
    sheet = run(root, "preview", "T-1", "--sheet", "--dpi", "20")
    image = Image.open(sheet.stdout.strip())
    assert image.width > 2 * round(595.28 * 20 / 72)
    first = Path(sheet.stdout.strip()).read_bytes()
    assert run(root, "preview", "T-1", "--sheet", "--dpi", "20").code == 0
    assert Path(sheet.stdout.strip()).read_bytes() == first  # same PDF, same image
    bad = run(root, "preview", "T-1", "--pages", f"2-{pages + 1}")
    assert bad.code == 2 and f"has {pages} pages" in bad.stderr
    assert run(root, "preview", "T-9").code == 2


def test_watch_rebuilds_on_an_edit_and_keeps_the_pdf_when_it_breaks(project) -> None:
    pytest.importorskip("watchfiles")
    root = project()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "pamflet", "watch", "--jobs", "1", "--debounce", "100"],
        cwd=root / "content", env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    pdf = root / "build/T-1.pdf"
    try:
        wait_for(lambda: pdf.exists())
        time.sleep(0.5)  # the watcher is running once the first build is written
        main = root / "content/main.md"
        main.write_text(main.read_text() + "\nSentinel echo added while watching.\n")
        wait_for(lambda: "Sentinel echo" in text_of(pdf))
        good = pdf.read_bytes()
        main.write_text(main.read_text() + "\n{{ broken\n")
        time.sleep(2.0)
        assert pdf.read_bytes() == good
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert "content/main.md:" in out and "template syntax error" in out
    assert "built T-1" in err and "build failed; the previous PDFs are kept" in err
    assert "Traceback" not in err


def wait_for(condition, seconds: float = 30.0) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if condition():
                return
        except Exception:
            pass
        time.sleep(0.1)
    raise AssertionError("timed out")


def photo(path: Path) -> None:
    """A JPEG that prints at well over 150 dpi on an A5 page."""
    from PIL import Image

    Image.new("RGB", (1600, 1000), (200, 215, 230)).save(path, "JPEG", quality=80)


def text_of(pdf: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(pdf).pages)


def test_the_guide_works_as_written(tmp_path: Path) -> None:
    """Follow docs/guide.md: init, a new block with the guide's text, a booklet that uses it."""
    import re

    from conftest import ROOT

    guide = (ROOT / "docs/guide.md").read_text(encoding="utf-8")
    root = tmp_path / "gastro-leaflets"
    assert invoke(tmp_path, "init", str(root), "--language", "en").exit_code == 0
    sub = root / "content"
    args = ("new", "block", "examinations/colonoscopy", "--kind", "examination")
    assert invoke(sub, *args, "--title", "Colonoscopy").exit_code == 0
    block, more = re.findall(r"```markdown\n(.*?)```", guide, re.S)
    (root / "content/examinations/colonoscopy.md").write_text(block + "\n" + more, "utf-8")
    picture = re.search(r"\]\(([\w-]+\.jpg)\)", more).group(1)  # type: ignore[union-attr]
    photo(root / "content/examinations" / picture)
    cards = re.search(r"```yaml\n(  - title: Tests.*?)```", guide, re.S).group(1)  # type: ignore[union-attr]
    leaflet = root / "leaflets/gallstones.yaml"
    text = leaflet.read_text(encoding="utf-8")
    start = text.index("  - title: Tests")
    end = text.index("  - contact:")
    leaflet.write_text(text[:start] + cards + text[end:], encoding="utf-8")
    args = ("new", "leaflet", "GAS-002", "--title", "Colonoscopy", "--format", "A5-booklet")
    assert invoke(sub, *args).exit_code == 0
    sections = re.search(r"```yaml\n(sections:\n.*?)```", guide, re.S).group(1)  # type: ignore[union-attr]
    new = root / "leaflets/gas-002.yaml"
    text = new.read_text(encoding="utf-8")
    cover = re.search(r"```yaml\n(cover_image: .*?\n)```", guide, re.S).group(1)  # type: ignore[union-attr]
    new.write_text(text[: text.index("sections:")] + cover + sections, encoding="utf-8")

    result = invoke(sub, "check", "--strict")
    assert result.exit_code == 0, result.output
    result = invoke(sub, "build")
    assert result.exit_code == 0, result.output
    assert (root / "build/GAS-002-print.pdf").is_file()
    booklet = text_of(root / "build/GAS-002.pdf")
    assert "Getting ready" in booklet and "0121 234 5678" in booklet
    assert "Colonoscopy" in text_of(root / "build/GAS-001.pdf")
    # Step 4: a numbered list, a table, a picture, a warning and a link to a heading.
    reader = PdfReader(root / "build/GAS-002.pdf")
    flat = re.sub(r"\s+", " ", booklet)
    assert "1. Come to the clinic" in flat and "3. The test takes" in flat
    assert "9.00 - 9.30 am" in flat and "You rest and drink" in flat
    assert "Stop taking iron tablets" in flat and "(see page" in flat
    assert "Warning" in flat and "[!WARNING]" not in flat  # an alert box with its label
    images = [p for p in reader.pages if "/XObject" in p["/Resources"]]
    assert len(images) >= 2  # the cover picture and the one in the text (and the logo)
    target = reader.named_destinations["getting-ready"]
    jumps = [
        a.get_object()["/Dest"] for p in reader.pages for a in p.get("/Annots", [])
        if "/Dest" in a.get_object()
    ]  # fmt: skip
    page = reader.get_page_number(target.page.get_object())  # type: ignore[union-attr]
    assert any(reader.get_page_number(d[0].get_object()) == page for d in jumps)
    uses = invoke(sub, "list", "--uses", "contacts/clinic").stdout
    assert "GAS-001 shows it as its contact" in uses and "GAS-002 shows it as its contact" in uses
    # Step 9: approve and release; the booklet ends with 'About this leaflet'.
    control = re.search(r"```yaml\n(version: 1\n.*?)```", guide, re.S).group(1)  # type: ignore[union-attr]
    text = new.read_text(encoding="utf-8")
    at = text.index("sections:")
    new.write_text(text[:at] + control + text[at:], encoding="utf-8")
    result = invoke(sub, "release", "GAS-002")
    assert result.exit_code == 0, result.output
    assert (root / "archive/GAS-002/GAS-002-v1.pdf").is_file()
    released = re.sub(r"\s+", " ", text_of(root / "archive/GAS-002/GAS-002-v1.pdf"))
    assert "About this leaflet" in released and "Richtlijn Colorectaal carcinoom" in released
    assert "v1" in invoke(sub, "list", "--on", dt.date.today().isoformat(), "GAS-002").stdout
