"""A period in words, as GOV.UK writes one (core.dates.format_date_range)."""

import datetime

import pytest
from django.template import Context, Template

from core.dates import format_date_range

day = datetime.date


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        (day(2021, 11, 8), day(2021, 11, 21), "8 to 21 November 2021"),
        (day(2021, 11, 28), day(2021, 12, 4), "28 November to 4 December 2021"),
        (day(2021, 12, 28), day(2022, 1, 3), "28 December 2021 to 3 January 2022"),
        (day(2021, 11, 8), day(2021, 11, 8), "8 November 2021"),
        (day(2021, 11, 8), None, "from 8 November 2021"),
        (day(2021, 1, 31), day(2022, 1, 31), "31 January 2021 to 31 January 2022"),
    ],
)
def test_a_period_names_its_shared_month_and_year_once(start, end, words):
    assert format_date_range(start, end) == words


def test_the_template_filter_says_the_same():
    template = Template("{% load govuk %}{{ start|date_range:end }}|{{ nothing|date_range:end }}")
    context = Context({"start": day(2021, 11, 8), "end": day(2021, 11, 21), "nothing": None})
    assert template.render(context) == "8 to 21 November 2021|"
