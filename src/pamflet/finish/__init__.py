"""Stage 4: finish rendered PDFs with pypdf (metadata, imposition) and write them atomically."""

from __future__ import annotations

from pamflet import model as m
from pamflet.diagnostics import Diagnostic
from pamflet.finish.impose import blank_pages, impose
from pamflet.finish.metadata import with_metadata
from pamflet.render import Rendered


def finish(
    doc: m.Document, rendered: Rendered, plain: bytes, print_marks: bool = False
) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """Output files by name; `plain` is the render without print marks, used for imposition
    (the sheets get marks of their own with `print_marks`).

    The reading PDF is tagged; the imposed print file is for the printer only.
    """
    reading = with_metadata(
        doc, rendered.pdf, destinations=rendered.destinations,
        tags=rendered.tags, annotations=rendered.annotations,
    )  # fmt: skip
    files = {f"{doc.code}.pdf": reading}
    problems: list[Diagnostic] = []
    if doc.format == "A5-booklet":
        imposed, pages = impose(plain, print_marks)
        files[f"{doc.code}-print.pdf"] = with_metadata(doc, imposed, suffix=" (print)")
        blanks = blank_pages(pages)
        if blanks > 2:
            problems.append(
                Diagnostic(
                    "warning",
                    "booklet-blanks",
                    f"the booklet has {pages} pages, so {blanks} of its {pages + blanks} "
                    "printed pages are blank",
                    doc.source,
                    "add or remove about a page of content",
                )
            )
    return files, problems
