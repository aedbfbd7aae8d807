"""Months as police.uk writes them (`2021-10`), read and written by panel.periods only, and
a report's period."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from panel.models import PanelReport
from panel.periods import month_key, months_between, parse_month, quarter_of

D = datetime.date


def test_a_month_is_read_as_its_first_day_and_written_back_as_police_uk_writes_it():
    assert parse_month("2021-10") == D(2021, 10, 1)
    assert month_key(D(2021, 10, 31)) == "2021-10"
    months = list(months_between(D(2020, 11, 1), D(2021, 2, 28)))
    assert [parse_month(month_key(month)) for month in months] == months


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("October 2021", "is not a month in the form YYYY-MM"),
        ("2021-10-01", "is not a month in the form YYYY-MM"),
        ("2021-13", "is not a real month"),
    ],
)
def test_anything_else_is_refused_in_the_imports_words(text, message):
    with pytest.raises(ValidationError, match=message):
        parse_month(text)


def test_a_reports_period_is_the_one_it_was_prepared_for():
    quarter = quarter_of(D(2021, 11, 5))
    report = PanelReport(period_kind=quarter.kind, start=quarter.start, end=quarter.end)

    assert report.period == quarter
    assert report.period.name == "October to December 2021"
