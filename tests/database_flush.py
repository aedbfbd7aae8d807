"""Between transactional tests Django empties every table with one TRUNCATE, which the
audit log's trigger refuses (audit/migrations/0007). The tests connect as a superuser,
who alone may turn the triggers off: for that one statement's transaction, they do."""

import pytest
from django.db.backends.postgresql.operations import DatabaseOperations


@pytest.fixture(scope="session", autouse=True)
def flush_past_the_audit_trigger():
    flush = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, **options):
        statements = flush(self, style, tables, **options)
        if not statements:
            return statements
        # LOCAL: execute_sql_flush runs the statements in one transaction; its end turns
        # the triggers back on.
        return ["SET LOCAL session_replication_role = replica", *statements]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush)
        yield
