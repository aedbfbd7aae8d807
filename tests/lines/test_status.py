"""A line's status on a day: one definition, the same in Python and in a query."""

import datetime

import pytest

from lines.models import Line, LineStatus

from .factories import LineFactory

D = datetime.date


@pytest.mark.parametrize(
    ("identified", "closed", "day", "status"),
    [
        (D(2021, 3, 1), None, D(2021, 3, 1), LineStatus.ACTIVE),  # active from its first day
        (D(2021, 3, 1), None, D(2021, 2, 28), LineStatus.NOT_YET_ACTIVE),
        (D(2021, 3, 1), D(2021, 6, 1), D(2021, 5, 31), LineStatus.ACTIVE),
        (D(2021, 3, 1), D(2021, 6, 1), D(2021, 6, 1), LineStatus.CLOSED),  # closed_on exclusive
        (D(2021, 3, 1), D(2021, 3, 1), D(2021, 3, 1), LineStatus.CLOSED),
    ],
)
def test_status_on_a_day_is_the_same_for_a_line_and_for_a_query(
    db, identified, closed, day, status
):
    line = LineFactory(first_identified=identified, closed_on=closed)

    assert line.status_on(day) == status
    assert list(Line.objects.with_status_on(status, day)) == [line]
    others = set(LineStatus) - {status}
    assert not any(Line.objects.with_status_on(other, day).exists() for other in others)
