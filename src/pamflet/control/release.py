"""`pamflet release`: after a build under the publishing policy, each leaflet's files are kept
as `archive/<code>/<code>-v<version>.pdf` (and `-print.pdf`) with a JSON record beside them.

An archived version is never overwritten. Releasing a version again with the same bytes changes
nothing; with other bytes it is an error that says to raise `version`. Every leaflet is checked
before any file is written, and each folder is written all or nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from pamflet import model as m
from pamflet.diagnostics import Report
from pamflet.records import archive
from pamflet.records.text import sections
from pamflet.resolve.context import Context
from pamflet.resolve.control import read_by


@dataclass
class Archived:
    written: list[Path] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # codes whose version was archived already


def keep(
    resolver: Context, docs: dict[str, m.Document], codes: list[str], built: Path,
    report: Report, today: dt.date,
) -> Archived:  # fmt: skip
    """Archive the built files of `codes`; report and write nothing when any would overwrite."""
    from pamflet.finish.write import write_atomically

    done = Archived()
    plans: list[tuple[Path, dict[str, bytes]]] = []
    root = Path(resolver.project.root)
    for code in codes:
        lf = next(lf for lf in resolver.project.leaflets if lf.code == code)
        doc = docs.get(code)
        if doc is None or lf.version is None:  # refused by the policy already
            continue
        names = [f"{code}.pdf", f"{code}-print.pdf"]
        outputs = {n: (built / n).read_bytes() for n in names if (built / n).is_file()}
        renamed = {
            archive.pdf_name(code, lf.version, n.removeprefix(code).removesuffix(".pdf")): data
            for n, data in outputs.items()
        }
        digests = {n: hashlib.sha256(d).hexdigest() for n, d in renamed.items()}
        previous = [r for r in archive.releases(resolver.files, code) if r.version == lf.version]
        folder = root / archive.folder(code)
        if previous or any((folder / n).exists() for n in renamed):
            if previous and previous[0].files == digests:
                done.unchanged.append(code)
                continue
            report.error(
                "archived", f"version {lf.version} of {code} is archived already, with other "
                f"contents ({archive.folder(code)}/{archive.record_name(code, lf.version)})",
                lf.at("version"), f"raise 'version' to {lf.version + 1} and release again",
            )  # fmt: skip
            continue
        approved = (lf.approved.by, lf.approved.on) if lf.approved else None
        reads = {p: resolver.files.blob(p) or "" for p in [lf.path, *read_by(resolver, lf)]}
        blocks = {
            b: resolver.files.blob(resolver.project.blocks[b].path) or ""
            for b in sorted(resolver.by_leaflet.get(code, ()))
            if b in resolver.project.blocks
        }
        extra = {
            "title": doc.title, "revised": doc.revised.isoformat(),
            "review": doc.review.isoformat() if doc.review else None,
            "reviewed_by": list(lf.reviewed_by), "language": doc.language,
        }  # fmt: skip
        record = archive.record(code, lf.version, today, approved, digests, sections(doc),
                                blocks, reads, extra)  # fmt: skip
        plans.append((folder, {**renamed, archive.record_name(code, lf.version): record}))
    if report.errors:
        return done
    for folder, files in plans:
        written, _ = write_atomically(folder, dict(files))
        done.written += written
    return done
