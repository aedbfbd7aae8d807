"""Pages fit the window: at 1280 px beside the open filter, and at 320 CSS px (WCAG 2.2
1.4.10, reflow), with no page-level sideways scrolling; wide tables scroll inside a
region of their own. Axe finds nothing serious at either width."""

import datetime

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.factories import AuditEventFactory
from tests.lines.factories import LineFactory, LineNumberFactory, PhoneNumberFactory, command_area

from .helpers import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_console_errors")]

WIDTHS = [1280, 320]


def page_scrolls_sideways(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


WIDEST = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > width + 1)
    .filter(e => !e.parentElement.closest('.app-table-region, .app-figure__image'))
    .slice(0, 8)
    .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));
}"""


@pytest.fixture
def busy_line(db):
    line = LineFactory(
        reference="NYP-CL-2024-0117",
        name="Scouse Mike Deliveries",
        command_areas=[command_area("York"), command_area("Scarborough"), command_area("Ryedale")],
        first_identified=datetime.date(2024, 1, 15),
        summary="A long summary " * 30,
    )
    for n in range(8):
        LineNumberFactory(
            line=line,
            number=PhoneNumberFactory(e164=f"+4477009001{n:02d}"),
            attributed_from=datetime.date(2024, 1, 16 + n * 2),
            attributed_to=datetime.date(2024, 1, 17 + n * 2),
        )
    for n in range(30):
        LineFactory(reference=f"NYP-CL-2023-{n:04d}", name=f"Brand name number {n}")
    return line


def pages(line) -> list[str]:
    return [
        reverse("lines:line_list"),
        reverse("lines:line_detail", args=[line.pk]),
        reverse("lines:line_detail", args=[line.pk]) + "?print=1",
        f"{reverse('lines:number_search')}?number=07700+900100",
        reverse("audit:event_list"),
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways_and_axe_finds_nothing_serious(
    page, sign_in_as, intel, manager, busy_line, width
):
    for n in range(5):
        AuditEventFactory(
            action=AuditEvent.Action.VIEW,
            object_type="lines.line",
            object_label=f"NYP-CL-2024-0117 Scouse Mike Deliveries, a very long label {n}",
            username="a.very.long.username@north-yorkshire.police.example",
        )
    page.set_viewport_size({"width": width, "height": 900})
    for user, urls in ((intel, pages(busy_line)[:4]), (manager, pages(busy_line)[4:])):
        page.context.clear_cookies()
        sign_in_as(user)
        for url in urls:
            page.goto(url)
            assert not page_scrolls_sideways(page), (
                f"{url} scrolls sideways at {width}px: {page.evaluate(WIDEST)}"
            )
            serious = serious_violations(page)
            assert serious == [], f"{url} at {width}px: {serious}"


def boxes_overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


# Stands in for the browser's print window, counting the times a page opened it.
COUNT_PRINTS = "window.printed = 0; window.print = () => { window.printed += 1 }"


def test_the_print_button_opens_the_print_view_which_is_audited_and_printed(
    page, sign_in_as, intel, busy_line
):
    page.add_init_script(COUNT_PRINTS)
    sign_in_as(intel)
    page.goto(reverse("lines:line_detail", args=[busy_line.pk]))
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PRINT).exists()

    page.get_by_role("button", name="Print this line").click()

    page.wait_for_url("**?print=1")
    page.wait_for_function("window.printed === 1")  # once the page has loaded
    event = AuditEvent.objects.get(action=AuditEvent.Action.PRINT)
    assert (event.username, event.object_type, event.object_id) == (
        "intel",
        "lines.line",
        str(busy_line.pk),
    )
    page.get_by_role("link", name="Back to the page").click()
    page.wait_for_url(f"**{reverse('lines:line_detail', args=[busy_line.pk])}")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PRINT).count() == 1


def test_a_printed_line_is_its_content_only_without_overlaps(page, sign_in_as, intel, busy_line):
    sign_in_as(intel)
    page.goto(reverse("lines:line_detail", args=[busy_line.pk]) + "?print=1")
    assert page.get_by_test_id("print-view-bar").is_visible()

    page.emulate_media(media="print")

    for hidden in (".moj-header", ".app-primary-navigation", ".govuk-footer", ".govuk-back-link"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert not page.get_by_test_id("print-view-bar").is_visible()
    assert not page.get_by_role("button", name="Print this line").is_visible()
    assert page.locator(".app-classification-banner").first.is_visible()
    numbers = page.get_by_test_id("line-numbers").bounding_box()
    timeline = page.get_by_test_id("timeline").bounding_box()
    summary = page.get_by_test_id("line-summary").bounding_box()
    assert not boxes_overlap(numbers, timeline) and not boxes_overlap(summary, timeline)
    width = page.evaluate("document.documentElement.clientWidth")
    assert numbers["x"] + numbers["width"] <= width
    assert page.evaluate(
        "getComputedStyle(document.querySelector('a[href]'), '::after').content"
    ) in (
        "none",
        "normal",
    )


def test_a_line_page_printed_by_the_browsers_own_command_is_only_a_notice(
    page, sign_in_as, intel, busy_line
):
    sign_in_as(intel)
    page.goto(reverse("lines:line_detail", args=[busy_line.pk]))
    assert page.get_by_test_id("line-summary").is_visible()
    assert not page.get_by_test_id("print-notice").is_visible()

    page.emulate_media(media="print")

    assert page.get_by_test_id("print-notice").is_visible()
    assert page.locator(".app-classification-banner").first.is_visible()
    for record in ("line-summary", "line-numbers", "timeline"):
        assert not page.get_by_test_id(record).is_visible(), record
    assert not page.get_by_text(busy_line.name).first.is_visible()
