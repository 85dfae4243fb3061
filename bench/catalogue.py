"""Catalogue benchmark: a hospital's N leaflets, each with its own text, checked and built.

Run from the repository root: `python bench/catalogue.py [--leaflets 200] [--runs 3]`.
Every number is a whole cold process. The project has N leaflets of about 8 A4 pages, each
made of 10 blocks of its own (distinct generated Dutch text, headings, lists, a table, cards)
plus shared department and contact blocks: 10 x N blocks in all.

Printed as ratios, with the issue's targets:
  check, cold (no cache)          / one cold hand-written leaflet   < 4
  check, warm (cache of the last) / one cold hand-written leaflet   < 1.0
  full build --force              / the hand-written script, same N leaflets, one process  <= 0.7
  one edited block, then build    / one cold hand-written leaflet   <= 2.0
  peak RSS of the full build (the largest process)                 <= 300 MB at 1,000
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAMFLET = [sys.executable, "-m", "pamflet"]
WORDS = [
    "de",
    "het",
    "een",
    "en",
    "van",
    "in",
    "op",
    "met",
    "voor",
    "na",
    "bij",
    "uw",
    "u",
    "wij",
    "arts",
    "lever",
    "behandeling",
    "onderzoek",
    "operatie",
    "zorg",
    "pijn",
    "dag",
    "week",
    "thuis",
    "ziekenhuis",
    "afdeling",
    "verpleegkundige",
    "kanker",
    "tumor",
    "uitslag",
    "bloed",
    "scan",
    "echo",
    "medicijnen",
    "klachten",
    "vragen",
    "rust",
    "bewegen",
    "eten",
    "drinken",
    "slapen",
    "controle",
    "afspraak",
    "poli",
    "opname",
    "herstel",
    "wond",
    "koorts",
    "misselijk",
    "moe",
    "gezond",
    "familie",
    "chirurg",
    "specialist",
    "narcose",
    "verdoving",
    "infuus",
    "katheter",
    "drain",
    "hechtingen",
    "pleister",
    "voeding",
    "dieet",
    "gewicht",
    "conditie",
    "wandelen",
    "fietsen",
    "werk",
    "school",
    "auto",
    "douchen",
]


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 16))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, sentences: int = 5) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def block_text(rng: random.Random, i: int, kind: str) -> str:
    parts = [paragraph(rng), f"## Voorbereiding {i}", paragraph(rng, 4)]
    parts.append("\n".join(f"- {sentence(rng)}" for _ in range(4)))
    parts += [f"## Na afloop {i}", paragraph(rng, 6)]
    if i % 3 == 0:
        rows = "\n".join(f"| dag {d} | {sentence(rng)} |" for d in range(1, 5))
        parts.append(f"| Wanneer | Wat |\n|---|---|\n{rows}")
    parts.append(paragraph(rng, 4))
    return "\n\n".join(parts) + "\n"


def generate(target: Path, leaflets: int, seed: int = 1) -> Path:
    """Write the catalogue project; every leaflet and block has text of its own."""
    rng = random.Random(seed)
    (target / "leaflets").mkdir(parents=True)
    (target / "content/contact").mkdir(parents=True)
    (target / "pamflet.yaml").write_text("organisation: Ziekenhuis Catalogus\nlanguage: nl\n")
    (target / "content/contact/poli.md").write_text(
        "---\ntitle: Uw contactpersoon\nkind: contact\nname: Polikliniek\n"
        "phone: 073 553 20 00\nemail: poli@example.org\n---\nBel gerust met vragen.\n"
    )
    kinds = ["condition", "examination", "examination", "treatment", "treatment", "text"]
    for n in range(leaflets):
        folder = target / "content" / f"l{n:04d}"
        folder.mkdir()
        ids = []
        for b in range(10):
            kind = kinds[b % len(kinds)]
            title = f"{sentence(rng)[:-1][:40]} {n}-{b}"
            (folder / f"b{b}.md").write_text(
                f"---\ntitle: {title}\nkind: {kind}\nsummary: {sentence(rng)}\n"
                f"url: https://www.example.org/l{n}/b{b}\n---\n{block_text(rng, b, kind)}",
                encoding="utf-8",
            )
            ids.append(f"l{n:04d}/b{b}")
        sections = "".join(f"  - content: {i}\n" for i in ids[:7])
        cards = ", ".join(ids[7:])
        (target / "leaflets" / f"l{n:04d}.yaml").write_text(
            f"code: CAT-{n:04d}\ntitle: Folder {n}\nrevised: 2026-10-01\n"
            f"url: https://www.example.org/folders/{n}\ntoc: always\nsections:\n{sections}"
            f"  - title: Meer weten?\n    cards: [{cards}]\n  - contact: contact/poli\n",
            encoding="utf-8",
        )
    return target


def run(command: list[str], cwd: Path = ROOT) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - started


def measured(command: list[str]) -> tuple[float, float]:
    """Wall time, and the peak RSS in MB of the largest process of `command` (its workers too)."""
    probe = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
        "capture_output=True); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", probe, *command], check=True,
                          capture_output=True, text=True)  # fmt: skip
    return time.perf_counter() - started, int(done.stdout.strip()) / 1024


def median(command: list[str], runs: int, before: object = None) -> float:
    times = []
    for _ in range(runs):
        if callable(before):
            before()
        times.append(run(command))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leaflets", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = generate(Path(tmp) / "catalogue", args.leaflets)
        out = project / "build"
        hw = [sys.executable, str(ROOT / "bench/handwritten_catalogue.py"), str(project)]
        one_hw = median([*hw, "--only", "CAT-0000", "--out", str(Path(tmp) / "one")], args.runs)
        all_hw = median([*hw, "--out", str(Path(tmp) / "hw")], 1)
        build, peak = measured([*PAMFLET, "--project", str(project), "build", "--force"])
        check_warm = median([*PAMFLET, "--project", str(project), "check"], args.runs)
        cache = out / ".pamflet-check.json"
        kept = cache.read_bytes()

        def cold() -> None:
            cache.unlink(missing_ok=True)

        check_cold = median([*PAMFLET, "--project", str(project), "check"], args.runs, cold)
        cache.write_bytes(kept)
        block = project / "content/l0007/b3.md"
        block.write_text(block.read_text() + "\nEen zin erbij.\n", encoding="utf-8")
        edit = run([*PAMFLET, "--project", str(project), "build"])
        written = sum(1 for p in out.glob("*.pdf") if p.stat().st_mtime > time.time() - edit - 1)

    print(f"{args.leaflets} leaflets, {10 * args.leaflets} blocks")
    print(f"one hand-written leaflet, cold:        {one_hw:6.2f} s")
    print(f"hand-written script, all, one process: {all_hw:6.2f} s")
    rows = [
        ("check, cold / one hand-written leaflet", check_cold / one_hw, 4.0),
        ("check, warm / one hand-written leaflet", check_warm / one_hw, 1.0),
        ("build --force / hand-written, all", build / all_hw, 0.7),
        ("one edit, build / one hand-written leaflet", edit / one_hw, 2.0),
    ]
    for name, ratio, target in rows:
        print(
            f"{name:45s} {ratio:5.2f}  (target <= {target})  {'PASS' if ratio <= target else 'FAIL'}"
        )
    print(f"seconds: check cold {check_cold:.2f}, warm {check_warm:.2f}, build {build:.2f}, "
          f"edit {edit:.2f} ({written} PDF rewritten)")  # fmt: skip
    print(f"peak RSS of the largest process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
