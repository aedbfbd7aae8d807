"""The demo enforcement, for `manage.py seed_demo`, matching the January 2022 panel report:

"In 2021, NYP's actions resulted in 29 individuals being handed over 100 years of prison
time …, with a further 18 charged in October and 34 arrested over 2 weeks of intensive
County Lines disruption in which over £10,000 was seized in the first week alone."
The operations are funded by national surge funding (£60,000) and an exporting force's
contribution (£15,000). Three more operations (a warrant, an intensification week and
safeguarding visits) follow in 2022, after the paper's as-at date, so its figures stay
the report's. Every record is on a line active on its day, and its person among that
line's people (a role is added where they had none on it).

Written through the operations services (every rule and audit applies); records are
matched on their reference, so running it twice changes nothing. Fictitious throughout.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from core.batch import Outcome
from core.demo import demo_step
from lines.models import Line, LineStatus
from persons.demo import demo_reference, demo_role_add
from persons.models import LineRole, LineRoleKind, Person
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


# After the paper's as-at date (15 January 2022), so that its figures stay the report's:
# (reference, name, kind, started, ended, areas, funding source, pounds,
#  arrests as (person number, days after the start), seizures as (days after the start,
#  cash, drug, grams)).
LATER_OPERATIONS = (
    (
        "NYP-OP-2022-01",
        "Operation Lantern",
        OperationKind.WARRANT,
        D(2022, 2, 17),
        D(2022, 2, 17),
        ("Scarborough",),
        "",
        None,
        ((50, 0), (51, 0), (52, 0)),
        ((0, Decimal("2480.00"), "Crack cocaine", Decimal("12.40")),),
    ),
    (
        "NYP-OP-2022-02",
        "Operation Tern",
        OperationKind.INTENSIFICATION,
        D(2022, 3, 14),
        D(2022, 3, 20),
        ("York", "Selby"),
        FundingSource.FORCE,
        Decimal("8000.00"),
        ((53, 0), (54, 1), (55, 1), (56, 3), (57, 4), (58, 5)),
        (
            (1, Decimal("1820.00"), "Heroin", Decimal("22.00")),
            (3, None, "Cocaine", Decimal("9.50")),
            (5, Decimal("640.00"), None, None),
        ),
    ),
    (
        "NYP-OP-2022-03",
        "Operation Wren",
        OperationKind.OTHER,
        D(2022, 5, 9),
        D(2022, 5, 13),
        ("Harrogate",),
        "",
        None,
        ((59, 2), (60, 4)),
        (),
    ),
)


@dataclass
class DemoLines:
    """The demo lines, to give each enforcement record a line active on its day: a line
    the person has a role on when one is active then (the first recorded), else one in
    turn, and then the role, so that everyone arrested, charged or sentenced on a line is
    among its people. Chosen the same way on every run (roles in the order recorded)."""

    lines: list[Line]
    roles: dict[str, list[Line]]  # person reference: the lines of their roles, in order
    kinds: dict[str, str]  # person reference: their first role
    wanted: dict[tuple[str, str], None] = field(default_factory=dict)  # (person, line)

    @classmethod
    def load(cls) -> "DemoLines":
        lines = list(Line.objects.filter(reference__startswith="NYP-CL-").order_by("reference"))
        by_id = {line.pk: line for line in lines}
        roles: dict[str, list[Line]] = defaultdict(list)
        kinds: dict[str, str] = {}
        held = LineRole.objects.filter(person__reference__startswith="NYP-P-").order_by("pk")
        for person, line_id, role in held.values_list("person__reference", "line_id", "role"):
            if line_id in by_id:
                roles[person].append(by_id[line_id])
                kinds.setdefault(person, role)
        return cls(lines, roles, kinds)

    def on(self, day: datetime.date, person: str | None, index: int) -> str | None:
        """The reference of the line of a record of `person` on `day`."""
        active = [
            line
            for line in self.lines
            if LineStatus.of(line.first_identified, line.closed_on, day) == LineStatus.ACTIVE
        ]
        if not active:
            return None
        own = [line for line in self.roles.get(person or "", []) if line in active]
        if own:
            return own[0].reference
        line = active[index % len(active)]
        if person is not None:
            self.wanted.setdefault((person, line.reference), None)
            self.roles[person].append(line)
        return line.reference

    def add_roles(self, *, user) -> int:
        """The roles the records chosen a line need; returns how many it added."""
        references = {person for person, _line in self.wanted}
        people = {p.reference: p for p in Person.objects.filter(reference__in=references)}
        lines = {line.reference: line for line in self.lines}
        for person_reference, line_reference in self.wanted:
            person, line = people[person_reference], lines[line_reference]
            role = self.kinds.get(person_reference) or (
                LineRoleKind.RUNNER if person.exploited else LineRoleKind.ASSOCIATE
            )
            # Seen on the line when arrested, charged or sentenced: known directly.
            demo_role_add(user=user, person=person, line=line, role=role)
        return len(self.wanted)


def _later_operations(*, user, lines: DemoLines, areas: dict, drugs: dict) -> tuple[int, list]:
    """The operations of 2022 that are missing, and the rows of their arrests and
    seizures."""
    created = 0
    arrests, seizures = [], []
    for number, (
        reference,
        name,
        kind,
        started,
        ended,
        names,
        source,
        pounds,
        held,
        seized,
    ) in enumerate(LATER_OPERATIONS, start=1):
        if not Operation.objects.filter(reference=reference).exists():
            operation_create(
                user=user,
                reference=reference,
                name=name,
                kind=kind,
                started_on=started,
                ended_on=ended,
                command_areas=[areas[area] for area in names],
                funding_source=source,
                funding_amount=pounds,
            )
            created += 1
        for person, days in held:
            index = len(arrests)
            arrested_on = started + datetime.timedelta(days=days)
            test = DRUG_TESTS[index % len(DRUG_TESTS)]
            arrests.append(
                {
                    "reference": f"NYP-AR-2022-{index + 1:04d}",
                    "person_reference": demo_reference(person),
                    "arrested_on": arrested_on,
                    "command_area": areas[names[index % len(names)]],
                    "line_reference": lines.on(arrested_on, demo_reference(person), index),
                    "operation_reference": reference,
                    "drug_test": test,
                    "treatment_referral": test in DrugTest.positive(),
                }
            )
        for days, cash, drug, grams in seized:
            index = len(seizures)
            seized_on = started + datetime.timedelta(days=days)
            seizures.append(
                {
                    "reference": f"NYP-SZ-2022-{index + 1:04d}",
                    "seized_on": seized_on,
                    "cash_gbp": cash,
                    "drug": drugs[drug] if drug else None,
                    "grams": grams,
                    "line_reference": lines.on(seized_on, None, number + index),
                    "operation_reference": reference,
                }
            )
    return created, [
        arrest_upsert_many(user=user, rows=arrests),
        seizure_upsert_many(user=user, rows=seizures),
    ]


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
    lines = DemoLines.load()
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
            arrested_on = OPERATION_START + datetime.timedelta(days=7 * week + n % 7)
            arrests.append(
                {
                    "reference": f"NYP-AR-2021-{index + 1:04d}",
                    # People 10 to 43: the first eleven of them children when arrested.
                    "person_reference": demo_reference(10 + index),
                    "arrested_on": arrested_on,
                    "command_area": areas[("York", "Harrogate", "Scarborough")[index % 3]],
                    "line_reference": lines.on(arrested_on, demo_reference(10 + index), index),
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
            "line_reference": lines.on(D(2021, 10, 1 + index), demo_reference(44 + index), index),
        }
        for index in range(CHARGED_IN_OCTOBER)
    ] + [
        # Some of those the operation arrested in its first week, charged in its second.
        {
            "reference": f"NYP-CH-2021-{CHARGED_IN_OCTOBER + index + 1:04d}",
            "person_reference": demo_reference(10 + index),
            "charged_on": OPERATION_START + datetime.timedelta(days=7 + index % 7),
            "offence": OFFENCES[index % len(OFFENCES)],
            "line_reference": lines.on(
                OPERATION_START + datetime.timedelta(days=7 + index % 7),
                demo_reference(10 + index),
                index,
            ),
        }
        for index in range(CHARGED_AFTER_THE_OPERATION)
    ]
    sentences = [
        {
            "reference": f"NYP-SE-2021-{index + 1:04d}",
            "person_reference": demo_reference(21 + index),
            "sentenced_on": D(2021, 1 + index % 12, 5 + index % 20),
            "custody_months": months,
            "line_reference": lines.on(
                D(2021, 1 + index % 12, 5 + index % 20), demo_reference(21 + index), index
            ),
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
            "line_reference": lines.on(seized_on, None, index),
            "operation_reference": OPERATION_REFERENCE,
        }
        for index, (seized_on, cash, drug, grams) in enumerate(SEIZURES)
    ]
    results = [
        arrest_upsert_many(user=user, rows=arrests),
        charge_upsert_many(user=user, rows=charges),
        sentence_upsert_many(user=user, rows=sentences),
        seizure_upsert_many(user=user, rows=seizures),
    ]
    later, later_results = _later_operations(user=user, lines=lines, areas=areas, drugs=drugs)
    results += later_results
    for result in results:
        if result.problems:
            raise ValueError(f"The demo enforcement breaks a rule: {result.problems[:3]}")
    return created + later + _created(*results) + lines.add_roles(user=user)
