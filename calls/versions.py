"""The call data's version: a number raised in the same transaction as every change to
the call rows or the monthly contact pairs (the imports and the purge through
`calls.locks.call_rows_lock`, a recount through `contact_months_recompute`).

Results computed from the call data are cached under it: a reader takes the version
before it reads the data, so a change committed since makes it read a new version and
compute afresh, and an entry can never be served once the data it came from has changed.
A change rolled back leaves the version as it was.
"""

from django.db.models import F

from .models import CallDataVersion

# The one row (made on first use: a database emptied by hand has none).
_ROW = 1


def call_data_version() -> int:
    """The version now (0 before any call data was written)."""
    version = CallDataVersion.objects.filter(pk=_ROW).values_list("version", flat=True).first()
    return version or 0


def call_data_version_raise() -> None:
    """Raise the version: call inside the transaction that changes the call data, after
    taking `call_rows_lock` when there is one (then the row's lock is never waited on)."""
    if not CallDataVersion.objects.filter(pk=_ROW).update(version=F("version") + 1):
        CallDataVersion.objects.get_or_create(pk=_ROW)
        CallDataVersion.objects.filter(pk=_ROW).update(version=F("version") + 1)
