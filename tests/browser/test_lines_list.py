"""The lines list: filter it, sort it, and export exactly what it shows."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lines.models import ClosureType
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
    expect(page.get_by_test_id("line-count")).to_have_text("4 lines.")

    page.get_by_label("York", exact=True).check()
    page.get_by_label("Active", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()

    expect(page.get_by_test_id("line-count")).to_have_text("2 lines.")
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

    assert download.suggested_filename == f"lines-{timezone.localdate():%Y-%m-%d}.csv"
    rows = list(csv.DictReader(io.StringIO(download.path().read_text(encoding="utf-8-sig"))))
    assert [row["reference"] for row in rows] == listed_references(page).all_inner_texts()
    assert [(row["name"], row["status"], row["command_areas"]) for row in rows] == [
        ("Bando", "active", "Selby; York"),
        ("Dolla", "active", "York"),
    ]
