"""Password-reset limits (accounts/password_resets.py): nobody can flood a colleague's inbox
with reset e-mails, whatever the spelling of the address, or use the form to send mail at
will; the answer never tells whether an address is anyone's; refusals are audited."""

import time
from datetime import timedelta

from django.core import mail
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent

RESET = reverse("accounts:password_reset")
SENT = reverse("accounts:password_reset_done")
REFUSED = AuditEvent.Action.PASSWORD_RESET_REFUSED


def ask(email: str, address: str = "203.0.113.30"):
    return Client(REMOTE_ADDR=address).post(RESET, {"email": email})


def test_an_account_is_sent_three_emails_an_hour_however_its_address_is_typed(intel):
    assert intel.email == "intel@example.invalid"
    spellings = [
        "intel@example.invalid",
        "INTEL@EXAMPLE.INVALID",
        "  Intel@Example.Invalid  ",
        "ｉｎｔｅｌ＠ｅｘａｍｐｌｅ．ｉｎｖａｌｉｄ",  # full-width forms, as some keyboards type
        "intel@example.INVALID",
    ]

    # From different addresses: the count is the account's, not the client's.
    responses = [ask(email, f"198.51.100.{n}") for n, email in enumerate(spellings, start=1)]

    assert len(mail.outbox) == 3
    assert {message.to[0] for message in mail.outbox} == {"intel@example.invalid"}
    # Those held back are answered exactly as those sent.
    assert {(response.status_code, response["Location"]) for response in responses} == {(302, SENT)}
    refusals = AuditEvent.objects.filter(action=REFUSED)
    assert refusals.count() == 2
    assert {(event.username, event.object_id) for event in refusals} == {("intel", str(intel.pk))}
    assert {event.detail["reason"] for event in refusals} == {"too many e-mails to this account"}


def test_accounts_are_counted_apart(intel, manager):
    for _ in range(4):
        ask(intel.email)

    ask(manager.email)

    assert [message.to[0] for message in mail.outbox].count(manager.email) == 1


def test_one_address_asks_ten_times_an_hour_then_is_told_to_wait(intel):
    for number in range(10):
        assert ask(f"someone-{number}@example.invalid").status_code == 302

    response = ask(intel.email)

    assert response.status_code == 429
    assert 59 * 60 < int(response["Retry-After"]) <= 60 * 60
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert (
        "You have asked to reset a password too many times from your network. Wait 60 minutes"
        in page
    )
    assert mail.outbox == []
    refusal = AuditEvent.objects.get(action=REFUSED)
    assert refusal.ip_address == "203.0.113.30"
    assert refusal.detail == {"reason": "too many requests from this address"}
    assert refusal.username == ""
    # Elsewhere, asking works.
    assert ask(intel.email, "198.51.100.9").status_code == 302
    assert len(mail.outbox) == 1


def test_requests_are_taken_again_once_the_period_is_over(intel, settings):
    # A second rather than an hour: the cache (Redis in production) ends the count itself.
    settings.PASSWORD_RESET_LIMIT_PERIOD = timedelta(seconds=1)
    for number in range(10):
        ask(f"someone-{number}@example.invalid")
    refused = ask(intel.email)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "1"

    time.sleep(1.2)

    assert ask(intel.email).status_code == 302
    assert len(mail.outbox) == 1


def test_refusals_from_one_address_are_audited_up_to_a_limit_a_minute(db, settings):
    settings.PASSWORD_RESET_AUDIT_REFUSALS_PER_MINUTE = 3
    for number in range(18):
        ask(f"someone-{number}@example.invalid")

    refusals = AuditEvent.objects.filter(action=REFUSED).order_by("pk")
    assert refusals.count() == 4
    assert refusals.last().detail == {"further failures this minute not recorded": True}
