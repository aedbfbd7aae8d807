"""Figure 1's text: the shaded periods whose months' offences stood out (at least 20%
above the median of the twelve months around them), or that none did."""

import datetime

from panel.report import _lockdown_sentences, stand_out_months

D = datetime.date
LOCKDOWN = ("First national lockdown", D(2020, 3, 23), D(2020, 5, 31))


def trend(spikes: dict[str, int]) -> dict[str, int]:
    months = [f"{year}-{month:02d}" for year in (2019, 2020, 2021) for month in range(1, 13)]
    return {month: spikes.get(month, 100) for month in months}


def test_a_month_stands_out_at_20_percent_above_the_months_around_it():
    assert stand_out_months(trend({"2020-04": 120, "2020-08": 119})) == ["2020-04"]
    assert stand_out_months(trend({})) == []


def test_the_text_names_the_shaded_period_and_its_months():
    sentences = _lockdown_sentences(trend({"2020-03": 150, "2020-04": 180}), [LOCKDOWN])

    assert sentences[0] == (
        "When the first national lockdown began in March 2020, there was a spike in recorded "
        "drug offences (March to April 2020)."
    )
    assert sentences[1].startswith(
        "Figure 1 shows this spike in recorded offences coinciding with the first national "
        "lockdown (March to April 2020)"
    )


def test_a_spike_outside_the_shaded_periods_is_not_claimed_for_them():
    sentences = _lockdown_sentences(trend({"2020-08": 200}), [LOCKDOWN])

    assert sentences == [
        "Figure 1 shows no month of the shaded periods in which recorded offences stood out "
        "from the months around it."
    ]


def test_nothing_is_said_of_a_shaded_period_outside_the_figure():
    later = ("A later period", D(2023, 1, 1), D(2023, 2, 1))
    assert _lockdown_sentences(trend({"2020-04": 300}), [later]) == []
