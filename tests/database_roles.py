"""Throwaway PostgreSQL roles for the tests of what the app role may do.

Roles belong to the whole PostgreSQL cluster, not to the test database: each test makes
its own, uniquely named, and drops it at the end (the test's rollback would undo it too).
"""

import uuid
from contextlib import contextmanager

from django.db import DatabaseError, connection, transaction


@contextmanager
def new_role(*attributes: str):
    role = f"countylines_test_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN {' '.join(attributes)}")
    try:
        yield role
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")


@contextmanager
def acting_as(role: str):
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {role}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def refusal(sql: str, params: list | None = None) -> str:
    """PostgreSQL's error for `sql`, or "" if it was run."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as error:
        return str(error).strip()
    return ""
