"""Leaflets in the patients' languages: translations beside their sources, which cannot go
stale unnoticed, and the tool's own words in each language."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from conftest import BASE, build, check, pdf, run, text_of
from test_accessibility import readers_agree

from pamflet.project import git_blob

LEAFLET = BASE["leaflets/test.yaml"].replace("revised:", "languages: [nl, tr]\nrevised:")


def blob(text: str) -> str:
    return git_blob(text.encode())


def turkish(**changes: str | None) -> dict[str, str | None]:
    files: dict[str, str | None] = {
        "leaflets/test.yaml": LEAFLET,
        "leaflets/test.tr.yaml": (
            "title: Test broşürü\nsubtitle: Test hakkında her şey\n"
            "url: https://example.org/tr/t-1\nsections:\n  - {}\n"
            "  - title: Muayeneler\n    text: Hangi muayeneleri olacağınız durumunuza bağlıdır.\n"
            f"  - {{}}\ntranslation:\n  of: {blob(LEAFLET)}\n"
        ),
        "content/main.tr.md": (
            f"---\ntitle: Ana metin\ntranslation: {{of: {blob(BASE['content/main.md'])}}}\n---\n"
            "Ana metindeki alfa.\n\n## Bakım\n\nBakımdan sonra bravo.\n"
        ),
        "content/onderzoeken/scan.tr.md": (
            "---\ntitle: Tarama\nsummary: Taramanın özeti.\n"
            f"translation: {{of: {blob(BASE['content/onderzoeken/scan.md'])}}}\n---\nTarama metni.\n"
        ),
        "content/contacten/nurse.tr.md": (
            "---\ntitle: İletişim kişiniz\nhours: Pazartesi 8.30 - 16.30\n"
            f"translation: {{of: {blob(BASE['content/contacten/nurse.md'])}}}\n---\nDelta metni.\n"
        ),
    }
    files.update(changes)
    return files


def test_each_listed_language_is_built_from_its_translations(project) -> None:
    root = project(turkish())
    result = build(root)
    assert result.code == 0, result.output
    path = root / "build/T-1.tr.pdf"
    reader = pdf(path)
    text = " ".join(text_of(reader).split())
    for words in ("Test broşürü", "Ana metindeki alfa", "Muayeneler", "Taramanın özeti",
                  "İletişim kişiniz", "Sayfa 1 / 1", "Daha fazla bilgi", "Ulaşılabilir",
                  "Güncelleme 1 Ocak 2026"):  # fmt: skip
        assert words in text, words
    for dutch in (
        "Pagina",
        "Meer informatie",
        "Bereikbaar",
        "Herzien",
        "Sentinel alpha",
        "Onderzoeken",
    ):
        assert dutch not in text, dutch
    assert str(reader.trailer["/Root"]["/Lang"]) == "tr"
    assert (
        "<dc:language><rdf:Bag><rdf:li>tr</rdf:li>"
        in reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    )
    readers_agree(path, tagged_pdf=True)
    source = " ".join(text_of(pdf(root / "build/T-1.pdf")).split())
    assert "Deze folder is ook beschikbaar in: Türkçe" in source
    assert "Bu broşür şu dillerde de var: Nederlands" in text


@pytest.mark.parametrize(("lang", "page", "dutch"), [
    ("de", "Seite 1 von 1", "Pagina"), ("fr", "Page 1 sur 1", "Pagina"),
    ("pl", "Strona 1 z 1", "Pagina"), ("tr", "Sayfa 1 / 1", "Pagina"),
    ("uk", "Сторінка 1 з 1", "Pagina"), ("en", "Page 1 of 1", "Pagina"),
])  # fmt: skip
def test_the_tools_own_words_come_in_the_leaflets_language(
    project, lang: str, page: str, dutch: str
) -> None:
    leaflet = BASE["leaflets/test.yaml"].replace("revised:", f"language: {lang}\nrevised:")
    root = project({"leaflets/test.yaml": leaflet})
    assert build(root).code == 0
    reader = pdf(root / "build/T-1.pdf")
    text = " ".join(text_of(reader).split())
    assert page in text and dutch not in text and "Meer informatie" not in text
    assert str(reader.trailer["/Root"]["/Lang"]) == lang


def test_a_missing_translation_names_the_file_to_write(project) -> None:
    root = project(
        turkish(**{"content/onderzoeken/scan.tr.md": None, "leaflets/test.tr.yaml": None})
    )
    result = build(root)
    assert result.code == 1
    result.has("leaflets/test.yaml", 4, "content/onderzoeken/scan.tr.md does not exist")
    result.has("leaflets/test.yaml", 4, "leaflets/test.tr.yaml does not exist")
    assert not (root / "build").exists()


def test_an_edit_of_the_source_makes_its_translation_stale(project) -> None:
    root = project(turkish())
    assert check(root).code == 0
    main = root / "content/main.md"
    main.write_text(main.read_text().replace("Sentinel alpha", "Sentinel alpha, nu 2 uur nuchter"))
    result = check(root)
    assert result.code == 0
    diag = result.has("content/main.tr.md", 3, "content/main.md has changed since", "warning")
    assert check(root, "--strict").code == 1
    root_error = project(
        turkish(**{"pamflet.yaml": BASE["pamflet.yaml"] + "translations: {stale: error}\n"})
    )
    main = root_error / "content/main.md"
    main.write_text(main.read_text() + "\nNog een zin.\n")
    assert check(root_error).code == 1
    # the translator updates the text and the version it translates: up to date again
    new = blob((root / "content/main.md").read_text())
    tr = root / "content/main.tr.md"
    tr.write_text(
        tr.read_text()
        .replace(diag.message.split()[0], "x")
        .replace(blob(BASE["content/main.md"]), new)
        .replace("alfa", "alfa, artık 2 saat aç")
    )
    assert "stale" not in check(root).stdout


def test_with_git_the_stale_warning_names_what_changed(project) -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    root = project(turkish())
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}  # fmt: skip
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "first"]):
        subprocess.run([git, *args], cwd=root, env=env, check=True)
    main = root / "content/main.md"
    main.write_text(
        main.read_text().replace("Sentinel bravo after care.", "Na 6 uur mag u weer eten.")
    )
    diag = check(root).has("content/main.tr.md", 3, "has changed since", "warning")
    assert "changed since: line 9 'Na 6 uur mag u weer eten.'" in diag.message


def test_a_translation_keeps_its_sources_structure(project) -> None:
    extra = turkish()["content/main.tr.md"].replace("## Bakım", "## Bakım\n\n## Fazladan")  # type: ignore[union-attr]
    linked = turkish()["content/onderzoeken/scan.tr.md"].replace(  # type: ignore[union-attr]
        "Tarama metni.", "Tarama metni, [bakınız](https://example.org/other)."
    )
    result = check(
        project(turkish(**{"content/main.tr.md": extra, "content/onderzoeken/scan.tr.md": linked}))
    )
    assert result.code == 1
    result.has("content/main.tr.md", 5, "the translation has 2 headings, its source 1")
    result.has("content/onderzoeken/scan.tr.md", 6, "the translation has 1 link, its source 0")
    orphan = check(project(turkish(**{"content/nergens.tr.md": "---\ntitle: X\n---\nY\n"})))
    orphan.has("content/nergens.tr.md", 1, "translates content/nergens.md, which does not exist")


def test_translate_status_lists_each_file(project) -> None:
    root = project(turkish(**{"content/onderzoeken/scan.tr.md": None}))
    main = root / "content/main.md"
    main.write_text(main.read_text() + "\nNieuw.\n")
    result = run(root, "translate", "status")
    assert result.code == 0
    lines = result.stdout.splitlines()
    assert "tr  stale       content/main.tr.md" in lines
    assert "tr  missing     content/onderzoeken/scan.tr.md" in lines
    assert "tr  up to date  leaflets/test.tr.yaml" in lines
    assert "tr  up to date  content/contacten/nurse.tr.md" in lines


def test_turkish_is_not_hyphenated(project) -> None:
    words = " ".join(["Hastanemizdeki muayenelerinizden önce bilgilendirilmelisiniz."] * 40)
    main = turkish()["content/main.tr.md"].replace("Ana metindeki alfa.", words)  # type: ignore[union-attr]
    root = project(
        turkish(**{"content/main.tr.md": main, "layouts/default/layout.yaml": "hyphenate: true\n"})
    )
    assert build(root).code == 0
    lines = [x for p in pdf(root / "build/T-1.tr.pdf").pages for x in p.extract_text().splitlines()]
    assert not any(x.rstrip().endswith("-") for x in lines)


def test_an_incremental_build_rebuilds_only_the_language_edited(project) -> None:
    root = project(turkish())
    assert build(root).code == 0
    source = (root / "build/T-1.pdf").stat().st_mtime_ns
    tr = root / "content/main.tr.md"
    tr.write_text(tr.read_text().replace("Bakımdan sonra bravo.", "Bakımdan sonra charlie."))
    assert build(root).code == 0
    assert (root / "build/T-1.pdf").stat().st_mtime_ns == source
    assert "charlie" in text_of(pdf(root / "build/T-1.tr.pdf"))


RICH = (
    "---\ntitle: Hoofdtekst\nkind: condition\n---\n"
    "Lees *dit* **goed** en [de scan](onderzoeken/scan.md).\nNog een regel.\n\n## Nazorg\n\n"
    "- eerste punt\n- tweede [punt](https://example.org/punt)\n\n| Tijd | Wat |\n|---|---|\n"
    "| 8.30 uur | {{ leaflet.code }} |\n\n> [!WARNING]\n> Niet eten.\n"
)


def machine_translate(path) -> None:
    """A stand-in for an agency: every text of each <source> in capitals, codes kept."""
    import re

    data = path.read_text(encoding="utf-8")

    def target(match):
        upper = re.sub(r"(^|>)([^<]*)", lambda m: m.group(1) + m.group(2).upper(), match.group(1))
        return f"<source>{match.group(1)}</source><target>{upper}</target>"

    path.write_text(re.sub(r"<source>(.*?)</source>", target, data, flags=re.S), encoding="utf-8")


def test_an_xliff_round_trip_keeps_markup_links_and_templates(project) -> None:
    root = project(turkish(**{"content/main.md": RICH, "content/main.tr.md": None}))
    assert run(root, "translate", "status").stdout.count("missing") == 1
    result = run(root, "translate", "export", "--language", "tr", "--stale")
    assert result.code == 0, result.output
    xlf = root / "build/translate-tr.xlf"
    data = xlf.read_text(encoding="utf-8")
    assert 'original="content/main.md"' in data and "content/onderzoeken/scan.md" not in data
    assert '<data id="d6">](onderzoeken/scan.md)</data>' in data  # markup is a code
    assert "{{ leaflet.code }}</data>" in data
    assert f'<note category="pamflet-of">{blob(RICH)}</note>' in data
    machine_translate(xlf)
    result = run(root, "translate", "import", str(xlf))
    assert result.code == 0, result.output
    written = (root / "content/main.tr.md").read_text(encoding="utf-8")
    assert f"of: {blob(RICH)}" in written
    assert "LEES *DIT* **GOED** EN [DE SCAN](onderzoeken/scan.md). NOG EEN REGEL." in written
    assert "## NAZORG" in written and "- TWEEDE [PUNT](https://example.org/punt)" in written
    assert "| 8.30 UUR | {{ leaflet.code }} |" in written and "> NIET ETEN." in written
    assert check(root).code == 0
    assert build(root).code == 0
    text = " ".join(text_of(pdf(root / "build/T-1.tr.pdf")).split())
    assert "LEES DIT GOED EN DE SCAN" in text and "8.30 UUR" in text and "T-1" in text
    assert "translate-tr" not in run(root, "translate", "status").stdout
    assert run(root, "translate", "status").stdout.count("up to date") == 4


@pytest.mark.parametrize(("change", "line", "fragment"), [
    (lambda d: d.replace("</unit>", "</unt>", 1), None, "not well-formed XML"),
    (lambda d: d.replace('id="b4.1"', 'id="b99.1"'), None, "unit 'b99.1' is not in content/main.md"),
    (lambda d: d.replace("<target>NAZORG</target>", ""), None, "have no translation"),
    (lambda d: '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n' + d.split("\n", 1)[1], 2,
     "document type"),
])  # fmt: skip
def test_a_bad_xliff_file_is_reported_at_its_line_and_nothing_is_written(
    project, change, line, fragment
) -> None:
    root = project(turkish(**{"content/main.md": RICH, "content/main.tr.md": None}))
    assert run(root, "translate", "export", "--language", "tr").code == 0
    xlf = root / "build/translate-tr.xlf"
    machine_translate(xlf)
    xlf.write_text(change(xlf.read_text(encoding="utf-8")), encoding="utf-8")
    result = run(root, "translate", "import", str(xlf))
    assert result.code == 1
    diag = result.has(str(xlf), line, fragment)
    assert diag.line >= 1
    assert not (root / "content/main.tr.md").exists()
    assert "nothing was imported" in result.stderr


def test_a_passage_in_another_language_gets_its_own_lang(project) -> None:
    from pdfread import read_page, structure, walk

    long = "a long English passage that will certainly run across the end of a line of this leaflet"
    main = (
        "---\ntitle: Hoofdtekst\n---\nIn het Engels heet dit [liver metastases]{lang=en}, zegt de "
        f"arts. Ook: [{long}]{{lang=en}} klaar.\n"
    )
    root = project({"content/main.md": main})
    assert build(root).code == 0
    path = root / "build/T-1.pdf"
    reader = pdf(path)
    pages = [read_page(reader, i) for i in range(len(reader.pages))]
    spans = [
        (str(n.obj.get("/Lang")), " ".join(pages[p].mcids.get(k, "") for p, k in n.kids if isinstance((p, k), tuple)))
        for n in walk(structure(reader)) if n.role == "Span"
    ]  # fmt: skip
    assert ("en", "liver metastases") in spans
    assert ("en", " ".join(long.split())) in [(lang, " ".join(t.split())) for lang, t in spans]
    text = " ".join(text_of(reader).split())
    assert "dit liver metastases, zegt de arts" in text and "{lang" not in text
    assert not any(name.startswith("_lang") for name in reader.named_destinations)
    readers_agree(path, tagged_pdf=True)
    bad = check(project({"content/main.md": main.replace("{lang=en}", "{lang=English}", 1)}))
    bad.has("content/main.md", 4, "'English' is not a language code")


def test_a_block_in_another_language_is_tagged_with_it(project) -> None:
    from pdfread import structure, walk

    main = "---\ntitle: In English\nlanguage: en\n---\nThis block is written in English.\n\n## Aftercare\n\n- one\n"
    root = project({"content/main.md": main})
    assert build(root).code == 0
    reader = pdf(root / "build/T-1.pdf")
    langs = {str(n.obj.get("/Lang")) for n in walk(structure(reader)) if n.role == "Span"}
    assert langs == {"en"}
    spans = [n for n in walk(structure(reader)) if n.role == "Span"]
    assert len(spans) >= 4  # the title, the paragraph, the heading, the list item
    assert str(reader.trailer["/Root"]["/Lang"]) == "nl"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "“ja” (“nee”)"),
        ("de", "„ja“ („nee“)"),
        ("fr", "« ja » (« nee »)"),
        ("uk", "«ja» («nee»)"),
    ],
)
def test_quotation_marks_follow_the_language(project, language: str, expected: str) -> None:
    main = BASE["content/main.md"] + '\nSentinel echo zei "ja" ("nee").\n'
    leaflet = BASE["leaflets/test.yaml"].replace("revised:", f"language: {language}\nrevised:")
    root = project({"content/main.md": main, "leaflets/test.yaml": leaflet})
    assert build(root).code == 0
    text = " ".join(text_of(pdf(root / "build/T-1.pdf")).replace("\xa0", " ").split())
    assert f"Sentinel echo zei {expected}." in text
