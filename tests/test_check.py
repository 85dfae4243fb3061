"""`pamflet check`: every defect class is reported at its file and line, and exits 1."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import BASE, check

LEAFLET = BASE["leaflets/test.yaml"]


def leaflet(old: str, new: str) -> dict[str, str]:
    assert old in LEAFLET
    return {"leaflets/test.yaml": LEAFLET.replace(old, new)}


def block(body: str, front: str = "title: Extra") -> dict[str, str]:
    """content/main.md with its body replaced."""
    return {"content/main.md": f"---\n{front}\n---\n{body}\n"}


def test_clean_project_passes(project) -> None:
    result = check(project())
    assert result.code == 0, result.output
    assert result.stdout.strip() == ""


def test_example_project_checks_clean(example) -> None:
    result = check(example)
    assert result.code == 0, result.output
    # Warnings allowed: the example's review dates will pass one day.
    assert all(
        d.severity == "warning" and d.message.startswith("the review date") for d in result.diags
    )


DEFECTS = [
    # (name, files, path, line, message fragment)
    ("missing required key", leaflet("title: Testfolder\n", ""), "leaflets/test.yaml", 1, "no 'title'"),
    ("unknown key", leaflet("subtitle:", "subtitel:"), "leaflets/test.yaml", 3, "did you mean 'subtitle'"),
    ("bad date", leaflet("revised: 2026-01-01", "revised: soon"), "leaflets/test.yaml", 4, "not a date"),
    ("impossible date", leaflet("revised: 2026-01-01", "revised: 2026-02-30"), "leaflets/test.yaml", 4, "not a date"),
    ("bad enum", leaflet("revised:", "format: A3\nrevised:"), "leaflets/test.yaml", 4, "'A3' is not allowed"),
    ("bad language", leaflet("revised:", "language: xx\nrevised:"), "leaflets/test.yaml", 4, "'xx' is not allowed"),
    ("duplicate key", leaflet("subtitle: Alles over testen\n", "subtitle: a\nsubtitle: b\n"), "leaflets/test.yaml", 4, "first on line 3"),
    ("unknown block", leaflet("content: main", "content: mian"), "leaflets/test.yaml", 6, "did you mean 'main'"),
    ("unknown card", leaflet("[onderzoeken/scan]", "[onderzoeken/scn]"), "leaflets/test.yaml", 9, "no block 'onderzoeken/scn'"),
    ("unknown contact", leaflet("contact: contacten/nurse", "contact: contacten/nures"), "leaflets/test.yaml", 10, "no block"),
    ("contact that is no contact", leaflet("contact: contacten/nurse", "contact: main"), "leaflets/test.yaml", 10, "not a contact"),
    ("unknown layout", leaflet("revised:", "layout: huisstijl\nrevised:"), "leaflets/test.yaml", 4, "no layout 'huisstijl'"),
    ("yaml syntax", {"leaflets/test.yaml": LEAFLET.replace("title: Testfolder", "title: [Testfolder")}, "leaflets/test.yaml", 2, "'[' opened here is never closed"),
    ("unclosed quote", {"leaflets/test.yaml": LEAFLET.replace("title: Testfolder", 'title: "Testfolder')}, "leaflets/test.yaml", 2, "quote opened here"),
    ("bad indentation", {"leaflets/test.yaml": LEAFLET.replace("subtitle:", "  subtitle:")}, "leaflets/test.yaml", 3, "YAML syntax"),
    ("bad kind", {"content/main.md": "---\ntitle: A\nkind: procedure\n---\nx\n"}, "content/main.md", 3, "'procedure' is not allowed"),
    ("front matter without title", {"content/main.md": "---\nkind: text\n---\nx\n"}, "content/main.md", 2, "no 'title'"),
    ("unclosed front matter", {"content/main.md": "---\ntitle: A\nx\n"}, "content/main.md", 1, "never closed"),
    ("no front matter", {"content/main.md": "# Title\n"}, "content/main.md", 1, "no front matter"),
    ("card without summary", {"content/onderzoeken/scan.md": "---\ntitle: Scan\n---\n"}, "leaflets/test.yaml", 9, "no summary"),
    ("url without scheme", {"content/onderzoeken/scan.md": "---\ntitle: S\nsummary: s\nurl: www.example.org\n---\n"}, "content/onderzoeken/scan.md", 4, "no scheme"),
    ("bad phone", {"content/contacten/nurse.md": "---\ntitle: C\nkind: contact\nphone: bel de poli\n---\n"}, "content/contacten/nurse.md", 4, "not a phone number"),
    ("bad email", {"content/contacten/nurse.md": "---\ntitle: C\nkind: contact\nemail: nurse.example.org\n---\n"}, "content/contacten/nurse.md", 4, "not an e-mail"),
    ("contact field on text block", block("x", "title: A\nphone: 073 553 20 00"), "content/main.md", 3, "belongs to contact blocks"),
    ("broken block link", block("Zie [scan](onderzoeken/scn.md)."), "content/main.md", 4, "there is no block"),
    ("unknown anchor", block("Zie [nazorg](#nazorg-x)."), "content/main.md", 4, "no heading '#nazorg-x'"),
    ("unknown heading in block", block("Zie [scan](onderzoeken/scan.md#voorbereiding)."), "content/main.md", 4, "no heading '#voorbereiding'"),
    ("link to block outside leaflet without url", {**block("Zie [x](other.md)."), "content/other.md": "---\ntitle: O\n---\n"}, "content/main.md", 4, "has no url"),
    ("javascript link", block("[x](javascript:alert(1))"), "content/main.md", 4, "scheme 'javascript:'"),
    ("www link", block("[x](www.example.org)"), "content/main.md", 4, "no scheme"),
    ("link to other file", {**block("[x](notes.txt)"), "content/notes.txt": "x"}, "content/main.md", 4, "not a block or a leaflet"),
    ("link outside the project", block("[x](../../../etc/passwd)"), "content/main.md", 4, "outside the project"),
    ("missing image", block("![Lever](img/lever.png)"), "content/main.md", 4, "does not exist"),
    ("image without alt", {**block("![](img.png)"), "content/img.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10"}, "content/main.md", 4, "no alt text"),
    ("not an image", {**block("![Lever](img.png)"), "content/img.png": b"hello"}, "content/main.md", 4, "not a PNG or JPEG"),
    ("undefined template name", block("Hallo {{ patient }}."), "content/main.md", 4, "'patient' is undefined"),
    ("template syntax", block("a\nb {{ x "), "content/main.md", 5, "template syntax"),
    ("unknown contact in template", block('Bel {{ contacts["contacten/x"].phone }}.'), "content/main.md", 4, "unknown contact"),
    ("duplicate code", {"leaflets/copy.yaml": LEAFLET}, "leaflets/test.yaml", 1, "also used by leaflets/copy.yaml"),
    ("missing font", {"layouts/default/layout.yaml": "fonts:\n  regular: fonts/x.ttf\n"}, "layouts/default/layout.yaml", 2, "does not exist"),
    ("margins too wide", {"layouts/default/layout.yaml": "# huisstijl\nmargins: [20mm, 80mm, 20mm, 80mm]\n"}, "layouts/default/layout.yaml", 2, "leave only"),
    ("font outside the project", {"layouts/default/layout.yaml": "# huisstijl\nfonts:\n  regular: ../../../../usr/share/fonts/x.ttf\n"}, "layouts/default/layout.yaml", 3, "outside the project"),
    ("logo missing", {"layouts/default/layout.yaml": "logo: logo.png\n"}, "layouts/default/layout.yaml", 1, "does not exist"),
    ("text where a list is", leaflet("title: Testfolder", "title: [Test, folder]"), "leaflets/test.yaml", 2, "expected text, found a list"),
    ("cards not a list", leaflet("cards: [onderzoeken/scan]", "cards: onderzoeken/scan"), "leaflets/test.yaml", 9, "expected a list"),
    ("bad colour", {"layouts/default/layout.yaml": "colours:\n  accent: blue\n"}, "layouts/default/layout.yaml", 2, "not a colour"),
    ("bad margin", {"layouts/default/layout.yaml": "margins: [2 inch]\n"}, "layouts/default/layout.yaml", 1, "not a length"),
    ("organisation missing", {"pamflet.yaml": "language: nl\n"}, "pamflet.yaml", 1, "no 'organisation'"),
    ("missing glyph", block("Dosis \u2603 twee keer."), "content/main.md", 4, "cannot print"),
    ("missing glyph in footer", {"layouts/default/layout.yaml": "font_size: 12\nfooter: \"{{ leaflet.code }} \u2603 {{ page }}\"\n"}, "layouts/default/layout.yaml", 2, "cannot print"),
    ("undefined name in footer", {"layouts/default/layout.yaml": "footer: \"{{ leaflet.nummer }}\"\n"}, "layouts/default/layout.yaml", 1, "unknown leaflet field"),
    ("empty leaflet sections", leaflet("sections:\n  - content: main\n  - title: Onderzoeken\n    text: Welke onderzoeken u krijgt, hangt af van uw situatie.\n    cards: [onderzoeken/scan]\n  - contact: contacten/nurse\n", "sections: []\n"), "leaflets/test.yaml", 5, "no sections"),
    ("mixed section", leaflet("  - content: main\n", "  - content: main\n    title: x\n"), "leaflets/test.yaml", 6, "exactly one of"),
    ("review before revised", leaflet("revised: 2026-01-01", "revised: 2026-01-01\nreview: 2025-01-01"), "leaflets/test.yaml", 5, "before the revised date"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "files", "path", "line", "fragment"), DEFECTS, ids=[d[0] for d in DEFECTS]
)
def test_defect_is_reported_at_its_place(project, name, files, path, line, fragment) -> None:
    result = check(project(files))
    assert result.code == 1, result.output
    result.has(path, line, fragment)


def test_all_problems_are_reported_at_once_and_sorted(project) -> None:
    files = {
        **block("Zie [x](#nergens) en {{ onbekend }}."),
        **leaflet("revised: 2026-01-01", "revised: later"),
        "content/onderzoeken/scan.md": "---\ntitle: S\nkind: scan\n---\n",
    }
    result = check(project(files))
    assert result.code == 1
    keys = [(d.path, d.line, d.col) for d in result.diags]
    assert len(keys) >= 3
    assert keys == sorted(keys)
    assert {d.path for d in result.diags} >= {"content/main.md", "leaflets/test.yaml"}


def test_a_phone_number_invalid_for_the_country_is_an_error(project) -> None:
    nurse = BASE["content/contacten/nurse.md"].replace("073 553 20 00", "0123 456 789")
    root = project({"content/contacten/nurse.md": nurse})
    result = check(root)
    assert result.code == 1  # a patient dials it
    result.has("content/contacten/nurse.md", 5, "not a valid phone number in NL", "error")


def test_review_date_past_is_a_warning_and_strict_fails(project) -> None:
    root = project(leaflet("revised: 2026-01-01", "revised: 2020-01-01\nreview: 2021-01-01"))
    result = check(root)
    assert result.code == 0
    result.has("leaflets/test.yaml", 5, "has passed", "warning")
    assert check(root, "--strict").code == 1


def test_severity_can_be_tuned_in_pamflet_yaml(project) -> None:
    files = {
        **leaflet("revised: 2026-01-01", "revised: 2020-01-01\nreview: 2021-01-01"),
        "pamflet.yaml": "organisation: T\nseverity:\n  review-overdue: ignore\n",
    }
    assert check(project(files), "--strict").code == 0


def test_yaml_keeps_text_the_author_meant(project) -> None:
    files = {
        "content/contacten/nurse.md": (
            "---\ntitle: no\nkind: contact\nphone: 073 553 20 00\nhours: 10:30\n"
            "address: 0123\n---\nx\n"
        ),
        **block(
            "{{ contacts['contacten/nurse'].hours }} / {{ contacts['contacten/nurse'].title }}"
        ),
    }
    root = project(files)
    assert check(root).code == 0
    from pamflet.diagnostics import Report
    from pamflet.pipeline import check as run_check

    docs = run_check(root, Report())
    contact = next(n for n in docs[0].body if n.__class__.__name__ == "Contact")
    assert contact.hours == "10:30"
    assert contact.address == "0123"
    assert contact.heading.plain == "no"


def test_aliases_are_refused(project) -> None:
    bomb = "a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n"
    result = check(project({"layouts/default/layout.yaml": bomb}))
    assert result.code == 1
    result.has("layouts/default/layout.yaml", 2, "aliases")


def test_python_tags_are_refused(project) -> None:
    front = "---\ntitle: !!python/object/apply:os.system ['echo hacked']\n---\nx\n"
    result = check(project({"content/main.md": front}))
    assert result.code == 1
    result.has("content/main.md", 2, "not allowed")


def test_tabs_get_a_hint(project) -> None:
    result = check(project(leaflet("  - content: main", "\t- content: main")))
    assert result.code == 1
    assert "tabs" in result.output


def test_bom_is_accepted(project) -> None:
    result = check(project({"pamflet.yaml": "\ufefforganisation: T\n"}))
    assert result.code == 0, result.output


def test_not_utf8_names_the_byte(project) -> None:
    result = check(project({"content/main.md": b"---\ntitle: A\n---\ncaf\xe9\n"}))
    assert result.code == 1
    result.has("content/main.md", 4, "not UTF-8")


def test_github_and_json_formats(project) -> None:
    root = project(block("[x](#nergens)"))
    github = check(root, "--format", "github")
    assert github.code == 1
    assert github.stdout.startswith("::error file=content/main.md,line=4,")
    data = json.loads(check(root, "--format", "json").stdout)
    assert data[0]["path"] == "content/main.md"
    assert data[0]["line"] == 4
    assert data[0]["severity"] == "error"
    assert data[0]["code"] == "unknown-anchor"


def test_usage_errors_exit_2(tmp_path) -> None:
    from conftest import run

    assert run(tmp_path, "check").code == 2  # no pamflet.yaml here
    assert run(tmp_path, "check", "--format", "xml").code == 2


def test_block_not_in_any_leaflet_is_still_checked(project) -> None:
    result = check(project({"content/loose.md": "---\ntitle: L\n---\n[x](ftp://example.org)\n"}))
    assert result.code == 1
    result.has("content/loose.md", 4, "scheme 'ftp:'")


def test_template_line_is_mapped_to_the_file(project) -> None:
    body = "Regel een.\n\nRegel drie {{ leaflet.nope }}.\n"
    result = check(project(block(body)))
    result.has("content/main.md", 6, "unknown leaflet field 'nope'")


def test_check_does_not_import_reportlab_or_pypdf(example) -> None:
    code = (
        "import sys; from click.testing import CliRunner; from pamflet.cli import main;"
        f"r = CliRunner().invoke(main, ['--project', r'{example}', 'check']);"
        "assert r.exit_code == 0, r.output;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('reportlab', 'pypdf')];"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_version(project) -> None:
    from conftest import run

    result = run(project(), "--version")
    assert result.code == 0
    assert "pamflet" in result.stdout


def test_project_is_found_upward_and_project_is_accepted_after_the_command(
    project, tmp_path, monkeypatch
) -> None:
    from click.testing import CliRunner

    from pamflet.cli import main

    root = project()
    monkeypatch.chdir(root / "content" / "onderzoeken")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert "checked 1 leaflet" in result.output
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "--project", str(root)])
    assert result.exit_code == 0, result.output
    assert (root / "build" / "T-1.pdf").is_file()
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2
    assert "no pamflet.yaml in" in result.output and "any folder above it" in result.output


def test_a_block_no_leaflet_uses_is_a_warning_unless_ignored(project) -> None:
    files = {
        "content/spare.md": "---\ntitle: Reserve\n---\nNot used.\n",
        "content/contacten/poli.md": "---\ntitle: Poli\nkind: contact\nphone: 073 553 20 00\n---\n",
        "content/main.md": "---\ntitle: Hoofdtekst\n---\nBel {{ contacts['contacten/poli'].phone }}.\n",
    }
    root = project(files)
    result = check(root)
    assert result.code == 0
    result.has("content/spare.md", None, "no leaflet uses block 'spare'", "warning")
    assert "contacten/poli'" not in result.output  # named in a template: used
    settings = "organisation: Testziekenhuis\nseverity:\n  unused-block: ignore\n"
    result = check(project({**files, "pamflet.yaml": settings}))
    assert "unused-block" not in result.output


def test_messages_that_say_why(project) -> None:
    from conftest import run

    nurse = BASE["content/contacten/nurse.md"].replace("073 553 20 00", "0800 DOKTER")
    result = check(project({"content/contacten/nurse.md": nurse}))
    result.has("content/contacten/nurse.md", 5, "write it as in 010 123 4567")
    gb = {
        "pamflet.yaml": "organisation: Testziekenhuis\ncountry: GB\n",
        "content/contacten/nurse.md": nurse,
    }
    result = check(project(gb))
    result.has("content/contacten/nurse.md", 5, "write it as in 0121 234 5678")
    result = run(project(), "build", "T-2")
    assert result.code == 2
    assert "no leaflet with code T-2; did you mean 'T-1'?" in result.stderr
    warned = project({"content/spare.md": "---\ntitle: Reserve\n---\nx\n"})
    result = run(warned, "check", "--strict")
    assert result.code == 1
    assert "--strict counts warnings as errors" in result.stderr


def test_a_misspelt_section_key_says_did_you_mean_first(project) -> None:
    leaflet = BASE["leaflets/test.yaml"].replace("  - content: main", "  - contnet: main")
    result = check(project({"leaflets/test.yaml": leaflet}))
    first = result.stdout.splitlines()[0]
    assert first == (
        "leaflets/test.yaml:6:5: error: unknown key 'contnet' in a section; "
        "did you mean 'content'? [unknown-key]"
    )
    assert "exactly one of" not in result.output


def test_a_template_syntax_error_adds_no_false_anchor_errors(project) -> None:
    main = BASE["content/main.md"] + "Zie {{ leaflet.code\n"
    leaflet = BASE["leaflets/test.yaml"].replace(
        "hangt af van uw situatie.", "hangt af van [nazorg](#nazorg)."
    )
    other = "---\ntitle: Ander\n---\nLees [nazorg](main.md#nazorg).\n"
    result = check(project({"content/main.md": main, "leaflets/test.yaml": leaflet,
                            "content/other.md": other}))  # fmt: skip
    assert result.stdout.splitlines()[0] == (
        "content/main.md:10:5: error: template syntax error: unexpected end of template, "
        "expected 'end of print statement'. [template]"
    )
    assert "unknown-anchor" not in result.output
    # A real unknown anchor next to the failed template is still reported.
    leaflet = leaflet.replace("(#nazorg)", "(#nergens)")
    result = check(project({"content/main.md": main, "leaflets/test.yaml": leaflet}))
    assert "unknown-anchor" not in result.output  # unsure: the failed block may hold it
    result = check(project({"leaflets/test.yaml": leaflet}))
    result.has("leaflets/test.yaml", 8, "this leaflet has no heading '#nergens'")


def test_columns_inside_a_text_block_count_its_indentation(project) -> None:
    leaflet = BASE["leaflets/test.yaml"].replace(
        "    text: Welke onderzoeken u krijgt, hangt af van uw situatie.\n",
        "    text: |\n      Welke onderzoeken u krijgt, lees [hier](#nergens).\n",
    )
    result = check(project({"leaflets/test.yaml": leaflet}))
    line = leaflet.splitlines()[8]
    assert result.stdout.splitlines()[0].startswith(
        f"leaflets/test.yaml:9:{line.index('#nergens') + 1}: error: this leaflet has no heading"
    )
    quoted = BASE["leaflets/test.yaml"].replace(
        "text: Welke onderzoeken u krijgt, hangt af van uw situatie.",
        'text: "Zie [hier](#nergens)."',
    )
    result = check(project({"leaflets/test.yaml": quoted}))
    line = quoted.splitlines()[7]
    assert result.stdout.splitlines()[0].startswith(
        f"leaflets/test.yaml:8:{line.index('#nergens') + 1}: error: this leaflet has no heading"
    )


TEXT_LINE = "    text: Welke onderzoeken u krijgt, hangt af van uw situatie.\n"
STYLES = {  # the same text in each YAML scalar style: the bad link on the file's line 10
    "literal": "    text: |\n      Eerste regel.\n      Tweede [x](#nergens) regel.\n",
    "folded": "    text: >\n      Eerste regel\n      tweede [x](#nergens) regel.\n",
    "plain": "    text: Eerste\n      regel\n      tweede [x](#nergens) regel.\n",
    "double-quoted": '    text: "Eerste \\"regel\\"\n      \\tnog\n      tweede [x](#nergens) regel."\n',
    "single-quoted": "    text: 'Eerste ''regel''\n      nog\n      tweede [x](#nergens) regel.'\n",
}


@pytest.mark.parametrize("style", list(STYLES))
def test_positions_are_right_in_every_scalar_style(project, style) -> None:
    leaflet = BASE["leaflets/test.yaml"].replace(TEXT_LINE, STYLES[style])
    root = project({"leaflets/test.yaml": leaflet})
    lines = (root / "leaflets/test.yaml").read_text().split("\n")
    line = next(i for i, text in enumerate(lines, 1) if "#nergens" in text)
    result = check(root)
    diag = next(d for d in result.diags if "nergens" in d.message)
    assert (diag.line, diag.col) == (line, lines[line - 1].index("#nergens") + 1), result.output


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
def test_lines_are_counted_as_an_editor_counts(project, char) -> None:
    """YAML breaks lines at U+0085, U+2028 and U+2029 too; editors and messages do not."""
    leaflet = f"# a comment{char}\n" + BASE["leaflets/test.yaml"].replace(
        "onderzoeken/scan]", "onderzoeken/scna]"
    )
    main = BASE["content/main.md"].replace("kind: condition", f"# note{char}\nkind: conditoin")
    result = check(project({"leaflets/test.yaml": leaflet, "content/main.md": main}))
    result.has("leaflets/test.yaml", 10, "there is no block 'onderzoeken/scna'")
    result.has("content/main.md", 4, "conditoin")


@pytest.mark.parametrize(
    ("layout", "line", "col"),
    [
        ("font_size: 12\nfooter: |\n  Pagina {{ page }}\n  {{ nergens }}\n", 4, 6),
        ("footer: 'Pagina {{ page }} {{ nergens }}'\n", 1, 31),
        ("footer: >\n  Pagina {{ page }}\n  van {{ nergens }}\n", 3, 10),
    ],
)
def test_a_footer_template_error_is_at_the_footer(project, layout, line, col) -> None:
    result = check(project({"layouts/default/layout.yaml": layout}))
    diag = next(d for d in result.diags if "nergens" in d.message)
    assert (diag.path, diag.line, diag.col) == ("layouts/default/layout.yaml", line, col)


CHECK_SAYS_WHAT_BUILD_SAYS = {  # each passed check and then failed (or printed boxes) in build
    "footer wider than the page": (
        {"layouts/default/layout.yaml": "footer: 'Pagina {{ page }} " + "x" * 200 + "'\n"},
        "layouts/default/layout.yaml",
        1,
        "wider than the page",
    ),
    "footer too tall": (
        {
            "layouts/default/layout.yaml": "footer: |\n"
            + "".join(f"  regel {i}\n" for i in range(8))
        },
        "layouts/default/layout.yaml",
        2,
        "do not fit below the text",
    ),
    "a glyph only on page 4": (
        {
            "layouts/default/layout.yaml": "footer: 'Pagina {{ page }}{% if page == 4 %}中{% endif %}'\n"
        },
        "layouts/default/layout.yaml",
        1,
        "cannot print '中'",
    ),
    "an address the font cannot print": (
        {"leaflets/test.yaml": BASE["leaflets/test.yaml"] + "url: https://example.org/中\n"},
        "leaflets/test.yaml",
        11,
        "cannot print '中'",
    ),
    "the organisation's glyph": (
        {"pamflet.yaml": "organisation: Test中\nlanguage: nl\n"},
        "pamflet.yaml",
        1,
        "cannot print '中'",
    ),
    "a code too long for a file name": (
        {
            "leaflets/test.yaml": BASE["leaflets/test.yaml"].replace(
                "code: T-1", "code: T-" + "1" * 240
            )
        },
        "leaflets/test.yaml",
        1,
        "more than 64",
    ),
    "a QR code counted in bytes": (
        {
            "leaflets/test.yaml": BASE["leaflets/test.yaml"]
            + "url: https://example.org/"
            + "éééé/" * 250
            + "\n"
        },
        "leaflets/test.yaml",
        11,
        "more than a QR code holds",
    ),
    "a script no bundled font has": (
        {"content/main.md": BASE["content/main.md"] + "\n中文的病人信息。\n"},
        "content/main.md",
        11,
        "cannot print",
    ),
}


@pytest.mark.parametrize("name", list(CHECK_SAYS_WHAT_BUILD_SAYS))
def test_check_says_what_build_will_say(project, name) -> None:
    files, path, line, words = CHECK_SAYS_WHAT_BUILD_SAYS[name]
    result = check(project(files))
    assert result.code == 1, result.output
    assert any((d.path, d.line) == (path, line) and words in d.message for d in result.diags), (
        result.output
    )


def test_one_margin_for_all_four_sides(project) -> None:
    from conftest import build

    root = project({"layouts/default/layout.yaml": "margins: 20mm\n"})
    assert build(root).code == 0


def test_a_large_project_loads_on_two_cores_with_the_same_result(project, monkeypatch) -> None:
    """The forked half of the blocks comes back as the serial load gives it: the same blocks
    in the same order, the same diagnostics, the same file digests."""
    from pamflet.diagnostics import Report
    from pamflet.load import fork
    from pamflet.load.project import load_project
    from pamflet.project import ProjectDir

    extra = {
        f"content/extra/b{i:03}.md": f"---\ntitle: Blok {i}\n---\nTekst {i}.\n" for i in range(30)
    }
    extra["content/extra/b007.md"] = "---\ntitle: [\n---\nKapot.\n"  # a YAML error, forked half
    extra["content/extra/b025.md"] = "---\ntitle: Blok\nphone: 1\n---\nFout veld.\n"
    root = project(extra)

    def loaded(fork_from: int) -> tuple[object, list[object], dict[str, str]]:
        monkeypatch.setattr(fork, "FORK_FROM", fork_from)
        monkeypatch.setattr(fork, "cores", lambda: 2)
        files, report = ProjectDir.open(root), Report()
        return load_project(files, report), report.diagnostics, files.digests

    serial = loaded(10_000)
    started = []
    start = fork.Child.start
    monkeypatch.setattr(fork.Child, "start", lambda work: started.append(1) or start(work))
    forked = loaded(4)
    assert started, "the load did not fork: the test tests nothing"
    assert forked == serial
    assert list(forked[0].blocks) == list(serial[0].blocks)
    assert any(d.location.path == "content/extra/b007.md" for d in forked[1])


def test_a_catalogue_is_checked_on_two_cores_with_the_same_result(project, monkeypatch) -> None:
    """The second half of the leaflets is resolved in a forked child: documents, report,
    check-cache records, build keys and where each block is used come out as one process
    makes them, also for a problem in the child's half and a block both halves show."""
    from pamflet import pipeline
    from pamflet.diagnostics import Report
    from pamflet.load import fork
    from pamflet.resolve import leaflets as stage2

    files = {
        f"leaflets/t{i:02}.yaml": LEAFLET.replace("code: T-1", f"code: T-{i:02}").replace(
            "content: main", f"content: text{i % 7}"
        )
        for i in range(2, 32)
    }
    for i in range(7):
        files[f"content/text{i}.md"] = f"---\ntitle: Tekst {i}\n---\nTekst {i}.\n\n## Kop {i}\n"
    files["content/text5.md"] = "---\ntitle: Vijf\n---\nZie [weg](#nergens).\n"  # an error
    root = project(files)
    (root / "build").mkdir()
    monkeypatch.setattr(fork, "cores", lambda: 2)

    def resolved(least: int) -> tuple[object, ...]:
        monkeypatch.setattr(stage2, "FORK_LEAFLETS", least)
        report = Report()
        ctx = pipeline.resolved(root, report, None, root / "build")
        docs = stage2.run(ctx)
        return docs, report.diagnostics, ctx.memo.dump(), ctx.inputs, ctx.uses, ctx.used

    serial = resolved(10_000)
    started = []
    start = fork.Child.start
    monkeypatch.setattr(fork.Child, "start", lambda work: started.append(1) or start(work))
    forked = resolved(4)
    assert started == [1], "the check did not fork: the test tests nothing"
    assert forked == serial
    assert any("nergens" in d.message for d in forked[1])
    assert len(forked[0]) == 31


def test_a_failed_child_leaves_its_half_to_this_process(project, monkeypatch) -> None:
    """A child that fails (here: it raises) is not an error: its half is resolved here, with
    the same result; with one job no child is started at all."""
    from pamflet import pipeline
    from pamflet.diagnostics import Report
    from pamflet.load import fork
    from pamflet.resolve import leaflets as stage2

    files = {
        f"leaflets/t{i:02}.yaml": LEAFLET.replace("code: T-1", f"code: T-{i:02}")
        for i in range(2, 12)
    }
    root = project(files)
    monkeypatch.setattr(fork, "cores", lambda: 2)
    monkeypatch.setattr(stage2, "FORK_LEAFLETS", 4)

    def resolved(jobs: int | None) -> tuple[object, ...]:
        report = Report()
        ctx = pipeline.resolved(root, report, None, None, jobs=jobs)
        return stage2.run(ctx), report.diagnostics, ctx.uses

    started = []
    start = fork.Child.start
    monkeypatch.setattr(fork.Child, "start", lambda work: started.append(1) or start(work))
    alone = resolved(1)
    assert started == []
    monkeypatch.setattr(stage2, "part", lambda *args: 1 / 0)  # the child dies of it
    assert resolved(None) == alone
    assert started == [1]
