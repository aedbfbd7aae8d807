"""The report as documents to download, printed from the same sections as its page
(`selectors.report_sections_for`): no document computes a figure of its own."""

from django.conf import settings
from django.template.loader import render_to_string

from .models import PanelReport
from .selectors import report_figures, report_sections_for


class FiguresNotReady(Exception):
    """The report's figures are not computed yet: there is nothing to print."""


def report_pdf(report: PanelReport) -> bytes:
    """The report as a PDF (WeasyPrint): the marking, page numbers and as-at date on every
    page. FiguresNotReady until its figures are computed."""
    from weasyprint import HTML  # slow to import, and only a download needs it

    figures = report_figures(report)
    if not figures.ready:
        raise FiguresNotReady(f"The figures of {report} are not computed yet.")
    context = {
        "report": report,
        "period": report.period,
        "figures": figures,
        "sections": report_sections_for(report, figures),
        "marking": settings.PROTECTIVE_MARKING,
    }
    # The document holds no address to resolve: its figures are data: URIs.
    return HTML(string=render_to_string("panel/report_document.html", context)).write_pdf()
