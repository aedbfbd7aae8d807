"""A new member of staff's first day, in Chromium: an administrator adds the account on
the admin site (no password asked), the invitation arrives, the new user chooses their
password, signs in, types their authenticator's key, keeps their recovery codes and
reaches the home page. Each page is screenshotted and checked by axe-core
(helpers.Journey)."""

import re
from base64 import b32decode

import pytest
from django.core import mail
from django_otp.oath import totp
from playwright.sync_api import expect

from .helpers import Journey, sign_in_with_password

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_console_errors")]

NEW_PASSWORD = "a-long-new-pass-phrase"


def test_a_new_user_chooses_their_own_password_and_sets_up_their_authenticator(
    page, request, administrator, settings, console_errors
):
    settings.TWO_FACTOR_REQUIRED = False  # the administrator has no app; asked of the new user
    journey = Journey(page, request.node.originalname)
    page.goto("/admin/accounts/user/add/")
    sign_in_with_password(page, administrator)
    expect(page.get_by_label("Password")).to_have_count(0)
    page.get_by_label("Username").fill("nstarter")
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Last name").fill("Starter")
    page.get_by_label("Email address").fill("nia.starter@example.invalid")
    page.get_by_label("Role").select_option("Intelligence officer")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("An invitation to choose a password has been sent")).to_be_visible()
    page.context.clear_cookies()  # the new user, at their own desk
    # Django's own admin pages ask for /favicon.ico, which the service does not serve.
    console_errors.clear()

    (invitation,) = mail.outbox
    link = re.search(r"http://\S+/accounts/invitation/\S+/", invitation.body)[0]
    settings.TWO_FACTOR_REQUIRED = True
    page.goto(link)
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
    journey.step("Choose your password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save password").click()

    expect(page.get_by_text("Your password is saved")).to_be_visible()
    journey.step("Sign in")
    page.get_by_label("Username").fill("nstarter")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    journey.step("Set up your authenticator app")
    page.get_by_text("I cannot scan the QR code").click()
    key = page.get_by_test_id("secret-key").inner_text().replace(" ", "")
    page.get_by_label("Code").fill(f"{totp(b32decode(key)):06d}")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Your authenticator app is set up")).to_be_visible()
    codes = page.get_by_test_id("recovery-codes").locator("li")
    expect(codes).to_have_count(10)
    expect(codes.first).to_have_text(re.compile(r"^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$"))
    journey.step("Recovery codes")
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_test_id("signed-in-user")).to_contain_text("Nia Starter")
