"""Possible new lines and handset continuity on worlds with known answers."""

import datetime

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from calls.models import EventKind
from calls.selectors import (
    common_contacts,
    handset_continuity,
    number_profile,
    possible_new_lines,
    successor_candidates,
)
from tests.lines.factories import LineFactory, LineNumberFactory, PhoneNumberFactory

from .calldata import at, row, rows_store

pytestmark = pytest.mark.django_db

MARKETER = "+447700900001"  # bursts on 4 days, no line: listed
KNOWN = "+447700900002"  # bursts on 4 days, a line's number: not listed
TWO_DAYS = "+447700900003"  # bursts on 2 days only
SLOW = "+447700900004"  # 25 recipients a day, but over 50 minutes
AT_MIDNIGHT = "+447700900005"  # bursts across midnight (UK time), on 3 days
RECIPIENTS = [f"+4477009{10000 + index:05d}" for index in range(25)]
MARCH = (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))


def burst(sender: str, start: datetime.datetime, seconds_apart: int, kind=EventKind.SMS) -> list:
    return [
        row(sender, recipient, start + datetime.timedelta(seconds=index * seconds_apart), kind)
        for index, recipient in enumerate(RECIPIENTS)
    ]


@pytest.fixture
def line():
    line = LineFactory()
    LineNumberFactory(line=line, number=PhoneNumberFactory(e164=KNOWN))
    return line


@pytest.fixture
def bursts(line):
    rows = []
    for day in (2, 3, 9, 20):
        rows += burst(MARKETER, at(2026, 3, day, 10), 20)  # 25 recipients in 8 minutes
        rows += burst(KNOWN, at(2026, 3, day, 11), 20)
        rows += burst(SLOW, at(2026, 3, day, 12), 120)  # 25 recipients in 48 minutes
    for day in (4, 5):
        rows += burst(TWO_DAYS, at(2026, 3, day, 10), 20, EventKind.MMS)
    for day in (10, 11, 12):
        # 23:56 to 00:04 GMT: each burst counts on the day it started.
        rows += burst(AT_MIDNIGHT, at(2026, 3, day, 23, 56), 20)
    # The marketer texts a repeat the same minute (one recipient, held once).
    rows += [row(MARKETER, RECIPIENTS[0], at(2026, 3, 2, 10, 0, 1), EventKind.SMS)]
    # The known line's customers: 5 of the marketer's recipients (in February too).
    rows += [row(KNOWN, recipient, at(2026, 2, 10, 9)) for recipient in RECIPIENTS[:5]]
    rows_store(rows)


def test_possible_new_lines_are_the_unattributed_numbers_bursting_on_enough_days(bursts, line):
    found = possible_new_lines(start=MARCH[0], end=MARCH[1])
    assert (found.settings.recipients, found.settings.minutes, found.settings.days) == (20, 10, 3)
    assert [new.number for new in found.numbers] == [MARKETER, AT_MIDNIGHT]
    marketer = found.numbers[0]
    assert marketer.burst_days == tuple(datetime.date(2026, 3, day) for day in (2, 3, 9, 20))
    assert marketer.largest_burst == 25
    assert marketer.contacts == 25
    # All 25 recipients are the known line's customers in March (its bursts).
    assert [(o.reference, o.shared_customers) for o in marketer.overlaps] == [(line.reference, 25)]
    midnight = found.numbers[1]
    assert midnight.burst_days == tuple(datetime.date(2026, 3, day) for day in (10, 11, 12))
    assert found.sources


def test_the_thresholds_are_settings_and_arguments(bursts):
    found = possible_new_lines(start=MARCH[0], end=MARCH[1], days=2)
    assert [new.number for new in found.numbers] == [MARKETER, AT_MIDNIGHT, TWO_DAYS]
    found = possible_new_lines(start=MARCH[0], end=MARCH[1], minutes=60)
    assert SLOW in [new.number for new in found.numbers]
    with override_settings(CALL_DATA_BURST_RECIPIENTS=26):
        assert possible_new_lines(start=MARCH[0], end=MARCH[1]).numbers == ()


def test_a_period_without_enough_burst_days_lists_none(bursts):
    found = possible_new_lines(start=datetime.date(2026, 3, 1), end=datetime.date(2026, 3, 9))
    assert [new.number for new in found.numbers] == [MARKETER]


def test_the_queries_do_not_grow_with_the_senders(bursts, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        possible_new_lines(start=MARCH[0], end=MARCH[1], days=1)


OLD, NEW, LATER, OTHER = "+447700900011", "+447700900012", "+447700900013", "+447700900014"
SHARED, OWN = "356938035643809", "490154203237518"


@pytest.fixture
def handsets(line):
    LineNumberFactory(line=line, number=PhoneNumberFactory(e164=OLD))
    rows_store(
        [
            row(OLD, OTHER, at(2026, 1, 5), imei=SHARED),
            row(OLD, OTHER, at(2026, 2, 20), imei=SHARED),
            row(OTHER, OLD, at(2026, 2, 21), imei=OWN),  # the handset is the caller's
            row(NEW, OTHER, at(2026, 2, 25), imei=SHARED),
            row(NEW, OTHER, at(2026, 3, 30), EventKind.SMS, imei=SHARED),
            row(LATER, OTHER, at(2026, 5, 1), imei=SHARED),
            row(OTHER, NEW, at(2026, 3, 1), imei=OWN),
        ]
    )


def test_the_numbers_of_a_numbers_handsets_in_order(handsets, line):
    found = handset_continuity(number=NEW)
    assert [handset.imei for handset in found.handsets] == [SHARED]
    uses = found.handsets[0].uses
    assert [(use.number, use.first, use.last, use.events) for use in uses] == [
        (OLD, at(2026, 1, 5), at(2026, 2, 20), 2),
        (NEW, at(2026, 2, 25), at(2026, 3, 30), 2),
        (LATER, at(2026, 5, 1), at(2026, 5, 1), 1),
    ]
    assert uses[0].lines == (line.reference,)


def test_a_lines_handsets(handsets, line):
    found = handset_continuity(line=line)
    # The line's numbers: OLD (and KNOWN, which used no handset on record).
    assert [handset.imei for handset in found.handsets] == [SHARED]


def test_every_shared_handset_in_a_period(handsets):
    found = handset_continuity(start=datetime.date(2026, 2, 1), end=datetime.date(2026, 3, 31))
    # OWN was used by OTHER alone; SHARED by OLD then NEW (LATER is after the period).
    assert [handset.imei for handset in found.handsets] == [SHARED]
    assert [use.number for use in found.handsets[0].uses] == [OLD, NEW]
    assert found.handsets[0].uses[0].first == at(2026, 2, 20)
    with pytest.raises(ValueError, match="period"):
        handset_continuity(start=datetime.date(2026, 2, 1))


def test_every_query_on_the_rows_names_a_period(bursts, handsets, line):
    """So that PostgreSQL reads only the months' partitions (core.partitions)."""
    with CaptureQueriesContext(connection) as queries:
        number_profile(MARKETER, start=datetime.date(2026, 3, 3), end=datetime.date(2026, 3, 20))
        number_profile(NEW)
        common_contacts([MARKETER, KNOWN], start=datetime.date(2026, 3, 3))
        successor_candidates(line)
        possible_new_lines(start=MARCH[0], end=MARCH[1])
        handset_continuity(number=NEW)
        handset_continuity(start=MARCH[0], end=MARCH[1])
    on_rows = [query["sql"] for query in queries if "calls_callevent" in query["sql"]]
    assert len(on_rows) > 10
    for sql in on_rows:
        flat = " ".join(sql.replace('"', "").split())
        reads = flat.count("FROM calls_callevent")
        assert reads and flat.count("started_at >=") >= reads, sql
        assert flat.count("started_at <") >= reads, sql
