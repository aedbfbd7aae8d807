"""The report's documents (panel.documents): printed from the report's own sections, and
only once its figures are computed."""

import datetime
import io

import pytest
from pypdf import PdfReader

from panel.documents import FiguresNotReady, report_pdf
from panel.periods import year_of
from panel.services import report_create
from panel.snapshots import snapshot_compute

AS_AT = datetime.date(2022, 1, 15)
YEAR_2021 = year_of(datetime.date(2021, 6, 1))


def test_the_pdf_is_printed_once_the_figures_are_computed(manager):
    report = report_create(user=manager, period=YEAR_2021, as_at=AS_AT)  # the task not run

    with pytest.raises(FiguresNotReady):
        report_pdf(report)

    snapshot_compute(period=YEAR_2021, as_at=AS_AT)
    pdf = report_pdf(report)

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "No drug-related deaths are recorded in 2021." in " ".join(text.split())
