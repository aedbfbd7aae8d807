"""`manage.py panel_report` (interfaces.md §6): the panel paper of a period as HTML, PDF
or Word, a fresh draft; one line `wrote PATH`; bad input named; audited as a download,
naming the command and the operating-system user."""

import datetime
import getpass
import io
import os
import re

import docx
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from audit.models import AuditEvent
from panel.models import PanelReport, StatisticsSnapshot
from panel.periods import year_of
from panel.services import report_create, report_paragraphs_update
from tests.helpers import run_python
from tests.lines.factories import LineFactory

pytestmark = pytest.mark.django_db
YEAR = ["--start", "2021-01-01", "--end", "2021-12-31", "--as-at", "2022-01-15"]


@pytest.fixture
def lines(db):
    for n in range(3):
        LineFactory(first_identified=datetime.date(2021, 3 + n, 1))


def run(*args) -> str:
    out = io.StringIO()
    call_command("panel_report", *args, stdout=out)
    return out.getvalue()


def test_it_writes_the_word_paper_of_a_period(tmp_path, lines):
    path = tmp_path / "paper.docx"

    out = run(*YEAR, "--format", "docx", "--output", str(path), "--title", "Drugs and County Lines")

    assert out == f"wrote {path}\n"
    word = docx.Document(str(path))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Drugs and County Lines"
    assert "County Lines" in headings
    text = "\n".join(p.text for p in word.paragraphs)
    assert "In 2021, 3 County Lines were identified, of which 3 remain active." in text
    title_block = {row.cells[0].text: row.cells[1].text for row in word.tables[0].rows}
    assert title_block["Figures as at"] == "15 January 2022"
    assert not PanelReport.objects.exists()  # a paper, not a report to keep
    assert StatisticsSnapshot.objects.filter(start=datetime.date(2021, 1, 1)).exists()


def test_the_pdf_and_html_are_the_same_paper(tmp_path, lines):
    pdf, html = tmp_path / "paper.pdf", tmp_path / "paper.html"

    run(*YEAR, "--format", "pdf", "--output", str(pdf), "--meeting-date", "2022-01-27")
    run(*YEAR, "--format", "html", "--output", str(html))

    pages = [" ".join(page.extract_text().split()) for page in PdfReader(str(pdf)).pages]
    assert "Police, Fire and Crime Panel report: 2021" in pages[0]
    assert "Meeting date 27 January 2022" in pages[0]
    for page in pages:
        assert settings.PROTECTIVE_MARKING in page
    text = html.read_text()
    assert text.startswith("<!DOCTYPE html>")
    assert "In 2021, 3 County Lines were identified, of which 3 remain active." in text


def test_it_is_a_fresh_draft_without_a_managers_edits(tmp_path, lines, manager):
    report = report_create(
        user=manager, period=year_of(datetime.date(2021, 1, 1)), as_at=datetime.date(2022, 1, 15)
    )
    report_paragraphs_update(
        report=report, user=manager, paragraphs={"county_lines": "A manager's own words."}
    )
    path = tmp_path / "paper.html"

    run(*YEAR, "--format", "html", "--output", str(path))

    assert "own words" not in path.read_text()


def test_it_is_audited_naming_the_command_and_the_system_user(tmp_path, lines):
    path = tmp_path / "paper.docx"

    run(*YEAR, "--format", "docx", "--output", str(path))

    event = AuditEvent.objects.get(action="export")
    assert event.user is None
    assert (event.object_type, event.object_label) == (
        "panel.panelreport",
        "Police, Fire and Crime Panel report: 2021",
    )
    assert event.detail == {
        "format": "docx",
        "start": "2021-01-01",
        "end": "2021-12-31",
        "as_at": "2022-01-15",
        "output": str(path),
        "via": "manage.py panel_report",
        "system_user": getpass.getuser(),
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--start", "2021-13-01", "--end", "2021-12-31"], "--start: “2021-13-01” is not a date"),
        (["--start", "2021-01-01", "--end", "31/12/2021"], "--end: “31/12/2021” is not a date"),
        ([*YEAR[:4], "--as-at", "soon"], "--as-at: “soon” is not a date"),
        (
            ["--start", "2021-12-31", "--end", "2021-01-01"],
            "--end: 2021-01-01 is before the start (2021-12-31).",
        ),
        (
            [*YEAR[:4], "--as-at", "2021-06-01"],
            "--as-at: 2021-06-01 is before the end (2021-12-31).",
        ),
        ([*YEAR, "--meeting-date", "next week"], "--meeting-date: “next week” is not a date"),
        ([*YEAR, "--title", "x" * 201], "--title: at most 200 characters"),
    ],
)
def test_bad_input_names_the_argument_and_writes_nothing(tmp_path, args, message):
    path = tmp_path / "paper.pdf"

    with pytest.raises(CommandError, match=re.escape(message)):
        run(*args, "--format", "pdf", "--output", str(path))

    assert not path.exists()
    assert not AuditEvent.objects.filter(action="export").exists()


def test_an_output_folder_that_does_not_exist_is_named(tmp_path):
    with pytest.raises(CommandError, match=r"--output: the folder .*nowhere does not exist"):
        run(*YEAR, "--format", "pdf", "--output", str(tmp_path / "nowhere" / "paper.pdf"))


def test_from_the_shell_a_bad_format_exits_non_zero_naming_it(tmp_path):
    path = tmp_path / "paper.docx"

    bad = run_python(
        ["manage.py", "panel_report", *YEAR, "--format", "xlsx", "--output", str(path)],
        environment=dict(os.environ),
    )

    assert bad.returncode != 0
    assert "--format" in bad.stderr and "invalid choice: 'xlsx'" in bad.stderr
    assert not path.exists()
