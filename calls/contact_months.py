"""The monthly contact pairs (`ContactMonth`) derived from the call rows.

The rules (calls/models.py): an *event* is (from, to, started_at, kind), counted once
however many sources hold it; each event counts on (from, to, month) and, when `to` is a
subscriber, on (to, from, month); a row whose `number` is not a subscriber is never
stored. A number on both sides of one event counts it once on its own pair.

`event_sides_sql` and `pair_counts_sql` are that rule, which the import adds by, the
purge subtracts by and the recount writes by. `contact_months_recompute` rebuilds pairs
from the rows that remain: the purge for the pairs whose bounds its deletions moved, the
scale seeding for every pair of a range of months. It runs a bounded number of
statements whatever the rows, on PostgreSQL and SQLite alike.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper

from core.partitions import month_add, month_start_check

from .models import CallEvent, ContactMonth, Source
from .versions import call_data_version_raise

_PAIRS_TABLE = "calls_recompute_pair"


def contact_months_recompute(
    *,
    first_month: date,
    last_month: date,
    pairs: Iterable[tuple[str, str]] | None = None,
) -> int:
    """Rebuild ContactMonth from the rows for the months `first_month` to `last_month`
    (both included, each the first of its month): every pair, or only `pairs` (parties as
    stored, either way round: (a, b) rebuilds a→b and b→a). Returns the rows written.

    A pair left with no event loses its row. Run inside the caller's transaction when
    there is one (the purge deletes and recomputes in one), otherwise in its own.
    """
    month_start_check(first_month, what="first_month")
    month_start_check(last_month, what="last_month")
    if last_month < first_month:
        raise ValueError(f"last_month {last_month} is before first_month {first_month}.")
    end_month = month_add(last_month, 1)
    with transaction.atomic(), connection.cursor() as cursor:
        if pairs is not None and not _pairs_load(cursor, pairs):
            return 0  # nothing touched
        call_data_version_raise()
        month_from = connection.ops.adapt_datefield_value(first_month)
        month_to = connection.ops.adapt_datefield_value(end_month)
        contact_month = ContactMonth._meta.db_table
        only_pairs = (
            f" AND EXISTS (SELECT 1 FROM {_PAIRS_TABLE} p"
            f" WHERE p.a = {contact_month}.number AND p.b = {contact_month}.contact)"
            if pairs is not None
            else ""
        )
        cursor.execute(
            f"DELETE FROM {contact_month} WHERE month >= %s AND month < %s{only_pairs}",
            [month_from, month_to],
        )
        cursor.execute(*_rebuild_sql(first_month, end_month, only_pairs=pairs is not None))
        return cursor.rowcount


def _rebuild_sql(first_month: date, end_month: date, *, only_pairs: bool) -> tuple[str, list]:
    events = CallEvent._meta.db_table
    # The pairs' rows looked up by the primary key, source by source (the sources are
    # few): by the index of one party instead, a busy number's every row of the month
    # would be read for each of its pairs.
    pairs_join = (
        f" JOIN {_PAIRS_TABLE} p ON p.a = e.from_number AND p.b = e.to_number"
        f" JOIN {Source._meta.db_table} s ON s.id = e.source_id AND s.purged_at IS NULL"
        if only_pairs
        else ""
    )
    started_from, started_to = (
        connection.ops.adapt_datetimefield_value(datetime.combine(day, datetime.min.time(), UTC))
        for day in (first_month, end_month)
    )
    # One row per event (sources holding it differ at most in what they say of it: the
    # longest duration is kept), then one per side of it that is a subscriber.
    # INSERT first: SQLite counts the rows of an INSERT, not of a statement opening WITH.
    sql = f"""
        INSERT INTO {ContactMonth._meta.db_table}
            (number, contact, month, calls, sms, mms, outgoing, call_seconds,
             first_at, last_at)
        WITH events AS (
            SELECT e.from_number AS a, e.to_number AS b, e.started_at, e.kind,
                   MAX(e.duration_seconds) AS duration
            FROM {events} e{pairs_join}
            WHERE e.started_at >= %s AND e.started_at < %s
            GROUP BY e.from_number, e.to_number, e.started_at, e.kind
        ),
        {event_sides_sql("events")}
        {pair_counts_sql("sides")}
    """
    return sql, [started_from, started_to]


def event_sides_sql(events: str) -> str:
    """The CTE `sides`: one row per subscriber side of each event of `events` (columns a,
    b, started_at, kind, duration; each event once): the rule every count of ContactMonth
    follows, whether the import adds events, the purge takes them away or a recount
    starts afresh. Written for a statement with parameters (`%%` for `%`)."""
    return f"""
        sides AS (
            SELECT a AS number, b AS contact, started_at, kind, duration, 1 AS outgoing
            FROM {events} WHERE a LIKE '+%%'
            UNION ALL
            SELECT b, a, started_at, kind, duration, 0
            FROM {events} WHERE b LIKE '+%%' AND b <> a
        )"""


def pair_counts_sql(sides: str) -> str:
    """What the sides of `sides` count on each (number, contact, month), in ContactMonth's
    columns: what an import adds, what a purge subtracts, what a recount writes."""
    return f"""
        SELECT number, contact, {month_sql("started_at")} AS month,
               SUM(CASE WHEN kind = 'call' THEN 1 ELSE 0 END) AS calls,
               SUM(CASE WHEN kind = 'sms' THEN 1 ELSE 0 END) AS sms,
               SUM(CASE WHEN kind = 'mms' THEN 1 ELSE 0 END) AS mms,
               SUM(outgoing) AS outgoing,
               COALESCE(SUM(CASE WHEN kind = 'call' THEN duration END), 0) AS call_seconds,
               MIN(started_at) AS first_at, MAX(started_at) AS last_at
        FROM {sides} WHERE true
        GROUP BY number, contact, {month_sql("started_at")}"""


def month_sql(column: str) -> str:
    """The first day of the UTC month of `column`, as the database writes a date."""
    if connection.vendor == "postgresql":
        return f"(date_trunc('month', {column} AT TIME ZONE 'UTC'))::date"
    # SQLite keeps datetimes as UTC text.
    return f"date({column}, 'start of month')"


def _pairs_load(cursor: CursorWrapper, pairs: Iterable[tuple[str, str]]) -> int:
    """Put both orientations of `pairs` into a temporary table; returns how many."""
    both = {(a, b) for pair in pairs for a, b in (pair, pair[::-1])}
    if connection.vendor == "postgresql":
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {_PAIRS_TABLE}"
            " (a varchar(20), b varchar(20)) ON COMMIT DROP"
        )
        cursor.execute(f"TRUNCATE {_PAIRS_TABLE}")
        firsts, seconds = zip(*both, strict=True) if both else ((), ())
        cursor.execute(
            f"INSERT INTO {_PAIRS_TABLE} SELECT * FROM unnest(%s::text[], %s::text[])",
            [list(firsts), list(seconds)],
        )
        cursor.execute(f"ANALYZE {_PAIRS_TABLE}")
    else:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {_PAIRS_TABLE} (a varchar(20), b varchar(20))"
        )
        cursor.execute(f"DELETE FROM {_PAIRS_TABLE}")
        cursor.executemany(f"INSERT INTO {_PAIRS_TABLE} VALUES (%s, %s)", list(both))
    return len(both)
