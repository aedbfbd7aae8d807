"""A user's sessions end when their role, agency or activity changes, or when an
administrator ends them; each ending is audited."""

import pytest
from django.contrib import admin
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.models import Role, User, UserSession
from audit.models import AuditEvent
from tests.helpers import redirects_to_sign_in

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-password-1"


def signed_in(user: User) -> Client:
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


@pytest.mark.parametrize(("change", "value"), [("role", Role.MANAGER), ("is_active", False)])
def test_changing_what_a_user_may_do_ends_their_sessions(intel, change, value):
    first, second = signed_in(intel), signed_in(intel)
    assert UserSession.objects.filter(user=intel).count() == 2

    setattr(intel, change, value)
    intel.save()

    for client in (first, second):
        assert redirects_to_sign_in(client.get(reverse("lines:line_list")))
    assert not UserSession.objects.filter(user=intel).exists()
    event = AuditEvent.objects.filter(action="logout", object_id=str(intel.pk)).get()
    assert event.detail["sessions_ended"] == 2 and change in event.detail["reason"]


def test_saving_a_user_without_changing_their_rights_keeps_their_sessions(intel):
    client = signed_in(intel)
    intel.first_name = "Renamed"
    intel.save()
    assert client.get(reverse("lines:line_list")).status_code == 200


def test_signing_out_forgets_the_session(intel):
    client = signed_in(intel)
    client.post(reverse("accounts:logout"))
    assert not UserSession.objects.filter(user=intel).exists()


def test_an_administrator_ends_a_users_sessions_audited(rf, monkeypatch, intel, administrator):
    client = signed_in(intel)
    request = rf.post("/admin/accounts/user/")
    request.user = administrator
    user_admin = admin.site._registry[User]
    monkeypatch.setattr(user_admin, "message_user", lambda *args, **kwargs: None)
    user_admin.end_sessions(request, User.objects.filter(pk=intel.pk))

    assert redirects_to_sign_in(client.get(reverse("lines:line_list")))
    assert not Session.objects.exists()
    event = AuditEvent.objects.get(action="logout", object_id=str(intel.pk))
    assert event.user == administrator and event.detail["reason"] == "ended by an administrator"
