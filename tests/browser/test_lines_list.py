"""The lines list: filter it, sort it, and export exactly what it shows."""

import csv
import datetime
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lines.models import ClosureType
from tests.helpers import fill_date
from tests.lines.factories import LineFactory, command_area

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_console_errors")]


@pytest.fixture
def lines(db):
    """Two active lines into York, one into Selby only, one into York but closed."""
    york, selby = command_area("York"), command_area("Selby")
    LineFactory(
        reference="CL-0001",
        name="Dolla",
        first_identified=datetime.date(2024, 1, 10),
        command_areas=[york],
    )
    LineFactory(
        reference="CL-0002",
        name="Bando",
        first_identified=datetime.date(2024, 2, 10),
        command_areas=[york, selby],
    )
    LineFactory(reference="CL-0003", name="Tiny", command_areas=[selby])
    LineFactory(
        reference="CL-0004",
        name="Ghost",
        command_areas=[york],
        closed_on=datetime.date(2024, 3, 1),
        closure_type=ClosureType.TYPE_2,
    )


def listed_references(page):
    return page.get_by_test_id("lines").locator("tbody tr td:first-child a")


def column_header(page, column: str):
    return page.get_by_role("columnheader", name=column, exact=True)


def test_filter_sort_and_export_what_is_shown(page, sign_in_as, intel, lines):
    sign_in_as(intel)
    page.goto("/lines/")
    expect(page.get_by_test_id("list-count")).to_have_text("4 lines")

    page.get_by_label("York", exact=True).check()
    page.get_by_label("Active", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()

    expect(page.get_by_test_id("list-count")).to_have_text("2 lines")
    expect(listed_references(page)).to_have_text(["CL-0002", "CL-0001"])  # newest first
    expect(column_header(page, "Identified")).to_have_attribute("aria-sort", "descending")
    expect(column_header(page, "Line")).to_have_attribute("aria-sort", "none")

    page.get_by_role("link", name="Line", exact=True).click()
    expect(column_header(page, "Line")).to_have_attribute("aria-sort", "ascending")
    expect(column_header(page, "Identified")).to_have_attribute("aria-sort", "none")
    expect(listed_references(page)).to_have_text(["CL-0001", "CL-0002"])

    page.get_by_role("link", name="Line", exact=True).click()
    expect(column_header(page, "Line")).to_have_attribute("aria-sort", "descending")
    expect(listed_references(page)).to_have_text(["CL-0002", "CL-0001"])
    # The filters are kept while sorting.
    expect(page.get_by_label("York", exact=True)).to_be_checked()
    expect(page.get_by_label("Active", exact=True)).to_be_checked()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export these lines as CSV").click()
    download = download_info.value

    assert download.suggested_filename == (
        f"lines-OFFICIAL-SENSITIVE-{timezone.localdate():%Y-%m-%d}.csv"
    )
    rows = list(csv.DictReader(io.StringIO(download.path().read_text(encoding="utf-8-sig"))))
    assert [row["reference"] for row in rows] == listed_references(page).all_inner_texts()
    assert [(row["name"], row["status"], row["command_areas"]) for row in rows] == [
        ("Bando", "Active", "Selby; York"),
        ("Dolla", "Active", "York"),
    ]


def test_filter_by_a_date_range_typed_as_day_month_and_year(page, sign_in_as, intel, lines):
    sign_in_as(intel)
    page.goto("/lines/")

    fill_date(page, "First identified from", ("16", "jan", "2024"))
    fill_date(page, "First identified to", ("29", "2", "2024"))
    page.get_by_role("button", name="Apply filters").click()

    expect(listed_references(page)).to_have_text(["CL-0002"])
    expect(page).to_have_url(re.compile(r"identified_from-month=jan&identified_from-year=2024"))
    identified_to = page.get_by_role("group", name="First identified to")
    expect(identified_to.get_by_label("Day")).to_have_value("29")

    # Sorting keeps the dates; a date that cannot be right is an error, not ignored.
    page.get_by_role("link", name="Line", exact=True).click()
    expect(listed_references(page)).to_have_text(["CL-0002"])
    fill_date(page, "First identified to", ("30", "2", "2024"))
    page.get_by_role("button", name="Apply filters").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The end of the identified date range must be a real date")
    summary.get_by_role("link").first.click()
    expect(identified_to.get_by_label("Day")).to_be_focused()
