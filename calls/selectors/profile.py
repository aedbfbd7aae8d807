"""A number's profile from the call data: when it was seen, its events by kind, its
contacts, the handsets it used, when in the week it is active, the lines it served."""

import datetime
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.db import connection

from accounts.models import User
from lines.selectors import numbers_attributions

from ..models import EventKind, is_subscriber
from .pairs import (
    EVENTS_TABLE,
    Period,
    SourceRef,
    epoch_sql,
    period_asked,
    period_params,
    sources_drawn,
    utc,
)
from .pairs import pair_totals as _pair_totals

TOP_CONTACTS = 20
UK_TIME = ZoneInfo("Europe/London")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Contact:
    """A subscriber number in contact with the profiled one, and their events."""

    number: str
    events: int
    calls: int
    sms: int
    mms: int
    outgoing: int  # the events the profiled number made or sent to it
    first: datetime.datetime
    last: datetime.datetime


@dataclass(frozen=True)
class Handset:
    """A handset (IMEI) on the number's outgoing events."""

    imei: str
    first: datetime.datetime
    last: datetime.datetime


@dataclass(frozen=True)
class LineUse:
    """An attribution of the number to a line."""

    line_pk: int
    reference: str
    attributed_from: datetime.date
    attributed_to: datetime.date | None


@dataclass(frozen=True)
class NumberProfile:
    number: str
    start: datetime.date | None
    end: datetime.date | None
    first_seen: datetime.datetime | None
    last_seen: datetime.datetime | None
    events: dict[str, int]  # by kind, every kind listed
    contacts: int  # distinct subscriber numbers (never withheld, a short code or itself)
    top_contacts: tuple[Contact, ...]  # most events first, ties by number
    handsets: tuple[Handset, ...]  # by first use
    # Events by weekday (Monday first) and hour, in UK time (Europe/London): 7 × 24.
    activity: tuple[tuple[int, ...], ...]
    lines: tuple[LineUse, ...]
    sources: tuple[SourceRef, ...]

    @property
    def total_events(self) -> int:
        return sum(self.events.values())

    @property
    def busiest_hour_events(self) -> int:
        return max((count for day in self.activity for count in day), default=0)


def number_profile(
    number: str,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    user: User | None = None,
) -> NumberProfile:
    """The profile of subscriber `number` (E.164) from `start` to `end` (UTC days, both
    included; open when None). Lines are those `user` may see (every line for a command).

    A bounded number of queries whatever the events: the contacts from ContactMonth (and
    the rows of a month the period cuts), the activity and handsets from the rows."""
    if not is_subscriber(number):
        raise ValueError(f"“{number}” is not a subscriber number in E.164.")
    uses = numbers_attributions(e164s=[number], user=user).get(number, [])
    lines = tuple(
        LineUse(use.line_id, use.line.reference, use.attributed_from, use.attributed_to)
        for use in uses
    )
    period = period_asked(start=start, end=end, numbers=[number])
    empty_week = tuple(tuple(0 for _hour in range(24)) for _day in range(7))
    if period is None:
        return NumberProfile(
            number,
            start,
            end,
            None,
            None,
            dict.fromkeys(EventKind.values, 0),
            0,
            (),
            (),
            empty_week,
            lines,
            (),
        )
    totals = _pair_totals([number], period)
    events = dict.fromkeys(EventKind.values, 0)
    contacts = []
    for (_number, contact), total in totals.items():
        events["call"] += total.calls
        events["sms"] += total.sms
        events["mms"] += total.mms
        if is_subscriber(contact) and contact != number:
            assert total.first_at is not None and total.last_at is not None
            contacts.append(
                Contact(
                    contact,
                    total.events,
                    total.calls,
                    total.sms,
                    total.mms,
                    total.outgoing,
                    total.first_at,
                    total.last_at,
                )
            )
    contacts.sort(key=lambda contact: (-contact.events, contact.number))
    firsts = [total.first_at for total in totals.values() if total.first_at is not None]
    lasts = [total.last_at for total in totals.values() if total.last_at is not None]
    return NumberProfile(
        number=number,
        start=start,
        end=end,
        first_seen=min(firsts, default=None),
        last_seen=max(lasts, default=None),
        events=events,
        contacts=len(contacts),
        top_contacts=tuple(contacts[:TOP_CONTACTS]),
        handsets=_handsets(number, period),
        activity=_activity(number, period),
        lines=lines,
        sources=sources_drawn([number], period),
    )


def _handsets(number: str, period: Period) -> tuple[Handset, ...]:
    sql = f"""
        SELECT imei, MIN(started_at), MAX(started_at) FROM {EVENTS_TABLE}
        WHERE from_number = %s AND imei IS NOT NULL AND imei <> ''
          AND started_at >= %s AND started_at < %s
        GROUP BY imei
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [number, *period_params(period)])
        handsets = [Handset(imei, utc(first), utc(last)) for imei, first, last in cursor]
    return tuple(sorted(handsets, key=lambda handset: (handset.first, handset.imei)))


def _activity(number: str, period: Period) -> tuple[tuple[int, ...], ...]:
    """Events by weekday and hour in UK time. The database counts them by UTC hour (each
    event once); each hour is placed in the week here, as the clocks in London said."""
    sql = f"""
        SELECT {epoch_sql("started_at", 3600)} AS hour, COUNT(*)
        FROM (
            SELECT DISTINCT from_number, to_number, started_at, kind FROM {EVENTS_TABLE}
            WHERE (from_number = %s OR to_number = %s)
              AND started_at >= %s AND started_at < %s
        ) e
        GROUP BY {epoch_sql("started_at", 3600)}
    """
    week = [[0] * 24 for _day in range(7)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [number, number, *period_params(period)])
        for hour, count in cursor:
            day, hour_of_day = _uk_weekday_hour(int(hour))
            week[day][hour_of_day] += count
    return tuple(tuple(day) for day in week)


@lru_cache(maxsize=100_000)
def _uk_weekday_hour(epoch_hour: int) -> tuple[int, int]:
    moment = datetime.datetime.fromtimestamp(epoch_hour * 3600, datetime.UTC).astimezone(UK_TIME)
    return moment.weekday(), moment.hour
