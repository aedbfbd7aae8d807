"""Recording a line and its numbers: an unknown number offered to a line, the new line
form's errors, a number another line used. (The whole way, from adding a line to finding
it by its number, is test_journeys.py's.)"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import search_from_the_header
from tests.helpers import fill_date
from tests.lines.factories import LineFactory, LineNumberFactory, PhoneNumberFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_console_errors")]


def test_an_unknown_number_is_not_known_and_can_be_recorded_on_a_line(page, sign_in_as, intel):
    LineFactory(reference="CL-2024-001", name="Dolla")
    sign_in_as(intel)

    search_from_the_header(page, "07911 123456")
    page.get_by_test_id("number-not-known").get_by_role(
        "link", name="Open the number search"
    ).click()

    not_known = page.get_by_test_id("number-not-known")
    expect(not_known).to_contain_text("07911 123456 is not known")
    expect(not_known.get_by_role("link", name="add the line")).to_be_visible()
    not_known.get_by_role("link", name="Record it: attribute it to a line").click()

    expect(page.get_by_role("heading", name="Which line uses this number?")).to_be_visible()
    page.get_by_label("Line reference").fill("cl-2024-001")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Attribute a number")).to_be_visible()
    expect(page.get_by_text("CL-2024-001 Dolla")).to_be_visible()
    expect(page.get_by_label("Phone number", exact=True)).to_have_value("07911 123456")


def test_the_empty_new_line_form_shows_the_error_summary_whose_links_focus_the_fields(
    page, sign_in_as, intel
):
    sign_in_as(intel)
    page.goto("/lines/new/")

    # The reference is offered already (the next free one): clear it too.
    expect(page.get_by_label("Reference")).to_have_value(
        "CL-" + page.evaluate("String(new Date().getFullYear())") + "-001"
    )
    page.get_by_label("Reference").fill("")
    page.get_by_role("button", name="Add the line").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus there
    expect(summary.get_by_role("link")).to_have_text(
        [
            "Enter the line's reference",
            "Enter the line's brand name",
            "Select the origin force",
            "Select at least one destination command area",
            "Enter the date first identified",
        ]
    )

    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Reference")).to_be_focused()
    assert page.evaluate("document.activeElement.id") == "id_reference"

    summary.get_by_role("link", name="Select at least one destination command area").click()
    areas = page.get_by_role("group", name="Destination command areas")
    expect(areas.get_by_role("checkbox").first).to_be_focused()
    assert page.evaluate("document.activeElement.id") == "id_command_areas_0"

    summary.get_by_role("link", name="Enter the date first identified").click()
    date = page.get_by_role("group", name="Date first identified")
    expect(date.get_by_label("Day")).to_be_focused()
    assert page.evaluate("document.activeElement.id") == "id_first_identified-day"


def test_a_date_with_a_missing_month_highlights_that_box_and_keeps_what_was_typed(
    page, sign_in_as, intel
):
    sign_in_as(intel)
    page.goto("/lines/new/")
    fill_date(page, "Date first identified", ("14", "", "2024"))

    page.get_by_role("button", name="Add the line").click()

    summary = page.locator(".govuk-error-summary")
    summary.get_by_role("link", name="Date first identified must include a month").click()
    date = page.get_by_role("group", name="Date first identified")
    expect(date.get_by_label("Month")).to_be_focused()
    expect(date).to_contain_text("Error: Date first identified must include a month")
    expect(date.get_by_label("Day")).to_have_value("14")
    expect(date.get_by_label("Year")).to_have_value("2024")
    expect(date.get_by_label("Month")).to_have_class(re.compile(r"\bgovuk-input--error\b"))
    expect(date.get_by_label("Day")).not_to_have_class(re.compile(r"\bgovuk-input--error\b"))


def test_a_number_another_line_used_is_saved_only_after_confirming(page, sign_in_as, intel):
    old_line = LineFactory(reference="CL-2023-007", name="Bando")
    LineNumberFactory(
        line=old_line,
        number=PhoneNumberFactory(e164="+447712345678"),
        attributed_from=datetime.date(2024, 1, 20),
        attributed_to=datetime.date(2024, 2, 29),
    )
    line = LineFactory(
        reference="CL-2024-100", name="Dolla", first_identified=datetime.date(2024, 3, 1)
    )
    sign_in_as(intel)
    page.goto(f"/lines/{line.pk}/")

    page.get_by_role("link", name="Attribute a number").click()
    page.get_by_label("Phone number", exact=True).fill("07712 345678")
    fill_date(page, "Used from", "2024-03-02")
    page.get_by_role("button", name="Attribute the number").click()

    warning = page.get_by_test_id("number-used-elsewhere")
    expect(warning).to_contain_text("Check before saving")
    expect(warning).to_contain_text("07712 345678 is or was used by another line")
    expect(warning.get_by_role("listitem")).to_have_text(
        ["CL-2023-007 Bando: 20 Jan 2024 to 29 Feb 2024"]
    )
    assert not line.attributions.exists()

    page.get_by_role("button", name="Confirm and attribute the number").click()

    expect(page.get_by_text("07712 345678 attributed to CL-2024-100.")).to_be_visible()
    expect(page.get_by_test_id("line-numbers")).to_contain_text("07712 345678")
    expect(page.get_by_test_id("related-line")).to_contain_text("CL-2023-007 Bando")
    assert line.attributions.count() == 1
