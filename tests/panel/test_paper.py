"""The manager's control over the panel paper: its title block (offered again on the
next report), its sections (moved or left out, on the page, in the PDF and the CSV
downloads), every sentence a draft (kept when the figures are computed again, marked
where they changed under it), and publishing, which freezes all of it."""

import datetime
import io

import docx
import pytest
from django.urls import reverse
from pypdf import PdfReader

from audit.models import AuditEvent
from panel.models import PanelReport
from panel.periods import year_of
from panel.report import SECTIONS, report_sections
from panel.snapshots import snapshot_compute
from panel.statistics import panel_statistics
from tests.lines.factories import LineFactory

from ..helpers import date_fields

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR_2021 = year_of(D(2021, 6, 1))
AS_AT = D(2022, 1, 15)
TITLE_BLOCK = {
    "panel_name": "North Yorkshire Police, Fire and Crime Panel",
    "agenda_item": "7",
    "title": "Drug offences and County Lines",
    "force_name": "North Yorkshire Police",
    "author_name": "Jo Bloggs",
    "author_role": "Detective Superintendent",
    "marking": "OFFICIAL",
}


@pytest.fixture
def lines(db):
    for n in range(3):
        LineFactory(first_identified=D(2021, 3 + n, 1), closed_on=D(2021, 12, 1) if n else None)


@pytest.fixture
def prepare(manager_client, django_capture_on_commit_callbacks):
    def prepare(**title_block) -> PanelReport:
        data = {"kind": "year", "year": "2021", **date_fields("as_at", "2022-01-15")}
        with django_capture_on_commit_callbacks(execute=True):
            response = manager_client.post(reverse("panel:report_create"), data | title_block)
        assert response.status_code == 302, response.content.decode()[:3000]
        return PanelReport.objects.latest("pk")

    return prepare


def section_form(client, report, key):
    response = client.get(reverse("panel:report_section", args=[report.pk, key]))
    assert response.status_code == 200
    return response.context["form"]


def save_section(client, report, key, changes: dict, **extra):
    """Posts the section's form as shown, with `changes` (sentence index -> text)."""
    form = section_form(client, report, key)
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {f"sentence_{index}": text for index, text in changes.items()} | extra
    return client.post(reverse("panel:report_section", args=[report.pk, key]), data)


def page(client, report) -> str:
    return client.get(reverse("panel:report_detail", args=[report.pk])).content.decode()


def pdf_words(client, report) -> tuple[str, list]:
    response = client.get(reverse("panel:report_pdf", args=[report.pk]))
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(p.extract_text() for p in pages).split()), pages


def test_the_sections_key_the_sections_the_report_writes():
    figures = panel_statistics(start=D(2021, 1, 1), end=D(2021, 12, 31))
    written = report_sections(
        period=YEAR_2021, as_at=AS_AT, figures=figures, previous=None, annotations=[]
    )
    assert [section.key for section in written] == [key for key, _title in SECTIONS]


def test_an_edited_sentence_survives_new_figures_and_the_change_is_marked(
    manager_client, lines, prepare
):
    report = prepare()
    form = section_form(manager_client, report, "county_lines")
    [index] = [i for i in range(len(form.sentences)) if "3 County Lines" in form.sentences[i]]
    first = form.initial[f"sentence_{index}"]
    assert "3 County Lines" in first
    mine = "Three Lines were found in 2021; one is still running."
    response = save_section(manager_client, report, "county_lines", {index: mine})
    assert response.status_code == 302
    assert mine in page(manager_client, report) and first not in page(manager_client, report)
    assert AuditEvent.objects.filter(
        action="update", object_id=str(report.pk), detail__changes__drafts__isnull=False
    ).exists()

    LineFactory(first_identified=D(2021, 8, 1))  # found later: 4 identified, 2 still active
    snapshot_compute(period=YEAR_2021, as_at=AS_AT)  # the figures computed again

    html = page(manager_client, report)
    assert mine in html  # the manager's text kept
    assert 'data-testid="figures-changed"' in html
    assert "was 3, now 4" in html and "was 1, now 2" in html
    assert 'data-testid="marked-count"' in html
    # The paper itself carries their text, never the mark.
    words, _pages = pdf_words(manager_client, report)
    assert mine in words and "Figures changed" not in words

    # Saved again without accepting: still marked. Accepted: the mark goes, the text stays.
    save_section(manager_client, report, "county_lines", {})
    assert "was 3, now 4" in page(manager_client, report)
    save_section(manager_client, report, "county_lines", {}, **{f"accept_{index}": "on"})
    html = page(manager_client, report)
    assert mine in html and 'data-testid="figures-changed"' not in html


def test_a_sentence_left_empty_is_left_out_and_stays_out(manager_client, lines, prepare):
    report = prepare()
    form = section_form(manager_client, report, "county_lines")
    last = len(form.sentences) - 1
    dropped = form.initial[f"sentence_{last}"]
    save_section(manager_client, report, "county_lines", {last: ""})
    LineFactory(first_identified=D(2021, 8, 1))
    snapshot_compute(period=YEAR_2021, as_at=AS_AT)

    html = page(manager_client, report)
    assert dropped not in html
    assert (
        "Left out"
        in section_form(manager_client, report, "county_lines").fields[f"sentence_{last}"].help_text
    )


def test_a_section_left_out_or_moved_stays_so_on_the_page_in_the_pdf_word_and_csv(
    manager_client, lines, prepare
):
    report = prepare()
    arrange = lambda key, action: manager_client.post(  # noqa: E731
        reverse("panel:report_section_arrange", args=[report.pk, key]),
        {"action": action, "version": PanelReport.objects.get(pk=report.pk).version},
    )
    safeguarding = section_form(manager_client, report, "safeguarding").initial["sentence_0"]
    county = section_form(manager_client, report, "county_lines").initial["sentence_0"]
    deaths = section_form(manager_client, report, "drug_deaths").initial["sentence_0"]

    assert arrange("safeguarding", "leave_out").status_code == 302
    assert arrange("appendix", "leave_out").status_code == 302  # where the tables are
    assert arrange("drug_deaths", "up").status_code == 302  # past safeguarding, left out
    assert arrange("drug_deaths", "up").status_code == 302
    assert arrange("drug_deaths", "up").status_code == 302  # now above County Lines
    snapshot_compute(period=YEAR_2021, as_at=AS_AT)  # regenerating changes none of it

    response = manager_client.get(reverse("panel:report_detail", args=[report.pk]))
    keys = [section.key for section in response.context["sections"]]
    assert keys == [
        "drug_offences",
        "drug_deaths",
        "county_lines",
        "enforcement",
        "funding",
        "strategy",
    ]
    html = response.content.decode()
    assert safeguarding not in html and 'data-testid="left-out"' in html
    assert html.index(deaths) < html.index(county)

    words, _pages = pdf_words(manager_client, report)
    assert safeguarding not in words
    assert words.index(deaths) < words.index(county)
    word = docx.Document(
        io.BytesIO(manager_client.get(reverse("panel:report_docx", args=[report.pk])).content)
    )
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 2"]
    titles = dict(SECTIONS)
    assert titles["safeguarding"] not in headings and titles["appendix"] not in headings
    assert headings.index(titles["drug_deaths"]) < headings.index(titles["county_lines"])
    text = " ".join(p.text for p in word.paragraphs)
    assert safeguarding not in text and text.index(deaths) < text.index(county)
    csv = manager_client.get(reverse("panel:report_table", args=[report.pk, "safeguarding"]))
    assert csv.status_code == 404  # its section's table is left out with it

    assert arrange("safeguarding", "put_back").status_code == 302
    assert arrange("appendix", "put_back").status_code == 302
    assert safeguarding in page(manager_client, report)
    assert (
        manager_client.get(
            reverse("panel:report_table", args=[report.pk, "safeguarding"])
        ).status_code
        == 200
    )


def test_moving_over_an_older_version_is_refused_and_said(manager_client, lines, prepare):
    report = prepare()
    stale = report.version
    manager_client.post(
        reverse("panel:report_section_arrange", args=[report.pk, "enforcement"]),
        {"action": "up", "version": stale},
    )
    response = manager_client.post(
        reverse("panel:report_section_arrange", args=[report.pk, "drug_deaths"]),
        {"action": "leave_out", "version": stale},
        follow=True,
    )
    assert "Someone else changed this report" in response.content.decode()
    assert PanelReport.objects.get(pk=report.pk).sections_left_out == []


def test_the_section_form_shows_an_edit_conflict(manager_client, lines, prepare):
    report = prepare()
    form = section_form(manager_client, report, "county_lines")
    stale = {name: value for name, value in form.initial.items() if value is not None}
    save_section(manager_client, report, "county_lines", {0: "Mine."})

    response = manager_client.post(
        reverse("panel:report_section", args=[report.pk, "county_lines"]),
        stale | {"sentence_0": "Theirs."},
    )
    assert response.status_code == 200
    assert 'data-testid="edit-conflict"' in response.content.decode()
    assert "Mine." in page(manager_client, report)


def test_the_title_block_is_on_the_first_page_and_offered_for_the_next_report(
    manager_client, lines, prepare
):
    report = prepare(**TITLE_BLOCK, **date_fields("meeting_date", "2022-01-27"))
    assert report.meeting_date == D(2022, 1, 27) and report.author_name == "Jo Bloggs"

    html = page(manager_client, report)
    assert 'data-testid="title-block"' in html and "Jo Bloggs" in html
    words, pages = pdf_words(manager_client, report)
    first = " ".join(pages[0].extract_text().split())
    for value in ("North Yorkshire Police, Fire and Crime Panel", "27 January 2022", "Jo Bloggs"):
        assert value in first
    assert "Detective Superintendent" in first and "computed" not in words
    assert all("OFFICIAL" in p.extract_text() for p in pages)
    assert "OFFICIAL-SENSITIVE" not in words  # the report's own marking
    word = docx.Document(
        io.BytesIO(manager_client.get(reverse("panel:report_docx", args=[report.pk])).content)
    )
    [block] = word.tables[:1]
    rows = {row.cells[0].text: row.cells[1].text for row in block.rows}
    assert rows["Panel"] == "North Yorkshire Police, Fire and Crime Panel"
    assert rows["Meeting date"] == "27 January 2022" and rows["Agenda item"] == "7"
    assert rows["Author"] == "Jo Bloggs, Detective Superintendent"
    assert (
        rows["Marking"] == "OFFICIAL" and word.sections[0].header.paragraphs[0].text == "OFFICIAL"
    )

    offered = manager_client.get(reverse("panel:report_create")).context["form"].initial
    for name, value in TITLE_BLOCK.items():
        assert offered[name] == value, name
    assert "meeting_date" not in offered  # the next meeting is another day

    shown = manager_client.get(reverse("panel:report_title_block", args=[report.pk]))
    assert shown.context["form"].initial["author_name"] == "Jo Bloggs"  # opens as it is
    assert shown.context["form"].initial["meeting_date"] == D(2022, 1, 27)
    response = manager_client.post(
        reverse("panel:report_title_block", args=[report.pk]),
        {
            **TITLE_BLOCK,
            "agenda_item": "8",
            **date_fields("meeting_date", "2022-02-03"),
            "version": report.version,
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.agenda_item, report.meeting_date) == ("8", D(2022, 2, 3))
    assert AuditEvent.objects.filter(
        action="update", object_id=str(report.pk), detail__changes__agenda_item__isnull=False
    ).exists()


def test_publishing_freezes_the_title_block_the_text_and_the_figures(
    manager_client, lines, prepare
):
    report = prepare(**TITLE_BLOCK)
    mine = "Three Lines were found in 2021."
    save_section(manager_client, report, "county_lines", {0: mine})
    manager_client.post(
        reverse("panel:report_section_arrange", args=[report.pk, "safeguarding"]),
        {"action": "leave_out", "version": PanelReport.objects.get(pk=report.pk).version},
    )
    enforcement = section_form(manager_client, report, "enforcement").initial["sentence_0"]
    manager_client.post(reverse("panel:report_publish", args=[report.pk]))
    report.refresh_from_db()
    assert report.is_published and mine in report.published_sentences["county_lines"]
    before = page(manager_client, report)

    LineFactory(first_identified=D(2021, 8, 1))
    snapshot_compute(period=YEAR_2021, as_at=AS_AT)
    # Even were the stored draft changed, the published text is what it was.
    PanelReport.objects.filter(pk=report.pk).update(drafts={})

    html = page(manager_client, report)
    assert mine in html and enforcement in html
    assert 'data-testid="figures-changed"' not in html and "section-safeguarding" not in html
    assert 'data-testid="controls-' not in html  # nothing to move or change
    assert html.count("Three Lines") == before.count("Three Lines")
    words, _pages = pdf_words(manager_client, report)
    assert mine in words and "Jo Bloggs" in words

    for url, data in [
        (reverse("panel:report_title_block", args=[report.pk]), {**TITLE_BLOCK, "title": "X"}),
        (reverse("panel:report_section", args=[report.pk, "county_lines"]), {"sentence_0": "X"}),
        (
            reverse("panel:report_section_arrange", args=[report.pk, "safeguarding"]),
            {"action": "put_back"},
        ),
    ]:
        manager_client.post(url, data | {"version": report.version})
    report.refresh_from_db()
    for name in ("report_title_block", "report_section"):
        args = [report.pk, "county_lines"] if name == "report_section" else [report.pk]
        shown = manager_client.get(reverse(f"panel:{name}", args=args), follow=True)
        assert "This report is published" in shown.content.decode()
    assert report.title == TITLE_BLOCK["title"]
    assert report.sections_left_out == ["safeguarding"]
    assert mine in page(manager_client, report)


def test_a_section_saved_after_the_figures_changed_is_refused_then_saved(
    manager_client, lines, prepare
):
    report = prepare()
    form = section_form(manager_client, report, "county_lines")
    opened = {name: value for name, value in form.initial.items() if value is not None}
    LineFactory(first_identified=D(2021, 8, 1))
    snapshot_compute(period=YEAR_2021, as_at=AS_AT)
    url = reverse("panel:report_section", args=[report.pk, "county_lines"])

    refused = manager_client.post(url, opened | {"sentence_0": "Mine."})
    assert "The figures were computed again while you were writing" in refused.content.decode()
    again = refused.context["form"].data.dict()
    assert manager_client.post(url, again).status_code == 302
    assert "Mine." in page(manager_client, report)
