"""The kinds of record the audit log's filter offers (every kind an event may name), and
its links to records, offered by each kind's rule (accounts.permissions.RECORD_RULES)."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from audit.models import AuditEvent
from audit_log.records import record_type_choices
from tests.access_table import Records
from tests.factories import AuditEventFactory

# The apps of the service, the packages at the top of the project (the others are Django's
# and libraries': their models are in the filter when the admin site shows them, as auth's
# groups).
OUR_APPS = {
    app.label
    for app in apps.get_app_configs()
    if Path(app.path).resolve().parent == settings.BASE_DIR
}
# The models no audit event names, each with why.
NEVER_NAMED = {
    "accounts.usersession": "a sign-in's session: the sign-in and sign-out are the user's events",
    "accounts.recoverycodedevice": "a user's recovery codes: their events name the user",
    "accounts.recoverycode": "one recovery code: its events name the user",
    "safeguarding.referencesequence": "the counter that numbers a partner's referrals",
    "panel.statisticssnapshot": "figures computed from the records: refreshing them names "
    "the report",
    "calls.contactmonth": "counts kept from the call rows: imports and purges name the source",
    "calls.calldataversion": "a counter of the call data's writes, for the caches",
}


def test_every_model_an_event_may_name_is_a_record_type_of_the_filter(db):
    offered = {label for label, _name in record_type_choices()}
    ours = {
        model._meta.label_lower for model in apps.get_models() if model._meta.app_label in OUR_APPS
    }

    assert ours - offered == set(NEVER_NAMED)
    assert "imports.file" in offered  # an imported file, not a model


def test_the_panel_kinds_are_record_types_of_the_filter(manager_client):
    response = manager_client.get(reverse("audit:event_list"))
    choices = dict(response.context["list"].filterset.form.fields["object_type"].choices)

    assert choices["panel.panelreport"] == "Panel report"
    assert choices["panel.drugdeath"] == "Drug-related death"
    assert choices["panel.chartannotation"] == "Chart annotation"
    assert choices["panel.recordeddrugoffence"] == "Recorded drug offence"


def _event_about_each(records: Records) -> None:
    for value in vars(records).values():
        if hasattr(value, "_meta"):
            AuditEventFactory(
                action=AuditEvent.Action.VIEW,
                object_type=value._meta.label_lower,
                object_id=str(value.pk),
                object_label=str(value),
            )


@pytest.mark.parametrize("role", ["manager", "administrator"])
def test_every_link_the_audit_log_offers_opens_for_its_reader(request, role, records):
    _event_about_each(records)
    client = request.getfixturevalue(f"{role}_client")

    response = client.get(reverse("audit:event_list"), {"action": "view"})

    links = {
        event.object_type: event.record.url
        for event in response.context["list"].page
        if event.record and event.record.url
    }
    for kind, url in links.items():
        assert client.get(url).status_code == 200, (kind, url)
    if role == "manager":
        assert {"lines.line", "panel.panelreport", "panel.chartannotation"} <= set(links)
        # Managers read deaths as the report's figures only: no link to a death's page.
        assert "panel.drugdeath" not in links
