"""Successor candidates on a generated world with decoys: the line's number goes quiet
and a new number on a new handset takes over most of its customers; rivals reach some of
them, one of them another line's number; a number later uses the old handset but reaches
almost none; other numbers shared customers all along. The true successor ranks first,
each candidate with its evidence."""

import datetime
import random

import pytest

from calls.models import EventKind
from calls.selectors import successor_candidates
from tests.lines.factories import LineFactory, LineNumberFactory, PhoneNumberFactory

from .calldata import at, row, rows_store

pytestmark = pytest.mark.django_db

OLD = "+447700900001"
SUCCESSOR = "+447700900002"
RIVAL = "+447700900003"
OTHER_LINES_NUMBER = "+447700900004"
OLD_HANDSET_REUSED = "+447700900005"
LONG_STANDING = "+447700900006"  # another line's number, in contact with the customers throughout
OLD_IMEI, NEW_IMEI, OTHER_IMEI = "356938035643809", "490154203237518", "353918057390723"
CUSTOMERS = [f"+4477009{10000 + index:05d}" for index in range(40)]
FRIENDS = [f"+4477009{20000 + index:05d}" for index in range(40)]
QUIET_FROM = at(2026, 2, 27, 18)  # the old number's last event


def _contacts(
    rng: random.Random,
    number: str,
    customers: list[str],
    start: datetime.datetime,
    days: int,
    imei: str | None,
) -> list:
    """`number` texting or calling each customer a few times in `days` from `start`, and
    some replies (the handset is the sender's: the replies name none)."""
    rows = []
    for customer in customers:
        for _time in range(rng.randint(2, 4)):
            moment = start + datetime.timedelta(minutes=rng.randint(0, days * 24 * 60 - 1))
            kind = rng.choice([EventKind.SMS, EventKind.CALL])
            if rng.random() < 0.7:
                rows.append(row(number, customer, moment, kind, imei=imei))
            else:
                rows.append(row(customer, number, moment, kind))
    return rows


@pytest.fixture
def world():
    rng = random.Random(23)
    line, rival_line, third_line = LineFactory(), LineFactory(), LineFactory()
    LineNumberFactory(line=line, number=PhoneNumberFactory(e164=OLD))
    LineNumberFactory(line=rival_line, number=PhoneNumberFactory(e164=OTHER_LINES_NUMBER))
    LineNumberFactory(line=third_line, number=PhoneNumberFactory(e164=LONG_STANDING))
    rows = []
    # The old number: January and February, ending with a text to each customer in its
    # last three weeks (they are its customer base), its last at QUIET_FROM.
    rows += _contacts(rng, OLD, CUSTOMERS, at(2026, 1, 1), 36, OLD_IMEI)
    rows += [
        row(
            OLD,
            customer,
            QUIET_FROM - datetime.timedelta(hours=index),
            EventKind.SMS,
            imei=OLD_IMEI,
        )
        for index, customer in enumerate(CUSTOMERS)
    ]
    # The customers' own lives: a friend each, from January to April.
    for customer, friend in zip(CUSTOMERS, FRIENDS, strict=True):
        rows.append(row(customer, friend, at(2026, 1, 3)))
        rows += _contacts(rng, customer, [friend], at(2026, 1, 3), 110, None)
    # Another line's number in contact with half the customers all along.
    rows += _contacts(rng, LONG_STANDING, CUSTOMERS[::2], at(2026, 1, 2), 110, OTHER_IMEI)
    # The true successor: 2 March, a new handset, 30 of the 40 customers in its first weeks.
    rows += _contacts(rng, SUCCESSOR, CUSTOMERS[:30], at(2026, 3, 2, 8), 21, NEW_IMEI)
    # A rival starting the day after the old number went quiet, reaching 8 customers.
    rows += _contacts(rng, RIVAL, CUSTOMERS[25:33], at(2026, 2, 28, 9), 21, None)
    # Another line's new number reaching 12.
    rows += _contacts(rng, OTHER_LINES_NUMBER, CUSTOMERS[20:32], at(2026, 3, 1, 9), 21, None)
    # The old handset used again weeks later by a number reaching 2 customers.
    rows += _contacts(rng, OLD_HANDSET_REUSED, CUSTOMERS[38:], at(2026, 3, 25, 9), 10, OLD_IMEI)
    rows_store(rows)
    return line, rival_line


def test_the_true_successor_ranks_first_with_its_evidence(world):
    line, rival_line = world
    found = successor_candidates(line)
    assert found.last_active == QUIET_FROM
    assert set(found.customers) == set(CUSTOMERS)
    ranked = [candidate.number for candidate in found.candidates]
    assert ranked == [SUCCESSOR, OLD_HANDSET_REUSED, OTHER_LINES_NUMBER, RIVAL]
    best = found.candidates[0]
    assert best.evidence.shared_contacts == 30
    assert best.evidence.customers == 40
    assert best.evidence.same_handset is False
    assert best.evidence.first_seen >= at(2026, 3, 2, 8)
    assert 2 < best.evidence.days_after < 5
    assert 0 < best.score <= 1
    by_number = {candidate.number: candidate for candidate in found.candidates}
    reused = by_number[OLD_HANDSET_REUSED].evidence
    assert (reused.same_handset, reused.handsets, reused.shared_contacts) == (True, (OLD_IMEI,), 2)
    # Another line's number may be a candidate, and says so.
    assert by_number[OTHER_LINES_NUMBER].evidence.lines == (rival_line.reference,)
    assert by_number[OTHER_LINES_NUMBER].evidence.shared_contacts == 12
    assert by_number[RIVAL].evidence.shared_contacts == 8
    # Numbers in contact with the customers before the line went quiet are not candidates.
    assert LONG_STANDING not in by_number
    assert not set(FRIENDS) & set(by_number)


def test_the_limit_keeps_the_best(world):
    line, _rival_line = world
    assert [c.number for c in successor_candidates(line, limit=2).candidates] == [
        SUCCESSOR,
        OLD_HANDSET_REUSED,
    ]


def test_numbers_attributed_to_the_line_are_not_candidates(world):
    line, _rival_line = world
    LineNumberFactory(
        line=line,
        number=PhoneNumberFactory(e164=SUCCESSOR),
        attributed_from=datetime.date(2026, 3, 2),
    )
    found = successor_candidates(line)
    assert SUCCESSOR in found.numbers
    assert SUCCESSOR not in [candidate.number for candidate in found.candidates]


def test_a_line_without_call_data_has_no_candidates(django_assert_max_num_queries):
    line = LineFactory()
    with django_assert_max_num_queries(2):
        found = successor_candidates(line)
    assert (found.last_active, found.candidates) == (None, ())


def test_the_queries_are_bounded(world, django_assert_max_num_queries):
    line, _rival_line = world
    with django_assert_max_num_queries(11):
        successor_candidates(line)
