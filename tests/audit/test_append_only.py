"""The audit log is append-only: model, queryset, admin and (on PostgreSQL) the database."""

import pytest
from django.contrib import admin
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from audit.models import AuditEvent, AuditLogIsAppendOnly
from tests.factories import AuditEventFactory
from tests.helpers import stored_values


@pytest.fixture
def event(db):
    return AuditEventFactory(username="original", object_label="Line 1")


def assert_unchanged(event):
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored_values(stored) == stored_values(event)


def test_saving_a_recorded_event_is_refused(event):
    event.username = "rewritten"

    with pytest.raises(AuditLogIsAppendOnly):
        event.save()

    assert AuditEvent.objects.get(pk=event.pk).username == "original"


def test_deleting_an_event_is_refused(event):
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()

    assert_unchanged(event)


def test_queryset_update_is_refused(event):
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.update(username="rewritten")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(username="rewritten")

    assert_unchanged(event)


def test_queryset_delete_is_refused(event):
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).delete()

    assert_unchanged(event)


def test_bulk_update_is_refused(event):
    event.username = "rewritten"

    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.bulk_update([event], ["username"])

    assert AuditEvent.objects.get(pk=event.pk).username == "original"


def test_admin_offers_no_add_change_or_delete_even_to_an_administrator(event, administrator):
    request = RequestFactory().get("/admin/audit/auditevent/")
    request.user = administrator
    model_admin = admin.site._registry[AuditEvent]

    assert model_admin.has_view_permission(request, event)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)


def test_admin_delete_page_is_refused_to_an_administrator(event, administrator_client):
    response = administrator_client.post(
        f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 403
    assert_unchanged(event)


RAW_SQL = {
    "UPDATE": "UPDATE audit_auditevent SET username = 'rewritten' WHERE id = %s",
    "DELETE": "DELETE FROM audit_auditevent WHERE id = %s",
}


# SQLite has no such triggers (the migrations are PostgreSQL-only): there the last line of
# defence is the model and its queryset, refused above on every database.


@pytest.mark.postgresql
@pytest.mark.parametrize("statement", RAW_SQL)
def test_the_database_refuses_raw_sql_that_rewrites_the_log(event, statement):
    # The trigger of audit/migrations/0002 refuses even raw SQL.
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(RAW_SQL[statement], [event.pk])

    assert_unchanged(event)


@pytest.mark.postgresql
def test_the_database_refuses_to_empty_the_log(event):
    # TRUNCATE deletes no row one by one, so the row trigger never sees it; the statement
    # trigger of audit/migrations/0007 refuses it.
    with (
        pytest.raises(DatabaseError, match=r"append-only \(TRUNCATE refused\)"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # The event's foreign-key check waits for the commit, and PostgreSQL refuses to
        # truncate a table with checks pending; a TRUNCATE of its own would have none.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE audit_auditevent")

    assert_unchanged(event)
