"""GOV.UK conditional reveals in Chromium: handling conditions appear under code C only,
the panel period's fields under their kind; each page checked with axe-core."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.lines.factories import LineFactory

from .helpers import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_console_errors")]


def test_handling_conditions_are_revealed_under_code_c_only(page, sign_in_as, intel):
    line = LineFactory()
    sign_in_as(intel)
    page.goto(reverse("lines:intelligence_entry_add", args=[line.pk]))

    conditions = page.get_by_label("Handling conditions")
    expect(conditions).to_be_hidden()
    assert serious_violations(page) == []

    page.get_by_label("C – lawful sharing permitted subject to conditions").check()
    expect(conditions).to_be_visible()
    expect(
        page.get_by_label("C – lawful sharing permitted subject to conditions")
    ).to_have_attribute("aria-expanded", "true")
    assert serious_violations(page) == []

    page.get_by_label("P – lawful sharing permitted").check()
    expect(conditions).to_be_hidden()


def test_the_panel_periods_fields_follow_the_kind_chosen(page, sign_in_as, manager):
    sign_in_as(manager)
    page.goto(reverse("panel:report_create"))

    quarter = page.get_by_role("combobox", name="Quarter")
    start = page.get_by_role("group", name="From")
    expect(quarter).to_be_hidden()
    expect(start).to_be_hidden()

    page.get_by_role("radio", name="Quarter").check()
    expect(quarter).to_be_visible()
    expect(start).to_be_hidden()
    page.get_by_role("radio", name="Other dates").check()
    expect(start).to_be_visible()
    expect(quarter).to_be_hidden()
    assert serious_violations(page) == []
