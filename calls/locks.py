"""One writer of call rows at a time: the imports and the purge.

Both decide what ContactMonth counts from the rows other transactions have committed (an
import counts an event no other source holds; the purge recounts the pairs it touched), so
two running at once could count an event twice or not at all. Each takes this lock in
the transaction that writes; it is released when that transaction ends. SQLite lets only
one transaction write at a time anyway.
"""

from django.db import connection

from .versions import call_data_version_raise

# pg_advisory_xact_lock's key: any number no other lock of the product uses.
_CALL_ROWS_LOCK = 230_001


def call_rows_lock() -> None:
    """Wait until no other transaction writes call rows, then hold that right until this
    transaction ends. Call it inside `transaction.atomic()`. The call data's version is
    raised in the same transaction (calls/versions.py): whoever takes the lock writes."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CALL_ROWS_LOCK])
    call_data_version_raise()
