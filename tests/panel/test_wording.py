"""Rounding the way reports round, and the other words a paper writes its figures in."""

import datetime
from decimal import Decimal

import pytest

from panel.wording import (
    at_least,
    list_in_words,
    money,
    month_in_table,
    month_runs,
    over,
    over_money,
    over_years,
    places_in_words,
    round_down,
    share_fewer_or_more,
)


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        (0, 0),
        (14, 14),
        (19, 19),
        (20, 20),
        (28, 20),
        (94, 90),
        (103, 100),
        (147, 140),
        (999, 900),
        (1_725, 1_700),
        (2_234, 2_000),
        (10_840, 10_000),
        (19_999, 19_000),
        (Decimal("10840.99"), 10_000),
        (103.4, 100),
    ],
)
def test_round_down_never_claims_more_than_the_figure(value, rounded):
    assert round_down(value) == rounded
    assert round_down(value) <= value


def test_over_says_over_only_when_it_rounded():
    assert over(94) == "over 90"
    assert over(90) == "90"
    assert over(14) == "14"
    assert over(1_725) == "over 1,700"
    assert at_least(28) == "at least 20"
    assert at_least(20) == "at least 20"


def test_money_in_the_text_has_no_pence_and_rounds_as_reports_do():
    assert money(Decimal("60000.00")) == "£60,000"
    assert money("11710.99") == "£11,710"
    assert over_money(Decimal("10840.00")) == "over £10,000"
    assert over_money("10000.00") == "£10,000"
    assert over_money("950.50") == "over £900"


def test_years_of_custody():
    assert over_years(103.0) == "over 100 years"
    assert over_years(1.0) == "1 year"
    assert over_years(0.5) == "0.5 years"
    assert over_years(14.0) == "14 years"


def test_months_in_tables_and_runs_of_months():
    assert month_in_table("2018-11") == "Nov 2018"
    D = datetime.date
    months = [D(2020, 3, 1), D(2020, 4, 1), D(2020, 5, 1), D(2020, 11, 1), D(2020, 12, 1)]
    assert month_runs([*months, D(2021, 1, 1)]) == [
        "March to May 2020",
        "November 2020 to January 2021",
    ]
    assert month_runs([D(2020, 11, 1)]) == ["November 2020"]


def test_lists_of_places_in_words():
    assert list_in_words([]) == ""
    assert list_in_words(["York"]) == "York"
    assert list_in_words(["Harrogate", "York", "Scarborough"]) == "Harrogate, York and Scarborough"
    assert (
        places_in_words(["Merseyside", "Manchester", "West Yorkshire", "London", "South Yorkshire"])
        == "Merseyside, Manchester, West and South Yorkshire, and London"
    )
    assert places_in_words(["West Yorkshire", "South Yorkshire"]) == "West and South Yorkshire"
    assert places_in_words(["Merseyside", "London"]) == "Merseyside and London"


def test_changes_as_shares():
    assert share_fewer_or_more(1_725, 1_960) == "12% fewer"
    assert share_fewer_or_more(105, 100) == "5% more"
    assert share_fewer_or_more(1_001, 1_000) == "about as many"
