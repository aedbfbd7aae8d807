"""The CSV export of the audit log: exactly the filtered rows, safe in a spreadsheet, audited."""

import csv
import io

from django.urls import reverse

from audit.models import AuditEvent
from audit_log.views import EXPORT_HEADER
from tests.factories import AuditEventFactory
from tests.helpers import date_fields


def export(client, **filters):
    # A name in the link is held first (records/held_search.py), then the file is sent.
    response = client.get(reverse("audit:event_export"), filters, follow=True)
    assert response.status_code == 200
    return response


def body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body(response).removeprefix("\ufeff"))))


def test_export_is_a_csv_attachment_starting_with_a_utf8_bom(manager_client):
    response = export(manager_client)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-log-')
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8").removeprefix("\ufeff").splitlines()[0] == ",".join(EXPORT_HEADER)


def test_export_holds_exactly_the_filtered_events(manager_client, db):
    wanted = AuditEventFactory.create_batch(3, username="alice")
    AuditEventFactory.create_batch(4, username="bob")

    exported = rows(export(manager_client, username="alice"))

    assert sorted(row["object_id"] for row in exported) == sorted(e.object_id for e in wanted)
    assert {row["username"] for row in exported} == {"alice"}


def test_export_neutralises_spreadsheet_formulas(manager_client, db):
    AuditEventFactory(username="alice", object_label='=HYPERLINK("http://evil.invalid")')
    AuditEventFactory(username="alice", object_label="+1+1", object_id="@SUM(A1)")

    exported = rows(export(manager_client, username="alice"))

    labels = {row["object_label"] for row in exported}
    assert labels == {'\'=HYPERLINK("http://evil.invalid")', "'+1+1"}
    assert "'@SUM(A1)" in {row["object_id"] for row in exported}


def test_export_is_itself_audited_with_its_filters(manager, manager_client):
    export(manager_client, username="alice", action="")

    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.user == manager
    assert event.object_type == "audit.auditevent"
    assert event.detail == {"filters": {"username": "alice"}, "rows": 0}


def test_export_with_invalid_filters_shows_the_errors_instead(manager_client):
    response = manager_client.get(
        reverse("audit:event_export"), date_fields("occurred_to", ("1", "13", "2024"))
    )

    assert response["Content-Type"].startswith("text/html")
    assert "govuk-error-summary" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
