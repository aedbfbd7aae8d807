"""Replacing the authenticator or making new recovery codes asks for the password again
unless it was proved in the last few minutes (accounts.reauthentication): a session stolen
or left open cannot take over the second factor."""

import re
import time

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import RecoveryCode
from accounts.reauthentication import PASSWORD_PROVED_AT
from accounts.two_factor import recovery_codes_renew
from audit.models import AuditEvent
from tests.factories import PASSWORD

Action = AuditEvent.Action
SETUP = reverse("accounts:two_factor_setup")
CODES = reverse("accounts:recovery_codes")
CONFIRM = reverse("accounts:password_confirm")
VERIFY = reverse("accounts:two_factor_verify")


def code_of(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def enrolled(intel):
    device = TOTPDevice.objects.create(user=intel, name="Authenticator app", confirmed=True)
    recovery_codes_renew(intel, audited=False)
    return device


@pytest.fixture
def signed_in(intel, enrolled) -> Client:
    """intel, signed in with the password and the app's code, a moment ago."""
    client = Client()
    client.post(reverse("accounts:login"), {"username": "intel", "password": PASSWORD})
    client.post(VERIFY, {"code": code_of(enrolled)})
    return client


def left_open(client: Client, minutes: int = 6) -> None:
    """The password was last proved `minutes` ago: a session stolen, or left on a desk."""
    session = client.session
    session[PASSWORD_PROVED_AT] = time.time() - minutes * 60
    session.save()


def test_a_session_left_open_cannot_replace_the_authenticator(signed_in, intel, enrolled):
    left_open(signed_in)

    page = signed_in.get(SETUP)
    forged = signed_in.post(SETUP, {"code": "123456", "key": "made-up"})

    assert page.status_code == 302
    assert page["Location"] == f"{CONFIRM}?next=%2Faccounts%2Ftwo-factor%2Fset-up%2F"
    assert forged.status_code == 302 and forged["Location"].startswith(CONFIRM)
    assert list(TOTPDevice.objects.filter(user=intel)) == [enrolled]


def test_a_session_left_open_cannot_make_new_recovery_codes(signed_in, intel):
    digests = set(RecoveryCode.objects.values_list("digest", flat=True))
    left_open(signed_in)

    response = signed_in.post(CODES)

    assert response.status_code == 302
    assert response["Location"] == f"{CONFIRM}?next=%2Faccounts%2Ftwo-factor%2Frecovery-codes%2F"
    assert set(RecoveryCode.objects.values_list("digest", flat=True)) == digests
    assert not AuditEvent.objects.filter(action=Action.RECOVERY_CODES_RENEWED).exists()


def test_a_key_offered_before_the_password_was_asked_again_no_longer_works(signed_in, intel):
    page = signed_in.get(SETUP)
    signed = re.search(r'name="key" value="([^"]+)"', page.content.decode())[1]
    left_open(signed_in, minutes=1)  # the proof this session holds is another one now

    response = signed_in.post(SETUP, {"code": "123456", "key": signed})

    assert "This page has expired" in response.content.decode()
    assert TOTPDevice.objects.filter(user=intel).count() == 1


def test_signing_in_counts_as_proving_the_password(signed_in):
    assert signed_in.get(SETUP).status_code == 200
    assert signed_in.post(CODES).status_code == 200


def test_confirming_the_password_lets_the_change_go_ahead_audited(signed_in, intel):
    left_open(signed_in)
    page = signed_in.get(CONFIRM, {"next": CODES})
    assert "Confirm your password" in page.content.decode()

    response = signed_in.post(CONFIRM, {"password": PASSWORD, "next": CODES})

    assert response.status_code == 302 and response["Location"] == CODES
    assert signed_in.post(CODES).status_code == 200
    confirmed = AuditEvent.objects.get(action=Action.PASSWORD_CONFIRMED)
    assert (confirmed.user, confirmed.object_id) == (intel, str(intel.pk))


def test_the_confirmation_page_sends_nobody_to_another_site(signed_in):
    response = signed_in.post(CONFIRM, {"password": PASSWORD, "next": "https://evil.example/"})

    assert response["Location"] == reverse("web:home")


def test_a_wrong_password_is_a_failed_sign_in_audited_and_counted(signed_in):
    left_open(signed_in)

    response = signed_in.post(CONFIRM, {"password": "not-the-password", "next": CODES})

    assert "The password is not right" in response.content.decode()
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED, username="intel").count() == 1
    attempt = AccessAttempt.objects.get(username="intel")
    assert attempt.failures_since_start == 1
    assert "not-the-password" not in attempt.post_data  # which administrators can read
    assert signed_in.post(CODES)["Location"].startswith(CONFIRM)


def test_guessing_the_password_locks_the_account_and_ends_the_session(signed_in):
    left_open(signed_in)
    for _ in range(4):
        signed_in.post(CONFIRM, {"password": "not-the-password"})

    locked = signed_in.post(CONFIRM, {"password": "not-the-password"})

    assert locked.status_code == 429
    assert "Too many failed attempts" in locked.content.decode()
    assert signed_in.get(reverse("web:home"))["Location"].startswith(reverse("accounts:login"))
    assert AuditEvent.objects.filter(action=Action.LOGIN_LOCKED, username="intel").exists()


def test_the_change_password_page_is_no_place_to_guess_the_password(signed_in):
    """Its old password is checked as a sign-in is: audited, counted, and a lock ends the
    session (else whoever holds it could guess here, then confirm and take the app)."""
    change = reverse("accounts:password_change")
    wrong = {"old_password": "not-the-password", "new_password1": "x", "new_password2": "x"}
    first = signed_in.post(change, wrong)
    for _ in range(3):
        signed_in.post(change, wrong)

    locked = signed_in.post(change, wrong)

    assert "old password was entered incorrectly" in first.content.decode()
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED, username="intel").count() == 5
    assert locked.status_code == 429
    assert signed_in.get(reverse("web:home"))["Location"].startswith(reverse("accounts:login"))
