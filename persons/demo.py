"""The demo people: runners (some of them children when arrested), line holders and
cuckooed occupants of the demo lines, for `manage.py seed_demo`, each with their own
number (from Ofcom's drama range, none a line's; a line holder also carried the deal
line's first handset), so the number search finds them, and an address. Deterministic
and fictitious (names drawn from common ones, dates of birth, streets and postcodes from
seeded generators); written through the persons services, so every rule and audit
applies."""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction

from core.batch import Outcome
from core.demo import demo_step
from lines.demo import demo_lines_plan
from lines.demo.plan import DRAMA_RANGE
from lines.models import HandlingCode, IntelligenceAssessment, Line, PhoneNumber, SourceEvaluation
from lines.phone import normalise_number

from .models import LineRole, LineRoleKind, Person, PersonAddress, PersonNumber
from .services import line_role_add, person_address_add, person_number_add, person_upsert_many

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


# Where people live: the towns of the command areas (for the people of a line who live
# where it deals) and of the origin forces (for those who travel in). The streets are
# invented; the postcodes are merely well formed.
AREA_TOWNS = {
    "York": ("York", "YO31"),
    "Harrogate": ("Harrogate", "HG1"),
    "Scarborough": ("Scarborough", "YO11"),
    "Selby": ("Selby", "YO8"),
    "Ryedale": ("Malton", "YO17"),
    "Craven": ("Skipton", "BD23"),
    "Hambleton": ("Northallerton", "DL6"),
    "Richmondshire": ("Richmond", "DL10"),
}
ORIGIN_TOWNS = {
    "Merseyside Police": ("Liverpool", "L4"),
    "Greater Manchester Police": ("Manchester", "M8"),
    "West Yorkshire Police": ("Leeds", "LS9"),
    "South Yorkshire Police": ("Sheffield", "S5"),
    "Metropolitan Police Service": ("London", "E5"),
    "West Midlands Police": ("Birmingham", "B6"),
    "Cleveland Police": ("Middlesbrough", "TS1"),
    "Humberside Police": ("Hull", "HU3"),
}
STREETS = [
    "Ashby Close",
    "Carver Street",
    "Holgate Mews",
    "Kingfisher Walk",
    "Larch Grove",
    "Mercer Lane",
    "Nettle Row",
    "Orchard Terrace",
    "Pinder Court",
    "Quarry View",
    "Rook Street",
    "Saddler Way",
    "Tannery Yard",
    "Wharfe Road",
]
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXY"  # those a postcode's last two letters use
DEMO_FROM = datetime.date(2019, 6, 1)  # when the demo people's numbers and homes begin


@dataclass(frozen=True)
class PlannedRole:
    person: int  # index into the demo people, in reference order
    line: int  # index into the 2021 lines, in reference order
    role: str


def demo_roles_plan(*, lines: int) -> list[PlannedRole]:
    """Each person's role on one of the `lines` lines of 2021: the first 20 (children)
    run for them, the next 26 hold them, the last ten had their homes taken over, the rest
    are associates."""
    roles = []
    for index in range(DEMO_PEOPLE if lines else 0):
        if index < 20:
            role = LineRoleKind.RUNNER
        elif index < 46:
            role = LineRoleKind.LINE_HOLDER
        elif index >= 70:
            role = LineRoleKind.CUCKOOED_OCCUPANT
        else:
            role = LineRoleKind.ASSOCIATE
        roles.append(PlannedRole(index, index % lines, role))
    return roles


def demo_person_numbers(*, taken: set[str]) -> list[str]:
    """One number for each demo person (national format), from Ofcom's drama range, none
    of them a number of the demo lines (`taken`, E.164): the same every time."""
    free = [
        digits
        for digits in (f"{DRAMA_RANGE}{n:03d}" for n in range(1000))
        if normalise_number(digits) not in taken
    ]
    random.Random(SEED + 1).shuffle(free)  # noqa: S311  (a repeatable demo, not a secret)
    if len(free) < DEMO_PEOPLE:
        raise ValueError("The drama range has too few numbers left for the demo people.")
    return [f"{digits[:5]} {digits[5:]}" for digits in free[:DEMO_PEOPLE]]


def demo_address(index: int, town: tuple[str, str], generator: random.Random) -> dict:
    name, district = town
    house = generator.randint(1, 140)
    street = STREETS[index % len(STREETS)]
    flat = f"Flat {generator.randint(1, 9)}, " if index % 3 == 0 else ""
    letters = "".join(generator.choice(POSTCODE_LETTERS) for _ in range(2))
    return {
        "address": f"{flat}{house} {street}, {name}",
        "postcode": f"{district} {generator.randint(1, 9)}{letters}",
    }


@demo_step("persons", after=("lines",))
@transaction.atomic
def seed_demo_people(*, user) -> int:
    """Creates the demo people that do not exist yet, flags the exploited children and
    vulnerable adults among them, and gives each what is missing of their role on a demo
    line, their own number (line holders the deal line's too) and their address; returns
    how many records it created."""
    result = person_upsert_many(user=user, rows=demo_people_rows())
    created = sum(1 for outcome in result.outcomes.values() if outcome is Outcome.CREATED)
    people = list(Person.objects.filter(reference__startswith="NYP-P-").order_by("reference"))
    if created:
        # Children running for a line are exploited; the adults whose homes were taken,
        # vulnerable.
        Person.objects.filter(pk__in=[p.pk for p in people[:20]]).update(exploited=True)
        # Two of the adults the operation arrested were vulnerable themselves (people 42, 43).
        vulnerable = people[70:] + people[41:43]
        Person.objects.filter(pk__in=[p.pk for p in vulnerable]).update(vulnerable_adult=True)
    lines = list(
        Line.objects.filter(reference__startswith="NYP-CL-2021")
        .select_related("origin_force")
        .prefetch_related("command_areas", "attributions__number")
        .order_by("reference")
    )
    roles = demo_roles_plan(lines=len(lines))
    created += _add_roles(user, people, lines, roles)
    created += _add_numbers(user, people, lines, roles)
    created += _add_addresses(user, people, lines, roles)
    return created


def _add_roles(user, people: list[Person], lines: list[Line], roles: list[PlannedRole]) -> int:
    held = set(LineRole.objects.filter(person__in=people).values_list("person_id", "line_id"))
    created = 0
    for planned in roles:
        person, line = people[planned.person], lines[planned.line]
        if (person.pk, line.pk) in held:
            continue
        demo_role_add(user=user, person=person, line=line, role=planned.role)
        created += 1
    return created


def demo_role_add(*, user, person: Person, line: Line, role: str) -> LineRole:
    """`person`'s role on `line` for as long as it ran, known directly (graded 1AP)."""
    return line_role_add(
        user=user,
        person=person,
        line=line,
        role=role,
        started_on=line.first_identified,
        ended_on=line.closed_on,
        source_evaluation=SourceEvaluation.RELIABLE,
        assessment=IntelligenceAssessment.KNOWN_DIRECTLY,
        handling_code=HandlingCode.PERMITTED,
    )


def _add_numbers(user, people: list[Person], lines: list[Line], roles: list[PlannedRole]) -> int:
    """Everyone's own number from before the lines; a line holder also carried the deal
    line's first handset while it was in use."""
    taken = {normalise_number(number) for number in demo_lines_plan().numbers}
    own = demo_person_numbers(taken=taken)
    wanted: list[tuple[Person, str, datetime.date, datetime.date | None]] = [
        (person, own[index], DEMO_FROM, None) for index, person in enumerate(people)
    ]
    for planned in roles:
        if planned.role == LineRoleKind.LINE_HOLDER:
            first = min(lines[planned.line].attributions.all(), key=lambda a: a.attributed_from)
            wanted.append(
                (
                    people[planned.person],
                    first.number.e164,
                    first.attributed_from,
                    first.attributed_to,
                )
            )
    held = set(
        PersonNumber.objects.filter(person__in=people).values_list(
            "person_id", "number__e164", "used_from"
        )
    )
    created = 0
    for person, number, used_from, used_to in wanted:
        e164 = normalise_number(number)
        if (person.pk, e164, used_from) in held:
            continue
        phone, _ = PhoneNumber.objects.get_or_create(e164=e164)
        person_number_add(
            user=user, person=person, number=phone, used_from=used_from, used_to=used_to
        )
        created += 1
    return created


def _add_addresses(user, people: list[Person], lines: list[Line], roles: list[PlannedRole]) -> int:
    """Runners and line holders live where the line comes from; associates and the
    people whose homes were taken over, where it deals."""
    generator = random.Random(SEED + 2)  # noqa: S311  (a repeatable demo, not a secret)
    line_of = {planned.person: (lines[planned.line], planned.role) for planned in roles}
    held = set(PersonAddress.objects.filter(person__in=people).values_list("person_id", "address"))
    created = 0
    for index, person in enumerate(people):
        line, role = line_of.get(index, (None, ""))
        if line is None:
            town = AREA_TOWNS["York"]
        elif role in (LineRoleKind.RUNNER, LineRoleKind.LINE_HOLDER):
            town = ORIGIN_TOWNS[line.origin_force.name]
        else:
            town = AREA_TOWNS[min(area.name for area in line.command_areas.all())]
        home = demo_address(index, town, generator)
        if (person.pk, home["address"]) in held:
            continue
        person_address_add(user=user, person=person, lived_from=DEMO_FROM, **home)
        created += 1
    return created
