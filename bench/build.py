"""Benchmark: build and check times, against a plain hand-written ReportLab script.

Run from the repository root: `python bench/build.py [--runs 5] [--leaflets 200]`.
Every number is a whole cold process (interpreter start, imports, work), the median of --runs.

Targets (printed as PASS/FAIL):
  - one leaflet costs at most 1.3x the hand-written script (LNG-092, whole process, cold);
  - `check` of a 200-leaflet project takes less time than one cold hand-written build.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAMFLET = [sys.executable, "-m", "pamflet"]


def timed(command: list[str], runs: int, cwd: Path = ROOT) -> float:
    """Median wall time of a command, in seconds; it must succeed."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def paired(first: list[str], second: list[str], runs: int) -> tuple[float, float]:
    """Medians of two commands run turn about, so that a busy moment hits both alike."""
    a, b = [], []
    for _ in range(runs):
        a.append(timed(first, 1))
        b.append(timed(second, 1))
    return statistics.median(a), statistics.median(b)


def generated_project(target: Path, leaflets: int) -> Path:
    """The example project with `leaflets` leaflets, each a variant of the three examples."""
    target.mkdir(parents=True)
    for name in ("pamflet.yaml", "content", "layouts"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, target / name)
    (target / "leaflets").mkdir()
    examples = sorted((ROOT / "leaflets").glob("*.yaml"))
    for i in range(leaflets):
        text = examples[i % len(examples)].read_text(encoding="utf-8")
        code = text.split("code: ", 1)[1].split("\n", 1)[0]
        text = text.replace(f"code: {code}", f"code: GEN-{i:03d}")
        text = text.replace("../leaflets/", "").replace("(levermetastasen.yaml)", "(gen-000.yaml)")
        text = text.replace("(leveroperatie.yaml)", "(gen-001.yaml)")
        (target / "leaflets" / f"gen-{i:03d}.yaml").write_text(text, encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--leaflets", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        baseline, one = paired(
            [sys.executable, "bench/handwritten.py", str(Path(tmp) / "hw.pdf")],
            [*PAMFLET, "build", "LNG-092", "--force", "--out", str(out)],
            args.runs,
        )
        example = timed([*PAMFLET, "build", "--force", "--out", str(out)], args.runs)
        examples = len(list((ROOT / "leaflets").glob("*.yaml")))
        project = generated_project(Path(tmp) / "gen", args.leaflets)
        check = timed([*PAMFLET, "--project", str(project), "check"], args.runs)
        started = time.perf_counter()
        subprocess.run(
            [*PAMFLET, "--project", str(project), "build", "--jobs", "2", "--force", "--out", str(out / "gen")],
            check=True, capture_output=True,
        )  # fmt: skip
        big = time.perf_counter() - started
    ratio = one / baseline
    print(f"hand-written ReportLab script, LNG-092 (cold):  {baseline * 1000:7.0f} ms")
    print(f"pamflet build LNG-092 (cold):                  {one * 1000:7.0f} ms  ({ratio:.2f}x)")
    print(
        f"pamflet build, example project ({examples} leaflets): {example * 1000 / examples:7.0f} ms per leaflet"
    )
    print(
        f"pamflet build, {args.leaflets} leaflets, --jobs 2:      {big * 1000 / args.leaflets:7.0f} ms per leaflet"
    )
    print(f"pamflet check, {args.leaflets} leaflets (cold):        {check * 1000:7.0f} ms")
    print(f"target: one leaflet <= 1.3x hand-written: {'PASS' if ratio <= 1.3 else 'FAIL'}")
    print(
        f"target: check of {args.leaflets} < one hand-written build: {'PASS' if check < baseline else 'FAIL'}"
    )


if __name__ == "__main__":
    main()
