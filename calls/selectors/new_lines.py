"""Possible new lines: numbers sending messages to many distinct numbers in bursts (a deal
line's daily "marketing" text to its customers) that no line is attributed.

A burst is `recipients` or more distinct subscriber numbers sent an SMS or MMS within
`minutes`; a number is listed when it made bursts on `days` or more days (UK days) in the
period. The database finds the senders that could have: any burst puts at least half its
recipients into one slot of `minutes` (a burst spans two slots at most); their messages
are then walked in order to find the bursts themselves.
"""

import datetime
import math
from collections import Counter, deque
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from core.partitions import month_add, month_of
from lines.models import Line, LineNumber, PhoneNumber

from ..models import EventKind
from .pairs import (
    EVENTS_TABLE,
    PAIRS_TABLE,
    Period,
    SourceRef,
    day_start,
    epoch_sql,
    in_list,
    period_params,
    sources_drawn,
    utc,
)
from .profile import UK_TIME

MESSAGES = (EventKind.SMS.value, EventKind.MMS.value)
# The most senders a scan follows message by message. Settings that find more (a "burst"
# of two recipients in a day) match ordinary subscribers, not deal lines' marketing, and
# would hold the server reading every message of the period for each of them.
MOST_SENDERS = 5_000


class TooManySenders(ValueError):
    """The settings find more senders than a scan follows (MOST_SENDERS)."""

    def __init__(self) -> None:
        super().__init__(
            f"These settings find more than {MOST_SENDERS:,} numbers to follow: ordinary "
            "subscribers, not deal lines' bursts. Raise the recipients or the days, or "
            "shorten the minutes"
        )


@dataclass(frozen=True)
class BurstSettings:
    recipients: int
    minutes: int
    days: int


@dataclass(frozen=True)
class LineOverlap:
    """A known line whose customers (its numbers' subscriber contacts in the period's
    months) the possible new line is in contact with too."""

    line_pk: int
    reference: str
    shared_customers: int


@dataclass(frozen=True)
class PossibleNewLine:
    number: str
    burst_days: tuple[datetime.date, ...]  # UK days with a burst
    largest_burst: int  # the most distinct recipients within the minutes
    contacts: int  # its subscriber contacts in the period's months
    overlaps: tuple[LineOverlap, ...]  # most shared customers first


@dataclass(frozen=True)
class PossibleNewLines:
    start: datetime.date
    end: datetime.date
    settings: BurstSettings
    numbers: tuple[PossibleNewLine, ...]  # most burst days first, then largest burst
    sources: tuple[SourceRef, ...]


def burst_settings(
    *, recipients: int | None = None, minutes: int | None = None, days: int | None = None
) -> BurstSettings:
    """The thresholds given, the settings' defaults for the others."""
    return BurstSettings(
        recipients=recipients or settings.CALL_DATA_BURST_RECIPIENTS,
        minutes=minutes or settings.CALL_DATA_BURST_MINUTES,
        days=days or settings.CALL_DATA_BURST_DAYS,
    )


def possible_new_lines(
    *,
    start: datetime.date,
    end: datetime.date,
    recipients: int | None = None,
    minutes: int | None = None,
    days: int | None = None,
) -> PossibleNewLines:
    """The numbers attributed to no line that sent bursts of messages on enough days from
    `start` to `end` (UTC days, both included; a month is the usual period)."""
    thresholds = burst_settings(recipients=recipients, minutes=minutes, days=days)
    if end < start:
        raise ValueError(f"The period ends ({end}) before it starts ({start}).")
    period = Period(day_start(start), day_start(end + datetime.timedelta(days=1)))
    senders = _possible_senders(period, thresholds)
    if len(senders) > MOST_SENDERS:
        raise TooManySenders
    attributed = set(
        PhoneNumber.objects.filter(e164__in=senders, attributions__isnull=False).values_list(
            "e164", flat=True
        )
    )
    senders = [number for number in senders if number not in attributed]
    bursts = _bursts(senders, period, thresholds)
    listed = {number: found for number, found in bursts.items() if len(found[0]) >= thresholds.days}
    contacts, overlaps = _overlaps(sorted(listed), start, end)
    numbers = sorted(
        (
            PossibleNewLine(
                number,
                tuple(sorted(days_found)),
                largest,
                contacts.get(number, 0),
                tuple(overlaps.get(number, ())),
            )
            for number, (days_found, largest) in listed.items()
        ),
        key=lambda found: (-len(found.burst_days), -found.largest_burst, found.number),
    )
    return PossibleNewLines(
        start, end, thresholds, tuple(numbers), sources_drawn(sorted(listed), period)
    )


def _possible_senders(period: Period, thresholds: BurstSettings) -> list[str]:
    """Senders with at least half a burst's recipients in one slot of `minutes` (one more
    than MOST_SENDERS at most)."""
    slot = epoch_sql("started_at", thresholds.minutes * 60)
    sql = f"""
        SELECT DISTINCT from_number FROM (
            SELECT from_number, {slot} AS slot, COUNT(DISTINCT to_number) AS recipients
            FROM {EVENTS_TABLE}
            WHERE started_at >= %s AND started_at < %s AND kind IN (%s, %s)
              AND from_number LIKE '+%%' AND to_number LIKE '+%%'
            GROUP BY from_number, {slot}
        ) slots
        WHERE recipients >= %s
        LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                *period_params(period),
                *MESSAGES,
                math.ceil(thresholds.recipients / 2),
                MOST_SENDERS + 1,  # enough to tell there are too many
            ],
        )
        return sorted(number for (number,) in cursor.fetchall())


def _bursts(
    senders: list[str], period: Period, thresholds: BurstSettings
) -> dict[str, tuple[set[datetime.date], int]]:
    """Each sender's UK days with a burst (counted on the day of its first message), and
    its largest burst, walking its messages in order with a window of `minutes`."""
    if not senders:
        return {}
    sql = f"""
        SELECT DISTINCT from_number, to_number, started_at FROM {EVENTS_TABLE}
        WHERE from_number IN ({in_list(senders)})
          AND started_at >= %s AND started_at < %s AND kind IN (%s, %s)
          AND to_number LIKE '+%%'
        ORDER BY from_number, started_at
    """
    width = datetime.timedelta(minutes=thresholds.minutes)
    found: dict[str, tuple[set[datetime.date], int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*senders, *period_params(period), *MESSAGES])
        sender, window, in_window = None, deque[tuple[datetime.datetime, str]](), Counter[str]()
        burst_days: set[datetime.date] = set()
        largest = 0
        for number, recipient, at in cursor:
            moment = utc(at)
            if number != sender:
                if sender is not None:
                    found[sender] = (burst_days, largest)
                sender, burst_days, largest = number, set(), 0
                window.clear()
                in_window.clear()
            window.append((moment, recipient))
            in_window[recipient] += 1
            # The window ends with this message: drop those `minutes` or more before it.
            while window[0][0] <= moment - width:
                _gone, dropped = window.popleft()
                in_window[dropped] -= 1
                if not in_window[dropped]:
                    del in_window[dropped]
            if len(in_window) > largest:
                largest = len(in_window)
            if len(in_window) >= thresholds.recipients:
                burst_days.add(window[0][0].astimezone(UK_TIME).date())
        if sender is not None:
            found[sender] = (burst_days, largest)
    return found


def _overlaps(
    numbers: list[str], start: datetime.date, end: datetime.date
) -> tuple[dict[str, int], dict[str, list[LineOverlap]]]:
    """For each number: how many subscriber contacts it had in the period's months, and
    the known lines whose numbers had some of the same contacts then, with how many."""
    if not numbers:
        return {}, {}
    first_month, after_month = month_of(start), month_add(month_of(end), 1)
    months = [connection.ops.adapt_datefield_value(month) for month in (first_month, after_month)]
    marks = in_list(numbers)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT number, COUNT(DISTINCT contact) FROM {PAIRS_TABLE}
            WHERE number IN ({marks}) AND month >= %s AND month < %s AND contact LIKE '+%%'
            GROUP BY number
            """,
            [*numbers, *months],
        )
        contacts = dict(cursor.fetchall())
        cursor.execute(
            f"""
            SELECT s.number, ln.line_id, COUNT(DISTINCT s.contact)
            FROM {PAIRS_TABLE} s
            JOIN {PAIRS_TABLE} k ON k.contact = s.contact AND k.month >= %s AND k.month < %s
            JOIN {PhoneNumber._meta.db_table} p ON p.e164 = k.number
            JOIN {LineNumber._meta.db_table} ln ON ln.number_id = p.id
            WHERE s.number IN ({marks}) AND s.month >= %s AND s.month < %s
              AND s.contact LIKE '+%%'
            GROUP BY s.number, ln.line_id
            """,
            [*months, *numbers, *months],
        )
        shared = cursor.fetchall()
    references = dict(
        Line.objects.filter(pk__in={line for _n, line, _c in shared}).values_list("pk", "reference")
    )
    overlaps: dict[str, list[LineOverlap]] = {}
    for number, line_pk, count in shared:
        overlaps.setdefault(number, []).append(LineOverlap(line_pk, references[line_pk], count))
    for found in overlaps.values():
        found.sort(key=lambda overlap: (-overlap.shared_customers, overlap.reference))
    return contacts, overlaps
