"""A paper whose sources stop before the period ends (police.uk and the deaths recorded
up to October): each such section names the months it covers and compares them with the
same months of the year before, never with a whole year, and says nothing of the months
without data."""

import datetime
import re

import pytest

from core.references import reference_key
from panel.models import DrugDeath, RecordedDrugOffence
from panel.periods import Kind, Period, year_of
from panel.report import report_sections
from panel.statistics import chart_statistics, panel_statistics
from reference.models import Force

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR_2021 = year_of(D(2021, 1, 1))


def offences(month: datetime.date, count: int) -> None:
    force = Force.objects.get(name="North Yorkshire Police")
    RecordedDrugOffence.objects.bulk_create(
        RecordedDrugOffence(
            reference=f"{month:%Y%m}-{n}",
            reference_key=reference_key(f"{month:%Y%m}-{n}"),
            month=month,
            reported_by=force,
            falls_within=force,
        )
        for n in range(count)
    )


def deaths(day: datetime.date, count: int) -> None:
    DrugDeath.objects.bulk_create(
        DrugDeath(
            reference=f"D-{day}-{n}", reference_key=reference_key(f"D-{day}-{n}"), date_of_death=day
        )
        for n in range(count)
    )


def sentences_of(period, as_at):
    figures = panel_statistics(start=period.start, end=period.end, as_at=as_at)
    figures["charts"] = chart_statistics(period.start, period.end)
    before = period.previous()
    previous = panel_statistics(start=before.start, end=before.end, as_at=before.end)
    sections = report_sections(
        period=period, as_at=as_at, figures=figures, previous=previous, annotations=[]
    )
    return {section.key: section.sentences for section in sections}


@pytest.fixture
def data_to_october():
    for month in range(1, 13):
        offences(D(2020, month, 1), 100)  # 1,000 from January to October 2020, 1,200 in all
        deaths(D(2020, month, 10), 2)  # 20 to October, 24 in all
    for month in range(1, 11):
        offences(D(2021, month, 1), 90)  # 900: 10% fewer than the same months
        deaths(D(2021, month, 10), 3)  # 30: 50% more


def test_a_part_year_paper_names_its_months_and_compares_like_for_like(data_to_october):
    text = sentences_of(YEAR_2021, D(2022, 1, 15))

    assert text["drug_offences"][0] == (
        "Between January and October 2021, 900 drug offences were recorded, 10% fewer than "
        "in the same months of 2020."
    )
    assert text["drug_deaths"][0] == (
        "Between January and October 2021, there were 30 drug-related deaths, 50% more than "
        "in the same months of 2020."
    )
    everything = " ".join(sentence for sentences in text.values() for sentence in sentences)
    assert "1,200" not in everything and "24" not in everything  # never the whole year
    assert not re.search(r"November|December", everything)


def test_a_whole_year_compares_whole_years(data_to_october):
    for month in (11, 12):
        offences(D(2021, month, 1), 90)
        deaths(D(2021, month, 10), 3)

    text = sentences_of(YEAR_2021, D(2022, 1, 15))

    assert text["drug_offences"][0] == (
        "In 2021, 1,080 drug offences were recorded, down from 1,200 in 2020."
    )
    assert text["drug_deaths"][0] == (
        "There were over 30 drug-related deaths in 2021, up from 24 in 2020."
    )


def test_a_quarter_whose_data_stops_in_its_first_month(data_to_october):
    quarter = Period(Kind.QUARTER, D(2021, 10, 1), D(2021, 12, 31))

    text = sentences_of(quarter, D(2022, 1, 15))

    assert text["drug_offences"][0] == (
        "In October 2021, 90 drug offences were recorded, about as many as in July 2021."
    )


def test_figures_stored_before_sources_had_a_last_month_read_as_whole_periods(data_to_october):
    """A report published earlier keeps its sentences: its frozen figures lack the keys
    added since, and are read as they were written."""
    figures = panel_statistics(start=YEAR_2021.start, end=YEAR_2021.end)
    del figures["drug_offences"]["last_month"]
    for key in ("by_month", "last_recorded"):
        del figures["drug_deaths"][key]
    for key in ("by_origin_place",):
        del figures["lines"][key]
    del figures["funding"]
    for key in ("persons_charged_by_month", "intensification"):
        del figures["enforcement"][key]
    for key in ("addresses", "exchanges_by_agency", "actions_done", "actions_overdue"):
        del figures["safeguarding"][key]

    sections = report_sections(
        period=YEAR_2021, as_at=D(2022, 1, 15), figures=figures, previous=None, annotations=[]
    )
    text = {section.key: section.sentences for section in sections}
    assert text["drug_offences"][0] == "In 2021, 900 drug offences were recorded."
    assert text["drug_deaths"][0] == "There were 30 drug-related deaths in 2021."


def test_a_months_paper_does_not_name_its_month_twice():
    from tests.operations.factories import ChargeFactory

    for day in (4, 5):
        ChargeFactory(charged_on=D(2021, 10, day))
    october = Period(Kind.MONTH, D(2021, 10, 1), D(2021, 10, 31))

    text = sentences_of(october, D(2021, 10, 31))

    assert text["enforcement"][0] == "In October 2021, 2 people were charged."
    assert text["funding"] == ["No funding is recorded against the operations of October 2021."]
