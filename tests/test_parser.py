"""load/parser.py's short ways give exactly the tokens markdown-it-py gives on its own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pamflet.load.parser import make_parser, parse, plain_children, simple_blocks

ROOT = Path(__file__).resolve().parent.parent
FAST, SLOW = make_parser(), make_parser(short_ways=False)


def shape(tokens: list[Any]) -> list[tuple[Any, ...]]:
    """Everything the converter can read of each token (a joined text's markup and info say
    which escape it started with, and are read by no one)."""
    return [
        (
            t.type, t.tag, t.nesting, t.level, t.content, t.map, dict(t.attrs), t.block,
            t.hidden, "" if t.type == "text" else t.markup, "" if t.type == "text" else t.info,
            dict(t.meta), shape(t.children) if t.children else t.children,
        )
        for t in tokens
    ]  # fmt: skip


def same(text: str) -> None:
    assert shape(parse(text)) == shape(SLOW.parse(text)), text


def texts() -> list[Path]:
    found = [*ROOT.glob("content/**/*.md"), *ROOT.glob("src/pamflet/authoring/starter/**/*.md")]
    assert len(found) > 20
    return sorted(found)


def test_every_text_of_the_example_and_starters() -> None:
    plain = simple = 0
    for path in texts():
        text = path.read_text(encoding="utf-8")
        same(text)
        plain += sum(
            1 for t in FAST.parse(text) if t.type == "inline" and plain_children(t.content, FAST)
        )
        simple += simple_blocks(text.split("---\n", 2)[-1]) is not None
    assert plain > 50 and simple > 10  # the short ways are taken, not only the long ones


@pytest.mark.parametrize(
    "text",
    [
        "Bel ons: 020-1234567 # ~ + = > @ ^ $ %",
        "een regel \nnog een\n\t  ingesprongen",
        "hard  \nbreak",
        "hard\\\nbreak",
        "escapes \\[38\\] \\* \\\\ \\a \\",
        "![foto](x.png) en [link](https://example.org/a b) en <https://example.org>",
        "[woord]{lang=en} en *nadruk* en `code` &amp; &copy;",
        "- punt een\n- punt twee -- met streepjes\n\n> [!WARNING]\n> Let op: niet eten.",
        "| a | b |\n|---|---|\n| 1 - 2 | 3 : 4 |",
        "Titel\n=====\n\n# Kop #\n\ntekst } en ] en ! alleen",
        "a \\* \nb",
        "[foo\nbar]: https://example.org/a\n\nZie [foo bar].",
        "```\ncode\n```\n\n~~~\nmeer\n~~~",
        "Kop\n===\n\nOnderkop\n---\n\n***\n\n___\n\n- - -",
        "    ingesprongen code\n\n1) een\n2) twee\n\n+ plus",
        "Zie [de website](https://example.org/lever?a=1&amp;b=2) of [bel ons](tel:+31201234567).",
        "[](https://e.org) en [ spatie ](https://e.org/%20x) \n[regel](u)\n  [ingesprongen](v) ",
        "\\[geen link](u) en \\\\[wel](u) en ![plaatje](p.png) en [a](u){lang=en}",
        '[a](u)[b](v) (haakjes) ] los [a] (u) [a](u "titel") [a](<u>) [a](u(b)) [a]() [a](u',
        "",
    ],
)
def test_the_cases_where_a_short_way_could_go_wrong(text: str) -> None:
    same(text)


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet="ab1 \t\n\\*_[]()!{}<>&`~#:-=.|^$%@+\u00e9\u00a0", max_size=40))
def test_any_text_of_markdown_characters(text: str) -> None:
    same(text)


LINES = [
    "tekst", "", "# kop", "Kop", "===", "---", "***", "- punt", "1. een", "> citaat",
    "> [!NOTE]", "| a | b |", "|---|---|", "```", "~~~", "    code", "[x]: https://e.org",
    "[x]", "*nadruk*", "  ingesprongen", "tekst \\", "a  ", "## kop ##", "# C# taal",
    "###### zes", "####### zeven", "#kop", "-  twee", "-     vijf", "-", "- ", "* ster", "+ plus",
    "**vet** begin", "_schuin_", "__init__", "10.5 mg", "2024 jaar", "1) een", "a | b",
    "- [a](https://e.org)", "[a](u) begin", "\t- tab", "-\ttab", "tekst  ", "!", "{lang=nl}",
]  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(LINES), max_size=10), st.sampled_from(["", "\n", "\n\n"]))
def test_any_text_of_markdown_lines(lines: list[str], end: str) -> None:
    same("\n".join(lines) + end)


PIECES = [
    "[a](https://e.org/x)", "[ b c ](u)", "[](u)", "[a](u?x=1&y=2)", "[a](u&amp;v)", "![a](p.png)",
    "\\[a](u)", "[a](u", "[a] (u)", "[a](u v)", "(", ")", "]", "[", "{lang=nl}", "tekst", " ",
    "  ", "\n", "\t", "!", "\\", "\\[", "*", "`", "<", "&",
]  # fmt: skip


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=10))
def test_any_text_with_links(pieces: list[str]) -> None:
    same("".join(pieces))


SIMPLE = [
    "tekst", "nog tekst", "", "# kop", "## kop", "- punt", "-  twee", "**vet** begin", "- -",
    "- - -", "- # kop", "- 1. een", "- > citaat", "---", "* ster", "+ plus", "1. een",
    "2. twee", "1) een", "10. tien", "* * *", "0. nul",
]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(SIMPLE), max_size=9), st.sampled_from(["", "\n", "\n\n"]))
def test_any_text_of_paragraphs_headings_and_lists(lines: list[str], end: str) -> None:
    """The texts the block short way takes, and those next to them it must leave (a loose
    list, a line continuing an item)."""
    same("\n".join(lines) + end)


@pytest.mark.parametrize(
    "text",
    [
        "- a\n\n- b",
        "- a\n- b\n\n- c\n",
        "- a\n\n\n- b\n\n",
        "- a\nvervolg",
        "- a\n\nna de lijst\n- nieuwe lijst",
        "Tekst:\n- a\n- b\n# Kop\n- c",
        "\n\n# Kop\n\n\nTekst\n\n",
        "- -\n- - -\n- # kop\n- > citaat\n- 1. een\n- * ster\n- ```\n- ---\n- |a|\n-    vier",
        "Tekst\n- - -\n* * *\n_ _ _\n- a\n---",
        "1. een\n2. twee\n\nna\n3) drie\n4) vier\n* a\n+ b\n- c\n10. tien",
        "Tekst\n2. twee\nTekst\n1. een\n\n0. nul\n01. een\n1.  twee\n1.     vijf",
    ],
)
def test_lists_where_the_block_short_way_must_agree_or_step_aside(text: str) -> None:
    same(text)


STARTS = [
    "", "- ", "-  ", "-     ", "* ", "+ ", "1. ", "2) ", "# ", "## ", "####### ", "> ", "    ",
    "  ", "\t", "---", "***", "===", "- - -", "| ", "```", "<", "[x]: ", "\\", "!", "**", "_",
    "[", "{", "10.", "- -", "- #", "- >", "- 1. ", "1) ", "3. ", "0. ", "01. ", "*  ", "+    ",
    "1.     ", "* * ",
]  # fmt: skip
WORDS = [
    "tekst", "a", "[link](https://e.org/x)", "*nadruk*", "`code`", "#", "-", "|", "&amp;", "<b>",
    "\\[1\\]", "é", " ", ":", "[w]{lang=en}", "![p](x.png)", "]:", ")",
]  # fmt: skip
LINE = st.builds(
    lambda start, words: start + " ".join(words),
    st.sampled_from(STARTS),
    st.lists(st.sampled_from(WORDS), max_size=4),
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.one_of(st.just(""), LINE), max_size=8), st.sampled_from(["", "\n"]))
def test_any_text_of_block_starts_and_inline_pieces(lines: list[str], end: str) -> None:
    same("\n".join(lines) + end)
