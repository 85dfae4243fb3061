"""Mutation fuzzer for the loader, the resolver, the renderer and the finish stage.

Not part of CI: run `python fuzz/run.py --seconds 60`. Each run changes the example project in
one of four ways and runs check and, when the project is clean, render + finish of every
leaflet, all in-process:

- text: inserts Markdown, YAML and Jinja2 fragments and odd Unicode, deletes and duplicates
  spans of a leaflet or block file;
- markdown: appends generated structure to a block: lists and quotes nested 0-12 deep,
  emphasis and links inside each other, tables of 1-40 columns with ragged and empty rows;
- page: a generated header and footer template in the layout (page branches, filters,
  long lines, line breaks, characters the font lacks);
- image: an image beside a block, whole or with its bytes cut, flipped or replaced;
- records: the build folder's manifest and check cache, as a hostile file: fields replaced with
  other types, names leading outside the project or to devices, front matter planted; then a
  build. A file outside the project that changes, or a planted text in a PDF, is a finding;
- builder: a template that grows strings and lists by every operation there is (formats,
  repeats, replace, join, concatenation, set blocks, list methods, sums) at random sizes.
  A run whose memory grows by more than --memory MB is a finding.

Any exception that escapes pamflet, and any run slower than --slow seconds, is a finding: the
input is saved in fuzz/crashes/ and should become a regression test.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
import traceback
from pathlib import Path

from pamflet.diagnostics import Report
from pamflet.pipeline import Options, build, check, make

PLANTED = "Planted0800"  # a text that is only in a forged record: it must never be printed
BUILDERS = [
    '{{ "{:{}}".format(1, "%d") }}', '{{ "%%%dd" %% 1 }}', '{{ "x" * %d }}', '{{ "x"|center(%d) }}',
    '{%% set s = "x" * %d %%}{{ s.replace("x", s) }}', '{%% set l = ["y"] * %d %%}{{ l|join }}',
    '{%% set s = "ab" * %d %%}{%% for i in range(20) %%}{%% set s = s ~ s %%}{%% endfor %%}{{ s|length }}',
    '{%% set l = [1] * %d %%}{%% for i in range(30) %%}{%% set _ = l.extend(l) %%}{%% endfor %%}',
    '{%% set x %%}{%% for i in range(%d) %%}{{ "z" * 100000 }}{%% endfor %%}{%% endset %%}{{ x|length }}',
    '{{ ([[1] * 100] * %d)|sum(start=[])|length }}', '{{ "ab"|batch(%d, "c")|list|length }}',
    '{{ "%%.*f" %% (%d, 1.5) }}', '{{ "abc".translate({97: "q" * %d}) }}',
]  # fmt: skip


def record_forgery(data: object, rng: random.Random, depth: int = 0) -> object:
    """The record with one value replaced somewhere inside it."""
    odd = [None, 5, -1, 1e300, "", "../../outside.txt", "/dev/zero", "/etc/passwd", [], {},
           "x" * 70, "0" * 64, {"values": {"phone": PLANTED, "title": PLANTED}}, [PLANTED]]  # fmt: skip
    if isinstance(data, dict) and data and depth < 6 and rng.random() < 0.8:
        key = rng.choice(sorted(data, key=str))
        if rng.random() < 0.2:
            data[rng.choice(["../x", "/abs", "a/b", "fronts", PLANTED])] = rng.choice(odd)
        else:
            data[key] = record_forgery(data[key], rng, depth + 1)
        return data
    if isinstance(data, list) and data and depth < 6 and rng.random() < 0.8:
        i = rng.randrange(len(data))
        data[i] = record_forgery(data[i], rng, depth + 1)
        return data
    return rng.choice(odd)


ROOT = Path(__file__).resolve().parent.parent
FRAGMENTS = [
    "**", "*", "_", "`", "[", "](", ")", "](#", "](../", ".md", "#", "\n# ", "\n## ", "\n- ",
    "\n1. ", "\n> ", "\n```\n", "\n---\n", "|", "\n|---|---|\n", "![", "<", ">", "&", "&amp;",
    "{{", "}}", "{%", "%}", "{{ leaflet.code }}", "{{ contacts }}", ": ", "\n  - ", "- ", "'", '"',
    "\t", "\\", "\u200b", "\u202e", "\u00ad", "≥", "µg", "☃", "\U0001f600", "\ufeff", "\r\n",
    "https://", "mailto:", "tel:", "javascript:", "www.", "0", "10:30", "no", "&a ", "*a", "!!str ",
    "\n" * 3, " " * 5, "x" * 300,
]  # fmt: skip


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 6)):
        pos = rng.randint(0, len(text))
        choice = rng.random()
        if choice < 0.6:
            text = text[:pos] + rng.choice(FRAGMENTS) + text[pos:]
        elif choice < 0.8:
            text = text[:pos] + text[pos + rng.randint(1, 20) :]
        else:
            end = min(len(text), pos + rng.randint(1, 80))
            text = text[:end] + text[pos:end] + text[end:]
    return text


def inline(rng: random.Random, depth: int = 0) -> str:
    """A run of inline Markdown: text, emphasis, code, links, inside each other."""
    kind = rng.random()
    if depth > 6 or kind < 0.4:
        return rng.choice(
            ["woord", "lange alvleesklierkanker", "10 mg", "073 553 20 00", "≥ 5", ""]
        )
    inner = inline(rng, depth + 1)
    return rng.choice([
        f"**{inner}**", f"*{inner}*", f"`{inner}`", f"[{inner}](#nazorg)",
        f"[{inner}](https://example.org/{inner[:5]})", f"[{inner}](tel:0735532000)",
        f"{inner} {inline(rng, depth + 1)}",
    ])  # fmt: skip


def structure(rng: random.Random) -> str:
    """Generated Markdown structure: nesting, inline containers, table shapes."""
    kind = rng.random()
    if kind < 0.35:  # lists and quotes nested inside each other
        lines, indent = [], ""
        for level in range(rng.randint(1, 12)):
            mark = rng.choice(["- ", "1. ", "> "])
            lines.append(f"{indent}{mark}{inline(rng)} n{level}")
            indent += "   " if mark != "> " else "> "
        return "\n".join(lines) + "\n\nparagraph after"
    if kind < 0.7:  # tables of every shape
        columns = rng.choice([1, 2, 3, 5, 8, 13, 21, 26, 36, 40])
        rows = [
            "|" + "|".join(inline(rng) for _ in range(rng.randint(0, columns + 2))) + "|"
            for _ in range(rng.randint(0, 6))
        ]
        head = "|" + "|".join(f"k{i}" for i in range(columns)) + "|"
        return "\n".join([head, "|" + "---|" * columns, *rows])
    return "\n\n".join(inline(rng) for _ in range(rng.randint(1, 5)))


PAGE_PARTS = [
    "{{ organisation }}", "{{ leaflet.code }}", "{{ leaflet.title }}", "{{ page }}", "{{ pages }}",
    "{% if page > 1 %}", "{% endif %}", "{% if page == pages %}", "{{ leaflet.nope }}",
    "{{ contacts }}", "\\n", " · ", "☃", "中", "≥", "x" * 120, "{{ 'x'|center(50) }}",
    "{{ leaflet.title|upper }}", "{{ '%5d' % page }}",
]  # fmt: skip


def page_template(rng: random.Random) -> str:
    parts = [rng.choice(PAGE_PARTS) for _ in range(rng.randint(0, 8))]
    return "".join(parts).replace('"', "'")


def image_bytes(rng: random.Random) -> bytes:
    """A real PNG or JPEG, whole or damaged."""
    import io

    from PIL import Image

    image = Image.new("RGB", (rng.randint(1, 400), rng.randint(1, 400)), (200, 30, 30))
    out = io.BytesIO()
    image.save(out, rng.choice(["PNG", "JPEG"]))
    data = bytearray(out.getvalue())
    damage = rng.random()
    if damage < 0.25:
        data = data[: rng.randint(0, len(data))]
    elif damage < 0.5:
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif damage < 0.6:
        data = bytearray(rng.randbytes(rng.randint(0, 2000)))
    return bytes(data)


STATS: dict[str, int] = {}  # runs per kind, and how many were clean enough to render


def change(workdir: Path, rng: random.Random) -> tuple[Path, str, dict[Path, bytes | None]]:
    """Change the project one way; return the main file, its new text, and what to restore."""
    blocks = sorted((workdir / "content").rglob("*.md"))
    kind = rng.choice(["text", "text", "markdown", "page", "image", "records", "builder"])
    STATS[kind] = STATS.get(kind, 0) + 1
    if kind == "records":
        import json

        target = workdir / "build" / rng.choice([".pamflet-manifest.json", ".pamflet-check.json"])
        old = target.read_bytes()
        data = record_forgery(json.loads(old), rng)
        return target, json.dumps(data), {target: old}
    if kind == "builder":
        target = rng.choice(blocks)
        size = rng.choice([1, 10, 999, 10_000, 10**6, 10**9])
        return (
            target,
            target.read_text(encoding="utf-8") + "\n\n" + rng.choice(BUILDERS) % size + "\n",
            {target: target.read_bytes()},
        )
    if kind == "page":
        target = workdir / "layouts/default/layout.yaml"
        text = target.read_text(encoding="utf-8")
        for key in ("header", "footer"):
            if rng.random() < 0.7:
                text += f'{key}: "{page_template(rng)}"\n'
        return target, text, {target: target.read_bytes()}
    if kind == "text":
        files = sorted(p for p in workdir.rglob("*") if p.suffix in (".md", ".yaml"))
        target = rng.choice(files)
        return (
            target,
            mutate(target.read_text(encoding="utf-8"), rng),
            {target: target.read_bytes()},
        )
    target = rng.choice(blocks)
    text = target.read_text(encoding="utf-8")
    if kind == "markdown":
        return target, f"{text}\n\n{structure(rng)}\n", {target: target.read_bytes()}
    image = target.parent / "fuzz.png"
    image.write_bytes(image_bytes(rng))
    return (
        target,
        f"{text}\n\n![Een plaatje](fuzz.png)\n",
        {target: target.read_bytes(), image: None},
    )


def memory_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one(
    workdir: Path, rng: random.Random, slow: float, memory: float
) -> tuple[str, str, str] | None:
    """Change the project, run the pipeline; return (file, its text, what went wrong)."""
    target, text, restore = change(workdir, rng)
    target.write_text(text, encoding="utf-8")
    canary = workdir.parent / "outside.txt"
    started, peak = time.monotonic(), memory_mb()
    try:
        report = Report()
        if target.parent.name == "build":  # a forged record: a whole build reads it
            build(workdir, (), None, report)
            for pdf in (workdir / "build").glob("*.pdf"):
                if PLANTED.encode() in pdf.read_bytes():
                    return str(target.relative_to(workdir)), text, "a record's text was printed"
            if canary.read_text(encoding="utf-8") != "keep":
                return str(target.relative_to(workdir)), text, "a file outside was changed"
            return None
        docs = check(workdir, report)
        if not report.errors:
            STATS["rendered"] = STATS.get("rendered", 0) + 1
            for doc in docs:
                make(doc, Options())
    except Exception:
        return str(target.relative_to(workdir)), text, traceback.format_exc()
    finally:
        for path, data in restore.items():
            if data is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(data)
    seconds = time.monotonic() - started
    if seconds > slow:
        return str(target.relative_to(workdir)), text, f"slow: {seconds:.1f} s"
    if memory_mb() - peak > memory:
        return str(target.relative_to(workdir)), text, f"memory: +{memory_mb() - peak:.0f} MB"
    return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--slow", type=float, default=30, help="seconds that count as a hang")
    parser.add_argument("--memory", type=float, default=500, help="MB of growth that count")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    crashes = ROOT / "fuzz" / "crashes"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "project"
        work.mkdir()
        for name in ("pamflet.yaml", "leaflets", "content", "layouts"):
            src = ROOT / name
            (shutil.copytree if src.is_dir() else shutil.copy)(src, work / name)
        (Path(tmp) / "outside.txt").write_text("keep", encoding="utf-8")
        build(work, (), None, Report())  # records for the records kind to forge
        deadline, runs, found = time.monotonic() + args.seconds, 0, 0
        while time.monotonic() < deadline:
            crash = one(work, rng, args.slow, args.memory)
            runs += 1
            if crash:
                found += 1
                crashes.mkdir(exist_ok=True)
                name, text, trace = crash
                report = f"file: {name}\n\n{trace}\n--- content ---\n{text}"
                (crashes / f"crash-{args.seed}-{runs}.txt").write_text(report, encoding="utf-8")
                print(f"crash in {name}:\n{trace}")
    print(
        f"{runs} runs, {found} crashes; " + ", ".join(f"{k} {v}" for k, v in sorted(STATS.items()))
    )


if __name__ == "__main__":
    main()
