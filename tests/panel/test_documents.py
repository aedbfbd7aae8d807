"""The report's documents (panel.documents): printed from the report's own sections, and
only once its figures are computed. The Word document is read back with python-docx
(headings, tables, pictures and their text alternatives, the marking, the page number
field), the PDF with pypdf (the marking on every page, the title on the first, captions
kept with their tables, a long table's header repeated and no row left alone)."""

import datetime
import io

import docx
import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from matplotlib import dates
from pypdf import PdfReader

from audit.models import AuditEvent
from panel.charts import drug_offences_figure
from panel.documents import FiguresNotReady, report_document, report_docx, report_pdf
from panel.models import PanelReport, RecordedDrugOffence
from panel.periods import year_of
from panel.report import TITLES, Section, Table
from panel.services import report_create
from panel.snapshots import snapshot_compute
from reference.models import Force
from tests.lines.factories import LineFactory

pytestmark = pytest.mark.django_db
AS_AT = datetime.date(2022, 1, 15)
YEAR_2021 = year_of(datetime.date(2021, 6, 1))
MARKING = settings.PROTECTIVE_MARKING


@pytest.fixture
def report(manager):
    """The 2021 report, its figures computed: 36 months of drug offences (Figure 1 and
    its table of 36 rows) and three lines (Figure 2 and its table)."""
    force = Force.objects.get(name="North Yorkshire Police")
    months = [
        datetime.date(year, month, 1) for year in (2019, 2020, 2021) for month in range(1, 13)
    ]
    for index, month in enumerate(months):
        for n in range(1 + index % 5):
            RecordedDrugOffence.objects.create(
                reference=f"C-{month:%Y-%m}-{n}", month=month, reported_by=force, falls_within=force
            )
    for n in range(3):
        LineFactory(first_identified=datetime.date(2021, 3 + n, 1))
    report = report_create(user=manager, period=YEAR_2021, as_at=AS_AT)
    snapshot_compute(period=YEAR_2021, as_at=AS_AT)
    return report


def pdf_pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_pdf_is_printed_once_the_figures_are_computed(manager):
    report = report_create(user=manager, period=YEAR_2021, as_at=AS_AT)  # the task not run

    with pytest.raises(FiguresNotReady):
        report_pdf(report)
    with pytest.raises(FiguresNotReady):
        report_docx(report)

    snapshot_compute(period=YEAR_2021, as_at=AS_AT)
    pdf = report_pdf(report)

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "No drug-related deaths are recorded in 2021." in " ".join(text.split())


def test_the_word_document_has_headings_tables_pictures_and_the_marking(report):
    document = report_document(report)
    word = docx.Document(io.BytesIO(report_docx(report)))

    headings = [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Head")]
    assert headings == [("Heading 1", report.title)] + [
        ("Heading 2", section.title) for section in document.sections
    ]
    text = "\n".join(paragraph.text for paragraph in word.paragraphs)
    for section in document.sections:
        for sentence in section.sentences:
            assert sentence in text

    tables = [table for section in document.sections for table in section.tables]
    title_block, *grids = word.tables  # the paper's title block first
    assert [row.cells[0].text for row in title_block.rows][-2:] == ["Figures as at", "Marking"]
    assert len(grids) == len(tables)
    for table, grid in zip(tables, grids, strict=True):
        assert [cell.text for cell in grid.rows[0].cells] == table.header
        assert [cell.text for cell in grid.rows[1].cells] == [str(v) for v in table.rows[0]]
        assert len(grid.rows) == len(table.rows) + 1
        # The header row repeats on each page; only it does.
        repeated = [bool(row._tr.xpath("./w:trPr/w:tblHeader")) for row in grid.rows]
        assert repeated == [True] + [False] * len(table.rows)
        caption = grid._tbl.getprevious()  # the paragraph before the table, kept with it
        assert caption.xpath("string(.)") == table.caption
        assert caption.xpath("./w:pPr/w:keepNext")

    charts = [section.chart for section in document.sections if section.chart]
    assert len(charts) == 2
    pictures = word.inline_shapes
    assert [shape._inline.docPr.get("descr") for shape in pictures] == [c.alt for c in charts]
    for shape in pictures:
        assert shape._inline.graphic.graphicData.pic.blipFill.blip.embed  # a picture
    for chart in charts:
        assert f"Figure {chart.number}: {chart.caption}" in text

    [page] = word.sections
    assert (page.page_width.mm, page.page_height.mm) == pytest.approx((210, 297), abs=0.1)
    assert MARKING in [p.text for p in page.header.paragraphs]
    assert MARKING in [p.text for p in page.footer.paragraphs]
    fields = page.footer._element.xpath(".//w:instrText/text()")
    assert [field.split()[0] for field in fields] == ["PAGE", "NUMPAGES"]
    assert "Figures as at 15 January 2022 · Page" in page.footer.paragraphs[1].text


def test_a_managers_own_paragraphs_are_paragraphs_in_word(report):
    report.paragraphs = {"county_lines": "First paragraph,\nits second line.\n\nSecond."}
    report.save()

    word = docx.Document(io.BytesIO(report_docx(report)))

    texts = [paragraph.text for paragraph in word.paragraphs]
    assert "First paragraph,\nits second line." in texts
    assert "Second." in texts


def test_the_pdf_has_the_marking_on_every_page_and_the_title_on_the_first(report):
    pages = pdf_pages(report_pdf(report))

    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        assert text.count(MARKING) >= 2, number  # top and bottom
        assert f"Page {number} of {len(pages)}" in text
    assert report.title in pages[0]
    assert "Police, Fire and Crime Panel" in pages[0]
    assert "Figures as at 15 January 2022" in pages[0]


def test_captions_stay_with_their_tables_and_no_row_is_left_alone(report):
    document = report_document(report)
    printed = pdf_pages(report_pdf(report))
    tables = [table for section in document.sections for table in section.tables]
    # The tables are the appendix's, last: read from its heading on, as the sentences
    # before it may name a table's subject in the same words as its caption.
    heading = TITLES["appendix"]
    start = next(number for number, page in enumerate(printed) if heading in page)
    pages = ["" for _ in range(start)] + [printed[start][printed[start].index(heading) :]]
    pages += printed[start + 1 :]

    for table in tables:

        def on(text, after=""):
            """The pages holding `text` (after `after` on that page, when given)."""
            return [
                number
                for number, page in enumerate(pages)
                if text in page and (not after or page.index(after) < page.rindex(text))
            ]

        first_row, header = " ".join(str(v) for v in table.rows[0]), " ".join(table.header)
        # A short caption ("County Lines") may be part of another's: the table's page is
        # the one where its caption is followed by its header and first row.
        with_caption = on(table.caption)
        assert with_caption, table.caption
        kept = [n for n in on(f"{header} {first_row}", after=table.caption) if n in with_caption]
        assert kept, table.caption
        first = kept[0]
        last_row = " ".join(str(v) for v in table.rows[-1])
        before_last = " ".join(str(v) for v in table.rows[-2]) if len(table.rows) > 1 else ""
        [last] = [n for n in on(last_row) if n >= first][:1]
        assert before_last in pages[last], table.caption  # not alone on its page
        for page in range(first + 1, last + 1):  # a table that breaks repeats its header
            assert header in pages[page], (table.caption, page)


def test_figure_1s_time_axis_starts_at_the_first_month_of_data():
    lockdown = ("Lockdown", datetime.date(2020, 3, 23), datetime.date(2020, 6, 1))
    figure = drug_offences_figure({"2019-11": 4, "2019-12": 5, "2020-01": 3}, [lockdown])

    start, end = figure.axes[0].get_xlim()

    assert dates.num2date(start).date() == datetime.date(2019, 11, 1)
    assert dates.num2date(end).date() == datetime.date(2020, 2, 1)  # the last month's end
    labels = [label.get_text() for label in figure.axes[0].get_xticklabels()]
    assert "Jan 2020" in labels


def test_the_word_document_downloads_from_the_report_page_and_is_audited(manager_client, report):
    page = manager_client.get(reverse("panel:report_detail", args=[report.pk]))
    url = reverse("panel:report_docx", args=[report.pk])
    assert f'href="{url}"' in page.content.decode()

    response = manager_client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "panel-report-2021-01-01-to-2021-12-31.docx" in response["Content-Disposition"]
    docx.Document(io.BytesIO(response.content))  # a Word document
    event = AuditEvent.objects.get(action="export", object_id=str(report.pk))
    assert event.detail == {"format": "docx"}


def test_wherever_a_long_table_falls_its_caption_first_and_last_rows_are_not_left_alone():
    """A 24-row table after 0 to 29 lines of text: wherever the page breaks, the
    caption, header and first two rows share a page, the last row shares its page with
    the one before, and a page the table continues on repeats its header."""
    from weasyprint import HTML

    table = Table("months", "Drug offences by month", ["Month", "Offences"], [])
    table.rows = [[f"M{n:02d}", n] for n in range(1, 25)]
    report = PanelReport(period_kind="year", start=YEAR_2021.start, end=YEAR_2021.end)
    report.as_at, report.title = AS_AT, "A paper"
    seen_breaks = set()
    for filler in range(30):
        section = Section("s", "Section", [f"Line {n} of the text before." for n in range(filler)])
        section.tables = [table]
        html = render_to_string(
            "panel/report_document.html",
            {"report": report, "period": YEAR_2021, "sections": [section], "marking": MARKING},
        )
        pages = pdf_pages(HTML(string=html).write_pdf())
        [caption_page] = [n for n, page in enumerate(pages) if table.caption in page]
        assert "Month Offences M01 1 M02 2" in pages[caption_page], filler
        [last_page] = [n for n, page in enumerate(pages) if "M24 24" in page]
        assert "M23 23" in pages[last_page], filler
        for page in range(caption_page + 1, last_page + 1):
            assert "Month Offences" in pages[page], (filler, page)
        seen_breaks.add(last_page - caption_page)
    assert 1 in seen_breaks  # some layouts did break the table across two pages


def test_printing_a_pdf_logs_no_step_of_its_making(report, caplog):
    report_pdf(report)

    assert not [record for record in caplog.records if record.name == "weasyprint.progress"]
