"""Signing in through the real form, in Chromium, against a live server."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

DEMO_ROLES = ["intel", "manager", "partner", "partner2", "administrator"]


def sign_in(page, username: str, password: str) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("role", DEMO_ROLES)
def test_each_role_signs_in_and_sees_the_home_page(
    request, page, live_server, console_errors, role
):
    user = request.getfixturevalue(role)

    sign_in(page, user.username, PASSWORD)

    # A partner's home is the safeguarding overview.
    home = reverse("safeguarding:home") if user.is_partner else "/"
    expect(page).to_have_url(live_server.url + home)
    expect(page.get_by_test_id("signed-in-user")).to_contain_text(user.get_full_name())
    expect(page.locator(".app-classification-banner").first).to_have_text(
        settings.PROTECTIVE_MARKING
    )
    # The GOV.UK and MOJ scripts loaded from static files and ran (no inline script needed).
    expect(page.locator("body")).to_have_class(
        "govuk-template__body govuk-frontend-supported js-enabled"
    )
    assert console_errors == []


def test_a_wrong_password_shows_the_error_summary(page, live_server, console_errors, intel):
    sign_in(page, "intel", "not-the-password")

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Enter a correct username and password")
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus there
    assert console_errors == []
