"""An intelligence officer profiles a number from the call data: the navigation's Call
data, the number typed (and never in the address bar or the title), the profile with its
heat map and the same figures as a table; each page checked with axe-core."""

import datetime

import pytest
from playwright.sync_api import expect

from calls.contact_months import contact_months_recompute
from calls.models import EventKind
from tests.calls.factories import CallEventFactory, SourceFactory

from .helpers import Journey

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_console_errors")]


def test_an_officer_profiles_a_number(page, sign_in_as, intel, request):
    source = SourceFactory(reference="CDR-2026-001")
    for n in range(12):
        CallEventFactory(
            source=source,
            from_number="+447700900001",
            to_number=f"+44770090010{n % 4}",
            started_at=datetime.datetime(2026, 3, 2 + n % 5, 9 + n % 3, tzinfo=datetime.UTC),
            kind=EventKind.SMS if n % 2 else EventKind.CALL,
            imei="356938035643809",
        )
    contact_months_recompute(
        first_month=datetime.date(2026, 3, 1), last_month=datetime.date(2026, 3, 1)
    )
    journey = Journey(page, request.node.originalname)
    sign_in_as(intel)

    page.get_by_role("link", name="Call data").first.click()
    journey.step("Call data")
    page.locator("main").get_by_role("link", name="Number profile").click()
    page.get_by_label("Phone number").fill("07700 900001")
    page.get_by_role("button", name="Show the profile").click()

    expect(page.get_by_test_id("profile-number")).to_have_text("07700 900001")
    assert "7700" not in page.url and "7700" not in page.title()
    expect(page.get_by_test_id("profile-events")).to_contain_text("6 calls")
    expect(
        page.get_by_role("img", name="Events by hour and day of the week, UK time")
    ).to_be_visible()
    page.get_by_text("Events by hour and day of the week, UK time: the figures").click()
    expect(page.get_by_test_id("heat-map-table")).to_be_visible()
    journey.step("Number profile")
