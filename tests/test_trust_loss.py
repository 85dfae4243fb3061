"""Trust, round two: nothing lost without a word, and problems named where they are written.

Each case is one the hostile-input round found (issue 9): the exact error and its place, or
what the PDF holds.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from conftest import BASE, build, check, outputs, pdf, run, text_of
from PIL import Image
from pypdf import PdfReader

LEAFLET = BASE["leaflets/test.yaml"]


def body(text: str) -> dict[str, str | bytes]:
    return {"content/main.md": f"---\ntitle: Hoofdtekst\n---\n{text}\n"}


def picture(kind: str) -> bytes:
    """A real image, 600 pixels wide, with detail so that it does not compress to nothing."""
    image = Image.new("RGB", (600, 400))
    image.putdata(
        [((x * 7) % 256, (y * 3) % 256, (x * y) % 256) for y in range(400) for x in range(600)]
    )
    out = io.BytesIO()
    image.save(out, kind)
    return out.getvalue()


# ---- Nesting that markdown-it would drop --------------------------------------------------------


def test_lists_nested_too_deep_are_an_error_not_a_loss(project) -> None:
    nested = "\n".join("  " * i + f"- n{i}" for i in range(10))
    root = project(body(f"{nested}\n\nparagraph after"))
    result = check(root)
    assert result.code == 1
    result.has("content/main.md", 12, "nested more than 8 deep")


def test_quotes_nested_too_deep_are_an_error_not_a_loss(project) -> None:
    quotes = "".join(">" * i + f" q{i}\n" + ">" * i + "\n" for i in range(1, 26))
    root = project(body(f"{quotes}\nafter"))
    result = check(root)
    assert result.code == 1
    result.has("content/main.md", 20, "nested more than 8 deep")


def test_lists_eight_deep_print_every_level(project) -> None:
    nested = "\n".join("  " * i + f"- level{i}" for i in range(8))
    root = project(body(f"{nested}\n\nparagraph after"))
    assert build(root).code == 0
    text = text_of(pdf(root / "build/T-1.pdf"))
    assert all(f"level{i}" in text for i in range(8)) and "paragraph after" in text


# ---- Images where they cannot stand -------------------------------------------------------------


def test_image_in_a_heading_is_an_error_also_as_the_first_element(project) -> None:
    files = {**body("# Kop ![Rood](rood.png)\n\nTekst."), "content/rood.png": picture("PNG")}
    result = check(project(files))
    assert result.code == 1
    result.has("content/main.md", 4, "cannot stand in a heading or a table cell")


def test_image_in_a_heading_after_a_paragraph_and_in_a_cell(project) -> None:
    text = "Tekst.\n\n## Kop ![Rood](rood.png)\n\n| a | b |\n|---|---|\n| ![Rood](rood.png) | z |"
    result = check(project({**body(text), "content/rood.png": picture("PNG")}))
    result.has("content/main.md", 6, "cannot stand in a heading")
    result.has("content/main.md", 10, "cannot stand in a heading or a table cell")


# ---- Output names ----------------------------------------------------------------------------


def test_a_leaflet_coded_like_a_booklets_print_file_is_an_error(project) -> None:
    booklet = LEAFLET.replace("code: T-1\n", "code: T-1\nformat: A5-booklet\n")
    other = LEAFLET.replace("code: T-1\n", "code: T-1-print\n")
    result = check(project({"leaflets/test.yaml": booklet, "leaflets/other.yaml": other}))
    assert result.code == 1
    result.has("leaflets/other.yaml", 1, "print file of booklet 'T-1'")


# ---- Damaged images -------------------------------------------------------------------------


def test_a_cut_jpeg_is_an_error_at_its_reference(project) -> None:
    files = {**body("Tekst.\n\n![Foto](foto.jpg)"), "content/foto.jpg": picture("JPEG")[:600]}
    root = project(files)
    result = build(root)
    assert result.code == 1 and not (root / "build" / "T-1.pdf").exists()
    result.has("content/main.md", 6, "damaged or cut short")


def test_a_cut_png_is_an_error_at_its_reference(project) -> None:
    data = picture("PNG")
    files = {**body("Tekst.\n\n![Foto](foto.png)"), "content/foto.png": data[: len(data) // 2]}
    result = build(project(files))
    assert result.code == 1
    result.has("content/main.md", 6, "damaged or cut short")
    assert "build:1:1" not in result.output


def test_a_whole_jpeg_prints(project) -> None:
    files = {**body("Tekst.\n\n![Foto](foto.jpg)"), "content/foto.jpg": picture("JPEG")}
    root = project(files)
    assert build(root).code == 0
    images = pdf(root / "build/T-1.pdf").pages[0].images
    assert len(images) == 1 and images[0].image.size == (600, 400)


# ---- Headers and footers, on every page they can be drawn on ----------------------------------


def layout(text: str) -> dict[str, str | bytes]:
    return {"layouts/default/layout.yaml": text}


def test_header_characters_are_checked_for_later_pages(project) -> None:
    header = 'header: "{{ organisation }}{% if page > 1 %} ☃ ≠ 中{% endif %}"\n'
    result = check(project(layout(header)))
    assert result.code == 1
    result.has("layouts/default/layout.yaml", 1, "U+2603")
    result.has("layouts/default/layout.yaml", 1, "U+4E2D")


def test_footer_errors_on_later_pages_are_found_by_check(project) -> None:
    footer = 'footer: "{% if page > 1 %}{{ leaflet.nope }}{% endif %}"\n'
    result = check(project(layout(footer)))
    assert result.code == 1
    result.has("layouts/default/layout.yaml", 1, "unknown leaflet field 'nope'")


def test_header_may_use_only_what_pages_have(project) -> None:
    header = "header: \"{{ contacts['contacten/nurse'].phone }}\"\n"
    result = check(project(layout(header)))
    assert result.code == 1
    diag = result.has("layouts/default/layout.yaml", 1, "'contacts' is undefined")
    assert "contacts" not in diag.message.split("known here:")[-1]


def test_footer_wider_than_the_page_is_an_error(project) -> None:
    root = project(layout('footer: "' + "lang " * 60 + '"\n'))
    result = build(root)
    assert result.code == 1 and not (root / "build").exists()
    result.has("layouts/default/layout.yaml", 1, "footer is wider than the page on page 1")


def test_footer_with_more_lines_than_the_margin_holds_is_an_error(project) -> None:
    result = build(project(layout('footer: "a\\nb\\nc\\nd\\ne\\nf"\n')))
    assert result.code == 1
    result.has("layouts/default/layout.yaml", 1, "do not fit below the text")


def test_default_footer_wraps_on_narrow_large_print_pages(project) -> None:
    leaflet = LEAFLET.replace("code: T-1\n", "code: T-1\nformat: A5\n")
    files = {
        "leaflets/test.yaml": leaflet,
        **layout("font_size: 18\nmargins: [5mm, 5mm, 5mm, 25mm]\n"),
    }
    root = project(files)
    assert build(root).code == 0
    text = pdf(root / "build/T-1.pdf").pages[0].extract_text()
    assert "T-1" in text and "Pagina 1 van" in text


# ---- Links and settings -------------------------------------------------------------------------


def test_tel_link_with_letters_is_an_error(project) -> None:
    result = check(project(body("Bel [ons](tel:0800-DOKTER).")))
    assert result.code == 1
    result.has("content/main.md", 4, "not a phone number")


def test_link_without_text_is_a_warning(project) -> None:
    result = check(project(body("Zie [](https://example.org/a) hier.")))
    result.has("content/main.md", 4, "has no text", "warning")


def test_a_list_as_a_severity_key_is_an_error(project) -> None:
    settings = "organisation: Testziekenhuis\nseverity:\n  [a, b]: error\n"
    result = check(project({"pamflet.yaml": settings}))
    assert result.code == 1
    result.has("pamflet.yaml", 3, "a key must be plain text")


# ---- Writing: all files or none ------------------------------------------------------------

THREE = {
    "leaflets/two.yaml": LEAFLET.replace("code: T-1", "code: T-2"),
    "leaflets/three.yaml": LEAFLET.replace("code: T-1", "code: T-3"),
}


def snapshot(folder) -> dict[str, tuple[bytes, int]]:
    return {
        p.name: (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.glob("*.pdf"))
        if p.is_file()
    }


def test_one_target_that_cannot_be_written_changes_no_file(project) -> None:
    root = project(THREE)
    assert build(root).code == 0
    out = root / "build"
    (out / "T-1.pdf").unlink()
    (out / "T-1.pdf").mkdir()
    before = snapshot(out)
    main = root / "content/main.md"
    main.write_text(main.read_text() + "\nA new sentence.\n")
    result = run(root, "build")
    assert result.code == 1
    result.has("build", 1, "T-1.pdf is not a regular file; no file was written")
    assert snapshot(out) == before
    assert not [p for p in outputs(out) if p.name.startswith(".")]


def test_a_failure_while_moving_in_puts_every_previous_file_back(project, monkeypatch) -> None:
    root = project(THREE)
    assert build(root).code == 0
    out = root / "build"
    before = snapshot(out)
    main = root / "content/main.md"
    main.write_text(main.read_text() + "\nA new sentence.\n")
    real, calls = os.replace, []

    def failing(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(28, "No space left on device", str(dst))
        return real(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    result = build(root)
    monkeypatch.setattr(os, "replace", real)
    assert result.code == 1
    result.has("build", 1, "no file was changed")
    assert {k: v[0] for k, v in snapshot(out).items()} == {k: v[0] for k, v in before.items()}
    assert not [p for p in outputs(out) if p.name.startswith(".")]


def test_temporaries_of_a_killed_run_are_removed(project) -> None:
    root = project()
    out = root / "build"
    out.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()  # fmt: skip
    stale = out / f".T-1.pdf.{dead}.abc123.tmp"
    stale.write_bytes(b"")
    living = out / f".T-1.pdf.{os.getpid()}.xyz789.tmp"  # a run still going: left alone
    living.write_bytes(b"")
    assert build(root).code == 0
    assert not stale.exists() and living.exists()


# ---- What crashed (exit 70) now ends in an error at its place ---------------------------------


def table(columns: int) -> str:
    head = "|" + "|".join(f"k{i}" for i in range(columns)) + "|"
    return f"{head}\n|{'---|' * columns}\n|{'x|' * columns}"


def test_a_table_too_wide_for_the_page_is_an_error(project) -> None:
    result = check(project(body(table(36))))
    assert result.code == 1
    result.has("content/main.md", 4, "36 columns; at most 16 fit across a A4 page")
    a5 = LEAFLET.replace("code: T-1\n", "code: T-1\nformat: A5\n")
    result = build(project({**body(table(26)), "leaflets/test.yaml": a5}))
    assert result.code == 1
    result.has("content/main.md", 4, "26 columns")


def test_a_table_too_wide_for_a_note_fails_the_build_at_the_table(project) -> None:
    quoted = "\n".join("> " * 8 + line for line in table(16).split("\n"))
    result = build(project(body(quoted)))
    assert result.code == 1
    result.has("content/main.md", 4, "do not fit the width left to it")


def test_yaml_nested_a_thousand_deep_is_an_error(project) -> None:
    deep = LEAFLET + "extra: &x " + "[" * 1000 + "]" * 1000 + "\nmore: *x\n"
    result = check(project({"leaflets/test.yaml": deep}))
    assert result.code == 1
    result.has("leaflets/test.yaml", 1, "nested too deeply")


def test_a_leaflet_url_too_long_for_a_qr_code_is_an_error(project) -> None:
    long = LEAFLET + "url: https://example.org/" + "a" * 3000 + "\n"
    result = check(project({"leaflets/test.yaml": long}))
    assert result.code == 1
    diag = result.has("leaflets/test.yaml", 11, "longer than 2000 characters")
    assert len(diag.message) < 300


def test_a_font_cut_in_half_is_an_error(project) -> None:
    from conftest import ROOT

    font = next((ROOT / "src/pamflet/fonts").glob("*Regular*")).read_bytes()
    files = {
        "layouts/default/layout.yaml": "fonts: {regular: half.ttf}\n",
        "layouts/default/half.ttf": font[: len(font) // 2],
    }
    result = check(project(files))
    assert result.code == 1
    result.has("layouts/default/layout.yaml", 1, "damaged or cut TrueType font")


def test_source_date_epoch_out_of_range_is_a_usage_error(project, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99999999999999")
    result = run(project(), "build")
    assert result.code == 2
    assert "SOURCE_DATE_EPOCH" in result.stderr and "year 9999" in result.stderr


def test_an_invalid_escape_is_named_not_called_an_unclosed_quote(project) -> None:
    root = project({"content/main.md": '---\ntitle: "H\\ud800"\nx: &a 1\ny: *a\n---\nx\n'})
    result = check(root)
    assert result.code == 1
    assert "internal error" not in result.output


# ---- Diagnostics that cannot lie --------------------------------------------------------------


def test_author_text_cannot_forge_a_diagnostic_line(project) -> None:
    files = {"content/main.md": "---\ntitle: Hoofdtekst\n---\nZie [x](#a\\nb.md:9:9:\\x1b[31m).\n"}
    root = project(files)
    (root / "content" / "a\nb.md").write_text("---\nkind: bogus\n---\n", encoding="utf-8")
    result = check(root)
    lines = result.stdout.strip().splitlines()[:-1] if result.stdout.strip() else []
    assert lines and all(line.count(": error: ") + line.count(": warning: ") == 1 for line in lines)
    assert "\x1b" not in result.stdout
    assert "content/a\\nb.md" in result.stdout


def test_github_annotation_properties_are_escaped(project) -> None:
    root = project()
    (root / "content" / "a,line=999,title=spoof::x.md").write_text("---\nkind: x\n---\n")
    result = run(root, "check", "--format", "github")
    line = next(x for x in result.stdout.splitlines() if "spoof" in x)
    assert "file=content/a%2Cline=999%2Ctitle=spoof%3A%3Ax.md," in line
    assert line.count(",line=") == 1


def test_json_diagnostics_are_valid_utf8_for_a_file_name_that_is_not(project) -> None:
    import json

    root = project()
    name = os.fsencode(root / "content") + b"/caf\xff.md"
    with open(name, "wb") as fh:
        fh.write(b"---\nkind: x\n---\n")
    result = run(root, "check", "--format", "json")
    data = json.loads(result.stdout.encode("utf-8"))
    assert any(d["path"] == "content/caf\\xff.md" for d in data)


# ---- Interruptions and the environment -------------------------------------------------------


def test_ctrl_c_during_a_parallel_build_ends_quickly_and_quietly(project) -> None:
    import signal
    import time

    leaflets = {
        f"leaflets/t{i}.yaml": LEAFLET.replace("code: T-1", f"code: T-{i}") for i in range(2, 49)
    }
    root = project(leaflets)
    assert run(root, "build").code == 0
    before = {p.name: p.read_bytes() for p in outputs(root / "build")}
    main = root / "content/main.md"
    main.write_text(main.read_text() + "\nNew text.\n")
    for attempt in range(6):
        proc = subprocess.Popen(
            [sys.executable, "-m", "pamflet", "--project", str(root), "build", "--jobs", "2"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        )  # fmt: skip
        time.sleep(0.5 + 0.15 * attempt)  # while the leaflets are drawn
        os.killpg(proc.pid, signal.SIGINT)  # as a terminal does: every process of the group
        sent = time.monotonic()
        code = proc.wait(30)
        assert time.monotonic() - sent < 2.5, "Ctrl-C took longer than 2 s to end the build"
        _, err = proc.communicate()
        assert code in (130, 0), err
        assert "Traceback" not in err
        if code == 130:
            assert {p.name: p.read_bytes() for p in outputs(root / "build")} == before
            return
    raise AssertionError("the build always finished before Ctrl-C: the test tests nothing")


def test_reportlab_settings_in_home_neither_run_nor_change_the_pdf(project, tmp_path) -> None:
    root = project()
    env = {**os.environ, "HOME": str(tmp_path / "home"), "RL_pdfComments": "1"}
    command = [sys.executable, "-m", "pamflet", "--project", str(root), "build"]
    assert subprocess.run(command, env=env, capture_output=True).returncode == 0
    clean = (root / "build/T-1.pdf").read_bytes()
    home = tmp_path / "home"
    home.mkdir()
    marker = tmp_path / "ran"
    (home / ".reportlab_mods").write_text(f"open({str(marker)!r}, 'w').write('x')\n")
    (home / ".reportlab_settings").write_text("pdfComments = 1\ninvariant = 0\n")
    (root / "build/T-1.pdf").unlink()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert not marker.exists(), "pamflet ran code from the user's home"
    assert (root / "build/T-1.pdf").read_bytes() == clean


# ---- Templates that would build a huge string while compiling -----------------------------


def test_template_constants_that_explode_are_refused_quickly(project) -> None:
    import time

    for expression in (
        "{{ '%0999999999d' % 1 }}",
        "{{ 'a\\nb'|indent(1000000000) }}",
        "{{ 'x'|center(3000000000) }}",
        "{{ 'x'.ljust(10**9) }}",
        "{{ '{:>999999999}'.format(1) }}",
    ):
        root = project(body(f"Tekst {expression}."))
        started = time.monotonic()
        result = check(root)
        assert time.monotonic() - started < 5, expression
        assert result.code == 1, expression
        result.has("content/main.md", 4, "not allowed in a template")


def test_ordinary_formatting_still_works(project) -> None:
    root = project(body("Code {{ '%05d' % 42 }} en {{ 'ab'|center(6) }} en {{ 'x'|indent(2) }}."))
    assert build(root).code == 0
    assert "Code 00042 en ab en x." in text_of(pdf(root / "build/T-1.pdf"))


# ---- Layout cost stays near-linear: what would take minutes is refused by check ----------------


def test_a_ten_thousand_character_word_is_refused_at_its_line(project) -> None:
    result = check(project(body("Begin " + "kanker" * 1700 + " einde.")))
    assert result.code == 1
    result.has("content/main.md", 4, "10,200 characters without a place to break")


def test_a_megabyte_paragraph_is_refused_at_its_line(project) -> None:
    result = check(project(body("woord " * 200_000)))
    assert result.code == 1
    result.has("content/main.md", 4, "more than 20,000")


def test_a_word_longer_than_a_line_is_a_warning_and_printed_whole(project) -> None:
    word = "kanker" * 40
    root = project(body(f"Begin {word} einde."))
    result = build(root)
    assert result.code == 0
    result.has("content/main.md", 4, "more than a A4 line holds", "warning")
    assert word in text_of(pdf(root / "build/T-1.pdf")).replace(" ", "")


def test_fuzzer_finding_a_png_cut_inside_its_header(project) -> None:
    """Found by fuzz/run.py (seed 3): a PNG of 20 bytes crashed check with struct.error."""
    files = {**body("Tekst.\n\n![Foto](foto.png)"), "content/foto.png": picture("PNG")[:20]}
    result = check(project(files))
    assert result.code == 1
    result.has("content/main.md", 6, "damaged or cut short")


def test_fuzzer_finding_narrow_columns_beside_wide_ones(project) -> None:
    """Found by fuzz/run.py (seed 3): short columns shrunk below their padding crashed the build."""
    head = "|" + "|".join(f"k{i}" for i in range(13)) + "|"
    row = "|x|" + "|".join(["alvleesklierkanker"] * 12) + "|"
    root = project(body(f"{head}\n|{'---|' * 13}\n{row}"))
    result = build(root)
    assert result.code == 0, result.output
    result.has("content/main.md", 4, "13 columns do not fit the page width", "warning")
    assert "k12" in text_of(pdf(root / "build/T-1.pdf")).replace(" ", "")  # broken in its cell


def test_a_heading_that_differs_by_a_sign_is_printed(project) -> None:
    """The first block's heading is left out only when it repeats the title: signs count."""
    for title, heading in [
        ("Bloedgroep A+", "Bloedgroep A−"),
        ("Koorts boven 38 °C", "Koorts boven 38"),
    ]:
        main = f"---\ntitle: {heading}\nkind: condition\n---\nTekst.\n"
        leaflet = BASE["leaflets/test.yaml"].replace("Testfolder", title)
        root = project({"content/main.md": main, "leaflets/test.yaml": leaflet})
        assert build(root).code == 0
        text = PdfReader(root / "build/T-1.pdf").pages[0].extract_text()
        assert title in text and heading in text.replace(title, "")


def test_a_linked_image_keeps_its_link(project) -> None:
    text = (
        "---\ntitle: Hoofdtekst\nkind: condition\n---\nIntro.\n\n"
        "[![De ingang van de polikliniek](foto.png)](https://example.org/poli)\n\n"
        "## Nazorg\n\n[![Terug naar het begin](foto.png)](#hoofdtekst)\n"
    )
    root = project({"content/main.md": text})
    Image.new("RGB", (1600, 1000), (20, 90, 160)).save(root / "content/foto.png")
    result = build(root)
    assert result.code == 0 and "link-text" not in result.output, result.output
    reader = PdfReader(root / "build/T-1.pdf")
    annots = [a.get_object() for p in reader.pages for a in p.get("/Annots", [])]
    web = [a for a in annots if a.get("/A", {}).get("/URI") == "https://example.org/poli"]
    assert web and web[0]["/Contents"] == "De ingang van de polikliniek, example.org/poli"
    assert any("/Dest" in a and a["/Contents"] == "Terug naar het begin" for a in annots)
    # In the structure tree, each link holds its figure.
    from pdfread import Node, structure, walk

    links = [e for e in walk(structure(reader)) if e.role == "Link"]
    holding = [k for link in links for k in link.kids if isinstance(k, Node) and k.role == "Figure"]
    assert len(holding) == 2


@pytest.mark.parametrize(
    ("table", "line", "words"),
    [
        ("| a | b | c |\n|---|---|\n| 1 | 2 | 3 |\n", 6, "is not one"),
        ("| a | b |\n|---|---|---|\n| 1 | 2 | 3 |\n", 6, "is not one"),
        ("| a | b | c |\n|---|---|---|\n| 1 | 2 |\n| 4 | 5 | 6 |\n", 8, "print empty"),
        ("| a | b |\n|---|---|\n| 1 | 2 | 3 |\n", 8, "left out"),
    ],
)
def test_a_table_that_is_not_quite_one_says_so(project, table, line, words) -> None:
    result = check(project({"content/main.md": f"---\ntitle: Hoofdtekst\n---\nIntro.\n\n{table}"}))
    assert any(d.line == line and words in d.message for d in result.diags), result.output
