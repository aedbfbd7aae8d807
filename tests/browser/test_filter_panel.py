"""The MOJ filter on the lines list: selected filters as removable tags, and on a phone
the filter hidden until "Show filter" is pressed."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.lines.factories import LineFactory, command_area

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_console_errors")]

PHONE = {"width": 375, "height": 800}


@pytest.fixture
def lines(db):
    """Into York: one active line and one closed; into Selby: one active line."""
    york, selby = command_area("York"), command_area("Selby")
    LineFactory(reference="CL-0001", command_areas=[york])
    LineFactory(reference="CL-0002", command_areas=[selby])
    LineFactory(reference="CL-0003", command_areas=[york], closed_on=datetime.date(2024, 3, 1))


def tags(page):
    return page.get_by_test_id("selected-filters").locator(".moj-filter__tag")


ACTIVE = "Remove this filter, Status: Active"
YORK = "Remove this filter, Destination command area: York"


def line_count(page):
    return page.get_by_test_id("list-count")


def test_remove_one_of_two_selected_filters(page, sign_in_as, intel, lines):
    sign_in_as(intel)
    page.goto("/lines/?sort=reference")
    expect(line_count(page)).to_have_text("3 lines")
    expect(page.get_by_test_id("selected-filters")).to_have_count(0)

    page.get_by_label("York", exact=True).check()
    page.get_by_label("Active", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()

    expect(line_count(page)).to_have_text("1 line")
    expect(tags(page)).to_have_text([ACTIVE, YORK])
    york = page.get_by_role("link", name=YORK)
    href = urlsplit(york.get_attribute("href"))
    assert href.path == "/lines/"
    assert parse_qs(href.query) == {"status": ["active"], "sort": ["reference"]}

    york.click()

    expect(line_count(page)).to_have_text("2 lines")  # the active lines, wherever they go
    expect(tags(page)).to_have_text([ACTIVE])
    expect(page.get_by_label("York", exact=True)).not_to_be_checked()
    expect(page.get_by_label("Active", exact=True)).to_be_checked()
    assert parse_qs(urlsplit(page.url).query) == {"status": ["active"], "sort": ["reference"]}

    page.get_by_role("link", name="Clear filters").first.click()
    expect(line_count(page)).to_have_text("3 lines")
    expect(page.get_by_test_id("selected-filters")).to_have_count(0)
    assert page.url.endswith("/lines/?sort=reference")  # the order is kept


def test_on_a_phone_the_filter_is_hidden_until_shown(page, sign_in_as, intel, lines):
    page.set_viewport_size(PHONE)
    sign_in_as(intel)
    page.goto("/lines/?status=active")

    apply = page.get_by_role("button", name="Apply filters")
    show = page.get_by_role("button", name="Show filter")
    expect(show).to_have_attribute("aria-expanded", "false")
    expect(apply).to_be_hidden()
    expect(tags(page)).to_have_count(1)
    expect(tags(page)).to_be_hidden()
    expect(line_count(page)).to_be_visible()

    show.click()

    expect(apply).to_be_visible()
    expect(tags(page)).to_have_text([ACTIVE])
    hide = page.get_by_role("button", name="Hide filter")
    expect(hide).to_have_attribute("aria-expanded", "true")

    page.get_by_role("button", name="Close").click()
    expect(apply).to_be_hidden()
    expect(page.get_by_role("button", name="Show filter")).to_be_focused()


def test_on_a_desktop_the_filter_starts_shown_and_can_be_hidden(page, sign_in_as, intel, lines):
    sign_in_as(intel)
    page.goto("/lines/")

    apply = page.get_by_role("button", name="Apply filters")
    expect(apply).to_be_visible()
    expect(page.get_by_role("button", name="Close")).to_have_count(0)

    page.get_by_role("button", name="Hide filter").click()
    expect(apply).to_be_hidden()
    # The results take the filter's column.
    table = page.get_by_test_id("lines").bounding_box()
    main = page.locator("main").bounding_box()
    assert table["x"] == pytest.approx(main["x"], abs=1)


def test_on_a_phone_an_error_summary_link_shows_the_filter(page, sign_in_as, intel, lines):
    page.set_viewport_size(PHONE)
    sign_in_as(intel)
    page.goto("/lines/?origin_force=999999")

    origin_force = page.get_by_label("Origin force")
    expect(origin_force).to_be_hidden()
    page.locator(".govuk-error-summary a").first.click()

    expect(origin_force).to_be_visible()
    expect(origin_force).to_be_focused()
