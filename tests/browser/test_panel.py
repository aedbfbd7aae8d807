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
