"""Document control: approval and its staleness, the publishing policy, drafts, the colophon,
the archive of releases, list --versions / --on, diff and the review copy."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from conftest import BASE, build, check, links, pdf, run, text_of
from test_accessibility import flat_outline, readers_agree, tagged, tree_text

APPROVED = (
    "version: 1\n"
    'approved: {by: "Dr. Test, internist", on: 2026-01-02}\n'
    "reviewed_by: [Verpleegkundige Test]\n"
    "sources:\n"
    "  - {title: Richtlijn Testen, author: Federatie Testers, year: 2024, url: https://example.org/richtlijn}\n"
    "feedback: contacten/nurse\n"
    "review: 2099-01-01\n"
)
LEAFLET = BASE["leaflets/test.yaml"]
APPROVAL_LINE = 6  # 'approved:' in the leaflet below


def controlled(extra: str = APPROVED) -> str:
    head, _, rest = LEAFLET.partition("sections:\n")
    return head + extra + "sections:\n" + rest


def settle(root: Path, when: float | None = None) -> None:
    """Every file of the project last changed at `when` (default: a minute ago), the leaflet a
    second later: as if the approval was written after the text."""
    when = when or time.time() - 60
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (when, when))
    for path in (root / "leaflets").glob("*.yaml"):
        os.utime(path, (when + 1, when + 1))


def touch_edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    later = time.time() + 5  # certainly after the leaflet file
    os.utime(path, (later, later))


def pink(path: Path, page: int = 0) -> int:
    """Pixels of the draft mark's tint on a page, rendered by pdfium."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    image = document[page].render(scale=0.4).to_pil().convert("RGB")
    document.close()
    colours = image.getcolors(maxcolors=1 << 24) or []
    return sum(n for n, (r, g, b) in colours if r > 230 and r - g > 15 and abs(g - b) < 12)


@pytest.fixture
def approved(project):
    root = project({"leaflets/test.yaml": controlled()})
    settle(root)
    return root


def test_an_unapproved_leaflet_is_marked_draft_on_every_page_but_not_in_its_text(project) -> None:
    long = "\n\n".join(f"Alinea {i} over testen en nog eens testen." for i in range(80))
    root = project({"content/main.md": BASE["content/main.md"] + long})
    assert build(root).code == 0
    path = root / "build/T-1.pdf"
    reader = pdf(path)
    assert len(reader.pages) >= 2
    for index in range(len(reader.pages)):
        assert pink(path, index) > 500, f"no draft mark on page {index + 1}"
    assert "CONCEPT" not in text_of(reader).upper()
    reader, tree = tagged(path)
    assert "CONCEPT" not in tree_text(reader, tree).upper()
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
    assert done.returncode == 0 and "CONCEPT" not in done.stdout.upper()
    readers_agree(path, tagged_pdf=True)


def test_an_approved_leaflet_has_no_draft_mark_and_a_layout_can_turn_it_off(
    approved, project
) -> None:
    assert build(approved).code == 0
    assert pink(approved / "build/T-1.pdf") == 0
    root = project({"layouts/default/layout.yaml": "draft_mark: false\n"})
    assert build(root).code == 0
    assert pink(root / "build/T-1.pdf") == 0


def test_the_colophon_lists_version_approval_sources_feedback_and_review(approved) -> None:
    assert build(approved).code == 0
    reader = pdf(approved / "build/T-1.pdf")
    last = reader.pages[-1].extract_text()
    for words in ("Over deze folder", "Versie 1, 1 januari 2026", "Goedgekeurd door Dr. Test",
                  "2 januari 2026", "Verpleegkundige Test", "Bronnen", "Richtlijn Testen",
                  "Federatie Testers, 2024", "Heeft u een opmerking over deze folder?",
                  "Zuster Test", "1 januari 2099"):  # fmt: skip
        assert words in " ".join(last.split()), words
    uris = {link["uri"] for link in links(reader) if link.get("uri")}
    assert "https://example.org/richtlijn" in uris
    assert "mailto:nurse@example.org" in uris
    assert any(u.startswith("tel:+31735532000") for u in uris)
    top, sections = reader.outline[0], reader.outline[1]
    assert top.title == "Testfolder"
    assert "Over deze folder" in [item.title for item in sections if not isinstance(item, list)]


def test_the_colophon_speaks_english_and_follows_the_layout(project) -> None:
    leaflet = controlled().replace("revised:", "language: en\nrevised:")
    root = project({
        "leaflets/test.yaml": leaflet,
        "layouts/default/layout.yaml": "colophon: [version, sources]\n",
    })  # fmt: skip
    assert build(root).code == 0
    text = " ".join(text_of(pdf(root / "build/T-1.pdf")).split())
    assert "About this leaflet" in text and "Version 1, 1 January 2026" in text
    assert "Sources" in text and "Richtlijn Testen" in text
    assert "Approved by" not in text and "comment on this leaflet" not in text


def test_a_booklet_prints_the_colophon_on_its_back_cover_when_it_fits(project) -> None:
    leaflet = controlled().replace("revised:", "format: A5-booklet\nrevised:")
    root = project({"leaflets/test.yaml": leaflet})
    assert build(root).code == 0
    reader = pdf(root / "build/T-1.pdf")
    assert len(reader.pages) % 4 == 0
    back = " ".join(reader.pages[-1].extract_text().split())
    assert "Zuster Test" in back and "Over deze folder" in back and "Richtlijn Testen" in back
    assert back.index("Zuster Test") < back.index("Over deze folder")
    inner = " ".join(" ".join(p.extract_text() for p in reader.pages[:-1]).split())
    assert "Over deze folder" not in inner
    marks = {item.title: reader.get_destination_page_number(item)
             for item in flat_outline(reader.outline)}  # fmt: skip
    assert marks["Over deze folder"] == len(reader.pages) - 1  # its bookmark: the back cover
    readers_agree(root / "build/T-1.pdf", tagged_pdf=True)


def test_a_colophon_too_long_for_the_back_cover_ends_the_inner_pages(project) -> None:
    many = "".join(
        f"  - {{title: Bron nummer {i} met een lange titel over testen, author: Testers, "
        f"year: 2024, url: https://example.org/bron/{i}}}\n"
        for i in range(30)
    )
    extra = APPROVED.replace("sources:\n", "sources:\n" + many)
    leaflet = controlled(extra).replace("revised:", "format: A5-booklet\nrevised:")
    root = project({"leaflets/test.yaml": leaflet})
    assert build(root).code == 0
    reader = pdf(root / "build/T-1.pdf")
    assert len(reader.pages) % 4 == 0
    back = " ".join(reader.pages[-1].extract_text().split())
    assert "Zuster Test" in back and "Over deze folder" not in back
    inner = " ".join(" ".join(p.extract_text() for p in reader.pages[1:-1]).split())
    assert "Over deze folder" in inner and "Bron nummer 29" in inner


def test_feedback_must_be_a_contact_an_email_or_a_web_address(project) -> None:
    for value, fragment in (("contacten/nobody", "there is no block"),
                            ("iemand@", "not an e-mail address")):  # fmt: skip
        leaflet = controlled().replace("feedback: contacten/nurse", f"feedback: {value}")
        result = check(project({"leaflets/test.yaml": leaflet}))
        assert result.code == 1
        result.has("leaflets/test.yaml", 10, fragment)
    for value in ("klachten@example.org", "https://example.org/klacht"):
        leaflet = controlled().replace("feedback: contacten/nurse", f"feedback: {value}")
        root = project({"leaflets/test.yaml": leaflet})
        assert check(root).code == 0


def test_the_publishing_policy_reports_each_missing_field_at_the_leaflet(project) -> None:
    root = project({
        "pamflet.yaml": BASE["pamflet.yaml"] + "publishing:\n  require: [approved, sources, feedback, review]\n",
        "leaflets/test.yaml": controlled("version: 2\n"),
    })  # fmt: skip
    assert check(root).code == 0  # the policy is for releases
    result = run(root, "release")
    assert result.code == 1
    for field in ("approved", "sources", "feedback", "review"):
        diag = result.has("leaflets/test.yaml", 1, f"requires '{field}'")
        assert diag.col == 1
    assert not (root / "archive").exists()
    # build --release refuses too, and marks nothing
    assert run(root, "build", "--release").code == 1
    assert not (root / "build/T-1.pdf").exists()


def test_release_needs_an_approval_and_a_version(project) -> None:
    root = project()
    result = run(root, "release")
    assert result.code == 1
    result.has("leaflets/test.yaml", 1, "a release needs 'approved'")
    result.has("leaflets/test.yaml", 1, "a release needs 'version'")


def test_release_archives_the_files_with_a_record(approved) -> None:
    result = run(approved, "release")
    assert result.code == 0, result.output
    folder = approved / "archive/T-1"
    archived = folder / "T-1-v1.pdf"
    assert archived.read_bytes() == (approved / "build/T-1.pdf").read_bytes()
    assert pink(archived) == 0
    readers_agree(archived, tagged_pdf=True)
    record = json.loads((folder / "T-1-v1.json").read_text())
    assert record["version"] == 1 and record["code"] == "T-1"
    assert record["approved"] == {"by": "Dr. Test, internist", "on": "2026-01-02"}
    assert record["released"] == dt.date.today().isoformat()
    assert record["files"] == {"T-1-v1.pdf": hashlib.sha256(archived.read_bytes()).hexdigest()}
    blob = subprocess.run(["git", "hash-object", str(approved / "content/main.md")],
                          capture_output=True, text=True).stdout.strip()  # fmt: skip
    if blob:
        assert record["blocks"]["main"] == blob
        assert record["reads"]["content/main.md"] == blob
    text = dict(record["text"])
    assert "Sentinel alpha" in text["Hoofdtekst"]
    assert "073 553 20 00" in text["Uw contactpersoon"]
    listed = run(approved, "list", "--versions", "t-1")
    assert listed.code == 0 and "v1" in listed.stdout and "Dr. Test" in listed.stdout


def test_an_archived_version_is_never_overwritten(approved) -> None:
    assert run(approved, "release").code == 0
    before = (approved / "archive/T-1/T-1-v1.pdf").read_bytes()
    again = run(approved, "release")  # the same bytes: nothing to do
    assert again.code == 0 and "archived already" in again.stdout
    touch_edit(approved / "content/main.md", "Sentinel alpha", "Sentinel alpha prime")
    leaflet = approved / "leaflets/test.yaml"
    touch_edit(leaflet, "on: 2026-01-02", "on: 2026-01-05")  # approved again, same version
    result = run(approved, "release")
    assert result.code == 1
    diag = result.has("leaflets/test.yaml", 5, "archived already, with other contents")
    assert "raise 'version' to 2" in diag.message
    assert (approved / "archive/T-1/T-1-v1.pdf").read_bytes() == before
    touch_edit(leaflet, "version: 1", "version: 2")
    assert run(approved, "release").code == 0
    assert sorted(p.name for p in (approved / "archive/T-1").iterdir()) == [
        "T-1-v1.json", "T-1-v1.pdf", "T-1-v2.json", "T-1-v2.pdf",
    ]  # fmt: skip


def test_an_edit_of_a_shared_block_makes_the_approval_stale(approved) -> None:
    assert check(approved).code == 0
    touch_edit(approved / "content/contacten/nurse.md", "073 553 20 00", "073 553 20 99")
    result = check(approved)
    assert result.code == 0
    diag = result.has(
        "leaflets/test.yaml", APPROVAL_LINE, "approval of 2026-01-02 is stale", "warning"
    )
    assert "content/contacten/nurse.md" in diag.message
    assert check(approved, "--strict").code == 1
    assert check(approved, "--strict", "--allow", "approval-stale").code == 0
    assert build(approved).code == 0
    assert pink(approved / "build/T-1.pdf") > 500  # a stale approval is a draft again
    result = run(approved, "release")
    assert result.code == 1
    result.has("leaflets/test.yaml", APPROVAL_LINE, "is stale")


def test_after_a_release_an_edit_on_the_same_day_is_caught_by_its_blob_id(approved) -> None:
    assert run(approved, "release").code == 0
    path = approved / "content/main.md"
    path.write_text(path.read_text().replace("bravo", "bravissimo"))  # seconds later, same day
    later = time.time() + 3
    os.utime(path, (later, later))
    result = check(approved)
    diag = result.has("leaflets/test.yaml", APPROVAL_LINE, "is stale", "warning")
    assert "after version 1 was released" in diag.message
    # a file rewritten with the same bytes changes nothing
    path.write_text(path.read_text().replace("bravissimo", "bravo"))
    os.utime(path, (later + 1, later + 1))
    assert "stale" not in check(approved).stdout


def test_list_on_names_the_version_current_that_day(approved) -> None:
    assert run(approved, "release").code == 0
    touch_edit(approved / "content/main.md", "Sentinel alpha", "Sentinel omega")
    touch_edit(approved / "leaflets/test.yaml", "version: 1", "version: 2")
    assert run(approved, "release").code == 0
    folder = approved / "archive/T-1"
    for version, day in ((1, "2026-03-01"), (2, "2026-03-05")):  # as if released on those days
        record = folder / f"T-1-v{version}.json"
        data = json.loads(record.read_text())
        data["released"] = day
        record.write_text(json.dumps(data))
    on = run(approved, "list", "--on", "2026-03-03", "T-1")
    assert on.code == 0 and "T-1 v1" in on.stdout
    assert "T-1 v2" in run(approved, "list", "--on", "2026-03-05", "T-1").stdout
    as_json = json.loads(
        run(approved, "list", "--on", "2026-04-01", "T-1", "--format", "json").stdout
    )
    assert [row["version"] for row in as_json] == [2]
    before = run(approved, "list", "--on", "2026-02-01", "T-1")
    assert before.code == 2 and "no released version on 2026-02-01" in before.stderr


def test_diff_shows_edits_in_a_block_a_template_and_a_contact(project) -> None:
    main = BASE["content/main.md"].replace(
        "Sentinel bravo after care.", 'Bel ons op {{ contacts["contacten/nurse"].phone }}.'
    )
    root = project({"leaflets/test.yaml": controlled(), "content/main.md": main})
    settle(root)
    assert run(root, "release").code == 0
    assert "none" in run(root, "diff", "T-1").stdout
    touch_edit(root / "content/main.md", "Sentinel alpha in", "Sentinel alpha staat in")
    touch_edit(root / "content/main.md", "Bel ons op", "Bel ons gerust op")
    touch_edit(root / "content/contacten/nurse.md", "073 553 20 00", "073 553 20 11")
    result = run(root, "diff", "T-1")
    assert result.code == 0
    out = result.stdout
    assert "## Hoofdtekst" in out and "{+staat+}" in out and "{+gerust+}" in out
    assert "[-00.-] {+11.+}" in out  # the phone number a template prints
    assert "## Uw contactpersoon" in out and "[-00-] {+11+}" in out
    assert "## Onderzoeken" not in out  # unchanged sections are left out


def test_diff_against_a_git_revision(project) -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    root = project()
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}  # fmt: skip
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "first"]):
        subprocess.run([git, *args], cwd=root, env=env, check=True)
    touch_edit(root / "content/main.md", "Sentinel bravo", "Sentinel echo")
    result = run(root, "diff", "T-1", "--git", "HEAD")
    assert result.code == 0 and "[-bravo-] {+echo+}" in result.stdout
    unknown = run(root, "diff", "T-1", "--git", "no-such-rev")
    assert unknown.code == 2 and "no-such-rev" in unknown.stderr


def test_the_review_copy_marks_changes_and_reads_cleanly(approved) -> None:
    assert run(approved, "release").code == 0
    touch_edit(
        approved / "content/main.md", "Sentinel bravo after care.", "Sentinel foxtrot <b>&amp;</b>."
    )
    result = run(approved, "diff", "T-1", "--pdf")
    assert result.code == 0
    path = approved / "build/T-1-review.pdf"
    readers_agree(path, tagged_pdf=True)
    reader = pdf(path)
    text = " ".join(text_of(reader).split())
    assert "Controle-exemplaar, niet voor patiënten" in text
    assert "foxtrot <b>&</b>" in text and "bravo" in text  # shown literally, old and new
    assert "niet voor patiënten" in reader.metadata.title
    for page in reader.pages:
        assert "niet voor patiënten" in page.extract_text()
    # The leaflet itself, in its layout: its cards with their links, its contact, its size.
    leaflet = pdf(approved / "build/T-1.pdf")
    assert reader.pages[0].mediabox == leaflet.pages[0].mediabox
    assert "Sentinel charlie summary." in text and "Zuster Test" in text
    assert {link["uri"] for link in links(reader)} >= {link["uri"] for link in links(leaflet)}
    # Inserted words in green and removed ones in red, each drawn with a line.
    content = b"".join(page.get_contents().get_data() for page in reader.pages)
    assert b".078431 .423529 .180392 rg" in content  # #146c2e
    assert b".701961 .14902 .117647 rg" in content  # #b3261e


def test_the_review_copy_strikes_removed_paragraphs_where_they_stood(approved) -> None:
    assert run(approved, "release").code == 0
    main = approved / "content/main.md"
    touch_edit(main, "Sentinel alpha in the main text.\n", "Sentinel golf in the main text.\n")
    touch_edit(main, "## Nazorg\n\nSentinel bravo after care.\n", "## Nazorg\n")
    touch_edit(main, "## Nazorg\n", "Sentinel hotel, a new paragraph.\n\n## Nazorg\n")
    assert run(approved, "diff", "T-1", "--pdf").code == 0
    reader = pdf(approved / "build/T-1-review.pdf")
    lines = [line.strip() for page in reader.pages for line in page.extract_text().splitlines()]
    assert "Sentinel alpha golf in the main text." in lines  # one word out, one in
    hotel = lines.index("Sentinel hotel, a new paragraph.")
    assert lines.index("Hoofdtekst") < hotel < lines.index("Nazorg")
    assert lines[lines.index("Nazorg") + 1] == "Sentinel bravo after care."  # struck, in place


def test_diff_without_an_archive_says_what_to_do(project) -> None:
    result = run(project(), "diff", "T-1")
    assert result.code == 2 and "release it first" in result.stderr


def test_the_fields_are_checked_where_they_are_written(project) -> None:
    bad = controlled().replace("version: 1", "version: 1.5").replace("year: 2024", "year: twenty")
    bad = bad.replace("on: 2026-01-02", "on: someday")
    result = check(project({"leaflets/test.yaml": bad}))
    assert result.code == 1
    result.has("leaflets/test.yaml", 5, "not a whole number")
    result.has("leaflets/test.yaml", 6, "someday")
    result.has("leaflets/test.yaml", 9, "not a whole number")
    block = "---\ntitle: Hoofdtekst\nsources:\n  - {author: Niemand}\n---\nTekst.\n"
    result = check(project({"content/main.md": block}))
    result.has("content/main.md", 4, "no 'title'")
