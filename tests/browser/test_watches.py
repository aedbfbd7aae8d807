"""An officer watches a number nobody knows yet; an import by a colleague brings it; the
header, the home page and the notifications page tell the officer, each page checked
with axe-core."""

import io
import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from imports.runner import import_csv
from tests.conftest import POLICE, make_user
from tests.imports.utils import NUMBERS_HEADER
from tests.lines.factories import LineFactory

from .helpers import Journey

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_console_errors")]


@pytest.fixture
def journey(page, request):
    return Journey(page, request.node.originalname)


def test_an_officer_watches_a_number_and_is_told_when_an_import_brings_it(
    page, journey, sign_in_as, intel
):
    line = LineFactory(reference="CL-2021-012", name="Tommy")
    colleague = make_user("colleague", Role.INTELLIGENCE_OFFICER, POLICE, "Colin League")
    sign_in_as(intel)
    expect(page.get_by_test_id("notification-count")).to_have_count(0)
    journey.step("Home, nothing new")

    page.goto("/lines/numbers/")
    page.locator("main").get_by_label("Phone number", exact=True).fill("07700 900664")
    page.locator("main").get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_test_id("number-not-known")).to_be_visible()
    journey.step("Number not known")
    page.get_by_role("button", name="Watch this number").click()
    expect(page.get_by_text("You are watching 07700 900664.")).to_be_visible()
    expect(page.get_by_role("button", name="Stop watching this number")).to_be_visible()
    journey.step("Number watched")

    # A colleague imports a file of attributions with the number among others.
    rows = [f"CL-2021-012,07700 9006{n:02d},2021-02-01," for n in range(60, 70)]
    source = io.BytesIO(("\n".join([NUMBERS_HEADER, *rows]) + "\n").encode())
    result = import_csv(
        kind="line_numbers", source=source, source_name="numbers.csv", user=colleague
    )
    assert result.ok, result.error_lines("numbers.csv")

    page.goto("/")
    expect(page.get_by_test_id("notification-count")).to_have_text("1")
    news = page.get_by_test_id("home-watch-news")
    expect(news).to_contain_text("07700 900664")
    expect(news).to_contain_text("New attribution of a number")
    journey.step("Home, one notification")

    page.get_by_test_id("notifications-link").click()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    table = page.get_by_test_id("notifications")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("07700 900664")
    journey.step("Notifications")

    table.get_by_role("link", name="New attribution of a number").click()
    expect(page).to_have_url(re.compile(rf"/lines/{line.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tommy")
    expect(page.get_by_test_id("notification-count")).to_have_count(0)
    journey.step("The line that used it")

    page.goto("/notifications/")
    page.get_by_role("link", name="See what you watch").click()
    expect(page.get_by_test_id("watches")).to_contain_text("07700 900664")
    page.get_by_role("button", name="E-mail me about 07700 900664").click()
    expect(page.get_by_text("You will be e-mailed when 07700 900664 has news.")).to_be_visible()
    journey.step("What you watch, e-mailed")
