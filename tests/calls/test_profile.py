"""A number's profile on a small world with known answers: each event once whatever
sources hold it, withheld parties and short codes never contacts, a number on both sides
of one call, ties among the top contacts by number, the week in UK time."""

import datetime

import pytest

from calls.models import EventKind
from calls.selectors import number_profile
from tests.lines.factories import LineFactory, LineNumberFactory, PhoneNumberFactory

from .calldata import at, row, rows_store
from .factories import SourceFactory

pytestmark = pytest.mark.django_db

N = "+447700900001"
A, B, C, D = "+447700900002", "+447700900003", "+447700900004", "+447700900005"
I1, I2 = "356938035643809", "490154203237518"
CALL, SMS = EventKind.CALL, EventKind.SMS


@pytest.fixture
def world():
    first, second = SourceFactory(reference="CDR-A"), SourceFactory(reference="CDR-B")
    rows_store(
        [
            row(N, A, at(2026, 3, 2, 9), CALL, imei=I1),  # a Monday, 09:00 GMT
            row(A, N, at(2026, 3, 3, 10), SMS),
            row(N, B, at(2026, 3, 4, 11), SMS, imei=I1),
            row(B, N, at(2026, 3, 5, 12), CALL),
            row(D, N, at(2026, 3, 5, 13), SMS),
            row(N, D, at(2026, 3, 5, 14), SMS, imei=I1),
            row("withheld", N, at(2026, 3, 6, 13), CALL),
            row(N, "150", at(2026, 3, 7, 14), CALL, imei=I2),
            row(N, N, at(2026, 3, 8, 15), CALL, imei=I2),  # on both sides of one call
            row(N, A, at(2026, 4, 1, 8), SMS, imei=I2),
            row(N, C, at(2026, 4, 10, 12), SMS, imei=I2),  # a Friday, 13:00 BST
        ],
        source=first,
    )
    # The second disclosure holds the first call again, and one of its own.
    rows_store(
        [row(N, A, at(2026, 3, 2, 9), CALL, imei=I1), row(B, C, at(2026, 3, 9, 9), CALL)],
        source=second,
    )


def test_the_profile_counts_each_event_once_and_only_subscribers_as_contacts(world):
    profile = number_profile(N)
    assert profile.events == {"call": 5, "sms": 6, "mms": 0}
    # A, B, C and D: never withheld, the short code or the number itself.
    assert profile.contacts == 4
    assert [(c.number, c.events) for c in profile.top_contacts] == [
        (A, 3),
        (B, 2),  # B and D tie on 2: by number
        (D, 2),
        (C, 1),
    ]
    top = profile.top_contacts[0]
    assert (top.first, top.last) == (at(2026, 3, 2, 9), at(2026, 4, 1, 8))
    assert (top.calls, top.sms, top.outgoing) == (1, 2, 2)
    assert profile.first_seen == at(2026, 3, 2, 9)
    assert profile.last_seen == at(2026, 4, 10, 12)
    assert [(h.imei, h.first, h.last) for h in profile.handsets] == [
        (I1, at(2026, 3, 2, 9), at(2026, 3, 5, 14)),
        (I2, at(2026, 3, 7, 14), at(2026, 4, 10, 12)),
    ]
    assert [source.reference for source in profile.sources] == ["CDR-A", "CDR-B"]


def test_the_week_is_in_uk_time_each_event_once(world):
    activity = number_profile(N).activity
    assert sum(map(sum, activity)) == 11
    assert activity[0][9] == 1  # Monday 2 March, 09:00 GMT, held twice
    # Friday 6 March 13:00 GMT, and Friday 10 April 12:00 UTC: 13:00 in London (BST).
    assert activity[4][13] == 2
    assert activity[4][12] == 0


def test_a_period_cutting_months_counts_the_same_as_the_rows_in_it(world):
    # 4 March to 1 April: March from the rows (cut), no whole month, 1 April from the rows.
    profile = number_profile(N, start=datetime.date(2026, 3, 4), end=datetime.date(2026, 4, 1))
    assert profile.events == {"call": 4, "sms": 4, "mms": 0}
    assert [(c.number, c.events) for c in profile.top_contacts] == [(B, 2), (D, 2), (A, 1)]
    assert profile.first_seen == at(2026, 3, 4, 11)
    assert [h.imei for h in profile.handsets] == [I1, I2]
    # A whole month (April) from the pairs, the end of March from the rows.
    profile = number_profile(N, start=datetime.date(2026, 3, 8), end=datetime.date(2026, 4, 30))
    assert profile.events == {"call": 1, "sms": 2, "mms": 0}
    assert [(c.number, c.events) for c in profile.top_contacts] == [(A, 1), (C, 1)]
    assert profile.contacts == 2


def test_the_lines_the_number_served_are_listed(world):
    line = LineFactory()
    LineNumberFactory(line=line, number=PhoneNumberFactory(e164=N))
    assert [use.reference for use in number_profile(N).lines] == [line.reference]


def test_a_number_without_call_data_has_an_empty_profile(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        profile = number_profile("+447700900999")
    assert profile.first_seen is None
    assert profile.events == {"call": 0, "sms": 0, "mms": 0}
    assert profile.top_contacts == ()


def test_the_queries_do_not_grow_with_the_events(world, django_assert_max_num_queries):
    rows_store(
        [
            row(N, f"+4477009{index + 10000:05d}", at(2026, 5, 1 + index % 28, 10))
            for index in range(200)
        ]
    )
    with django_assert_max_num_queries(8):
        profile = number_profile(N, start=datetime.date(2026, 3, 3))
    assert profile.contacts == 204
    assert len(profile.top_contacts) == 20
    # From 3 March: A, B and D tie on 2 (by number), then those of 1 by number.
    assert [c.number for c in profile.top_contacts[:4]] == [A, B, D, C]
    assert profile.top_contacts[4].number == "+447700910000"


def test_a_short_code_cannot_be_profiled():
    with pytest.raises(ValueError, match="not a subscriber"):
        number_profile("150")
