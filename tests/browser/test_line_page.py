"""A busy line's page at 1280 px: its tabs on one row, its actions in a button menu with
Print apart; and its printout, printed by Chromium itself to PDF, with the marking on
every page, who printed it at its foot, and no action links."""

import datetime
import io

import pypdf
import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from lines.models import RiskLevel
from tests.lines.factories import (
    IntelligenceEntryFactory,
    LineFactory,
    LineNumberFactory,
    PhoneNumberFactory,
    command_area,
)
from tests.lines.test_timeline import role_on
from tests.operations.factories import ArrestFactory, ChargeFactory, SeizureFactory
from tests.persons.factories import PersonFactory
from tests.safeguarding.factories import ReferralFactory

from .helpers import screenshots_dir, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_console_errors")]


@pytest.fixture
def long_line(intel):
    """A line with enough records to print on several pages."""
    line = LineFactory(
        reference="NYP-CL-2021-012",
        name="Scouse Mike Deliveries",
        command_areas=[command_area("York"), command_area("Scarborough")],
        first_identified=datetime.date(2021, 1, 4),
        risk_level=RiskLevel.VERY_HIGH,
        summary="Class A drugs sold into York from Merseyside through a cuckooed flat.",
    )
    for n in range(40):
        LineNumberFactory(
            line=line,
            number=PhoneNumberFactory(e164=f"+4477009002{n:02d}"),
            attributed_from=datetime.date(2021, 1, 5) + datetime.timedelta(days=5 * n),
            attributed_to=datetime.date(2021, 1, 9) + datetime.timedelta(days=5 * n),
        )
    for n in range(12):
        IntelligenceEntryFactory(
            line=line,
            recorded_by=intel,
            text=f"Report {n}: the line's runner was seen at the address with a holdall. " * 3,
        )
    for n in range(6):
        person = PersonFactory(surname=f"Runner{n}")
        role_on(line, person, started_on=datetime.date(2021, 2, 1 + n))
        ArrestFactory(line=line, person=person, arrested_on=datetime.date(2021, 6, 1 + n))
        ChargeFactory(line=line, person=person, charged_on=datetime.date(2021, 6, 2 + n))
    SeizureFactory(line=line, seized_on=datetime.date(2021, 6, 1))
    ReferralFactory(referred_on=datetime.date(2021, 3, 3)).suspected_lines.add(line)
    return line


# Whether the tabs are on one row: each tab's box overlaps every other's, top to bottom
# (the selected tab stands a little higher than the others).
TABS_ON_ONE_ROW = """() => {
  const boxes = [...document.querySelectorAll('.govuk-tabs__list-item')]
    .map(tab => tab.getBoundingClientRect());
  return Math.max(...boxes.map(box => box.top)) < Math.min(...boxes.map(box => box.bottom));
}"""


def test_the_line_page_at_1280_px(page, sign_in_as, intel, long_line):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_as(intel)
    page.goto(reverse("lines:line_detail", args=[long_line.pk]))

    tabs = page.locator(".govuk-tabs__list-item")
    expect(tabs).to_have_count(5)  # the call data's too, for an intelligence officer
    expect(tabs.nth(1)).to_have_text("People (6)")
    assert page.evaluate(TABS_ON_ONE_ROW)

    actions = page.get_by_test_id("line-actions")
    expect(actions.get_by_role("link", name="Attribute a number")).to_be_visible()
    close = actions.get_by_role("link", name="Close the line")
    expect(close).to_be_hidden()  # in the menu, until it is opened
    print_button = actions.get_by_role("button", name="Print this line")
    expect(print_button).to_be_visible()
    menu = actions.get_by_role("button", name="More actions")
    menu.click()
    expect(close).to_be_visible()
    expect(actions.get_by_role("link", name="Change details")).to_be_visible()
    # Print is not in the menu, and stands apart from Close the line.
    assert page.get_by_test_id("line-action-menu").get_by_text("Print").count() == 0
    close_box, print_box = close.bounding_box(), print_button.bounding_box()
    assert print_box["x"] - (close_box["x"] + close_box["width"]) > 100
    assert serious_violations(page) == []
    page.screenshot(path=screenshots_dir() / "line-page-1280.png", full_page=True)

    # One timeline: numbers, people, enforcement, intelligence and referrals.
    kinds = set(
        page.get_by_test_id("timeline")
        .locator("[data-event]")
        .evaluate_all("items => items.map(item => item.dataset.event)")
    )
    assert {"number_attributed", "person_on_line", "arrested", "charged", "seized"} <= kinds
    assert {"intelligence_added", "referral", "identified"} <= kinds

    close.click()
    expect(page.get_by_role("heading", name="Close the line")).to_be_visible()


def printed_pages(page) -> list[str]:
    """The text of each page of the page printed by Chromium to an A4 PDF, as its Print
    command would print it (print media, `@page` and its margin boxes)."""
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    return [sheet.extract_text() for sheet in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_a_long_line_printed_by_the_browser_has_the_marking_on_every_page(
    page, sign_in_as, intel, long_line
):
    sign_in_as(intel)
    page.add_init_script("window.print = () => {}")  # the PDF stands for the print window
    page.goto(reverse("lines:line_detail", args=[long_line.pk]) + "?print=1")

    pages = printed_pages(page)

    assert len(pages) >= 3
    marking = settings.PROTECTIVE_MARKING
    assert [n for n, text in enumerate(pages, 1) if marking not in text] == []
    assert "Printed by Ingrid Telford on " in pages[-1]
    everything = "\n".join(pages)
    for record in ("07700 900239", "Report 11", "RUNNER5", "Cuckooing referral"):
        assert record in everything
    for action in ("Change end", "Attribute a number", "Close the line", "Back to the page"):
        assert action not in everything
    assert "Who has viewed" not in everything


def test_a_printed_table_is_in_the_bodys_font_size(page, sign_in_as, intel, long_line):
    sign_in_as(intel)
    page.add_init_script("window.print = () => {}")
    page.goto(reverse("lines:line_detail", args=[long_line.pk]) + "?print=1")
    page.emulate_media(media="print")

    sizes = page.evaluate(
        """() => ['[data-testid=line-summary] dd', '[data-testid=line-numbers] td',
                  '[data-testid=line-enforcement] td', '[data-testid=intelligence-entry] p']
          .map(selector => getComputedStyle(document.querySelector(selector)).fontSize)"""
    )
    assert len(set(sizes)) == 1, sizes
