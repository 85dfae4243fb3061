"""Stage 4: finish rendered PDFs with pypdf (metadata, imposition) and write them atomically."""

from __future__ import annotations

from pamflet import model as m
from pamflet.diagnostics import Diagnostic
from pamflet.finish.impose import blank_pages, impose
from pamflet.finish.metadata import with_metadata
from pamflet.render import Rendered


def finish(
    doc: m.Document, rendered: Rendered, print_marks: bool = False,
    marked: Rendered | None = None, press: bool = False,
) -> tuple[dict[str, bytes], list[Diagnostic]]:  # fmt: skip
    """Output files by name: the reading PDF, never with print marks; a booklet's imposed print
    file (its sheets marked with `print_marks`); and, for other formats, `marked`, the pages
    with bleed and crop marks, as the print file. With `press`, `marked` is the leaflet drawn
    in CMYK (a booklet's pages before imposition), and the print file is made PDF/X-4.

    The reading PDF is tagged; the print files are for the printer only.
    """
    reading = with_metadata(
        doc, rendered.pdf, destinations=rendered.destinations,
        tags=rendered.tags, annotations=rendered.annotations,
    )  # fmt: skip
    files = {f"{doc.stem}.pdf": reading}
    problems: list[Diagnostic] = []
    booklet = doc.format == "A5-booklet"
    if marked is not None and marked.pdf and not booklet:
        files[f"{doc.stem}-print.pdf"] = with_metadata(
            doc, marked.pdf, suffix=" (print)", press=press
        )
    if booklet:
        pages_pdf = marked.pdf if press and marked is not None else rendered.pdf
        rtl = doc.language in m.RIGHT_TO_LEFT
        imposed, pages = impose(pages_pdf, print_marks, back=doc.booklet, rtl=rtl)
        files[f"{doc.stem}-print.pdf"] = with_metadata(doc, imposed, suffix=" (print)", press=press)
        blanks = blank_pages(pages)
        if blanks > 2 and not doc.booklet:  # a booklet's padding is reported as it is laid out
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
