"""Every definition of interfaces.md §3 at its edges, through `panel_statistics` (the
command prints what the service returns)."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from lines.services import phone_number_get_or_create
from operations.models import DrugTest
from panel.models import DrugDeath, RecordedDrugOffence
from panel.statistics import panel_statistics
from reference.models import Drug, Force
from tests.imports.utils import run_import, write_csv
from tests.lines.factories import LineFactory, LineNumberFactory, command_area
from tests.operations.factories import (
    ArrestFactory,
    ChargeFactory,
    SeizureFactory,
    SentenceFactory,
)
from tests.persons.factories import PersonFactory
from tests.safeguarding.factories import ReferralFactory

pytestmark = pytest.mark.django_db
D = datetime.date
START, END, AS_AT = D(2021, 1, 1), D(2021, 12, 31), D(2022, 1, 15)


def figures(start=START, end=END, as_at=AS_AT) -> dict:
    return panel_statistics(start=start, end=end, as_at=as_at)


def test_the_command_prints_the_services_json_with_every_key_of_the_contract(capsys):
    LineFactory(first_identified=D(2021, 3, 1))
    call_command("panel_statistics", "--start", "2021-01-01", "--end", "2021-12-31")
    printed = json.loads(capsys.readouterr().out)

    assert printed == json.loads(json.dumps(figures(as_at=END)))
    assert printed["period"] == {"start": "2021-01-01", "end": "2021-12-31", "as_at": "2021-12-31"}
    contract = {
        "lines": {
            "identified",
            "identified_still_active",
            "active_at_end",
            "closed",
            "numbers_used",
            "by_command_area",
            "by_origin_force",
        },
        "enforcement": {
            "arrests",
            "persons_arrested",
            "persons_charged",
            "persons_sentenced",
            "custody_years",
            "cash_seized_gbp",
            "drug_seizures",
        },
        "drug_offences": {"total", "by_month"},
        "drug_deaths": {"total", "by_substance"},
        "safeguarding": {"referrals_opened", "referrals_closed", "open_at_end"},
    }
    for section, keys in contract.items():
        assert keys <= set(printed[section]), section


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--start", "2021-12-31", "--end", "2021-01-01"], "is before the start"),
        (["--start", "2021-01-01", "--end", "2021-12-31", "--as-at", "2021-12-30"], "as-at"),
        (["--start", "2021-13-01", "--end", "2021-12-31"], "is not a date"),
    ],
)
def test_a_period_that_is_not_one_is_refused(arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("panel_statistics", *arguments)


def test_lines_identified_on_the_periods_edges_count_and_those_beyond_do_not():
    for day in (D(2020, 12, 31), START, END, D(2022, 1, 1)):
        LineFactory(first_identified=day)
    assert figures()["lines"]["identified"] == 2


def test_a_line_closed_on_the_as_at_date_is_no_longer_active_then():
    LineFactory(first_identified=D(2021, 3, 1), closed_on=AS_AT)
    LineFactory(first_identified=D(2021, 3, 1), closed_on=AS_AT + datetime.timedelta(days=1))
    LineFactory(first_identified=D(2021, 3, 1), closed_on=D(2021, 12, 31))
    LineFactory(first_identified=D(2021, 3, 1))

    lines = figures()["lines"]
    assert lines["identified_still_active"] == 2  # closed after as_at, and never closed
    assert lines["closed"] == 1  # closed_on in the period
    # On the end day: the line closed that day is not active, the others are.
    assert lines["active_at_end"] == 3


def test_active_at_end_counts_every_line_active_on_the_end_day_whenever_identified():
    LineFactory(first_identified=D(2019, 5, 1))  # older, still active
    LineFactory(first_identified=END)
    LineFactory(first_identified=D(2019, 5, 1), closed_on=END)
    LineFactory(first_identified=D(2022, 1, 1))
    assert figures()["lines"]["active_at_end"] == 2


def test_a_line_into_two_areas_counts_once_in_each_and_empty_areas_are_left_out():
    LineFactory(
        first_identified=D(2021, 3, 1), command_areas=[command_area("York"), command_area("Selby")]
    )
    LineFactory(first_identified=D(2021, 4, 1), command_areas=[command_area("York")])
    lines = figures()["lines"]
    assert lines["by_command_area"] == {"Selby": 1, "York": 2}
    assert lines["identified"] == 2


def test_origin_forces_are_named_in_full_whatever_name_the_file_used(tmp_path):
    header = "reference,name,origin_force,command_areas,first_identified"
    result = run_import(
        "lines",
        write_csv(
            tmp_path,
            "lines.csv",
            header,
            "L1,One,Met,York,2021-02-01",
            "L2,Two,London,York,2021-03-01",
            "L3,Three,GMP,York,2021-04-01",
            "L4,Four,Merseyside,York,2021-05-01",
        ),
    )
    assert result.status == 0, result.stderr
    assert figures()["lines"]["by_origin_force"] == {
        "Greater Manchester Police": 1,
        "Merseyside Police": 1,
        "Metropolitan Police Service": 2,
    }


def test_numbers_are_counted_once_whatever_their_spelling_and_only_to_as_at():
    one, two = LineFactory(first_identified=D(2021, 3, 1)), LineFactory(first_identified=START)
    before = LineFactory(first_identified=D(2020, 6, 1))
    same = phone_number_get_or_create(number="07712 345678")
    assert phone_number_get_or_create(number="+44 7712-345-678") == same
    LineNumberFactory(line=one, number=same, attributed_from=D(2021, 3, 1))
    LineNumberFactory(line=two, number=same, attributed_from=D(2021, 1, 1))
    LineNumberFactory(line=one, attributed_from=AS_AT)  # on as_at: counted
    LineNumberFactory(line=one, attributed_from=AS_AT + datetime.timedelta(days=1))  # after
    LineNumberFactory(line=before)  # a line identified before the period

    assert figures()["lines"]["numbers_used"] == 2


def test_a_person_arrested_twice_is_one_person_arrested():
    person = PersonFactory()
    ArrestFactory(person=person, arrested_on=START)
    ArrestFactory(person=person, arrested_on=END)
    ArrestFactory(arrested_on=D(2022, 1, 1))
    ChargeFactory(person=person, charged_on=D(2021, 6, 1))
    ChargeFactory(person=person, charged_on=D(2021, 7, 1))

    enforcement = figures()["enforcement"]
    assert (enforcement["arrests"], enforcement["persons_arrested"]) == (2, 1)
    assert enforcement["persons_charged"] == 1


@pytest.mark.parametrize(
    ("months", "years"),
    [((3,), 0.3), ((1,), 0.1), ((9,), 0.8), ((18, 18), 3.0), ((), 0.0), ((1, 2), 0.3)],
)
def test_custody_years_are_rounded_half_up_to_one_decimal(months, years):
    for month in months:
        SentenceFactory(sentenced_on=D(2021, 5, 1), custody_months=month)
    SentenceFactory(sentenced_on=D(2020, 5, 1), custody_months=120)  # another year
    enforcement = figures()["enforcement"]
    assert enforcement["custody_years"] == years
    assert isinstance(enforcement["custody_years"], float)
    assert enforcement["persons_sentenced"] == len(months)


def test_cash_and_grams_are_summed_exactly_to_the_penny():
    cocaine, heroin = Drug.objects.get(name="Cocaine"), Drug.objects.get(name="Heroin")
    for cash in ("0.10", "0.20", "10000.01"):
        SeizureFactory(seized_on=D(2021, 6, 1), cash_gbp=Decimal(cash), drug=None, grams=None)
    SeizureFactory(seized_on=D(2021, 6, 2), cash_gbp=None, drug=cocaine, grams=Decimal("0.10"))
    SeizureFactory(seized_on=D(2021, 6, 3), cash_gbp=None, drug=cocaine, grams=Decimal("0.20"))
    SeizureFactory(seized_on=D(2020, 6, 3), cash_gbp=Decimal("5"), drug=heroin, grams=Decimal(1))

    enforcement = figures()["enforcement"]
    assert enforcement["cash_seized_gbp"] == "10000.31"
    assert enforcement["drug_seizures"] == {"Cocaine": {"seizures": 2, "grams": "0.30"}}


def test_no_cash_is_0_00():
    assert figures()["enforcement"]["cash_seized_gbp"] == "0.00"


def test_every_month_whose_first_day_is_in_the_period_is_present_with_0s():
    force = Force.objects.get(name="North Yorkshire Police")
    for n, month in enumerate([D(2021, 1, 1), D(2021, 3, 1), D(2021, 3, 1), D(2021, 5, 1)]):
        RecordedDrugOffence.objects.create(
            reference=f"C{n}", month=month, reported_by=force, falls_within=force
        )
    offences = figures(start=D(2021, 1, 15), end=D(2021, 4, 30))["drug_offences"]
    # January's first day lies before the 15th: January is not in the period.
    assert offences["by_month"] == {"2021-02": 0, "2021-03": 2, "2021-04": 0}
    assert offences["total"] == 2


def test_a_death_implicating_two_drugs_counts_once_for_each():
    cocaine, heroin = Drug.objects.get(name="Cocaine"), Drug.objects.get(name="Heroin")
    both = DrugDeath.objects.create(reference="D1", date_of_death=D(2021, 2, 1))
    both.substances.set([cocaine, heroin])
    DrugDeath.objects.create(reference="D2", date_of_death=END).substances.set([heroin])
    DrugDeath.objects.create(reference="D3", date_of_death=D(2021, 3, 1))
    DrugDeath.objects.create(reference="D4", date_of_death=D(2022, 1, 1)).substances.set([cocaine])

    deaths = figures()["drug_deaths"]
    contract = {key: deaths[key] for key in ("total", "by_substance")}
    assert contract == {"total": 3, "by_substance": {"Cocaine": 1, "Heroin": 2}}
    # Beyond the contract: per month (each death once) and the last one recorded.
    assert deaths["by_month"] == {"2021-02": 1, "2021-03": 1, "2021-12": 1}
    assert deaths["last_recorded"] == "2021-12-31"


def test_referrals_open_at_the_end_exclude_those_closed_that_day():
    ReferralFactory(referred_on=D(2020, 5, 1))  # still open
    ReferralFactory(referred_on=D(2021, 2, 1), closed_on=END)
    ReferralFactory(referred_on=D(2021, 2, 1), closed_on=D(2021, 3, 1))
    ReferralFactory(referred_on=D(2021, 12, 1))
    safeguarding = figures(as_at=END)["safeguarding"]
    contract = {
        key: safeguarding[key] for key in ("referrals_opened", "referrals_closed", "open_at_end")
    }
    assert contract == {
        "referrals_opened": 3,
        "referrals_closed": 2,
        "open_at_end": 2,
    }


def test_beyond_the_contract_drug_tests_referrals_children_and_vulnerable_adults():
    child = PersonFactory(date_of_birth=D(2003, 6, 2))  # 17 on 1 June 2021, 18 the next day
    adult = PersonFactory(date_of_birth=D(1990, 1, 1), vulnerable_adult=True)
    ArrestFactory(person=child, arrested_on=D(2021, 6, 1), drug_test=DrugTest.COCAINE)
    ArrestFactory(person=adult, arrested_on=D(2021, 6, 1), drug_test=DrugTest.NEGATIVE)
    ArrestFactory(person=PersonFactory(date_of_birth=D(2003, 6, 1)), arrested_on=D(2021, 6, 1))
    ArrestFactory(person=PersonFactory(), arrested_on=D(2021, 6, 1), treatment_referral=True)

    enforcement = figures()["enforcement"]
    assert enforcement["children_arrested"] == 1  # 18 on the day of arrest is not a child
    assert enforcement["vulnerable_adults_arrested"] == 1
    assert enforcement["drug_tests"] == {"cocaine": 1, "negative": 1}
    assert enforcement["drug_tests_positive_share"] == 0.5
    assert enforcement["treatment_referrals"] == 1


def test_beyond_the_contract_what_the_papers_sentences_need():
    """Origins as places, charges per month, each intensification operation's arrests
    and first-week cash, funding per source, the partnership's counts."""
    from operations.models import FundingSource
    from tests.operations.factories import OperationFactory
    from tests.safeguarding.factories import ActionFactory, ExchangeFactory

    manchester = Force.objects.get(name="Greater Manchester Police")
    LineFactory(first_identified=D(2021, 3, 1), origin_force=manchester)
    LineFactory(first_identified=D(2021, 4, 1), origin_force=manchester)
    LineFactory(first_identified=D(2021, 5, 1))  # Merseyside: its short name
    ChargeFactory(charged_on=D(2021, 10, 1))
    ChargeFactory(charged_on=D(2021, 10, 2))
    ChargeFactory(charged_on=D(2021, 11, 2))
    operation = OperationFactory(
        started_on=D(2021, 11, 8),
        ended_on=D(2021, 11, 21),
        funding_source=FundingSource.NATIONAL_SURGE,
        funding_amount=Decimal("60000.00"),
    )
    OperationFactory(
        kind="warrant",
        started_on=D(2021, 6, 1),
        funding_source=FundingSource.EXPORTING_FORCE,
        funding_amount=Decimal("5000.00"),
    )
    person = PersonFactory()
    for day in (8, 9, 20):
        ArrestFactory(operation=operation, person=person, arrested_on=D(2021, 11, day))
    ArrestFactory(arrested_on=D(2021, 11, 9))  # not the operation's
    SeizureFactory(operation=operation, seized_on=D(2021, 11, 8), cash_gbp=Decimal("6000"))
    SeizureFactory(operation=operation, seized_on=D(2021, 11, 14), cash_gbp=Decimal("4500.50"))
    SeizureFactory(operation=operation, seized_on=D(2021, 11, 15), cash_gbp=Decimal("900"))
    first = ReferralFactory(referred_on=D(2021, 2, 1))
    ReferralFactory(referred_on=D(2021, 3, 1))  # the same address
    ReferralFactory(referred_on=D(2021, 3, 1), address="3 Other Road")
    ExchangeFactory(referral=first, shared_on=D(2021, 2, 3))
    ExchangeFactory(referral=first, shared_on=D(2021, 2, 4))
    ActionFactory(referral=first, agreed_on=D(2021, 2, 1), due_on=D(2021, 2, 8))  # overdue
    ActionFactory(
        referral=first, agreed_on=D(2021, 2, 1), due_on=D(2021, 2, 8), done_on=D(2021, 2, 7)
    )

    result = figures()
    assert result["lines"]["by_origin_place"] == {"Manchester": 2, "Merseyside": 1}
    enforcement = result["enforcement"]
    assert enforcement["persons_charged_by_month"] == {"2021-10": 2, "2021-11": 1}
    assert enforcement["intensification"] == [
        {
            "reference": operation.reference,
            "name": operation.name,
            "started_on": "2021-11-08",
            "ended_on": "2021-11-21",
            "days": 14,
            "arrests": 3,
            "persons_arrested": 1,
            "cash_seized_first_week_gbp": "10500.50",
        }
    ]
    assert result["funding"]["by_source"] == {
        "exporting_force": {"gbp": "5000.00", "operations": 1},
        "national_surge": {"gbp": "60000.00", "operations": 1},
    }
    safeguarding = result["safeguarding"]
    assert safeguarding["addresses"] == 2
    assert safeguarding["exchanges_by_agency"] == {"North Yorkshire Police": 2}
    assert (safeguarding["actions_done"], safeguarding["actions_overdue"]) == (1, 1)
