"""Every main page passes the axe-core accessibility rules (WCAG 2.2 A and AA) in Chromium,
whatever their impact (helpers.axe_violations)."""

import pytest
from django.urls import reverse

from tests.lines.factories import IntelligenceEntryFactory, LineFactory, LineNumberFactory

from .helpers import axe_violations

pytestmark = pytest.mark.browser


def test_sign_in_page_with_its_error_summary(page, live_server):
    page.goto("/")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("There is a problem").wait_for()
    assert axe_violations(page) == []


def test_intelligence_officer_pages(page, live_server, sign_in_as, intel):
    line = LineFactory(summary="Cocaine and heroin sold from a cuckooed flat.")
    LineNumberFactory(line=line)
    IntelligenceEntryFactory(line=line, recorded_by=intel)
    sign_in_as(intel)
    pages = [
        reverse("web:home"),
        reverse("lines:line_list"),
        reverse("lines:line_list") + "?status=active&sort=reference",  # with selected filters
        reverse("lines:line_detail", args=[line.pk]),
        reverse("lines:line_create"),
        reverse("lines:number_search") + "?number=07712+345678",
        reverse("imports:start"),
    ]
    failures = {}
    for path in pages:
        page.goto(path)
        violations = axe_violations(page)
        if violations:
            failures[path] = violations
    assert failures == {}


def test_the_filter_shown_on_a_phone(page, live_server, sign_in_as, intel):
    LineFactory()
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in_as(intel)
    page.goto(reverse("lines:line_list") + "?status=active")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Show filter").click()
    page.get_by_role("button", name="Apply filters").wait_for()
    assert axe_violations(page) == []


def test_a_form_showing_its_errors(page, live_server, sign_in_as, intel):
    sign_in_as(intel)
    page.goto(reverse("lines:line_create"))
    page.locator("main form button[type=submit]").first.click()
    page.get_by_text("There is a problem").wait_for()

    assert axe_violations(page) == []


def test_audit_log_for_a_manager(page, live_server, sign_in_as, manager):
    sign_in_as(manager)
    page.goto(reverse("audit:event_list"))

    assert axe_violations(page) == []
