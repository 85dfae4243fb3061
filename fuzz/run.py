"""Mutation fuzzer for the loader, the resolver and the Markdown-to-flowables converter.

Not part of CI: run `python fuzz/run.py --seconds 60`. It mutates the example project's files
(inserting Markdown, YAML and Jinja2 fragments, odd Unicode, deleting and duplicating spans),
runs check and, when the project is clean, render + finish, all in-process. Any exception that
escapes pamflet is a bug: the input is saved in fuzz/crashes/ and should become a test in
tests/test_regressions.py.
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
from pamflet.pipeline import Options, check, make

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


def one(workdir: Path, rng: random.Random) -> tuple[str, str, str] | None:
    """Mutate one file, run the pipeline; return (file, its text, traceback) on a crash."""
    files = sorted(p for p in workdir.rglob("*") if p.suffix in (".md", ".yaml") and p.is_file())
    target = rng.choice(files)
    original = target.read_text(encoding="utf-8")
    mutated = mutate(original, rng)
    target.write_text(mutated, encoding="utf-8")
    try:
        report = Report()
        docs = check(workdir, report)
        if not report.errors:
            for doc in docs[:1]:
                make(doc, Options())
    except Exception:
        return str(target.relative_to(workdir)), mutated, traceback.format_exc()
    finally:
        target.write_text(original, encoding="utf-8")
    return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    crashes = ROOT / "fuzz" / "crashes"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "project"
        work.mkdir()
        for name in ("pamflet.yaml", "leaflets", "content", "layouts"):
            src = ROOT / name
            (shutil.copytree if src.is_dir() else shutil.copy)(src, work / name)
        deadline, runs, found = time.monotonic() + args.seconds, 0, 0
        while time.monotonic() < deadline:
            crash = one(work, rng)
            runs += 1
            if crash:
                found += 1
                crashes.mkdir(exist_ok=True)
                name, text, trace = crash
                report = f"file: {name}\n\n{trace}\n--- content ---\n{text}"
                (crashes / f"crash-{args.seed}-{runs}.txt").write_text(report, encoding="utf-8")
                print(f"crash in {name}:\n{trace}")
    print(f"{runs} runs, {found} crashes")


if __name__ == "__main__":
    main()
