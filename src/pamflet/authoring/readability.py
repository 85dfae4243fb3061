"""The plain-language report: words, sentences, long words, reading time and reading ease.

Reading ease is Flesch's formula for English and Douma's adaptation of it for Dutch (sources in
docs/readability.md):

    Flesch (en):        206.835 - 1.015 * words per sentence - 84.6 * syllables per word
    Flesch-Douma (nl):  206.84  - 0.93  * words per sentence - 77   * syllables per word

What counts, so that a hand count can follow it:
- the text a leaflet prints from its blocks and sections: paragraphs, list items, table cells,
  notes, contact text, card summaries; not headings, titles or the words pamflet adds itself;
- a sentence ends at `.`, `!`, `?` or `…` before a capital or a digit (`bijv.`, `e.g.`, `dr.`
  and the like do not end one); every paragraph, list item and table cell ends one;
- a word is a run of letters or digits, with `-`, `'`, `.`, `/` or `@` inside it (`e-mail`,
  `8.30`, `info@example.org` are one word each);
- syllables: pyphen splits the word where the language's hyphenation allows, and each part
  counts its vowel groups (`ë`, `ï` start a new one; English drops a silent final `e` or `ed`);
  a number, address or abbreviation counts as one syllable; a long word has 3 or more;
- reading time at 200 words a minute.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyphen

from pamflet import model as m
from pamflet.diagnostics import Location, Report
from pamflet.pipeline import Survey
from pamflet.resolve.preflight import walk

WORDS_PER_MINUTE = 200
LONG_WORD = 3  # syllables
MIN_WORDS_FOR_SCORE = 25  # below this a score says little: no warning for it
FORMULA = {"nl": "Flesch-Douma", "en": "Flesch"}
HYPHENATION = {"nl": "nl_NL", "en": "en_GB"}
ABBREVIATIONS = {
    "nl": {"bijv", "bv", "o.a", "d.w.z", "m.a.w", "z.o.z", "enz", "etc", "ca", "dr", "drs",
           "mr", "mw", "dhr", "mevr", "nr", "tel", "incl", "excl", "i.p.v", "t.o.v", "e.d",
           "a.u.b", "z.s.m", "vs", "jl", "st", "prof", "ing", "ir"},
    "en": {"e.g", "i.e", "etc", "dr", "mr", "mrs", "ms", "prof", "st", "no", "tel", "approx",
           "vs", "incl", "min", "max", "dept", "cf", "a.m", "p.m"},
}  # fmt: skip
WORD = re.compile(r"[^\W_](?:[\w'’./@:-]*[^\W_])?")
END = re.compile(r"([.!?…؟]+)[\"'”’»)]*\s+(?=[\"'“‘«(]?(\w))")  # the next word not in lower case
VOWELS = "aeiouyàáâäèéêëìíîïòóôöùúûü"


@dataclass(frozen=True)
class Sentence:
    text: str
    words: int
    loc: Location


@dataclass
class Figures:
    """The counts of one leaflet or block, and the score they give."""

    language: str
    words: int = 0
    sentences: int = 0
    syllables: int = 0
    long_words: int = 0
    longest: Sentence | None = None
    items: list[Sentence] = field(default_factory=list)

    def add(self, text: str, loc: Location, locate: Callable[[str, Location], Location]) -> None:
        for sentence in split_sentences(text, self.language):
            words = WORD.findall(sentence)
            if not words:
                continue
            counts = [syllables(w, self.language) for w in words]
            self.words += len(words)
            self.sentences += 1
            self.syllables += sum(counts)
            self.long_words += sum(c >= LONG_WORD for c in counts)
            item = Sentence(sentence, len(words), locate(sentence, loc))
            self.items.append(item)
            if self.longest is None or item.words > self.longest.words:
                self.longest = item

    @property
    def average(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def score(self) -> float | None:
        if not self.words or self.language not in FORMULA:  # no formula for this language
            return None
        per_word = self.syllables / self.words
        if self.language == "en":
            return 206.835 - 1.015 * self.average - 84.6 * per_word
        return 206.84 - 0.93 * self.average - 77 * per_word

    def as_dict(self) -> dict[str, Any]:
        score = self.score
        return {
            "language": self.language,
            "formula": FORMULA.get(self.language),  # None: no reading-ease formula
            "words": self.words,
            "sentences": self.sentences,
            "syllables": self.syllables,
            "average_sentence_words": round(self.average, 1),
            "longest_sentence_words": self.longest.words if self.longest else 0,
            "long_words_share": round(self.long_words / self.words, 3) if self.words else 0.0,
            "reading_minutes": round(self.words / WORDS_PER_MINUTE, 1),
            "reading_ease": round(score, 1) if score is not None else None,
        }


def split_sentences(text: str, language: str) -> list[str]:
    """Sentences of one paragraph; an abbreviation's full stop does not end one."""
    text = " ".join(text.split())
    out, start = [], 0
    for match in END.finditer(text):
        if match.group(2).islower():  # a full stop inside a sentence: 'bijv. een'
            continue
        before = text[start : match.start(1)].rsplit(" ", 1)[-1].lower()
        if match.group(1) == "." and (
            before in ABBREVIATIONS.get(language, set()) or re.fullmatch(r"[a-z]", before)
        ):
            continue
        out.append(text[start : match.end(1)].strip())
        start = match.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


@functools.cache
def _dictionary(language: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=HYPHENATION.get(language, "nl_NL"), left=1, right=1)


@functools.lru_cache(maxsize=65536)
def syllables(word: str, language: str) -> int:
    """Syllables of one word: pyphen's parts, each counted by its vowel groups."""
    lower = word.lower().strip("'’.")
    if not re.fullmatch(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", lower):
        return 1  # a number, an address, an abbreviation with full stops
    total = 0
    for part in re.split(r"[-'’]", lower):
        part = re.sub(f"y(?=[{VOWELS}])", "j", part)  # you, yes, yoga: y before a vowel
        for piece in _dictionary(language).inserted(part, hyphen="\0").split("\0"):
            groups = _vowel_groups(piece, language)
            if language == "en" and groups > 1:
                groups -= _silent_ending(piece)
            total += groups
    return max(1, total)


def _vowel_groups(text: str, language: str) -> int:
    """Runs of vowels; Dutch ë, ï, ü, ö and English i+a, i+o, u+a (radio, usually) split one."""
    groups, before = 0, ""
    for i, ch in enumerate(text):
        vowel = ch in VOWELS
        prev = text[i - 1] if i else " "
        if vowel and (prev not in VOWELS or (language == "nl" and ch in "ëïüö")):
            groups += 1
        elif vowel and language == "en" and prev + ch in ("ia", "io", "ua", "uo"):
            suffix = text[i + 1 : i + 2] == "n" and before in ("t", "s", "c", "x")  # -tion
            if not suffix and before not in ("q", "g") and not (before in "ct" and ch == "a"):
                groups += 1
        if vowel and prev not in VOWELS:
            before = prev
    return groups


def _silent_ending(piece: str) -> int:
    """English: a final e (some, create), ed (called) or es (stones) that adds no syllable."""
    if piece.endswith("le") and len(piece) > 2 and piece[-3] not in VOWELS:
        return 0  # people, able
    if piece.endswith("e") and not piece.endswith(("ee", "ye", "ie")):
        return 1
    if piece.endswith("ed") and not piece.endswith(("ted", "ded")):
        return 1
    if piece.endswith("es") and not piece.endswith(
        ("ses", "xes", "zes", "ches", "shes", "ges", "ces")
    ):
        return 1
    return 0


# ---- What a leaflet or block prints, where it was written ------------------------------------


def unit_texts(nodes: tuple[m.Node, ...], cards: bool = True) -> Iterator[tuple[str, Location]]:
    """Each paragraph-like text with its place: the units sentences are split from."""
    for node in walk(nodes):
        if isinstance(node, m.Para):
            yield plain(node.text), node.loc
        elif isinstance(node, m.TableBlock):
            for row in (*node.head, *node.rows):
                for cell in row:
                    yield plain(cell), node.loc
        elif isinstance(node, m.CardGrid) and cards:
            for card in node.cards:
                yield card.summary, card.locs.get("summary", card.loc)


def plain(inlines: tuple[m.Inline, ...]) -> str:
    out = []
    for item in inlines:
        if isinstance(item, m.Text):
            out.append(item.text)
        elif isinstance(item, m.Styled | m.Link | m.Span):
            out.append(plain(item.children))
        else:
            out.append(" ")
    return "".join(out)


class Locator:
    """Finds where a sentence starts in its file, from the line its paragraph starts on."""

    def __init__(self, read: Callable[[str], str]) -> None:
        self.read = read
        self.files: dict[str, list[str]] = {}

    def __call__(self, sentence: str, loc: Location) -> Location:
        if loc.path not in self.files:
            try:
                self.files[loc.path] = self.read(loc.path).split("\n")
            except Exception:  # a file that cannot be read again: the paragraph's line
                self.files[loc.path] = []
        lines = self.files[loc.path]
        words = WORD.findall(sentence)[:3]
        if not words:
            return loc
        pattern = re.compile(r"\W+".join(re.escape(w) for w in words[:2]))
        for i in range(max(loc.line - 1, 0), min(loc.line + 60, len(lines))):
            found = pattern.search(lines[i]) or (
                len(words) > 1 and re.search(rf"(?<!\w){re.escape(words[0])}\s*$", lines[i])
            )
            if found:
                return Location(loc.path, i + 1, found.start() + 1)
        return loc


def measure_docs(survey: Survey, read: Callable[[str], str] | None = None) -> dict[str, Figures]:
    locate = Locator(read or _reader(survey))
    out = {}
    for doc in survey.docs:
        figures = Figures(doc.language)
        for text, loc in unit_texts(doc.body):
            figures.add(text, loc, locate)
        out[doc.code] = figures
    return out


def measure_blocks(survey: Survey, read: Callable[[str], str] | None = None) -> dict[str, Figures]:
    """Each block as the first leaflet that shows it prints it (templates filled in)."""
    locate = Locator(read or _reader(survey))
    out: dict[str, Figures] = {}
    for doc in survey.docs:
        seen: dict[str, Figures] = {}
        for text, loc in unit_texts(doc.body, cards=False):
            block_id = loc.path.removeprefix("content/").removesuffix(".md")
            if not loc.path.startswith("content/") or block_id in out:
                continue
            seen.setdefault(block_id, Figures(doc.language)).add(text, loc, locate)
        out.update(seen)
    return dict(sorted(out.items()))


def _reader(survey: Survey) -> Callable[[str], str]:
    from pamflet.project import ProjectDir

    return ProjectDir(Path(survey.project.root)).read_text


def warn(
    survey: Survey, report: Report, leaflets: dict[str, Figures], blocks: dict[str, Figures]
) -> None:
    """Long sentences (at each one) and blocks reading below the floor (at the block)."""
    settings = survey.project.settings
    limit, floor = settings.max_sentence_words, settings.min_score
    for figures in (*leaflets.values(), *blocks.values()):  # a sentence in both: reported once
        for s in figures.items:
            if s.words > limit:
                start = " ".join(s.text.split()[:6])
                report.warning(
                    "long-sentence", f"a sentence of {s.words} words (more than {limit}): "
                    f"'{start} …'", s.loc, "split it into shorter sentences",
                )  # fmt: skip
    for block_id, figures in blocks.items():
        score = figures.score
        block = survey.project.blocks.get(block_id)
        big = figures.words >= MIN_WORDS_FOR_SCORE
        if block is not None and score is not None and big and score < floor:
            report.warning(
                "reading-ease",
                f"block '{block_id}' scores {score:.0f} on reading ease "
                f"({FORMULA.get(figures.language, 'Flesch')}), below {floor:g}",
                block.loc, "use shorter sentences and shorter, everyday words",
            )  # fmt: skip


def table(leaflets: dict[str, Figures], blocks: dict[str, Figures]) -> str:
    """The report as aligned columns, leaflets first, then blocks."""
    from pamflet.authoring.listing import table as columns

    head = ("", "words", "sentences", "average", "longest", "long words", "minutes", "ease")

    def row(name: str, f: Figures) -> tuple[str, ...]:
        d = f.as_dict()
        ease = "-" if d["reading_ease"] is None else f"{d['reading_ease']:.0f} {d['formula']}"
        return (
            name, str(d["words"]), str(d["sentences"]), f"{d['average_sentence_words']:.1f}",
            str(d["longest_sentence_words"]), f"{100 * d['long_words_share']:.0f}%",
            f"{d['reading_minutes']:.1f}", ease,
        )  # fmt: skip

    rows = [head, *(row(code, f) for code, f in leaflets.items())]
    rows += [("", "", "", "", "", "", "", ""), *(row(b, f) for b, f in blocks.items())]
    without = sorted({f.language for f in [*leaflets.values(), *blocks.values()]} - set(FORMULA))
    note = (
        f"no reading-ease formula for {', '.join(without)} (only nl and en have one): '-'\n"
        if without
        else ""
    )
    return "reading ease: higher is easier; 60-70 is plain language\n" + note + columns(rows)
