"""Common contacts on a small world with known answers: only subscriber numbers in
contact with every one given, counted per number (each event once), ties by number, the
given numbers never each other's, and the period honoured to the day."""

import datetime

import pytest

from calls.models import EventKind
from calls.selectors import common_contacts, common_contacts_of_lines
from tests.lines.factories import LineFactory, LineNumberFactory, PhoneNumberFactory

from .calldata import at, row, rows_store
from .factories import SourceFactory

pytestmark = pytest.mark.django_db

P, Q, R = "+447700900001", "+447700900002", "+447700900003"
X, Y, Z, W = "+447700900011", "+447700900012", "+447700900013", "+447700900014"


@pytest.fixture
def world():
    first, second = SourceFactory(), SourceFactory()
    rows_store(
        [
            row(P, X, at(2026, 3, 1, 9)),
            row(X, P, at(2026, 3, 2, 9), EventKind.SMS),
            row(Q, X, at(2026, 3, 3, 9)),
            row(P, Y, at(2026, 3, 4, 9)),
            row(Q, Y, at(2026, 4, 4, 9)),
            row(Y, Q, at(2026, 4, 5, 9)),
            row(P, Z, at(2026, 3, 6, 9)),  # Z: only P's
            row(P, Q, at(2026, 3, 7, 9)),  # the given numbers are not each other's contacts
            row("withheld", P, at(2026, 3, 8, 9)),
            row("withheld", Q, at(2026, 3, 8, 10)),
            row(P, "901", at(2026, 3, 9, 9)),
            row(Q, "901", at(2026, 3, 9, 10)),
            row(W, W, at(2026, 3, 10, 9)),
        ],
        source=first,
    )
    rows_store([row(P, X, at(2026, 3, 1, 9))], source=second)  # held twice


def test_the_contacts_of_every_number_counted_per_number(world):
    found = common_contacts([P, Q])
    # X: 2 with P (the call held twice counts once) and 1 with Q; Y: 1 and 2. A tie: by number.
    assert [(c.number, c.events) for c in found.contacts] == [
        (X, {P: 2, Q: 1}),
        (Y, {P: 1, Q: 2}),
    ]
    assert found.contacts[0].first == at(2026, 3, 1, 9)
    assert found.contacts[1].last == at(2026, 4, 5, 9)
    assert len(found.sources) == 2


def test_a_period_cut_to_the_day(world):
    found = common_contacts([P, Q], start=datetime.date(2026, 3, 2), end=datetime.date(2026, 4, 4))
    assert [(c.number, c.events) for c in found.contacts] == [(X, {P: 1, Q: 1}), (Y, {P: 1, Q: 1})]
    # Up to 3 April, Q has not been in contact with Y yet.
    assert [c.number for c in common_contacts([P, Q], end=datetime.date(2026, 4, 3)).contacts] == [
        X
    ]


def test_three_numbers(world):
    rows_store([row(R, Y, at(2026, 5, 1, 9))])
    assert [c.number for c in common_contacts([P, Q, R]).contacts] == [Y]


def test_lines_compared_with_all_their_numbers(world):
    first, second = LineFactory(), LineFactory()
    LineNumberFactory(line=first, number=PhoneNumberFactory(e164=P))
    LineNumberFactory(line=first, number=PhoneNumberFactory(e164=R))
    LineNumberFactory(line=second, number=PhoneNumberFactory(e164=Q))
    rows_store([row(R, Z, at(2026, 5, 1, 9)), row(Q, Z, at(2026, 5, 2, 9))])
    found = common_contacts_of_lines([first, second])
    assert found.numbers == (first.reference, second.reference)
    # Z: P's and R's events both count for the first line.
    assert [(c.number, c.events) for c in found.contacts] == [
        (X, {first.reference: 2, second.reference: 1}),
        (Y, {first.reference: 1, second.reference: 2}),
        (Z, {first.reference: 2, second.reference: 1}),
    ]


def test_one_number_is_refused():
    with pytest.raises(ValueError, match="two or more"):
        common_contacts([P, P])


def test_the_queries_do_not_grow_with_the_contacts(world, django_assert_max_num_queries):
    rows_store(
        [
            row(number, f"+4477009{index + 20000:05d}", at(2026, 3, 15, 9))
            for index in range(100)
            for number in (P, Q)
        ]
    )
    with django_assert_max_num_queries(6):
        found = common_contacts([P, Q], start=datetime.date(2026, 3, 2))
    assert len(found.contacts) == 102
