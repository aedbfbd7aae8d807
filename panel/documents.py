"""The report as documents to download, printed from the same sections as its page
(`selectors.report_sections_for`): no document computes a figure of its own.

- HTML (`report_html`): the page as it prints, standalone (its figures are data: URIs);
- PDF (`report_pdf`, WeasyPrint) from that HTML;
- Word (`report_docx`, python-docx): committee services circulate and publish papers as
  Word documents, so it has real headings (Heading 1 and 2), real tables (the header row
  repeated on each page), the figures as pictures with their text alternative, the
  marking in the header and footer and page numbers (a PAGE field).
"""

from django.template.loader import render_to_string

from .models import PanelReport
from .printed import Document
from .selectors import report_figures, report_sections_for


class FiguresNotReady(Exception):
    """The report's figures are not computed yet: there is nothing to print."""


def report_document(report: PanelReport) -> Document:
    """The report ready to print; FiguresNotReady until its figures are computed."""
    figures = report_figures(report)
    if not figures.ready:
        raise FiguresNotReady(f"The figures of {report} are not computed yet.")
    return Document(
        report=report,
        period=report.period,
        figures=figures,
        sections=report_sections_for(report, figures),
        marking=report.marking,
    )


def report_html(report: PanelReport) -> str:
    """The report as one HTML file, laid out as it prints (A4, the marking top and
    bottom): what the PDF is made from."""
    return render_to_string("panel/report_document.html", report_document(report).context())


def report_pdf(report: PanelReport) -> bytes:
    """The report as a PDF (WeasyPrint): the marking, page numbers and as-at date on every
    page. FiguresNotReady until its figures are computed."""
    from weasyprint import HTML  # slow to import, and only a download needs it

    # The document holds no address to resolve: its figures are data: URIs.
    return HTML(string=report_html(report)).write_pdf()


def report_docx(report: PanelReport) -> bytes:
    """The report as a Word document (python-docx). FiguresNotReady until its figures are
    computed."""
    from .word import word_document  # python-docx and lxml: only a download needs them

    return word_document(report_document(report))
