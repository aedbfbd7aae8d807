"""The page's frame at the widths people use it: a list has the window's width at
1280 px, its columns whole; on a phone (390 × 844) the navigation waits behind a Menu
button, and is all there without JavaScript."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from lines.models import ClosureType, RiskLevel
from tests.factories import PASSWORD
from tests.lines.factories import LineFactory, command_area
from tests.operations.factories import OperationFactory, SeizureFactory

from .helpers import screenshots_dir, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_console_errors")]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# The cells whose content is wider than the cell shows (cut, or scrolled out of sight),
# and whether the table is wider than its region.
CUT_CELLS = """() => {
  const cut = [...document.querySelectorAll('[data-testid=lines] td, [data-testid=lines] th')]
    .filter(cell => cell.scrollWidth > cell.clientWidth + 1)
    .map(cell => cell.textContent.trim());
  const region = document.querySelector('.app-table-region');
  return {cut, regionScrolls: region.scrollWidth > region.clientWidth + 1};
}"""


@pytest.fixture
def many_lines(db):
    areas = [command_area("York"), command_area("Scarborough"), command_area("Ryedale")]
    for n, risk in enumerate([RiskLevel.VERY_HIGH, RiskLevel.MEDIUM, RiskLevel.HIGH] * 4):
        LineFactory(
            reference=f"NYP-CL-2021-{n:03d}",
            name=f"Brand name of a line, number {n}",
            command_areas=areas,
            first_identified=datetime.date(2021, 1 + n, 3),
            closed_on=datetime.date(2022, 1 + n, 5) if n % 3 == 0 else None,
            closure_type=ClosureType.TYPE_2 if n % 3 == 0 else "",
            risk_level=risk,
        )


def test_the_lines_list_at_1280_px_shows_every_column_whole(page, sign_in_as, intel, many_lines):
    page.set_viewport_size(DESKTOP)
    sign_in_as(intel)
    page.goto(reverse("lines:line_list"))

    measured = page.evaluate(CUT_CELLS)
    assert measured == {"cut": [], "regionScrolls": False}
    risk_cells = page.get_by_test_id("lines").locator("tbody tr td:last-child")
    assert {"Very high", "Medium", "High"} == set(risk_cells.all_inner_texts())
    # The list has the window, less its gutters; the filter a fraction of it.
    content = page.locator("main").bounding_box()
    assert content["width"] >= 1280 - 2 * 30 - 20
    filter_box = page.locator(".moj-filter-layout__filter").bounding_box()
    assert filter_box["width"] <= content["width"] / 4
    page.screenshot(path=screenshots_dir() / "lines-list-1280.png", full_page=True)


def test_a_form_keeps_the_reading_width(page, sign_in_as, intel):
    page.set_viewport_size(DESKTOP)
    sign_in_as(intel)
    page.goto(reverse("lines:line_create"))

    assert page.locator("main form").bounding_box()["width"] <= 960 * 2 / 3


def test_on_a_phone_the_navigation_is_behind_the_menu_button(page, sign_in_as, intel, many_lines):
    page.set_viewport_size(PHONE)
    sign_in_as(intel)
    page.goto(reverse("lines:line_list"))

    navigation = page.get_by_role("navigation", name="Primary navigation")
    menu = navigation.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(navigation.get_by_role("link", name="County lines")).to_be_hidden()
    expect(page.locator("#header-search")).to_be_hidden()
    # The header leaves most of the screen to the page's content.
    heading = page.get_by_role("heading", name="County lines", level=1)
    assert heading.bounding_box()["y"] < 300
    assert serious_violations(page) == []
    page.screenshot(path=screenshots_dir() / "phone-menu-closed.png")

    menu.click()

    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(navigation.get_by_role("link", name="County lines")).to_be_visible()
    expect(navigation.get_by_role("link", name="People")).to_be_visible()
    expect(page.locator("#header-search")).to_be_visible()
    expect(page.locator("label[for=header-search]")).to_be_visible()  # its label shown
    assert serious_violations(page) == []
    page.screenshot(path=screenshots_dir() / "phone-menu-open.png")

    navigation.get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", name="People", level=1)).to_be_visible()


def test_on_a_phone_without_javascript_the_navigation_is_shown(browser, live_server, intel):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_label("Username").fill(intel.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + reverse("lines:line_list"))

    navigation = page.get_by_role("navigation", name="Primary navigation")
    expect(navigation.get_by_role("button", name="Menu")).to_be_hidden()
    expect(navigation.get_by_role("link", name="County lines")).to_be_visible()
    expect(page.locator("#header-search")).to_be_visible()
    context.close()


# The figures' cells: how many rows they make, whether each has the same width, and any
# figure that wraps onto a second line.
FIGURE_GRID = """() => {
  const cells = [...document.querySelectorAll('.app-figures__item')];
  const boxes = cells.map(cell => cell.getBoundingClientRect());
  const wrapped = [...document.querySelectorAll('.app-figures__value')]
    .filter(value => value.getClientRects().length > 1 || value.scrollWidth > value.clientWidth)
    .map(value => value.textContent);
  return {
    widths: new Set(boxes.map(box => Math.round(box.width))).size,
    rows: new Set(boxes.map(box => Math.round(box.top))).size,
    wrapped,
  };
}"""


@pytest.mark.parametrize(("viewport", "rows"), [(DESKTOP, 3), (PHONE, 8)])
def test_an_operations_figures_are_an_even_grid_money_unwrapped(
    page, sign_in_as, intel, viewport, rows
):
    operation = OperationFactory(
        name="Operation Orochi",
        started_on=datetime.date(2021, 11, 8),
        ended_on=datetime.date(2021, 11, 21),
    )
    SeizureFactory(
        operation=operation, seized_on=datetime.date(2021, 11, 9), cash_gbp=Decimal("1234567.89")
    )
    page.set_viewport_size(viewport)
    sign_in_as(intel)
    page.goto(reverse("operations:operation_detail", args=[operation.pk]))

    expect(page.get_by_role("heading", level=1)).to_have_text("Operation Orochi")
    expect(page.get_by_test_id("record-summary")).to_contain_text("8 to 21 November 2021")
    grid = page.evaluate(FIGURE_GRID)
    assert grid == {"widths": 1, "rows": rows, "wrapped": []}
    expect(page.get_by_test_id("operation-figures")).to_contain_text("£1,234,567.89")
    assert serious_violations(page) == []
