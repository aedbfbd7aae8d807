"""Call data for the analyses' tests: rows of sources, and their monthly contact pairs
built from them by the same function the scale seeding and the purge use."""

import datetime
from collections.abc import Iterable

from calls.contact_months import contact_months_recompute
from calls.models import CallEvent, EventKind, Source
from core.partitions import month_of

from .factories import SourceFactory

UTC = datetime.UTC


def at(
    year: int, month: int, day: int, hour: int = 12, minute: int = 0, second: int = 0
) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def row(
    from_number: str,
    to_number: str,
    started_at: datetime.datetime,
    kind: str = EventKind.CALL,
    *,
    imei: str | None = None,
    source: Source | None = None,
    duration: int | None = None,
) -> CallEvent:
    """One row (not saved): a call of 60 s unless told, a message without a duration."""
    if duration is None and kind == EventKind.CALL:
        duration = 60
    return CallEvent(
        source=source,
        from_number=from_number,
        to_number=to_number,
        started_at=started_at,
        kind=kind,
        duration_seconds=duration,
        imei=imei,
    )


def rows_store(rows: Iterable[CallEvent], *, source: Source | None = None) -> list[CallEvent]:
    """Save the rows (those naming no source into `source`, or a new one), then rebuild
    the monthly contact pairs of the months they fall in."""
    rows = list(rows)
    if not rows:
        return rows
    default = source
    for event in rows:
        if event.source_id is None:
            if default is None:
                default = SourceFactory()
            event.source = default
    CallEvent.objects.bulk_create(rows, batch_size=2000)
    months = [month_of(event.started_at) for event in rows]
    contact_months_recompute(first_month=min(months), last_month=max(months))
    return rows
