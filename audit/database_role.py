"""The application's own PostgreSQL role: the usual rights on every table but the audit
log, which it may only read and append to.

Migrations run as the role that owns the tables (and the functions that keep the
partitioned tables' partitions, which the app role may only execute: core/partitions.py);
the web, worker and beat connect as another, the app role (README, "Deploying with
docker compose"). PostgreSQL lets only a table's owner or a superuser alter or drop it,
or disable its triggers, and only a superuser silence every trigger with
`session_replication_role`. So the app role can do none of these, and without the
UPDATE, DELETE and TRUNCATE privileges on the log it is refused before the triggers of
audit/migrations are even reached.
"""

import re

from django.db import connection, transaction

from core.partitions import upkeep_grants

from .models import AuditEvent

# Unquoted PostgreSQL identifiers, so a name can go into the statements as it is.
_ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
_SEQUENCE_PRIVILEGES = "USAGE, SELECT"


class AppRoleRefused(Exception):
    """The role cannot be made the app role: granting would not protect the audit log."""


def app_role_statements(*, role: str, schema: str) -> list[str]:
    """What `app_role_grant` runs, as the owner of the tables, for `role` in `schema`."""
    quote = connection.ops.quote_name
    role, schema = quote(role), quote(schema)
    audit = quote(AuditEvent._meta.db_table)
    return [
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT {_TABLE_PRIVILEGES} ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"GRANT {_SEQUENCE_PRIVILEGES} ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        # Tables a later migration creates (as this same owner) are the app's at once.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
        f"GRANT {_TABLE_PRIVILEGES} ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
        f"GRANT {_SEQUENCE_PRIVILEGES} ON SEQUENCES TO {role}",
        f"REVOKE ALL ON {audit} FROM PUBLIC, {role}",
        f"GRANT SELECT, INSERT ON {audit} TO {role}",
        # Partitions are created and dropped through the owner's functions, never by the
        # app role itself (core/partitions.py).
        *upkeep_grants(role),
    ]


def app_role_grant(*, role: str, dry_run: bool = False) -> list[str]:
    """Grant `role` what the application needs and no more; returns the statements.

    Run as the owner of the tables after every `migrate` (a migration that recreates the
    audit table would otherwise give it the default privileges). Refuses a role that
    could alter the log whatever it is granted.
    """
    if connection.vendor != "postgresql":
        raise AppRoleRefused(
            f"The app role is a PostgreSQL role; this database is {connection.vendor}."
        )
    if not _ROLE_NAME.fullmatch(role):
        raise AppRoleRefused(
            f"{role!r} is not a plain role name (lower-case letters, digits and _)."
        )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        (schema,) = cursor.fetchone()
        _check_role(cursor, role=role, schema=schema)
        statements = app_role_statements(role=role, schema=schema)
        if not dry_run:
            for statement in statements:
                cursor.execute(statement)
    return statements


def _check_role(cursor, *, role: str, schema: str) -> None:
    cursor.execute("SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = %s", [role])
    found = cursor.fetchone()
    if found is None:
        raise AppRoleRefused(f"There is no role {role}: create it first.")
    superuser, creates_roles = found
    if superuser:
        raise AppRoleRefused(
            f"{role} is a superuser: it could alter the audit log whatever it is granted."
        )
    if creates_roles:
        raise AppRoleRefused(
            f"{role} has CREATEROLE: it could make itself a member of the tables' owner."
        )
    cursor.execute(
        "SELECT pg_has_role(%s, tableowner, 'MEMBER') FROM pg_tables "
        "WHERE schemaname = %s AND tablename = %s",
        [role, schema, AuditEvent._meta.db_table],
    )
    owner = cursor.fetchone()
    if owner is None:
        raise AppRoleRefused("There is no audit table yet: run migrate first.")
    if owner[0]:
        raise AppRoleRefused(
            f"{role} owns the audit table (or is a member of its owner): it could alter "
            "or drop it. Run migrations as another role, the owner."
        )
