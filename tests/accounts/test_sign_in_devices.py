"""Strangers sharing an address (an office, a council's network) cannot keep out a user on a
browser they have signed in from before: that browser carries a device cookie
(accounts/devices.py) and answers only to a lock of its own (accounts/lockout.py). Other
browsers there are refused at once while the address is locked (429 with Retry-After,
longer each time), without their password being checked, and nothing sleeps."""

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core import signing
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.devices import SALT
from accounts.two_factor import AUTHENTICATOR_APP
from audit.models import AuditEvent
from tests.factories import PASSWORD
from tests.helpers import sign_in_url

OFFICE = "198.51.100.40"
VERIFY = reverse("accounts:two_factor_verify")


def browser() -> Client:
    return Client(REMOTE_ADDR=OFFICE)


def sign_in(client: Client, username: str, password: str = PASSWORD):
    return client.post(sign_in_url(), {"username": username, "password": password})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def signed_in_before(username: str) -> Client:
    """A browser at the office in which `username` signed in, then signed out."""
    return signed_in_before_with(username, PASSWORD)


def signed_in_before_with(username: str, password: str) -> Client:
    client = browser()
    assert sign_in(client, username, password).status_code == 302
    client.post(reverse("accounts:logout"))
    assert not signed_in(client)
    assert settings.SIGN_IN_DEVICE_COOKIE_NAME in client.cookies
    return client


def strangers_guess_made_up_usernames(times: int = 25, start: int = 0) -> None:
    stranger = browser()
    for number in range(start, start + times):
        sign_in(stranger, f"made-up-{number}", "a-guess-1234")


def time_passes(minutes: int) -> None:
    """As if the recorded failures had happened `minutes` earlier."""
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=minutes)
        attempt.save(update_fields=["attempt_time"])


def retry_after(response) -> int:
    return int(response["Retry-After"])


def code_of(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=drift):06d}"


def assert_no_password_checked(monkeypatch) -> None:
    def authenticate(*args, **kwargs):
        raise AssertionError("a password was checked while the address was locked")

    monkeypatch.setattr(ModelBackend, "authenticate", authenticate)


def test_the_address_lock_does_not_keep_out_a_browser_that_signed_in_before(intel, manager):
    own_browser = signed_in_before("intel")
    strangers_guess_made_up_usernames()
    assert sign_in(browser(), "manager").status_code == 429  # the address is locked

    response = sign_in(own_browser, "intel")

    assert response.status_code == 302
    assert signed_in(own_browser)


def test_a_password_change_ends_the_exemption_of_every_browser_signed_in_before(intel):
    # A thief's browser signed in with the old password; the password is then changed.
    thiefs_browser = signed_in_before("intel")
    intel.set_password("a-new-passphrase-for-intel")
    intel.save(update_fields=["password"])
    strangers_guess_made_up_usernames()

    # It answers to the address's lock like any stranger's, even with the new password.
    assert sign_in(thiefs_browser, "intel", "a-new-passphrase-for-intel").status_code == 429

    # A browser that signs in with the new password is exempt again.
    time_passes(24 * 60)
    own_browser = signed_in_before_with("intel", "a-new-passphrase-for-intel")
    strangers_guess_made_up_usernames(start=200)
    assert sign_in(own_browser, "intel", "a-new-passphrase-for-intel").status_code == 302


def test_a_cookie_without_the_password_stamp_gives_no_exemption(intel):
    own_browser = signed_in_before("intel")
    content = signing.loads(
        own_browser.cookies[settings.SIGN_IN_DEVICE_COOKIE_NAME].value, salt=SALT
    )
    del content["stamps"]
    own_browser.cookies[settings.SIGN_IN_DEVICE_COOKIE_NAME] = signing.dumps(content, salt=SALT)
    strangers_guess_made_up_usernames()

    assert sign_in(own_browser, "intel").status_code == 429


def test_nor_one_whose_user_also_gives_an_authenticator_code(intel):
    device = TOTPDevice.objects.create(user=intel, name=AUTHENTICATOR_APP, confirmed=True)
    own_browser = browser()
    sign_in(own_browser, "intel")
    # The password alone is not a sign-in: no cookie before the second step.
    assert settings.SIGN_IN_DEVICE_COOKIE_NAME not in own_browser.cookies
    own_browser.post(VERIFY, {"code": code_of(device)})
    assert settings.SIGN_IN_DEVICE_COOKIE_NAME in own_browser.cookies
    own_browser.post(reverse("accounts:logout"))
    strangers_guess_made_up_usernames()

    assert sign_in(own_browser, "intel").status_code == 302
    # The next code: the one above has been used.
    response = own_browser.post(VERIFY, {"code": code_of(device, drift=1)})

    assert response.status_code == 302
    assert own_browser.get(reverse("web:home")).status_code == 200


def test_a_new_browser_at_a_locked_address_is_refused_at_once_and_told_when_to_return(
    manager, monkeypatch
):
    strangers_guess_made_up_usernames(20)
    assert_no_password_checked(monkeypatch)
    monkeypatch.setattr(time, "sleep", lambda seconds: pytest.fail("slept"))

    new_browser = browser()
    response = sign_in(new_browser, "manager")

    assert response.status_code == 429
    assert 14 * 60 < retry_after(response) <= 15 * 60
    page = response.content.decode()
    assert "Too many failed attempts to sign in from your network. Wait 15 minutes" in page
    assert "On a browser where you have signed in to this service before" in page
    assert not signed_in(new_browser)


def test_each_further_lock_of_the_address_tells_a_longer_wait(db):
    strangers_guess_made_up_usernames(20)
    first = sign_in(browser(), "made-up-x")
    time_passes(16)
    assert sign_in(browser(), "made-up-y", "still-a-guess").status_code == 200

    strangers_guess_made_up_usernames(20, start=100)
    second = sign_in(browser(), "made-up-z")

    assert first.status_code == second.status_code == 429
    assert 29 * 60 < retry_after(second) <= 30 * 60
    assert retry_after(second) > retry_after(first)
    locks = AuditEvent.objects.filter(action="login_locked").order_by("pk")
    assert [event.detail["for_minutes"] for event in locks] == [15, 30]
    assert {event.detail["lock"] for event in locks} == {"address"}
    assert {event.ip_address for event in locks} == {OFFICE}


def test_a_forged_cookie_gives_no_exemption(intel):
    own_browser = signed_in_before("intel")
    genuine = own_browser.cookies[settings.SIGN_IN_DEVICE_COOKIE_NAME].value
    content = signing.loads(genuine, salt=SALT)
    strangers_guess_made_up_usernames()
    payload, timestamp, signature = genuine.rsplit(":", 2)
    forgeries = [
        # The genuine content, signed with a key other than the service's.
        signing.dumps(content, salt=SALT, key="not-the-service-key", compress=True),
        # Another browser's content under the genuine signature.
        f"{signing.dumps({'id': 'x', 'usernames': ['intel']}, salt=SALT).split(':')[0]}"
        f":{timestamp}:{signature}",
        # Unsigned.
        payload,
        "intel",
    ]

    for forged in forgeries:
        attacker = browser()
        attacker.cookies[settings.SIGN_IN_DEVICE_COOKIE_NAME] = forged
        assert sign_in(attacker, "intel").status_code == 429
    # The genuine one still works.
    assert sign_in(own_browser, "intel").status_code == 302


def test_another_users_cookie_gives_no_exemption(intel, manager):
    managers_browser = signed_in_before("manager")
    strangers_guess_made_up_usernames()

    response = sign_in(managers_browser, "intel")

    assert response.status_code == 429
    assert not signed_in(managers_browser)


def test_strangers_guessing_the_users_own_name_do_not_lock_out_their_browser(intel):
    own_browser = signed_in_before("intel")
    stranger = browser()
    for _ in range(10):
        sign_in(stranger, "intel", "a-guess-1234")
    assert sign_in(stranger, "intel").status_code == 429

    assert sign_in(own_browser, "intel").status_code == 302


def test_a_browser_with_a_cookie_has_a_lock_of_its_own(intel, manager):
    own_browser = signed_in_before("intel")
    for _ in range(5):
        sign_in(own_browser, "intel", "a-guess-1234")

    response = sign_in(own_browser, "intel")

    assert response.status_code == 429
    assert "sign in with this username on this browser. Wait 15 minutes" in (
        response.content.decode()
    )
    # Its lock is its own: others sign in from here, the user from elsewhere.
    assert sign_in(browser(), "manager").status_code == 302
    assert sign_in(Client(REMOTE_ADDR="203.0.113.80"), "intel").status_code == 302
    lock = AuditEvent.objects.get(action="login_locked")
    assert lock.detail["lock"] == "device"
    assert lock.username == "intel"
    time_passes(16)
    assert sign_in(own_browser, "intel").status_code == 302


def test_a_sign_in_from_a_new_browser_does_not_clear_the_addresss_count(manager):
    strangers_guess_made_up_usernames(19)
    assert sign_in(browser(), "manager").status_code == 302

    strangers_guess_made_up_usernames(1, start=50)

    assert sign_in(browser(), "manager").status_code == 429


def test_the_cookie_names_the_user_and_is_signed_http_only_same_site_and_secure_in_production(
    intel, manager, settings
):
    settings.SESSION_COOKIE_SECURE = True
    client = signed_in_before("intel")
    sign_in(client, "manager")
    cookie = client.cookies[settings.SIGN_IN_DEVICE_COOKIE_NAME]

    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["secure"] is True
    assert timedelta(seconds=cookie["max-age"]) == settings.SIGN_IN_DEVICE_COOKIE_AGE
    assert signing.loads(cookie.value, salt=SALT)["usernames"] == ["intel", "manager"]


def test_the_cookie_is_given_again_only_once_a_day_while_in_use(intel):
    client = browser()
    sign_in(client, "intel")
    content = signing.loads(client.cookies[settings.SIGN_IN_DEVICE_COOKIE_NAME].value, salt=SALT)

    assert settings.SIGN_IN_DEVICE_COOKIE_NAME not in client.get(reverse("web:home")).cookies

    content["at"] -= 24 * 60 * 60 + 1
    client.cookies[settings.SIGN_IN_DEVICE_COOKIE_NAME] = signing.dumps(content, salt=SALT)
    renewed = client.get(reverse("web:home")).cookies[settings.SIGN_IN_DEVICE_COOKIE_NAME]
    assert signing.loads(renewed.value, salt=SALT)["id"] == content["id"]
    assert signing.loads(renewed.value, salt=SALT)["at"] > content["at"]


def test_each_lock_is_held_to_its_own_limit(intel, settings):
    settings.SIGN_IN_FAILURE_LIMITS = {**settings.SIGN_IN_FAILURE_LIMITS, "device": 2}
    own_browser = signed_in_before("intel")
    for _ in range(2):
        sign_in(own_browser, "intel", "a-guess-1234")
    assert sign_in(own_browser, "intel").status_code == 429

    # A new browser at the same address answers to the username-at-address limit, five.
    new_browser = browser()
    for _ in range(2):
        sign_in(new_browser, "intel", "a-guess-1234")
    assert sign_in(new_browser, "intel").status_code == 302
