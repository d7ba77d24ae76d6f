"""Statement -> PDF: the HTML page (``render.html``) laid out by WeasyPrint.

Optional: WeasyPrint is the ``pdf`` extra (``pip install 'pbrrules[pdf]'``) because it needs the
Pango text library from the system. Without it, ``render_pdf`` raises ``PdfUnavailable`` saying
how to get it, and the HTML page prints to PDF from any browser.
"""

from __future__ import annotations

from pbrrules.render import render_html
from pbrrules.statement import Statement


class PdfUnavailable(RuntimeError):
    """WeasyPrint (or the system library it needs) is not installed."""


def render_pdf(statement: Statement) -> bytes:
    """The statement's HTML page as a PDF document (A4, as the page's print style sets)."""
    try:
        import weasyprint  # type: ignore[import-not-found, import-untyped, unused-ignore]
    except (ImportError, OSError) as problem:  # OSError: WeasyPrint is there, Pango is not
        raise PdfUnavailable(
            "PDF output needs WeasyPrint: pip install 'pbrrules[pdf]' (it uses the system's "
            f"Pango library); or print the --format html page to PDF from a browser ({problem})"
        ) from problem
    document: bytes = weasyprint.HTML(string=render_html(statement)).write_pdf()
    return document
