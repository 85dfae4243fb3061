"""Right-to-left leaflets: Arabic laid out right to left, joined, mirrored, and read back in
logical order by poppler and pdfium; Arabic words in a left-to-right leaflet."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import BASE, build, check, links, pdf
from test_accessibility import flat_outline, readers_agree, tagged

MM = 72 / 25.4
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
SENTENCE = "يستغرق العلاج عادة ساعة إلى ساعتين."
MIXED = "اتصل بنا على 073 553 20 00 أو زر www.example.org/rfa."

ARABIC = {
    "pamflet.yaml": "organisation: Jeroen Bosch Ziekenhuis\nlanguage: ar\ncountry: NL\n",
    "leaflets/test.yaml": (
        "code: RAD-027\n"
        "title: العلاج بالترددات الراديوية\n"
        "subtitle: علاج أورام الكبد بالحرارة\n"
        "revised: 2026-09-01\n"
        "url: https://www.example.org/rfa\n"
        "sections:\n"
        "  - content: main\n"
        "  - title: الفحوصات\n"
        f"    text: يقرر طبيبك الفحوصات التي تحتاجها. {MIXED}\n"
        "    cards: [onderzoeken/scan]\n"
        "  - contact: contacten/nurse\n"
    ),
    "content/main.md": (
        "---\ntitle: ما هو العلاج بالترددات الراديوية؟\nkind: treatment\n---\n"
        "في العلاج بالترددات الراديوية (RFA) يسخّن الطبيب الورم بإبرة رفيعة حتى تموت الخلايا "
        f"السرطانية. {SENTENCE}\n\n"
        "## قبل العلاج\n\n"
        "- لا تأكل ولا تشرب لمدة 6 ساعات قبل العلاج؛\n"
        "- أحضر قائمة أدويتك معك؛\n"
        "- اسأل [الممرضة](contacten/nurse.md) إذا كانت لديك أسئلة.\n\n"
        "يعمل الدكتور [Jansen]{lang=nl} في قسم **الأشعة** في مستشفى Jeroen Bosch.\n"
    ),
    "content/onderzoeken/scan.md": (
        "---\ntitle: التصوير المقطعي\nkind: examination\nsummary: صور مقطعية لجسمك بالأشعة "
        "السينية.\nurl: https://www.example.org/onderzoeken/ct-scan\n---\nنص الفحص.\n"
    ),
    "content/contacten/nurse.md": (
        "---\ntitle: جهة الاتصال\nkind: contact\nname: الممرضة المتخصصة\n"
        "phone: 073 553 20 00\nemail: nurse@example.org\n"
        "hours: من الاثنين إلى الجمعة، 8.30 حتى 16.30\n---\nاتصل بنا إذا كانت لديك أسئلة.\n"
    ),
}


def plain(text: str) -> str:
    """Extracted text as a reader compares it: NFKC (joined forms to letters), no bidi marks,
    spaces as one."""
    return " ".join(BIDI_MARKS.sub("", unicodedata.normalize("NFKC", text)).split())


def poppler(path: Path) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("poppler's pdftotext is not installed")
    return subprocess.run([tool, str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdfium_text(path: Path) -> str:
    document = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


@pytest.fixture
def arabic(project):
    files = {k: v for k, v in BASE.items() if not k.startswith(("content/", "leaflets/"))}
    return project({**{k: None for k in BASE if k.startswith(("content/", "leaflets/"))},
                    **files, **ARABIC})  # fmt: skip


@pytest.mark.parametrize("fmt", ["A4", "A5-booklet"])
def test_arabic_reads_back_in_logical_order_with_poppler_and_pdfium(project, fmt: str) -> None:
    files = dict(ARABIC)
    files["leaflets/test.yaml"] = files["leaflets/test.yaml"].replace(
        "revised:", f"format: {fmt}\nrevised:"
    )
    root = project({**{k: None for k in BASE}, **files})
    result = build(root)
    assert result.code == 0, result.output
    path = root / "build/RAD-027.pdf"
    for text in (plain(poppler(path)), plain(pdfium_text(path))):
        assert SENTENCE in text
        assert "العلاج بالترددات الراديوية" in text
        assert "www.example.org/rfa" in text  # an address keeps its own order
        assert "073 553 20 00" in text  # and a phone number its groups
    # poppler keeps a Dutch name's words in their order; pdfium reorders what it extracts
    # word by word (on the page they stand as written: see below)
    assert "Jeroen Bosch" in plain(poppler(path))
    readers_agree(path, tagged_pdf=True)


def test_numbers_addresses_and_names_stand_in_their_own_order(arabic) -> None:
    assert build(arabic).code == 0
    document = pdfium.PdfDocument(str(arabic / "build/RAD-027.pdf"))
    text = document[0].get_textpage()
    chars = [(text.get_text_range(i, 1), text.get_charbox(i)) for i in range(text.count_chars())]
    document.close()

    def x_of(word: str) -> list[float]:
        """The left edge of each glyph of `word`'s first occurrence on the page, by position."""
        for i in range(len(chars)):
            if "".join(c for c, _ in chars[i : i + len(word)]) == word:
                return [b[0] for _, b in chars[i : i + len(word)]]
        raise AssertionError(f"{word} not found")

    for word in ("073", "553", "example.org", "Jansen"):
        xs = x_of(word)
        assert xs == sorted(xs), word  # left to right within the word
    # and the groups of the phone number left to right on their line
    line = [(c, b) for c, b in chars if c.isdigit() and abs(b[1] - x_line(chars, "073")) < 1]
    digits = "".join(c for c, _ in sorted(line, key=lambda cb: cb[1][0]))
    assert digits.startswith("0735532000")


def x_line(chars: list, word: str) -> float:
    for i in range(len(chars)):
        if "".join(c for c, _ in chars[i : i + len(word)]) == word:
            return chars[i][1][1]
    raise AssertionError(word)


def test_arabic_lines_are_right_aligned_and_joined(arabic) -> None:
    assert build(arabic).code == 0
    path = arabic / "build/RAD-027.pdf"
    document = pdfium.PdfDocument(str(path))
    page = document[0]
    width, _ = page.get_size()
    text = page.get_textpage()
    rights, lefts = [], []
    for i in range(text.count_chars()):
        char = text.get_text_range(i, 1)
        if "\u0600" <= unicodedata.normalize("NFKC", char)[:1] <= "\u06ff":
            left, _, right, _ = text.get_charbox(i)
            rights.append(right)
            lefts.append(left)
    document.close()
    margin_right = width - 36 * MM  # the A4 layout's right margin
    assert max(rights) == pytest.approx(margin_right, abs=2)  # lines end at the right margin
    assert min(lefts) > 36 * MM - 2  # and never run past the left one
    raw = pdf(path).pages[0].extract_text()
    assert any("\ufe70" <= c <= "\ufeff" for c in raw)  # joined forms: the letters are shaped


def test_lists_tables_and_contacts_are_mirrored(arabic) -> None:
    assert build(arabic).code == 0
    document = pdfium.PdfDocument(str(arabic / "build/RAD-027.pdf"))
    text = document[0].get_textpage()

    def box(word: str) -> tuple[float, float, float, float]:
        found = text.search(word).get_next()
        assert found is not None, word
        first, count = found
        boxes = [text.get_charbox(i) for i in range(first, first + count)]
        return (min(b[0] for b in boxes), min(b[1] for b in boxes),
                max(b[2] for b in boxes), max(b[3] for b in boxes))  # fmt: skip

    def find(predicate) -> tuple[float, float, float, float]:
        for i in range(text.count_chars()):
            if predicate(text.get_text_range(i, 1)):
                return text.get_charbox(i)
        raise AssertionError("not found")

    bullet = find(lambda c: c == "•")
    item = box("6")
    assert bullet[0] > item[2]  # the bullet on the right of its item
    label = box("\u0627\u0644\u0647\u0627\u062a\u0641"[:1])  # first letter of the phone label
    number = box("073")
    assert label[0] > number[2]  # the label column right of the values
    document.close()


def test_arabic_labels_and_the_structure_say_it_is_arabic(arabic) -> None:
    assert build(arabic).code == 0
    path = arabic / "build/RAD-027.pdf"
    reader, _ = tagged(path)
    text = plain(poppler(path))
    tight = text.replace(" ", "")  # poppler's spaces beside a number in Arabic text vary
    assert "صفحة1من1" in tight and "هذهالنشرةعلىالإنترنت" in tight
    for dutch in ("Pagina", "Meer informatie", "Deze folder online", "Herzien"):
        assert dutch not in text
    assert reader.trailer["/Root"]["/Lang"] == "ar"
    # no /Direction /R2L in the viewer preferences: pdfium then extracts addresses backwards
    assert "/Direction" not in reader.trailer["/Root"]["/ViewerPreferences"]
    actual = [n.get("/ActualText") for n in walk(reader.trailer["/Root"]["/StructTreeRoot"])]
    assert any(a and SENTENCE in a for a in actual)  # screen readers get the sentence as written
    assert {item.title for item in flat_outline(reader.outline)} >= {"قبل العلاج", "الفحوصات"}
    uris = {link["uri"] for link in links(reader)}
    assert "tel:+31735532000" in uris and "https://www.example.org/rfa" in uris


def walk(node) -> list:
    out = []
    node = node.get_object()
    if hasattr(node, "get") and node.get("/Type") in (None, "/StructElem", "/StructTreeRoot"):
        out.append(node)
        kids = node.get("/K")
        if kids is not None:
            kids = kids.get_object()
            for kid in kids if isinstance(kids, list) else [kids]:
                kid = kid.get_object() if hasattr(kid, "get_object") else kid
                if hasattr(kid, "get"):
                    out += walk(kid)
    return out


def test_a_passage_in_another_language_gets_its_lang(arabic) -> None:
    assert build(arabic).code == 0
    reader, _ = tagged(arabic / "build/RAD-027.pdf")
    spans = [n for n in walk(reader.trailer["/Root"]["/StructTreeRoot"]) if n.get("/S") == "/Span"]
    assert any(n.get("/Lang") == "nl" for n in spans)


def test_arabic_words_in_a_dutch_leaflet_print_in_the_bundled_font(project) -> None:
    main = BASE["content/main.md"] + "\nIn het Arabisch heet dit العلاج بالترددات الراديوية.\n"
    root = project({"content/main.md": main})
    result = check(root)
    assert result.code == 0 and not [d for d in result.diags if "cannot print" in d.message]
    assert build(root).code == 0
    text = plain(poppler(root / "build/T-1.pdf"))
    assert "In het Arabisch heet dit العلاج بالترددات الراديوية." in text
    readers_agree(root / "build/T-1.pdf", tagged_pdf=True)


def test_a_glyph_the_font_lacks_is_one_error_per_text(project) -> None:
    main = BASE["content/main.md"] + "\n中文的病人信息。\n"
    result = check(project({"content/main.md": main}))
    errors = [d for d in result.diags if "cannot print" in d.message]
    assert len(errors) == 1 and "more" in errors[0].message


def test_an_arabic_booklet_is_bound_on_the_right(project) -> None:
    files = dict(ARABIC)
    files["leaflets/test.yaml"] = files["leaflets/test.yaml"].replace(
        "revised:", "format: A5-booklet\nrevised:"
    )
    root = project({**{k: None for k in BASE}, **files})
    assert build(root).code == 0
    sheet = pdf(root / "build/RAD-027-print.pdf").pages[0]
    content = sheet.get_contents().get_data().decode()
    placed = re.findall(r"1 0 0 1 ([-\d.]+) [-\d.]+ cm /P(\d+) Do", content)
    middle = float(sheet.mediabox.width) / 2
    where = {int(page): float(x) for x, page in placed}
    assert where[1] < middle  # the cover on the left half: folded, the spine is on the right
    assert max(where.values()) >= middle - 1  # the back cover beside it, on the right
