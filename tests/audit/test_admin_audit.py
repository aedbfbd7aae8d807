"""An administrator's reading through the admin site is audited as any user's reading
of the service's pages: every list (a search, with its filters), every record's form
and its history, and the audit log itself, there and on its own page."""

import pytest
from django.contrib import admin
from django.urls import reverse

from audit.models import AuditEvent
from imports.models import ImportJob
from tests.factories import AuditEventFactory

from ..helpers import denials_of

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action
REGISTERED = sorted(model._meta.label_lower for model in admin.site._registry)


def admin_url(model_label: str, page: str, *args) -> str:
    app_label, model_name = model_label.split(".")
    return reverse(f"admin:{app_label}_{model_name}_{page}", args=args)


def events_of(user):
    """What the user did after signing in (the test client's sign-in may be audited)."""
    return AuditEvent.objects.filter(user=user).exclude(action=Action.LOGIN).order_by("pk")


@pytest.mark.parametrize("model_label", REGISTERED)
def test_every_list_of_the_admin_site_is_audited_as_a_search(
    administrator_client, administrator, model_label
):
    url = admin_url(model_label, "changelist")

    response = administrator_client.get(url, {"q": "intel"})

    assert response.status_code == 200
    event = events_of(administrator).get()
    assert (event.action, event.object_type, event.object_id) == (Action.SEARCH, model_label, "")
    assert event.detail == {"method": "GET", "filters": {"q": "intel"}}
    assert event.path == f"{url}?q=intel"


def test_a_users_form_and_history_are_each_audited(administrator_client, administrator, intel):
    pages = [
        admin_url("accounts.user", "change", intel.pk),
        admin_url("accounts.user", "history", intel.pk),
    ]
    for url in pages:
        assert administrator_client.get(url).status_code == 200, url

    events = events_of(administrator)
    assert [(e.action, e.object_type, e.object_id, e.object_label) for e in events] == [
        (Action.VIEW, "accounts.user", str(intel.pk), "Admin site: accounts_user_change"),
        (Action.VIEW, "accounts.user", str(intel.pk), "Admin site: accounts_user_history"),
    ]


def test_an_audit_event_and_an_import_job_read_in_the_admin_site_are_audited(
    administrator_client, administrator, intel
):
    event = AuditEventFactory(user=intel, username="intel")
    job = ImportJob.objects.create(kind="lines", file_name="may.csv", uploaded_by=intel)

    administrator_client.get(admin_url("audit.auditevent", "change", event.pk))
    administrator_client.get(admin_url("imports.importjob", "change", job.pk))

    views = events_of(administrator).filter(action=Action.VIEW)
    assert [(e.object_type, e.object_id) for e in views] == [
        ("audit.auditevent", str(event.pk)),
        ("imports.importjob", str(job.pk)),
    ]


def test_reading_the_audit_log_on_its_own_pages_is_audited_too(administrator_client, administrator):
    administrator_client.get(reverse("audit:event_list"), {"username": "intel"}, follow=True)
    b"".join(administrator_client.get(reverse("audit:event_export")).streaming_content)

    events = events_of(administrator)
    assert [(e.action, e.object_type) for e in events] == [
        (Action.SEARCH, "audit.auditevent"),
        (Action.EXPORT, "audit.auditevent"),
    ]
    assert events[0].detail["filters"] == {"username": "intel"}


@pytest.mark.parametrize("role", ["intel", "manager", "partner"])
def test_a_user_the_admin_site_refuses_is_audited_as_refused_not_as_reading(request, role):
    user = request.getfixturevalue(role)
    client = request.getfixturevalue(f"{role}_client")

    client.get(admin_url("accounts.user", "changelist"), follow=True)

    assert list(events_of(user).values_list("action", flat=True)) == [Action.ACCESS_DENIED]
    assert denials_of(user.username).count() == 1


def test_the_admin_audit_log_is_not_searched_by_the_names_records_carry(administrator_client):
    from tests.factories import AuditEventFactory

    AuditEventFactory(object_label="Zoë O’Neill", username="intel")
    url = reverse("admin:audit_auditevent_changelist")

    assert administrator_client.get(url, {"q": "Neill"}).context["cl"].result_count == 0
    assert administrator_client.get(url, {"q": "intel"}).context["cl"].result_count == 1
