"""Stage 4: finish drawn leaflets (written once, inside ReportLab's document), impose a
booklet's print file with pypdf, and write the files atomically."""

from __future__ import annotations

from pamflet import model as m
from pamflet.diagnostics import Diagnostic
from pamflet.finish import document
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
    reading = document.write(doc, rendered)
    files = {f"{doc.stem}.pdf": reading}
    problems: list[Diagnostic] = []
    booklet = doc.format == "A5-booklet"
    if marked is not None and marked.canvas is not None and not booklet:
        copy = document.write(doc, marked, suffix=" (print)", tagged=False)
        if press:
            from pamflet.finish.printfile import finish_print

            copy = finish_print(doc, copy, " (print)", press=True)
        files[f"{doc.stem}-print.pdf"] = copy
    if booklet:
        from pamflet.finish.impose import blank_pages, imposed
        from pamflet.finish.printfile import finish_print

        pages_pdf = reading
        if press and marked is not None and marked.canvas is not None:
            pages_pdf = document.write(doc, marked, tagged=False)
        rtl = doc.language in m.RIGHT_TO_LEFT
        sheets, pages = imposed(pages_pdf, print_marks, back=doc.booklet, rtl=rtl)
        files[f"{doc.stem}-print.pdf"] = finish_print(doc, pages_pdf, " (print)", press, sheets)
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
