"""The panel report in Chromium: a manager prepares the 2021 report; it shows both
figures with their text alternatives, fits 1280 and 320 CSS px without page-level
sideways scrolling, and axe finds nothing serious."""

import pytest
from playwright.sync_api import expect

from ..helpers import fill_date
from .helpers import serious_violations
from .test_reflow import WIDEST, page_scrolls_sideways

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_console_errors")]


@pytest.mark.parametrize("width", [1280, 320])
def test_a_manager_prepares_the_report_and_reads_both_figures(
    page, sign_in_as, manager, figures, width
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_as(manager)
    page.get_by_role("link", name="Panel reports").first.click()
    page.get_by_role("link", name="Prepare a report").click()
    page.get_by_label("Calendar year").check()
    page.locator("#id_year").fill("2021")
    fill_date(page, "Figures as at", "2022-01-15")
    page.get_by_role("button", name="Prepare the report").click()

    expect(page.get_by_test_id("section-county_lines")).to_contain_text(
        "In 2021, 3 County Lines were identified, of which 3 remain active."
    )
    for number in (1, 2):
        image = page.get_by_test_id(f"figure-{number}").get_by_role("img")
        expect(image).to_be_visible()
        assert image.get_attribute("alt")
        assert page.evaluate("(img) => img.naturalWidth", image.element_handle()) > 0
    assert not page_scrolls_sideways(page), page.evaluate(WIDEST)
    serious = serious_violations(page)
    assert serious == []
