"""Sessions end after 30 idle minutes (renewed every 5 minutes of use), and 10 hours after
sign-in however busy."""

import time
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import RENEWED_AT, SIGNED_IN_AT
from audit.models import AuditEvent
from tests.helpers import redirects_to_sign_in

TEN_HOURS = 10 * 60 * 60


def set_signed_in_at(client, seconds_ago: float) -> None:
    session = client.session
    session[SIGNED_IN_AT] = time.time() - seconds_ago
    session.save()


def session_row(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def set_renewed_at(client, seconds_ago: float) -> None:
    session = client.session
    session[RENEWED_AT] = time.time() - seconds_ago
    session.save()


def expire_in_a_minute(client) -> None:
    Session.objects.filter(pk=client.session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )


def test_limits_are_thirty_idle_minutes_renewed_every_five_and_ten_hours_in_all(settings):
    assert settings.SESSION_COOKIE_AGE == 1800
    assert timedelta(minutes=5) == settings.SESSION_RENEW_INTERVAL
    assert settings.SESSION_ABSOLUTE_LIFETIME.total_seconds() == TEN_HOURS


def test_a_request_five_minutes_after_the_last_renewal_pushes_the_expiry_30_minutes_on(
    intel_client,
):
    set_renewed_at(intel_client, 5 * 60)
    expire_in_a_minute(intel_client)

    assert intel_client.get(reverse("web:home")).status_code == 200

    remaining = session_row(intel_client).expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)
    assert abs(intel_client.session[RENEWED_AT] - time.time()) < 60


def test_requests_within_five_minutes_of_the_renewal_do_not_write_the_session(intel_client):
    set_renewed_at(intel_client, 4 * 60)
    expire_in_a_minute(intel_client)
    before = session_row(intel_client).expire_date

    assert intel_client.get(reverse("web:home")).status_code == 200

    assert session_row(intel_client).expire_date == before


def test_an_idle_session_past_its_expiry_must_sign_in_again(intel_client):
    Session.objects.filter(pk=intel_client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    assert redirects_to_sign_in(intel_client.get(reverse("web:home")))


def test_sign_in_starts_the_ten_hour_clock_and_the_idle_one(intel_client):
    assert abs(intel_client.session[SIGNED_IN_AT] - time.time()) < 60
    assert intel_client.session[RENEWED_AT] == intel_client.session[SIGNED_IN_AT]


def test_a_busy_session_within_ten_hours_goes_on(intel_client):
    set_signed_in_at(intel_client, TEN_HOURS - 60)

    assert intel_client.get(reverse("web:home")).status_code == 200


def test_a_session_older_than_ten_hours_is_signed_out(intel, intel_client):
    set_signed_in_at(intel_client, TEN_HOURS + 60)

    response = intel_client.get(reverse("web:home"))

    assert redirects_to_sign_in(response)
    assert "_auth_user_id" not in intel_client.session
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOGOUT, user=intel).exists()
    # Still signed out on the next request, and told why on the sign-in page.
    follow_up = intel_client.get(reverse("web:home"), follow=True)
    assert follow_up.request["PATH_INFO"] == reverse("accounts:login")
    assert "Your session has ended" in follow_up.content.decode()


def test_a_session_without_a_sign_in_time_is_signed_out(intel_client):
    session = intel_client.session
    del session[SIGNED_IN_AT]
    session.save()

    assert redirects_to_sign_in(intel_client.get(reverse("web:home")))
