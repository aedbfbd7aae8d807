"""Nothing consulted or changed escapes the audit log: the admin site, password resets,
uploads and check reports, edit forms, and the client's real address behind a proxy."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import Role
from audit.middleware import client_address
from audit.models import AuditEvent
from tests.imports.utils import LINES_HEADER, csv_upload, line_rows
from tests.lines.factories import LineFactory

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action


def test_every_admin_page_opened_is_audited(administrator_client, administrator, intel):
    administrator_client.get(reverse("admin:accounts_user_changelist"))
    administrator_client.get(reverse("admin:accounts_user_change", args=[intel.pk]))

    events = AuditEvent.objects.filter(user=administrator).exclude(action=Action.LOGIN)
    assert {(e.action, e.object_type, e.object_id) for e in events} == {
        (Action.SEARCH, "accounts.user", ""),
        (Action.VIEW, "accounts.user", str(intel.pk)),
    }


def test_a_role_changed_in_the_admin_site_is_audited_with_what_changed(
    administrator_client, administrator, intel
):
    url = reverse("admin:accounts_user_change", args=[intel.pk])
    form = administrator_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        role=Role.MANAGER,
        agency=intel.agency_id,
        last_login_0="",
        date_joined_0="2024-01-01",
        date_joined_1="09:00:00",
    )
    data.pop("password", None)
    data.pop("last_login", None)
    data.pop("date_joined", None)

    response = administrator_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action=Action.UPDATE, object_type="accounts.user")
    assert (event.user, event.object_id) == (administrator, str(intel.pk))
    assert "Role" in str(event.detail["admin site"])


def test_a_password_reset_asked_for_and_done_is_audited(client, intel):
    client.post(reverse("accounts:password_reset"), {"email": intel.email})
    assert len(mail.outbox) == 1
    asked = AuditEvent.objects.get(action=Action.PASSWORD_RESET_REQUESTED)
    assert (asked.object_id, asked.username) == (str(intel.pk), "intel")

    uid = urlsafe_base64_encode(force_bytes(intel.pk))
    token = default_token_generator.make_token(intel)
    url = reverse("accounts:password_reset_confirm", args=[uid, token])
    form_url = client.get(url, follow=True).redirect_chain[-1][0]
    client.post(
        form_url,
        {"new_password1": "a-long-new-pass-phrase", "new_password2": "a-long-new-pass-phrase"},
    )

    done = AuditEvent.objects.get(action=Action.PASSWORD_RESET)
    assert (done.user, done.object_id) == (intel, str(intel.pk))


def test_a_reset_for_an_unknown_address_is_audited_without_saying_whose(client, db):
    client.post(reverse("accounts:password_reset"), {"email": "nobody@example.invalid"})

    asked = AuditEvent.objects.get(action=Action.PASSWORD_RESET_REQUESTED)
    assert (asked.object_id, asked.username, asked.detail) == ("", "", {"accounts": 0})


def test_an_upload_and_its_check_report_are_audited(intel_client, intel):
    response = intel_client.post(
        reverse("imports:start"),
        {"kind": "lines", "file": csv_upload(LINES_HEADER, *line_rows(2), name="may.csv")},
    )
    intel_client.get(response.url)

    upload = AuditEvent.objects.get(action=Action.CREATE, object_type="imports.importjob")
    assert upload.detail == {
        "kind": "lines",
        "file": "may.csv",
        "bytes": upload.detail["bytes"],
        "rows": 2,
    }
    report = AuditEvent.objects.get(action=Action.VIEW, object_type="imports.importjob")
    assert report.detail == {"status": "validated"}


@pytest.mark.parametrize("form", ["lines:line_update", "lines:line_close"])
def test_opening_an_edit_form_is_consulting_the_record(intel_client, form):
    line = LineFactory()

    intel_client.get(reverse(form, args=[line.pk]))

    event = AuditEvent.objects.get(action=Action.VIEW, object_type="lines.line")
    assert event.object_id == str(line.pk)


def request_from(remote: str, forwarded: str = ""):
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


def test_the_client_address_is_taken_from_a_trusted_proxy_only(settings):
    settings.AUDIT_TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert client_address(request_from("10.0.0.5", "198.51.100.7")) == "198.51.100.7"
    # A client writing the header itself, through the proxy: its own entry comes first.
    assert client_address(request_from("10.0.0.5", "1.2.3.4, 198.51.100.7")) == "198.51.100.7"
    assert client_address(request_from("10.0.0.5", "198.51.100.7, 10.0.0.9")) == "198.51.100.7"
    assert client_address(request_from("203.0.113.9", "1.2.3.4")) == "203.0.113.9"
    assert client_address(request_from("10.0.0.5", "not-an-address")) == "10.0.0.5"


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.AUDIT_TRUSTED_PROXIES = []

    assert client_address(request_from("10.0.0.5", "198.51.100.7")) == "10.0.0.5"
