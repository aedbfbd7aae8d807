"""The panel report: who may use it, the sentences written from the figures, both
figures with their tables, the PDF with the marking, CSV tables, refresh, publishing
(frozen), snapshots (idempotent, through a real worker)."""

import base64
import datetime
import io
import re

import pytest
from django.db import transaction
from django.urls import reverse
from pypdf import PdfReader

from audit.models import AuditEvent
from panel.charts import lines_by_area_chart
from panel.models import PanelReport, StatisticsSnapshot
from panel.periods import Kind, Period, financial_year_of, standard_periods, year_of
from panel.report import report_sections
from panel.snapshots import snapshot_compute, snapshot_request
from panel.statistics import panel_statistics
from reference.models import Force
from tests.celery_worker import wait_until
from tests.lines.factories import LineFactory

from ..helpers import date_fields

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR_2021 = year_of(D(2021, 6, 1))


@pytest.fixture
def prepare(django_capture_on_commit_callbacks):
    """Prepares a report as a manager does; its figures are computed once the request
    commits (in-process here: the tests run tasks eagerly)."""

    def prepare(client, *, year="2021", as_at="2022-01-15") -> PanelReport:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("panel:report_create"),
                {"kind": "year", "year": year, **date_fields("as_at", as_at)},
            )
        assert response.status_code == 302, response.content.decode()[:2000]
        return PanelReport.objects.latest("pk")

    return prepare


@pytest.fixture
def lines(db):
    for n in range(3):
        LineFactory(first_identified=D(2021, 3 + n, 1), closed_on=D(2021, 12, 1) if n else None)
    LineFactory(first_identified=D(2020, 5, 1))


def test_who_may_read_and_change_reports(
    manager_client, administrator_client, intel_client, partner_client, lines, prepare
):
    report = prepare(manager_client)
    urls = [
        reverse("panel:report_list"),
        reverse("panel:report_export"),
        reverse("panel:report_detail", args=[report.pk]),
        reverse("panel:report_pdf", args=[report.pk]),
        reverse("panel:report_table", args=[report.pk, "safeguarding"]),
    ]
    for url in urls:
        assert manager_client.get(url).status_code == 200, url
        assert administrator_client.get(url).status_code == 200, url
        assert intel_client.get(url).status_code == 403, url
        assert partner_client.get(url).status_code == 403, url
    change = reverse("panel:report_paragraphs", args=[report.pk])
    assert administrator_client.get(change).status_code == 403  # reads, never changes
    assert administrator_client.get(reverse("panel:report_create")).status_code == 403
    listed = manager_client.get(reverse("panel:report_list"), {"status": "draft"})
    assert [r.pk for r in listed.context["list"].page] == [report.pk]
    assert (
        not manager_client.get(reverse("panel:report_list"), {"status": "published"})
        .context["list"]
        .count
    )
    assert (
        administrator_client.post(reverse("panel:report_publish", args=[report.pk])).status_code
        == 403
    )
    assert manager_client.get(change).status_code == 200
    assert intel_client.get(reverse("panel:death_list")).status_code == 200
    assert manager_client.get(reverse("panel:death_list")).status_code == 403


def test_the_report_says_what_the_figures_say_in_the_reports_voice(manager_client, lines, prepare):
    report = prepare(manager_client)
    html = manager_client.get(reverse("panel:report_detail", args=[report.pk])).content.decode()

    assert "In 2021, 3 County Lines were identified, of which 1 remains active." in html
    # The year before as it stood at its end, as the real report quotes it.
    assert (
        "In 2020, 1 County Line was identified, of which 1 remained active by the end of "
        "the year." in html
    )
    assert "In 2021, no drug offences have been recorded yet." in html
    assert "No drug-related deaths are recorded in 2021." in html
    assert 'data-testid="figure-2"' in html and "data:image/svg+xml;base64," in html
    assert 'data-testid="table-lines-by-area-and-force"' in html
    assert AuditEvent.objects.filter(action="view", object_id=str(report.pk)).exists()


def test_sentences_leave_out_empty_claims_and_use_plurals():
    figures = panel_statistics(start=D(2021, 1, 1), end=D(2021, 12, 31))
    sections = report_sections(
        period=YEAR_2021, as_at=D(2021, 12, 31), figures=figures, previous=None, annotations=[]
    )
    text = " ".join(sentence for section in sections for sentence in section.sentences)
    assert "no County Lines were identified" in text
    # Lines active at the period's end whatever year they were identified in are a table
    # row, not a sentence beside "of which N remain active" that a Panel member queries.
    assert "active at the end of the period" not in text
    assert "no arrests, charges, sentences or seizures are recorded" in text
    assert " 0 " not in text and "0 years" not in text
    assert "up from" not in text and "down from" not in text  # nothing to compare with


def test_the_pdf_carries_the_sentences_the_marking_and_page_numbers(manager_client, lines, prepare):
    report = prepare(manager_client)
    response = manager_client.get(reverse("panel:report_pdf", args=[report.pk]))

    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = "\n".join(page.extract_text() for page in pages)
    words = " ".join(text.split())
    assert "County Lines were identified, of which 1 remains active" in words
    # Both figures are drawn in it (their axes' titles are text in the SVG), with captions.
    assert "Figure 2: County Lines identified in 2021 by NYP command area" in words
    assert "County lines identified" in words and "Offences recorded" in words
    assert "Figure 1: Drug offences recorded between" in words
    for number, page in enumerate(pages, start=1):
        page_text = page.extract_text()
        assert page_text.count("OFFICIAL-SENSITIVE") >= 2, number  # top and bottom
        assert f"Page {number} of {len(pages)}" in page_text
        assert "Figures as at 15 January 2022" in page_text
    assert AuditEvent.objects.filter(action="export", object_id=str(report.pk)).exists()


def test_every_table_downloads_as_csv(manager_client, lines, prepare):
    report = prepare(manager_client)
    response = manager_client.get(reverse("panel:report_table", args=[report.pk, "enforcement"]))
    rows = b"".join(response.streaming_content).decode().splitlines()
    assert rows[0].lstrip("\ufeff") == "Measure,Figure" and "Arrests,0" in rows
    # The report's own marking names the file, never a row of it.
    assert f"-{report.marking}-{report.start:%Y-%m-%d}-to-" in response["Content-Disposition"]
    assert report.marking not in "".join(rows)
    missing = manager_client.get(reverse("panel:report_table", args=[report.pk, "nothing"]))
    assert missing.status_code == 404


def test_a_published_report_keeps_its_figures_and_text(manager_client, manager, lines, prepare):
    report = prepare(manager_client)
    manager_client.post(
        reverse("panel:report_paragraphs", args=[report.pk]),
        {"county_lines": "Operation Ember continues.", "version": report.version},
    )
    manager_client.post(reverse("panel:report_publish", args=[report.pk]))
    LineFactory(first_identified=D(2021, 8, 1))  # found later
    snapshot_compute(period=YEAR_2021, as_at=D(2022, 1, 15))  # a nightly run

    report.refresh_from_db()
    html = manager_client.get(reverse("panel:report_detail", args=[report.pk])).content.decode()
    assert report.is_published and "In 2021, 3 County Lines" in html
    assert "Operation Ember continues." in html
    refused = manager_client.post(reverse("panel:report_refresh", args=[report.pk]), follow=True)
    assert "This report is published" in refused.content.decode()


def test_refreshing_recomputes_the_same_snapshot(
    manager_client, lines, prepare, django_capture_on_commit_callbacks
):
    report = prepare(manager_client)
    first = StatisticsSnapshot.objects.get()
    LineFactory(first_identified=D(2021, 8, 1))
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(reverse("panel:report_refresh", args=[report.pk]))

    snapshot = StatisticsSnapshot.objects.get()  # still one
    assert snapshot.pk == first.pk and snapshot.figures["lines"]["identified"] == 4
    assert snapshot.computed_at > first.computed_at
    assert snapshot.code_version


def test_computing_twice_leaves_one_snapshot_per_period_and_as_at(lines):
    for _ in range(2):
        snapshot_compute(period=YEAR_2021, as_at=D(2022, 1, 15))
    snapshot_compute(period=YEAR_2021, as_at=D(2022, 2, 1))
    assert StatisticsSnapshot.objects.count() == 2
    snapshot = StatisticsSnapshot.objects.get(as_at=D(2022, 1, 15))
    assert snapshot.status == StatisticsSnapshot.Status.READY
    assert snapshot.previous_figures["period"]["start"] == "2020-01-01"


def test_the_standard_periods_are_the_current_and_previous_of_each_kind():
    periods = standard_periods(D(2022, 1, 15))
    names = [(period.kind, period.name) for period in periods]
    assert names == [
        (Kind.MONTH, "January 2022"),
        (Kind.MONTH, "December 2021"),
        (Kind.QUARTER, "January to March 2022"),
        (Kind.QUARTER, "October to December 2021"),
        (Kind.YEAR, "2022"),
        (Kind.YEAR, "2021"),
        (Kind.FINANCIAL_YEAR, "2021/22"),
        (Kind.FINANCIAL_YEAR, "2020/21"),
    ]
    assert financial_year_of(D(2022, 3, 31)) == Period(
        Kind.FINANCIAL_YEAR, D(2021, 4, 1), D(2022, 3, 31)
    )


# Transactional (the worker reads what the test committed); the migrated reference data
# (forces, areas) restored, as another transactional test may have flushed them.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_refresh_is_computed_by_a_real_worker(worker, lines):
    with transaction.atomic():
        snapshot_request(period=YEAR_2021, as_at=D(2022, 1, 15))
    assert StatisticsSnapshot.objects.get().status in ("queued", "running", "ready")

    def ready():
        return StatisticsSnapshot.objects.filter(status="ready").exists()

    assert wait_until(ready)
    assert StatisticsSnapshot.objects.get().figures["lines"]["identified"] == 3


def test_the_report_page_costs_the_same_queries_whatever_the_data(manager_client, lines, prepare):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from panel.periods import year_of

    report = prepare(manager_client)
    url = reverse("panel:report_detail", args=[report.pk])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert manager_client.get(url).status_code == 200
        return len(captured)

    few = queries()
    for n in range(20):
        LineFactory(first_identified=D(2021, 1 + n % 12, 1))
    snapshot_compute(period=year_of(D(2021, 1, 1)), as_at=D(2022, 1, 15))
    assert queries() == few


def test_the_nightly_roll_up_keeps_the_standard_periods_ready(lines):
    from django.utils import timezone

    from panel.tasks import snapshot_standard_periods

    snapshot_standard_periods()
    snapshot_standard_periods()  # a second night, or a second worker: still one each

    today = timezone.localdate()
    snapshots = StatisticsSnapshot.objects.all()
    assert snapshots.count() == len(standard_periods(today)) == 8
    assert all(s.status == "ready" and s.as_at >= s.end for s in snapshots)
    assert all(s.as_at == max(s.end, today) for s in snapshots)


MATHEMATICS = r"Merseyside $\frac{1}{$ Police"  # not valid mathtext: it failed the whole page


def figure_svg(html: str, number: int) -> str:
    """The SVG of Figure `number` of a report page, as its text."""
    figure = html.split(f'data-testid="figure-{number}"', 1)[1]
    encoded = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', figure).group(1)
    return base64.b64decode(encoded).decode()


def test_a_force_named_with_dollar_signs_is_drawn_as_written(manager_client, prepare):
    force = Force.objects.create(name=MATHEMATICS, short_name="Mersey $x$ side")
    LineFactory(origin_force=force, first_identified=D(2021, 3, 1))
    LineFactory(
        origin_force=Force.objects.get(name="Metropolitan Police Service"),
        first_identified=D(2021, 4, 1),
    )
    report = prepare(manager_client)

    page = manager_client.get(reverse("panel:report_detail", args=[report.pk]))
    pdf = manager_client.get(reverse("panel:report_pdf", args=[report.pk]))

    assert page.status_code == 200 and pdf.status_code == 200
    html = page.content.decode()
    assert MATHEMATICS in figure_svg(html, 2)  # in the key, as text, `$` and all
    pages = PdfReader(io.BytesIO(pdf.content)).pages
    text = " ".join(" ".join(pdf_page.extract_text().split()) for pdf_page in pages)
    # Wherever the page writes it (the table beneath the figure), and in the figure's key.
    assert text.count(MATHEMATICS) == html.count(MATHEMATICS) + 1


def test_every_force_is_in_figure_2s_key_whatever_its_name():
    # matplotlib leaves a bar labelled `_…` out of the key unless it is named explicitly.
    svg = base64.b64decode(
        lines_by_area_chart({"York": {"_Harbour Police": 1, "Merseyside Police": 2}}).split(",")[1]
    ).decode()

    assert "_Harbour Police" in svg and "Merseyside Police" in svg
