"""The demo people: runners (some of them children when arrested), line holders and
cuckooed occupants of the demo lines, for `manage.py seed_demo`. Deterministic and
fictitious (names drawn from common ones, dates of birth from a seeded generator);
written through the persons batch service, so every rule and audit applies."""

import datetime
import random

from django.db import transaction

from core.batch import Outcome
from core.demo import demo_step
from lines.models import HandlingCode, IntelligenceAssessment, Line, SourceEvaluation

from .models import LineRole, LineRoleKind, Person
from .services import person_upsert_many

SEED = 20211004
DEMO_PEOPLE = 80
FORENAMES = [
    "Jayden",
    "Kai",
    "Tyler",
    "Reece",
    "Callum",
    "Liam",
    "Aaron",
    "Kyle",
    "Nathan",
    "Connor",
    "Jordan",
    "Mason",
    "Leon",
    "Dylan",
    "Ryan",
    "Ellie",
    "Chloe",
    "Jade",
    "Megan",
    "Paige",
    "Amber",
    "Shannon",
    "Courtney",
    "Tasha",
    "Demi",
]
SURNAMES = [
    "Walsh",
    "Murphy",
    "Hughes",
    "Doyle",
    "Byrne",
    "Kelly",
    "Okafor",
    "Mensah",
    "Ahmed",
    "Hussain",
    "Khan",
    "Patel",
    "Begum",
    "Clarke",
    "Roberts",
    "Evans",
    "Lewis",
    "Wright",
    "Turner",
    "Parker",
    "Morris",
    "Ward",
    "Cooper",
    "Bailey",
    "Bell",
]


def demo_reference(number: int) -> str:
    return f"NYP-P-{number:04d}"


def demo_people_rows() -> list[dict]:
    """The demo people's rows, as the `persons` import would give them. The first 20 were
    born in 2004 to 2006 (children when the 2021 arrests took place)."""
    generator = random.Random(SEED)  # noqa: S311  (a repeatable demo, not a secret)
    rows = []
    for number in range(1, DEMO_PEOPLE + 1):
        if number <= 20:
            born = datetime.date(2004, 1, 1) + datetime.timedelta(days=generator.randrange(3 * 365))
        else:
            born = datetime.date(1975, 1, 1) + datetime.timedelta(
                days=generator.randrange(25 * 365)
            )
        forenames = FORENAMES[generator.randrange(len(FORENAMES))]
        rows.append(
            {
                "reference": demo_reference(number),
                "surname": SURNAMES[generator.randrange(len(SURNAMES))],
                "forenames": forenames,
                "date_of_birth": born,
                "gender": "female" if FORENAMES.index(forenames) >= 15 else "male",
            }
        )
    return rows


@demo_step("persons", after=("lines",))
@transaction.atomic
def seed_demo_people(*, user) -> int:
    """Creates the demo people that do not exist yet, flags the exploited children and
    vulnerable adults among them and gives some of them a role on a demo line; returns
    how many people it created."""
    result = person_upsert_many(user=user, rows=demo_people_rows())
    created = sum(1 for outcome in result.outcomes.values() if outcome is Outcome.CREATED)
    if not created:
        return 0
    people = list(Person.objects.filter(reference__startswith="NYP-P-").order_by("reference"))
    # Children running for a line are exploited; the adults whose homes were taken, vulnerable.
    Person.objects.filter(pk__in=[p.pk for p in people[:20]]).update(exploited=True)
    # Two of the adults the operation arrested were vulnerable themselves (people 42, 43).
    vulnerable = people[70:] + people[41:43]
    Person.objects.filter(pk__in=[p.pk for p in vulnerable]).update(vulnerable_adult=True)
    lines = list(Line.objects.filter(reference__startswith="NYP-CL-2021").order_by("reference"))
    roles = []
    for index, person in enumerate(people):
        if not lines:
            break
        line = lines[index % len(lines)]
        if index < 20:
            role = LineRoleKind.RUNNER
        elif index < 46:
            role = LineRoleKind.LINE_HOLDER
        elif index >= 70:
            role = LineRoleKind.CUCKOOED_OCCUPANT
        else:
            role = LineRoleKind.ASSOCIATE
        roles.append(
            LineRole(
                person=person,
                line=line,
                role=role,
                started_on=line.first_identified,
                ended_on=line.closed_on,
                source_evaluation=SourceEvaluation.RELIABLE,
                assessment=IntelligenceAssessment.KNOWN_DIRECTLY,
                handling_code=HandlingCode.PERMITTED,
                recorded_by=user,
            )
        )
    LineRole.objects.bulk_create(roles)
    return created
