"""contact_months_recompute: the monthly contact pairs rebuilt from the call rows, each
event once whatever sources hold it, for every pair of a range of months (the scale
seeding) or only the pairs given (the purge)."""

import datetime

import pytest

from calls.contact_months import contact_months_recompute
from calls.models import ContactMonth, EventKind

from .factories import CallEventFactory, SourceFactory

pytestmark = pytest.mark.django_db

A, B, C = "+447700900001", "+447700900002", "+447700900003"
MARCH, APRIL = datetime.date(2026, 3, 1), datetime.date(2026, 4, 1)
UTC = datetime.UTC


def at(day: int, hour: int = 9, month: int = 3) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=UTC)


def pairs() -> dict[tuple[str, str, datetime.date], dict]:
    return {
        (row.number, row.contact, row.month): {
            "calls": row.calls,
            "sms": row.sms,
            "mms": row.mms,
            "outgoing": row.outgoing,
            "call_seconds": row.call_seconds,
            "first_at": row.first_at,
            "last_at": row.last_at,
        }
        for row in ContactMonth.objects.all()
    }


def test_every_pair_of_the_months_is_built_from_the_rows_each_event_once():
    first, second = SourceFactory(), SourceFactory()
    # One call both sources hold (the second says it lasted longer), a message back.
    for source, seconds in ((first, 60), (second, 75)):
        CallEventFactory(source=source, started_at=at(2), duration_seconds=seconds)
    CallEventFactory(source=first, from_number=B, to_number=A, started_at=at(5), kind="sms")
    # Withheld and a short code: contacts of A, never numbers of their own.
    CallEventFactory(source=first, from_number="withheld", to_number=A, started_at=at(6))
    CallEventFactory(source=first, from_number=A, to_number="150", started_at=at(7), kind="mms")
    # A on both sides of one call: one event on its own pair.
    CallEventFactory(source=first, from_number=A, to_number=A, started_at=at(8))
    # 00:30 on 1 April in London is still March in UTC, the months' clock.
    CallEventFactory(
        source=first,
        from_number=C,
        to_number=A,
        started_at=datetime.datetime(2026, 3, 31, 23, 30, tzinfo=UTC),
        duration_seconds=5,
    )

    written = contact_months_recompute(first_month=MARCH, last_month=APRIL)

    found = pairs()
    assert written == len(found) == 7
    assert found[(A, B, MARCH)] == {
        "calls": 1, "sms": 1, "mms": 0, "outgoing": 1, "call_seconds": 75,
        "first_at": at(2), "last_at": at(5, month=3),
    }  # fmt: skip
    assert found[(B, A, MARCH)] | {"first_at": None, "last_at": None} == {
        "calls": 1, "sms": 1, "mms": 0, "outgoing": 1, "call_seconds": 75,
        "first_at": None, "last_at": None,
    }  # fmt: skip
    assert found[(A, "withheld", MARCH)]["outgoing"] == 0
    assert found[(A, "150", MARCH)]["mms"] == 1
    assert not any(number in ("withheld", "150") for number, _contact, _month in found)
    assert found[(A, A, MARCH)] | {"first_at": None, "last_at": None} == {
        "calls": 1, "sms": 0, "mms": 0, "outgoing": 1, "call_seconds": 60,
        "first_at": None, "last_at": None,
    }  # fmt: skip
    assert found[(C, A, MARCH)]["call_seconds"] == found[(A, C, MARCH)]["call_seconds"] == 5
    assert (A, C, APRIL) not in found


def test_only_the_pairs_given_are_rebuilt_and_a_pair_left_without_events_goes():
    source = SourceFactory()
    CallEventFactory(source=source, from_number=A, to_number=B, started_at=at(2))
    CallEventFactory(source=source, from_number=A, to_number=C, started_at=at(3))
    contact_months_recompute(first_month=MARCH, last_month=MARCH)
    # What the rows no longer say, and a pair not given, whose row must be left alone.
    ContactMonth.objects.filter(number=A, contact=C).update(calls=99)
    ContactMonth.objects.create(
        number=A, contact="+447700900009", month=MARCH, calls=1, first_at=at(1), last_at=at(1)
    )
    CallEventFactory(source=source, from_number=B, to_number=A, started_at=at(4))

    written = contact_months_recompute(
        first_month=MARCH, last_month=MARCH, pairs=[(B, A), (A, "+447700900009")]
    )

    found = pairs()
    assert written == 2  # A→B and B→A; A→…09 has no event left
    assert found[(A, B, MARCH)]["calls"] == found[(B, A, MARCH)]["calls"] == 2
    assert found[(A, C, MARCH)]["calls"] == 99
    assert (A, "+447700900009", MARCH) not in found


def test_months_outside_the_range_are_left_alone():
    source = SourceFactory()
    CallEventFactory(source=source, started_at=at(2))
    CallEventFactory(source=source, started_at=at(2, month=4), kind=EventKind.SMS)
    contact_months_recompute(first_month=MARCH, last_month=APRIL)
    ContactMonth.objects.filter(month=APRIL).update(sms=7)

    contact_months_recompute(first_month=MARCH, last_month=MARCH)

    assert ContactMonth.objects.get(number=A, month=APRIL).sms == 7
    assert ContactMonth.objects.get(number=A, month=MARCH).calls == 1


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        (datetime.date(2026, 3, 2), APRIL, "first_month must be the first day of a month"),
        (APRIL, MARCH, "last_month 2026-03-01 is before first_month 2026-04-01"),
    ],
)
def test_months_that_are_not_months_are_refused(first, last, message):
    with pytest.raises(ValueError, match=message):
        contact_months_recompute(first_month=first, last_month=last)
