"""A MoPI review done in the browser (records.reviews): an officer opens the queue from the
home page, reviews an overdue line (keeps it until a date, for a reason), the line leaves
the queue and its timeline shows the review; every page without a serious axe-core
violation."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import Journey
from tests.helpers import fill_date
from tests.lines.factories import LineFactory
from tests.persons.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_console_errors")]


def test_an_officer_reviews_an_overdue_line_and_it_leaves_the_queue(page, sign_in_as, intel):
    today = timezone.localdate()
    LineFactory(
        reference="CL-2019-004",
        name="Dolla",
        next_review_on=today - datetime.timedelta(days=12),
        retention_reason="Line still supplying Selby",
    )
    PersonFactory(reference="P-0042", next_review_on=today + datetime.timedelta(days=9))
    keep_until = datetime.date(today.year + 2, 3, 27)
    journey = Journey(page, "mopi-review")
    sign_in_as(intel)

    due = page.get_by_test_id("home-reviews-due")
    expect(due).to_contain_text("1 overdue")
    journey.step("Home: reviews due")
    due.get_by_role("link", name="See every review due").click()

    expect(page.get_by_role("heading", name="Reviews due")).to_be_visible()
    rows = page.get_by_test_id("review-due")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("CL-2019-004")
    expect(rows.first).to_contain_text("Overdue")
    expect(rows.first).to_contain_text("Line still supplying Selby")
    journey.step("The queue, oldest first")
    rows.first.get_by_role("link", name="Review CL-2019-004").click()

    expect(page.get_by_role("heading", name="Review its retention")).to_be_visible()
    journey.step("The review form")
    page.get_by_label("Keep it until a date").check()
    fill_date(page, "Keep it until", keep_until)
    page.get_by_label("Reason").fill("Linked to Operation Nightjar, still open")
    page.get_by_role("button", name="Save the review").click()

    expect(page).to_have_url(re.compile(r"/lines/\d+/$"))
    retention = page.get_by_test_id("retention")
    expect(retention).to_contain_text(f"{keep_until.day} {keep_until:%B %Y}")
    expect(retention).not_to_contain_text("Review overdue")
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text(
        f"Retention reviewed: kept until {keep_until.day} {keep_until:%B %Y}"
    )
    expect(timeline).to_contain_text("Linked to Operation Nightjar, still open")
    expect(timeline).to_contain_text(intel.get_full_name())
    journey.step("The line, reviewed")

    page.goto("/reviews/")
    expect(page.get_by_test_id("review-due")).to_have_count(1)
    expect(page.get_by_test_id("review-due")).not_to_contain_text("CL-2019-004")
    journey.step("The queue without it")


def test_a_review_refused_shows_the_error_summary(page, sign_in_as, intel):
    line = LineFactory(next_review_on=timezone.localdate())
    journey = Journey(page, "mopi-review-refused")
    sign_in_as(intel)
    page.goto(f"/reviews/line/{line.pk}/")

    page.get_by_label("Keep it until a date").check()
    page.get_by_role("button", name="Save the review").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        ["Enter the date to keep the record until", "Enter the reason the record is kept"]
    )
    journey.step("The review's errors")
