"""Handset continuity: the numbers that shared a handset (IMEI), in the order they used
it. A line that changes number often keeps the handset, and the IMEI links the two."""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import Max, Min

from lines.models import Line
from lines.selectors import lines_numbers, numbers_attributions

from ..models import ContactMonth, is_subscriber
from .pairs import (
    EVENTS_TABLE,
    Period,
    SourceRef,
    day_start,
    in_list,
    month_end,
    period_params,
    sources_named,
    utc,
)


@dataclass(frozen=True)
class HandsetUse:
    number: str
    first: datetime.datetime
    last: datetime.datetime
    events: int  # its outgoing events on the handset
    lines: tuple[str, ...]  # the lines it is attributed to, by reference


@dataclass(frozen=True)
class HandsetNumbers:
    imei: str
    uses: tuple[HandsetUse, ...]  # by first use


@dataclass(frozen=True)
class HandsetContinuity:
    numbers: tuple[str, ...]  # the numbers asked about (none: every handset in the period)
    start: datetime.date | None
    end: datetime.date | None
    handsets: tuple[HandsetNumbers, ...]  # by first use
    sources: tuple[SourceRef, ...]


def handset_continuity(
    *,
    number: str | None = None,
    line: Line | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> HandsetContinuity:
    """The handsets `number` (or any of `line`'s numbers) used, each with every number
    that used it, in order; with neither, every handset more than one number used from
    `start` to `end` (UTC days, both included: then both are required)."""
    if number is not None and line is not None:
        raise ValueError("Give a number or a line, not both.")
    if number is not None and not is_subscriber(number):
        raise ValueError(f"“{number}” is not a subscriber number in E.164.")
    asked = (number,) if number is not None else tuple(lines_numbers(lines=[line])) if line else ()
    if not asked and line is None and (start is None or end is None):
        raise ValueError("Every handset needs a period: give its start and end.")
    # Open ends are bounded by the months any number was active in.
    held = ContactMonth.objects.aggregate(first=Min("month"), last=Max("month"))
    if held["first"] is None or (line is not None and not asked):
        return HandsetContinuity(asked, start, end, (), ())
    period = Period(
        max(day_start(held["first"]), day_start(start)) if start else day_start(held["first"]),
        min(month_end(held["last"]), day_start(end + datetime.timedelta(days=1)))
        if end
        else month_end(held["last"]),
    )
    if period.is_empty:
        return HandsetContinuity(asked, start, end, (), ())
    imeis = _handsets_of(asked, period) if asked else _shared_handsets(period)
    handsets, source_ids = _uses(imeis, period)
    if not asked:
        handsets = [handset for handset in handsets if len(handset.uses) > 1]
    return HandsetContinuity(asked, start, end, tuple(handsets), sources_named(source_ids))


def _handsets_of(numbers: tuple[str, ...], period: Period) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT DISTINCT imei FROM {EVENTS_TABLE}
            WHERE from_number IN ({in_list(numbers)}) AND imei IS NOT NULL AND imei <> ''
              AND started_at >= %s AND started_at < %s
            """,
            [*numbers, *period_params(period)],
        )
        return [imei for (imei,) in cursor.fetchall()]


def _shared_handsets(period: Period) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT imei FROM {EVENTS_TABLE}
            WHERE imei IS NOT NULL AND imei <> '' AND started_at >= %s AND started_at < %s
            GROUP BY imei HAVING COUNT(DISTINCT from_number) > 1
            """,
            period_params(period),
        )
        return [imei for (imei,) in cursor.fetchall()]


def _uses(imeis: list[str], period: Period) -> tuple[list[HandsetNumbers], set[int]]:
    """Every number's use of each handset in `period` (each event once), and the sources
    telling of them."""
    if not imeis:
        return [], set()
    marks = in_list(imeis)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT imei, from_number, COUNT(*), MIN(started_at), MAX(started_at)
            FROM (
                SELECT DISTINCT imei, from_number, to_number, started_at, kind
                FROM {EVENTS_TABLE}
                WHERE imei IN ({marks}) AND started_at >= %s AND started_at < %s
            ) e
            GROUP BY imei, from_number
            """,
            [*imeis, *period_params(period)],
        )
        rows = cursor.fetchall()
        cursor.execute(
            f"""
            SELECT DISTINCT source_id FROM {EVENTS_TABLE}
            WHERE imei IN ({marks}) AND started_at >= %s AND started_at < %s
            """,
            [*imeis, *period_params(period)],
        )
        source_ids = {pk for (pk,) in cursor.fetchall()}
    attributions = numbers_attributions(e164s={number for _imei, number, *_rest in rows})
    by_imei: dict[str, list[HandsetUse]] = {}
    for imei, number, events, first, last in rows:
        lines = tuple(dict.fromkeys(use.line.reference for use in attributions.get(number, [])))
        by_imei.setdefault(imei, []).append(
            HandsetUse(number, utc(first), utc(last), events, lines)
        )
    handsets = [
        HandsetNumbers(imei, tuple(sorted(uses, key=lambda use: (use.first, use.number))))
        for imei, uses in by_imei.items()
    ]
    handsets.sort(key=lambda handset: (handset.uses[0].first, handset.imei))
    return handsets, source_ids
