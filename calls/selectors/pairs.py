"""What the analyses share: the period asked for, bounded by the data held; the events
between numbers and their contacts in it; the sources the answer draws on.

Counting rule: an *event* is (from, to, started_at, kind), counted once however many
sources hold it. Whole months are read from ContactMonth (which counts that way); the
part of a month at either end of a period is read from the rows, grouped by event. Every
query on the rows names a started_at range, so that PostgreSQL reads only the months'
partitions, and the range is never wider than the months the numbers were active in.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC

from django.db import connection
from django.db.models import Max, Min
from django.utils.dateparse import parse_datetime

from core.partitions import month_add, month_of

from ..models import CallEvent, ContactMonth, Source, is_subscriber

EVENTS_TABLE = CallEvent._meta.db_table
PAIRS_TABLE = ContactMonth._meta.db_table


@dataclass(frozen=True)
class SourceRef:
    """A disclosure an analysis draws on."""

    pk: int
    reference: str


@dataclass(frozen=True)
class Period:
    """[lo, hi) in UTC: the moments an analysis reads."""

    lo: datetime.datetime
    hi: datetime.datetime

    @property
    def is_empty(self) -> bool:
        return self.hi <= self.lo


def day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, UTC)


def month_end(month: datetime.date) -> datetime.datetime:
    """The first moment after `month` (its first day), in UTC."""
    return day_start(month_add(month, 1))


def period_asked(
    *, start: datetime.date | None, end: datetime.date | None, numbers: Sequence[str]
) -> Period | None:
    """The period from `start` to `end` (both days included, UTC days like the months),
    narrowed to the months `numbers` were active in; None when they have no events."""
    # The first and last events rather than months: MIN(month) would tempt PostgreSQL
    # into walking the month index from its start for the numbers' first row.
    bounds = ContactMonth.objects.filter(number__in=list(numbers)).aggregate(
        first=Min("first_at"), last=Max("last_at")
    )
    if bounds["first"] is None:
        return None
    lo = day_start(month_of(bounds["first"]))
    hi = month_end(month_of(bounds["last"]))
    if start is not None:
        lo = max(lo, day_start(start))
    if end is not None:
        hi = min(hi, day_start(end + datetime.timedelta(days=1)))
    period = Period(lo, hi)
    return None if period.is_empty else period


@dataclass
class Totals:
    """The events between a number and one contact."""

    calls: int = 0
    sms: int = 0
    mms: int = 0
    outgoing: int = 0
    call_seconds: int = 0
    first_at: datetime.datetime | None = None
    last_at: datetime.datetime | None = None

    @property
    def events(self) -> int:
        return self.calls + self.sms + self.mms

    def add(
        self,
        *,
        calls: int = 0,
        sms: int = 0,
        mms: int = 0,
        outgoing: int = 0,
        call_seconds: int = 0,
        first_at: datetime.datetime,
        last_at: datetime.datetime,
    ) -> None:
        self.calls += calls
        self.sms += sms
        self.mms += mms
        self.outgoing += outgoing
        self.call_seconds += call_seconds
        self.first_at = first_at if self.first_at is None else min(self.first_at, first_at)
        self.last_at = last_at if self.last_at is None else max(self.last_at, last_at)


# (number, contact) → its events in the period.
PairTotals = dict[tuple[str, str], Totals]


def whole_months(period: Period) -> tuple[datetime.date, datetime.date] | None:
    """The first and the following-the-last month lying wholly inside `period`."""
    first = month_of(period.lo)
    if day_start(first) < period.lo:
        first = month_add(first, 1)
    after = month_of(period.hi)
    return (first, after) if first < after else None


def edges(period: Period) -> list[Period]:
    """The parts of `period` outside its whole months (read from the rows)."""
    months = whole_months(period)
    if months is None:
        return [period]
    parts = [Period(period.lo, day_start(months[0])), Period(day_start(months[1]), period.hi)]
    return [part for part in parts if not part.is_empty]


def pair_totals(
    numbers: Sequence[str], period: Period, *, subscribers_only: bool = False
) -> PairTotals:
    """Each (number, contact) pair of `numbers` with its events in `period`; with
    `subscribers_only`, contacts that are subscriber numbers only. A number on both sides
    of an event has it once, on the pair (number, number)."""
    totals: PairTotals = {}
    months = whole_months(period)
    if months is not None:
        rows = ContactMonth.objects.filter(
            number__in=list(numbers), month__gte=months[0], month__lt=months[1]
        )
        if subscribers_only:
            rows = rows.filter(contact__startswith="+")
        for row in rows.values_list(
            "number",
            "contact",
            "calls",
            "sms",
            "mms",
            "outgoing",
            "call_seconds",
            "first_at",
            "last_at",
        ):
            number, contact, calls, sms, mms, outgoing, seconds, first_at, last_at = row
            totals.setdefault((number, contact), Totals()).add(
                calls=calls,
                sms=sms,
                mms=mms,
                outgoing=outgoing,
                call_seconds=seconds,
                first_at=first_at,
                last_at=last_at,
            )
    wanted = set(numbers)
    for part in edges(period):
        for a, b, kind, count, seconds, first_at, last_at in _events_by_pair(numbers, part):
            for number, contact, outgoing in ((a, b, count), (b, a, 0)):
                if number not in wanted or (outgoing == 0 and a == b):
                    continue
                if subscribers_only and not is_subscriber(contact):
                    continue
                totals.setdefault((number, contact), Totals()).add(
                    calls=count if kind == "call" else 0,
                    sms=count if kind == "sms" else 0,
                    mms=count if kind == "mms" else 0,
                    outgoing=outgoing,
                    call_seconds=seconds if kind == "call" else 0,
                    first_at=first_at,
                    last_at=last_at,
                )
    return totals


def _events_by_pair(
    numbers: Sequence[str], period: Period
) -> list[tuple[str, str, str, int, int, datetime.datetime, datetime.datetime]]:
    """(from, to, kind, events, call seconds, first, last) of the events of `numbers` in
    `period`, each event once (sources holding it differ at most in its duration: the
    longest is kept, as ContactMonth keeps it)."""
    marks = in_list(numbers)
    sql = f"""
        SELECT from_number, to_number, kind, COUNT(*), COALESCE(SUM(duration), 0),
               MIN(started_at), MAX(started_at)
        FROM (
            SELECT from_number, to_number, started_at, kind,
                   MAX(duration_seconds) AS duration
            FROM {EVENTS_TABLE}
            WHERE (from_number IN ({marks}) OR to_number IN ({marks}))
              AND started_at >= %s AND started_at < %s
            GROUP BY from_number, to_number, started_at, kind
        ) e
        GROUP BY from_number, to_number, kind
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*numbers, *numbers, *period_params(period)])
        return [
            (a, b, kind, count, int(seconds), utc(first), utc(last))
            for a, b, kind, count, seconds, first, last in cursor.fetchall()
        ]


def in_list(values: Sequence[object]) -> str:
    """Placeholders for an IN list of `values` (never empty: an empty list matches nothing)."""
    return ", ".join(["%s"] * len(values)) if values else "NULL"


def period_params(period: Period) -> list:
    return [connection.ops.adapt_datetimefield_value(moment) for moment in (period.lo, period.hi)]


def utc(value: object) -> datetime.datetime:
    """A datetime as the database cursor returned it (SQLite: UTC text), aware in UTC."""
    if isinstance(value, datetime.datetime):
        moment = value
    else:
        parsed = parse_datetime(str(value))
        if parsed is None:
            raise ValueError(f"not a datetime: {value!r}")
        moment = parsed
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def epoch_sql(column: str, seconds: int) -> str:
    """`column` as whole periods of `seconds` since 1970 (an integer on both databases)."""
    if connection.vendor == "postgresql":
        return f"floor(extract(epoch from {column}) / {seconds})::bigint"
    return f"(CAST(strftime('%%s', {column}) AS INTEGER) / {seconds})"


def sources_drawn(numbers: Sequence[str], period: Period | None) -> tuple[SourceRef, ...]:
    """The sources holding events of `numbers` in `period`, by reference."""
    if period is None or not numbers:
        return ()
    marks = in_list(numbers)
    sql = f"""
        SELECT source_id FROM {EVENTS_TABLE}
        WHERE from_number IN ({marks}) AND started_at >= %s AND started_at < %s
        UNION
        SELECT source_id FROM {EVENTS_TABLE}
        WHERE to_number IN ({marks}) AND started_at >= %s AND started_at < %s
    """
    params = period_params(period)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*numbers, *params, *numbers, *params])
        ids = [pk for (pk,) in cursor.fetchall()]
    return sources_named(ids)


def sources_named(ids: Iterable[int]) -> tuple[SourceRef, ...]:
    return tuple(
        SourceRef(pk, reference)
        for pk, reference in Source.objects.filter(pk__in=list(ids))
        .order_by("reference")
        .values_list("pk", "reference")
    )
