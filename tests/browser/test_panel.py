"""The panel report in Chromium: a manager prepares the 2021 report; it shows both
figures with their text alternatives, fits 1280 and 320 CSS px without page-level
sideways scrolling, and axe finds nothing serious."""

import pytest

from .helpers import expect_the_2021_figures, prepare_the_2021_report, serious_violations
from .test_reflow import WIDEST, page_scrolls_sideways

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_console_errors")]


@pytest.mark.parametrize("width", [1280, 320])
def test_a_manager_prepares_the_report_and_reads_both_figures(
    page, sign_in_as, manager, figures, width
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_as(manager)
    page.get_by_role("link", name="Panel reports").first.click()
    prepare_the_2021_report(page)

    expect_the_2021_figures(page)
    assert not page_scrolls_sideways(page), page.evaluate(WIDEST)
    serious = serious_violations(page)
    assert serious == []


def test_on_a_phone_the_figures_keep_a_readable_width_and_scroll_in_their_region(
    page, sign_in_as, manager, figures
):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_as(manager)
    page.get_by_role("link", name="Panel reports").first.click()
    prepare_the_2021_report(page)
    expect_the_2021_figures(page)

    for number in (1, 2):
        figure = page.get_by_test_id(f"figure-{number}")
        image = figure.get_by_role("img").bounding_box()
        region = figure.get_by_role("region", name=f"Figure {number}").bounding_box()
        # Drawn 6.8 inches wide with 9 pt text: at 460 px or more it reads at 9 px or more.
        assert image["width"] >= 460, number
        assert region["width"] < image["width"], number  # it scrolls, not the page
    assert not page_scrolls_sideways(page), page.evaluate(WIDEST)
