"""Retention: the rows of every source whose retention date has passed are purged.

A source's rows are deleted month by month (on PostgreSQL, partition by partition), in
chunks of at most `BATCH_ROWS` rows cut along the key, each chunk its own short
transaction: the import's lock (calls/locks.py) and the rows' locks are held for one
chunk, never for the whole source. In the chunk's transaction the events its rows held
that no other source holds are taken out of the monthly contact pairs by the rule that
counted them in; a pair whose first or last moment went (or whose count subtracting
cannot give) is recounted from the rows that remain. The source is kept (its reference,
what it covered and when it went stay readable): `purged_at` set, `events` 0, one audit
event with the counts.

Then each month whose partition the purge emptied (every source that had rows in it has
gone) loses its partition outright (core/partitions.py), rather than keep an empty one.
"""

import getpass
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import Count, Max, Min, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_event_record
from core.partitions import (
    month_bounds,
    month_of,
    months_span,
    partition_month_drop,
    partitioned,
    partitions_list,
)

from ..contact_months import contact_months_recompute, event_sides_sql, pair_counts_sql
from ..locks import call_rows_lock
from ..models import CallEvent, ContactMonth, Source
from .call_rows import WRITING_SETTINGS

BATCH_ROWS = 50_000
_TABLE = CallEvent._meta.db_table
# The key after the source, in the primary key's order: chunks are cut along it.
_KEY = "from_number, to_number, started_at, kind"


@dataclass
class SourcePurge:
    source: Source
    rows: int = 0
    # The months it had rows in, with how many each.
    months: dict[date, int] = field(default_factory=dict)
    contact_pairs: int = 0


@dataclass
class PurgeReport:
    dry_run: bool
    sources: list[SourcePurge] = field(default_factory=list)
    partitions_dropped: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(purge.rows for purge in self.sources)


def sources_past_retention_of(*, today: date) -> QuerySet[Source]:
    """The sources whose rows are kept no longer: retained until a day before `today`."""
    return Source.objects.filter(retain_until__lt=today, purged_at__isnull=True)


def sources_past_retention(*, today: date) -> list[Source]:
    """`sources_past_retention_of`, earliest retention date first."""
    return list(sources_past_retention_of(today=today).order_by("retain_until", "pk"))


def _still_past_retention(source: Source, *, today: date) -> bool:
    """Whether `source`, listed when the purge began, is still past its retention date
    now that its turn has come (a purge takes minutes: its date may have been moved on)."""
    return sources_past_retention_of(today=today).filter(pk=source.pk).exists()


def call_data_purge(
    *,
    today: date | None = None,
    dry_run: bool = False,
    batch_rows: int = BATCH_ROWS,
    via: str = "",
) -> PurgeReport:
    """Purge every source past its retention date; with `dry_run`, only say what would
    go. `via` names what ran it, for the audit (the command, the beat)."""
    today = today or timezone.localdate()
    report = PurgeReport(dry_run=dry_run)
    for source in sources_past_retention(today=today):
        if dry_run:
            report.sources.append(_rows_by_month(source))
        elif _still_past_retention(source, today=today):
            report.sources.append(source_purge(source=source, batch_rows=batch_rows, via=via))
    if not dry_run:
        emptied = {month for purge in report.sources for month in purge.months}
        report.partitions_dropped = emptied_partitions_drop(months=emptied, today=today)
    return report


def source_purge(*, source: Source, batch_rows: int = BATCH_ROWS, via: str = "") -> SourcePurge:
    """Delete `source`'s rows chunk by chunk, taking their events out of the pairs;
    then mark it purged and audit it."""
    purge = SourcePurge(source)
    span = CallEvent.objects.filter(source=source).aggregate(
        first=Min("started_at"), last=Max("started_at")
    )
    if span["first"] is not None:
        for month in months_span(month_of(span["first"]), month_of(span["last"])):
            _month_purge(purge, month, batch_rows=batch_rows)
    with transaction.atomic():
        Source.objects.filter(pk=source.pk).update(
            purged_at=timezone.now(),
            events=0,
            first_at=source.first_at or span["first"],
            last_at=source.last_at or span["last"],
        )
        source.refresh_from_db()
        audit_event_record(
            action=AuditEvent.Action.DELETE,
            username="system",
            obj=source,
            detail={
                "purged": "past its retention date",
                "retain_until": source.retain_until.isoformat(),
                "rows": purge.rows,
                "months": {f"{month:%Y-%m}": rows for month, rows in purge.months.items()},
                "contact_pairs_recounted": purge.contact_pairs,
                "via": via,
                "system_user": getpass.getuser(),
            },
        )
    return purge


def _month_purge(purge: SourcePurge, month: date, *, batch_rows: int) -> None:
    start, end = month_bounds(month)
    after: tuple | None = None
    while True:
        with transaction.atomic():
            call_rows_lock()
            last = _chunk_last_key(purge.source, start, end, after=after, rows=batch_rows)
            rows, recounted = _chunk_delete(purge.source, month, after=after, upto=last)
            if rows:
                purge.rows += rows
                purge.months[month] = purge.months.get(month, 0) + rows
                purge.contact_pairs += recounted
        if last is None:
            return
        after = last


def _chunk_last_key(
    source: Source, start: datetime, end: datetime, *, after: tuple | None, rows: int
) -> tuple | None:
    """The key of the `rows`-th row of the source in the month after `after`; None when
    fewer remain (the last chunk takes them all)."""
    where, params = _chunk_where(source, start, end, after=after, upto=None)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_KEY} FROM {_TABLE} WHERE {where}"
            f" ORDER BY source_id, {_KEY} LIMIT 1 OFFSET %s",
            [*params, rows - 1],
        )
        found = cursor.fetchone()
    return tuple(found) if found else None


_GONE = "calls_purge_gone"
_DELTAS = "calls_purge_deltas"


def _chunk_delete(
    source: Source, month: date, *, after: tuple | None, upto: tuple | None
) -> tuple[int, int]:
    """Delete the chunk's rows and take their events out of ContactMonth; returns the
    rows deleted and the pairs recounted.

    An event another source still holds counts as before; each other one is subtracted
    from its pairs by the rule that counted it in (calls/contact_months.py), and a pair
    left with no event loses its row. A pair is recounted from the rows that remain
    instead where subtracting cannot say what it becomes: an event removed on its first
    or last moment (its bounds may move), a count it does not hold (counted otherwise
    than the rows say), or a call another source holds with a shorter duration (the
    longest counts)."""
    start, end = month_bounds(month)
    where, params = _chunk_where(source, start, end, after=after, upto=upto)
    adapt = connection.ops.adapt_datetimefield_value
    within = [adapt(start), adapt(end)]
    same_event = (
        "e.from_number = g.from_number AND e.to_number = g.to_number"
        " AND e.started_at = g.started_at AND e.kind = g.kind"
        " AND e.source_id <> %s AND e.started_at >= %s AND e.started_at < %s"
    )
    with connection.cursor() as cursor:
        _work_tables_create(cursor)
        cursor.execute(
            f"INSERT INTO {_GONE} (from_number, to_number, started_at, kind, duration_seconds,"
            " shared)"
            f" SELECT g.from_number, g.to_number, g.started_at, g.kind, g.duration_seconds,"
            f" EXISTS (SELECT 1 FROM {_TABLE} e WHERE {same_event})"
            f" FROM {_TABLE} g WHERE {where}",
            [source.pk, *within, *params],
        )
        cursor.execute(f"DELETE FROM {_TABLE} WHERE {where}", params)
        rows = cursor.rowcount
        if not rows:
            return 0, 0
        cursor.execute(
            f"UPDATE {_GONE} SET others_longest = (SELECT MAX(e.duration_seconds)"
            f" FROM {_TABLE} e WHERE {same_event.replace('g.', _GONE + '.')})"
            " WHERE shared AND kind = 'call'",
            [source.pk, *within],
        )
        # What the events no other source holds counted on their pairs.
        cursor.execute(
            f"""
            INSERT INTO {_DELTAS}
                (number, contact, month, calls, sms, mms, outgoing, call_seconds,
                 first_at, last_at)
            WITH events AS (
                SELECT from_number AS a, to_number AS b, started_at, kind,
                       duration_seconds AS duration
                FROM {_GONE} WHERE NOT shared
            ),
            {event_sides_sql("events")}
            {pair_counts_sql("sides")}
            """.replace("%%", "%")
        )
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {_DELTAS}")
        pairs = ContactMonth._meta.db_table
        same_pair = (
            f"{pairs}.number = d.number AND {pairs}.contact = d.contact AND {pairs}.month = d.month"
        )
        counts = ("calls", "sms", "mms", "outgoing", "call_seconds")
        # 'e': emptied, 's': subtracted, 'r': recounted (no row: recounted too).
        cursor.execute(
            f"""
            UPDATE {_DELTAS} AS d SET state = COALESCE((
                SELECT CASE
                    WHEN {" AND ".join(f"p.{n} = d.{n}" for n in ("calls", "sms", "mms"))}
                        THEN 'e'
                    WHEN p.first_at = d.first_at OR p.last_at = d.last_at
                        OR {" OR ".join(f"p.{n} < d.{n}" for n in counts)} THEN 'r'
                    ELSE 's' END
                FROM {pairs} p
                WHERE p.number = d.number AND p.contact = d.contact AND p.month = d.month
            ), 'r')
            """
        )
        cursor.execute(
            f"UPDATE {pairs} SET {', '.join(f'{n} = {pairs}.{n} - d.{n}' for n in counts)}"
            f" FROM {_DELTAS} d WHERE d.state = 's' AND {same_pair}"
        )
        if connection.vendor == "postgresql":
            cursor.execute(
                f"DELETE FROM {pairs} USING {_DELTAS} d WHERE d.state = 'e' AND {same_pair}"
            )
        else:
            cursor.execute(
                f"DELETE FROM {pairs} WHERE (number, contact, month) IN"
                f" (SELECT number, contact, month FROM {_DELTAS} WHERE state = 'e')"
            )
        cursor.execute(
            f"SELECT number, contact FROM {_DELTAS} WHERE state = 'r'"
            f" UNION SELECT from_number, to_number FROM {_GONE} WHERE shared AND kind = 'call'"
            " AND duration_seconds > COALESCE(others_longest, -1)"
        )
        recount = cursor.fetchall()
    recounted = (
        contact_months_recompute(first_month=month, last_month=month, pairs=recount)
        if recount
        else 0
    )
    return rows, recounted


def _work_tables_create(cursor: CursorWrapper) -> None:
    """The chunk's deleted rows and what they counted on their pairs, emptied for it."""
    started = "timestamptz" if connection.vendor == "postgresql" else "datetime"
    day = "date"
    drop = " ON COMMIT DROP" if connection.vendor == "postgresql" else ""
    cursor.execute(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {_GONE} (from_number varchar(20),"
        f" to_number varchar(20), started_at {started}, kind varchar(4),"
        f" duration_seconds integer, shared boolean, others_longest integer){drop}"
    )
    cursor.execute(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {_DELTAS} (number varchar(20),"
        f" contact varchar(20), month {day}, calls bigint, sms bigint, mms bigint,"
        f" outgoing bigint, call_seconds bigint, first_at {started}, last_at {started},"
        f" state char(1)){drop}"
    )
    cursor.execute(f"DELETE FROM {_GONE}")
    cursor.execute(f"DELETE FROM {_DELTAS}")
    if connection.vendor == "postgresql":
        # Each pair looked up by its index, not the whole table hashed (call_rows.py).
        for name, value in WRITING_SETTINGS.items():
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


def _chunk_where(
    source: Source, start: datetime, end: datetime, *, after: tuple | None, upto: tuple | None
) -> tuple[str, list[Any]]:
    adapt = connection.ops.adapt_datetimefield_value
    # The month's range prunes to its partition; the key's range (the source first, as
    # in the primary key, so that its index answers) cuts the chunk.
    where = "source_id = %s AND started_at >= %s AND started_at < %s"
    params: list[Any] = [source.pk, adapt(start), adapt(end)]
    if after is not None:
        where += f" AND (source_id, {_KEY}) > (%s, %s, %s, %s, %s)"
        params += [source.pk, *after]
    if upto is not None:
        where += f" AND (source_id, {_KEY}) <= (%s, %s, %s, %s, %s)"
        params += [source.pk, *upto]
    return where, params


def _rows_by_month(source: Source) -> SourcePurge:
    """What purging `source` would delete (a dry run)."""
    by_month = (
        CallEvent.objects.filter(source=source)
        .annotate(month=TruncMonth("started_at", tzinfo=UTC))
        .values("month")
        .annotate(rows=Count("*"))
        .order_by("month")
    )
    months = {month_of(row["month"]): row["rows"] for row in by_month}
    return SourcePurge(source, rows=sum(months.values()), months=months)


def emptied_partitions_drop(*, months: set[date], today: date) -> list[str]:
    """Drop the partitions of `months` (before this month: the months ahead are kept
    ready) that hold no rows any more; returns their names. A month whose partition is
    in use or has rows again is left for another purge."""
    if not partitioned():
        return []
    this_month = month_of(today)
    existing = {p.month: p.name for p in partitions_list(_TABLE) if p.month is not None}
    dropped = []
    for month in sorted(months):
        if month >= this_month or month not in existing:
            continue
        start, end = month_bounds(month)
        try:
            with transaction.atomic():
                if CallEvent.objects.filter(started_at__gte=start, started_at__lt=end).exists():
                    continue
                if partition_month_drop(_TABLE, month):
                    dropped.append(existing[month])
        except DatabaseError:
            continue  # waited too long for the table, or rows arrived: next time
    return dropped
