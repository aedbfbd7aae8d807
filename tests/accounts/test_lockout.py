"""Sign-in throttling (django-axes, accounts/lockout.py): per username at one address, per
address across usernames, growing locks, attempts while locked not counted, an
administrator's unlock, and a failed-sign-in audit trail that one client cannot flood.
Browsers that have signed in before (device cookies): tests/accounts/test_sign_in_devices.py."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent

RIGHT = "the-right-password-42"
WRONG = "wrong-password-000"


@pytest.fixture(autouse=True)
def passwords(intel, manager):
    for user in (intel, manager):
        user.set_password(RIGHT)
        user.save()


def client_at(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def sign_in(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def fail(client, username, times):
    for _ in range(times):
        sign_in(client, username, WRONG)


def time_passes(minutes: int) -> None:
    """As if the recorded failures had happened `minutes` earlier."""
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=minutes)
        attempt.save(update_fields=["attempt_time"])


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_failures_lock_the_username_at_that_address_even_with_the_right_password(db):
    client = client_at("203.0.113.5")
    fail(client, "intel", 5)

    response = sign_in(client, "intel", RIGHT)

    assert response.status_code == 429
    assert 14 * 60 < int(response["Retry-After"]) <= 15 * 60
    assert "Too many failed attempts to sign in with this username from here. Wait 15 minutes" in (
        response.content.decode()
    )
    assert not signed_in(client)
    # Each attempt is one failed sign-in in the log, the refused one included.
    assert AuditEvent.objects.filter(action="login_failed", username="intel").count() == 6
    locks = AuditEvent.objects.filter(action="login_locked", username="intel")
    assert locks.count() == 1
    assert locks.get().ip_address == "203.0.113.5"
    assert locks.get().detail == {"lock": "username at address", "for_minutes": 15}


def test_fewer_failures_do_not_lock_and_success_clears_them(db):
    client = client_at("203.0.113.5")
    fail(client, "intel", 4)

    assert sign_in(client, "intel", RIGHT).status_code == 302
    assert not AccessAttempt.objects.filter(username="intel").exists()


def test_a_locked_username_still_signs_in_from_another_address(db):
    fail(client_at("203.0.113.66"), "intel", 5)

    own_desk = client_at("198.51.100.7")
    response = sign_in(own_desk, "intel", RIGHT)

    assert response.status_code == 302
    assert signed_in(own_desk)


def test_attempts_while_locked_do_not_prolong_the_lock(db):
    client = client_at("203.0.113.5")
    fail(client, "intel", 5)
    time_passes(10)
    fail(client, "intel", 5)  # refused while locked, not counted
    time_passes(6)

    assert sign_in(client, "intel", RIGHT).status_code == 302


def test_after_a_lock_ends_the_full_number_of_attempts_is_given_again(db):
    client = client_at("203.0.113.5")
    fail(client, "intel", 5)
    time_passes(16)
    fail(client, "intel", 4)

    assert sign_in(client, "intel", RIGHT).status_code == 302


def test_one_address_guessing_across_accounts_is_locked(db):
    client = client_at("203.0.113.9")
    for number in range(20):
        sign_in(client, f"guess{number % 6}", WRONG)  # never five on any one name

    response = sign_in(client, "manager", RIGHT)

    assert response.status_code == 429
    assert "Too many failed attempts to sign in from your network" in response.content.decode()
    assert not signed_in(client)
    assert sign_in(client_at("198.51.100.7"), "manager", RIGHT).status_code == 302
    lock = AuditEvent.objects.get(action="login_locked")
    assert lock.detail == {"lock": "address", "for_minutes": 15}


def test_each_further_lock_within_a_day_lasts_twice_as_long(db):
    client = client_at("203.0.113.5")
    fail(client, "intel", 5)
    time_passes(16)
    fail(client, "intel", 5)  # locked a second time: 30 minutes

    time_passes(16)
    response = sign_in(client, "intel", RIGHT)
    assert response.status_code == 429
    assert "Wait 14 minutes" in response.content.decode()
    assert 13 * 60 < int(response["Retry-After"]) <= 14 * 60

    time_passes(15)
    assert sign_in(client, "intel", RIGHT).status_code == 302


def test_an_administrator_unlocks_a_user_audited(intel, administrator_client, administrator):
    client = client_at("203.0.113.5")
    fail(client, "intel", 5)

    response = administrator_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock_sign_in", "_selected_action": [intel.pk]},
    )

    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="intel").exists()
    assert sign_in(client, "intel", RIGHT).status_code == 302
    unlock = AuditEvent.objects.get(action="login_unlocked")
    assert unlock.username == administrator.username
    assert unlock.detail["username"] == "intel"


def test_failed_sign_ins_from_one_address_are_audited_up_to_a_limit_a_minute(db, settings):
    settings.SIGN_IN_AUDIT_FAILURES_PER_MINUTE = 8
    client = client_at("203.0.113.5")
    for number in range(15):
        sign_in(client, f"nobody{number}", WRONG)

    events = AuditEvent.objects.filter(action="login_failed").order_by("pk")
    assert events.count() == 9
    assert events.last().detail == {"further failures this minute not recorded": True}
    # Another client is recorded as before.
    sign_in(client_at("198.51.100.7"), "intel", WRONG)
    assert AuditEvent.objects.filter(action="login_failed").count() == 10
