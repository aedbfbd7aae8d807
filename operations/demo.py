"""The demo enforcement, for `manage.py seed_demo`, matching the January 2022 panel report:

"In 2021, NYP's actions resulted in 29 individuals being handed over 100 years of prison
time …, with a further 18 charged in October and 34 arrested over 2 weeks of intensive
County Lines disruption in which over £10,000 was seized in the first week alone."
The operations are funded by national surge funding (£60,000) and an exporting force's
contribution (£15,000).

Written through the operations services (every rule and audit applies); records are
matched on their reference, so running it twice changes nothing. Fictitious throughout.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from core.batch import Outcome
from core.demo import demo_step
from lines.models import Line
from persons.demo import demo_reference
from reference.models import CommandArea, Drug

from .models import DrugTest, FundingSource, Operation, OperationKind
from .services import (
    arrest_upsert_many,
    charge_upsert_many,
    operation_create,
    seizure_upsert_many,
    sentence_upsert_many,
)

D = datetime.date
OPERATION_REFERENCE = "NYP-OP-2021-01"
OPERATION_START = D(2021, 11, 8)  # two weeks: 8 to 21 November 2021
ARRESTS_BY_WEEK = (20, 14)
# 29 sentences in 2021, 1,236 months (103 years) in all.
# fmt: off
SENTENCE_MONTHS = (
    96, 84, 78, 72, 66, 60, 60, 54, 54, 48, 48, 45, 42, 40, 40,
    36, 36, 36, 32, 30, 30, 27, 24, 24, 18, 18, 12, 12, 14,
)
# fmt: on
# "funding from exporting policing areas": a warrant day paid for by an exporting force.
WARRANT_REFERENCE = "NYP-OP-2021-02"
WARRANT_DAY = D(2021, 6, 15)
EXPORTING_CONTRIBUTION = Decimal("15000.00")
CHARGED_IN_OCTOBER = 18
CHARGED_AFTER_THE_OPERATION = 12
OFFENCES = (
    "Possession with intent to supply a controlled drug of class A (crack cocaine)",
    "Being concerned in the supply of a controlled drug of class A (heroin)",
    "Conspiracy to supply a controlled drug of class A",
    "Arranging or facilitating travel of another person with a view to exploitation",
)
# Week one's seizures: £10,840 in cash, and drugs; week two's: less cash, more drugs.
SEIZURES = (
    (D(2021, 11, 8), Decimal("3250.00"), "Crack cocaine", Decimal("42.50")),
    (D(2021, 11, 9), Decimal("4120.00"), "Heroin", Decimal("36.00")),
    (D(2021, 11, 11), Decimal("2310.00"), None, None),
    (D(2021, 11, 13), Decimal("1160.00"), "Cocaine", Decimal("18.20")),
    (D(2021, 11, 16), Decimal("870.00"), "Heroin", Decimal("64.00")),
    (D(2021, 11, 19), None, "Cannabis", Decimal("410.00")),
)
DRUG_TESTS = (
    DrugTest.COCAINE,
    DrugTest.NEGATIVE,
    DrugTest.BOTH,
    DrugTest.OPIATES,
    DrugTest.NOT_TESTED,
)


def _created(*results) -> int:
    return sum(
        1
        for result in results
        for outcome in result.outcomes.values()
        if outcome is Outcome.CREATED
    )


@demo_step("enforcement", after=("persons",))
@transaction.atomic
def seed_demo_enforcement(*, user) -> int:
    """Creates what is missing of the demo operation, arrests, charges, sentences and
    seizures; returns how many records it created."""
    lines = list(Line.objects.filter(reference__startswith="NYP-CL-2021").order_by("reference"))
    line_reference = (
        (lambda index: lines[index % len(lines)].reference) if lines else (lambda index: None)
    )
    areas = {area.name: area for area in CommandArea.objects.all()}
    created = 0
    if not Operation.objects.filter(reference=OPERATION_REFERENCE).exists():
        operation_create(
            user=user,
            reference=OPERATION_REFERENCE,
            name="Operation Ember",
            kind=OperationKind.INTENSIFICATION,
            started_on=OPERATION_START,
            ended_on=OPERATION_START + datetime.timedelta(days=13),
            command_areas=[areas["York"], areas["Harrogate"], areas["Scarborough"]],
            funding_source=FundingSource.NATIONAL_SURGE,
            funding_amount=Decimal("60000.00"),
        )
        created += 1
    if not Operation.objects.filter(reference=WARRANT_REFERENCE).exists():
        operation_create(
            user=user,
            reference=WARRANT_REFERENCE,
            name="Operation Kestrel",
            kind=OperationKind.WARRANT,
            started_on=WARRANT_DAY,
            ended_on=WARRANT_DAY,
            command_areas=[areas["Harrogate"]],
            funding_source=FundingSource.EXPORTING_FORCE,
            funding_amount=EXPORTING_CONTRIBUTION,
        )
        created += 1

    arrests = []
    for week, count in enumerate(ARRESTS_BY_WEEK):
        for n in range(count):
            index = len(arrests)
            test = DRUG_TESTS[index % len(DRUG_TESTS)]
            arrests.append(
                {
                    "reference": f"NYP-AR-2021-{index + 1:04d}",
                    # People 10 to 43: the first eleven of them children when arrested.
                    "person_reference": demo_reference(10 + index),
                    "arrested_on": OPERATION_START + datetime.timedelta(days=7 * week + n % 7),
                    "command_area": areas[("York", "Harrogate", "Scarborough")[index % 3]],
                    "line_reference": line_reference(index),
                    "operation_reference": OPERATION_REFERENCE,
                    "drug_test": test,
                    "treatment_referral": test in DrugTest.positive(),
                }
            )
    charges = [
        {
            "reference": f"NYP-CH-2021-{index + 1:04d}",
            "person_reference": demo_reference(44 + index),
            "charged_on": D(2021, 10, 1 + index),
            "offence": OFFENCES[index % len(OFFENCES)],
            "line_reference": line_reference(index),
        }
        for index in range(CHARGED_IN_OCTOBER)
    ] + [
        # Some of those the operation arrested in its first week, charged in its second.
        {
            "reference": f"NYP-CH-2021-{CHARGED_IN_OCTOBER + index + 1:04d}",
            "person_reference": demo_reference(10 + index),
            "charged_on": OPERATION_START + datetime.timedelta(days=7 + index % 7),
            "offence": OFFENCES[index % len(OFFENCES)],
            "line_reference": line_reference(index),
        }
        for index in range(CHARGED_AFTER_THE_OPERATION)
    ]
    sentences = [
        {
            "reference": f"NYP-SE-2021-{index + 1:04d}",
            "person_reference": demo_reference(21 + index),
            "sentenced_on": D(2021, 1 + index % 12, 5 + index % 20),
            "custody_months": months,
            "line_reference": line_reference(index),
        }
        for index, months in enumerate(SENTENCE_MONTHS)
    ]
    drugs = {drug.name: drug for drug in Drug.objects.all()}
    seizures = [
        {
            "reference": f"NYP-SZ-2021-{index + 1:04d}",
            "seized_on": seized_on,
            "cash_gbp": cash,
            "drug": drugs[drug] if drug else None,
            "grams": grams,
            "line_reference": line_reference(index),
            "operation_reference": OPERATION_REFERENCE,
        }
        for index, (seized_on, cash, drug, grams) in enumerate(SEIZURES)
    ]
    results = (
        arrest_upsert_many(user=user, rows=arrests),
        charge_upsert_many(user=user, rows=charges),
        sentence_upsert_many(user=user, rows=sentences),
        seizure_upsert_many(user=user, rows=seizures),
    )
    for result in results:
        if result.problems:
            raise ValueError(f"The demo enforcement breaks a rule: {result.problems[:3]}")
    return created + _created(*results)
