"""Sign-ins, failed sign-ins and sign-outs are written to the audit log."""

from django.urls import reverse

from audit.models import AuditEvent
from tests.factories import PASSWORD
from tests.helpers import sign_in_url, stored_values

Action = AuditEvent.Action


def sign_in(client, username: str, password: str):
    return client.post(
        sign_in_url(), {"username": username, "password": password}, REMOTE_ADDR="203.0.113.7"
    )


def test_sign_in_records_who_from_where_and_which_request(client, intel):
    response = sign_in(client, "intel", PASSWORD)

    assert response.status_code == 302
    event = AuditEvent.objects.get(action=Action.LOGIN)
    assert event.user == intel
    assert event.username == "intel"
    assert event.agency_name == "North Yorkshire Police"
    assert event.ip_address == "203.0.113.7"
    assert event.request_id
    assert event.request_id == response["X-Request-ID"]
    assert event.path == sign_in_url()


def test_failed_sign_in_records_the_attempted_username_and_never_the_password(client, intel):
    wrong_password = "Not-The-Password-93"

    response = sign_in(client, "intel", wrong_password)

    assert response.status_code == 200
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert event.username == "intel"
    assert event.user is None
    assert event.ip_address == "203.0.113.7"
    assert event.request_id == response["X-Request-ID"]
    assert wrong_password not in repr(stored_values(event))
    assert wrong_password not in repr(event.detail)
    assert not AuditEvent.objects.filter(action=Action.LOGIN).exists()


def test_failed_sign_in_of_an_unknown_username_is_recorded_too(client, db):
    sign_in(client, "no-such-user", "whatever-password-1")

    assert AuditEvent.objects.get(action=Action.LOGIN_FAILED).username == "no-such-user"


def test_sign_out_is_recorded(intel, intel_client):
    response = intel_client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    event = AuditEvent.objects.get(action=Action.LOGOUT)
    assert event.user == intel
    assert event.request_id == response["X-Request-ID"]
