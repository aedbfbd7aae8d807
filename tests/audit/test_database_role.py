"""The application's database role (audit/database_role.py, `manage.py grant_app_role`)
reads and appends to the audit log, and cannot alter it whatever SQL it sends; every
other table is its to write.

Each test makes its own throwaway role (tests/database_roles.py). SQLite has no roles,
and production refuses it (config/settings/production.py): these tests are PostgreSQL's
but the first.
"""

import re

import pytest
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, ConnectionHandler, connection

from accounts.models import Agency
from audit import database_role
from audit.models import AuditEvent
from audit.services import AuditEntry, audit_event_record, audit_events_record_many
from tests.database_roles import acting_as, new_role, refusal
from tests.factories import AuditEventFactory
from tests.helpers import stored_values

# What an owner or a superuser would do to rewrite the log or silence its triggers.
REFUSED = {
    "TRUNCATE": "TRUNCATE audit_auditevent",
    "DISABLE TRIGGER": "ALTER TABLE audit_auditevent DISABLE TRIGGER USER",
    "DROP TRIGGER": "DROP TRIGGER audit_event_append_only ON audit_auditevent",
    "session_replication_role": "SET session_replication_role = replica",
    "UPDATE": "UPDATE audit_auditevent SET username = 'rewritten'",
    "DELETE": "DELETE FROM audit_auditevent",
    "DROP": "DROP TABLE audit_auditevent",
    "OWNER": "ALTER TABLE audit_auditevent OWNER TO CURRENT_USER",
}
# PostgreSQL's own refusals: a missing privilege or ownership, not the triggers' error.
PRIVILEGE_ERROR = re.compile(r"permission denied|must be owner")


def test_granting_is_refused_on_sqlite(monkeypatch):
    """SQLite has no roles: the command says so rather than doing nothing. Tried on a
    SQLite database of its own, so that it runs whichever database the suite is on."""
    sqlite = ConnectionHandler(
        {DEFAULT_DB_ALIAS: {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
    )
    monkeypatch.setattr(database_role, "connection", sqlite[DEFAULT_DB_ALIAS])
    try:
        with pytest.raises(CommandError, match="PostgreSQL role; this database is sqlite"):
            call_command("grant_app_role", "countylines_app", verbosity=0)
    finally:
        sqlite.close_all()


@pytest.mark.postgresql
@pytest.mark.django_db
def test_the_app_role_only_reads_and_appends_to_the_log_and_writes_every_other_table():
    event = AuditEventFactory(username="original")
    with new_role() as role:
        call_command("grant_app_role", role, verbosity=0)
        with connection.cursor() as cursor:
            # Made by the owner after the grant, as a later migration would.
            cursor.execute("CREATE TABLE roles_test_later (id integer)")
            # The event's foreign-key check would wait for the commit, and PostgreSQL refuses
            # to truncate a table with checks pending: run it now, so TRUNCATE is tried.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

        with acting_as(role):
            refusals = {name: refusal(sql) for name, sql in REFUSED.items()}

            appended = audit_event_record(action=AuditEvent.Action.VIEW, username="app")
            audit_events_record_many(
                user=None, entries=[AuditEntry(AuditEvent.Action.IMPORT, "lines.line", 1, "L1")]
            )
            read = set(AuditEvent.objects.values_list("username", flat=True))

            agency = Agency.objects.create(name="Roles test agency")
            Agency.objects.filter(pk=agency.pk).update(is_active=False)
            agency.delete()
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO roles_test_later VALUES (1)")
                cursor.execute("SELECT count(*) FROM roles_test_later")
                later_rows = cursor.fetchone()[0]

    refused_otherwise = {
        name: error for name, error in refusals.items() if not PRIVILEGE_ERROR.search(error)
    }
    assert not refused_otherwise, refused_otherwise
    assert stored_values(AuditEvent.objects.get(pk=event.pk)) == stored_values(event)
    assert read == {"original", "app", ""}
    assert AuditEvent.objects.filter(pk=appended.pk).exists()
    assert not Agency.objects.filter(name="Roles test agency").exists()
    assert later_rows == 1


@pytest.mark.postgresql
@pytest.mark.django_db
def test_a_role_that_could_alter_the_log_whatever_it_is_granted_is_refused():
    refused = {}
    with (
        new_role("SUPERUSER") as superuser,
        new_role("CREATEROLE") as creates_roles,
        new_role() as member_of_owner,
    ):
        with connection.cursor() as cursor:
            cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'audit_auditevent'")
            (owner,) = cursor.fetchone()
            cursor.execute(f"GRANT {owner} TO {member_of_owner}")
        for role in (superuser, creates_roles, member_of_owner, owner, "no_such_role_here"):
            with pytest.raises(CommandError) as refusal_:
                call_command("grant_app_role", role, verbosity=0)
            refused[role] = str(refusal_.value)

    assert "is a superuser" in refused[superuser]
    assert "has CREATEROLE" in refused[creates_roles]
    assert "member of its owner" in refused[member_of_owner]
    assert "superuser" in refused[owner]  # the tests' owner is also a superuser
    assert "There is no role" in refused["no_such_role_here"]


@pytest.mark.postgresql
@pytest.mark.django_db
def test_a_dry_run_prints_the_statements_and_grants_nothing(capsys):
    with new_role() as role:
        call_command("grant_app_role", role, "--dry-run")
        with acting_as(role):
            error = refusal("SELECT count(*) FROM audit_auditevent")

    printed = capsys.readouterr().out
    assert f'GRANT SELECT, INSERT ON "audit_auditevent" TO "{role}";' in printed
    assert "permission denied for table audit_auditevent" in error
