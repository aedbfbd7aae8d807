"""The demo county lines: a deterministic data set that reproduces the January 2022
panel report (../shared/seed/panel-report-2022-01.txt), loaded by `manage.py seed_demo`.

"In 2020 36 County Lines, using 94 different telephone numbers, were identified, of
which only three remained active by the end of the year. In 2021 26 County Lines were
identified, of which 10 Lines remain active" (as at 15 January 2022), "with most Lines
originating in Merseyside, Manchester, West and South Yorkshire, and London into
Harrogate, York and Scarborough".

`demo_lines_plan()` turns the compact table `DEMO_YEARS` and a seeded random generator
into the same 62 lines every time, without touching the database; the figures of the
table are exact by construction (interfaces.md §3 definitions) and checked by
`_check_plan`. `seed_demo_lines()` writes the plan through the lines services, so every
validation and audit rule applies. Every name, number and event in it is fictitious.
"""

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from reference.models import CommandArea, Force

from .models import ClosureType, Line, RiskLevel
from .phone import normalise_number
from .services import intelligence_entry_add, line_create, line_number_attribute

SEED = 20220115
MIN_DAYS_ON_A_NUMBER = 7
# Numbers attributed after a year's `as_at` are placed up to this many days after it.
DAYS_OF_LATER_USE = 400


@dataclass(frozen=True)
class DemoYear:
    """The lines first identified in one year, and the panel's figures for them."""

    year: int
    identified: int
    still_active: int  # active on `as_at`
    as_at: datetime.date
    numbers_used: int | None  # distinct numbers with attributed_from <= as_at; None: any
    # Of the `still_active` lines, how many have not been closed at all since.
    never_closed: int
    origins: dict[str, int]  # origin force's full name: lines (adds up to `identified`)
    areas: dict[str, int]  # main destination command area: lines (adds up to `identified`)
    into_two_areas: int  # lines that also deal into a neighbouring command area


DEMO_YEARS = (
    DemoYear(
        year=2020,
        identified=36,
        still_active=3,
        as_at=datetime.date(2020, 12, 31),
        numbers_used=94,
        never_closed=1,
        origins={
            "Merseyside Police": 9,
            "Greater Manchester Police": 7,
            "West Yorkshire Police": 7,
            "South Yorkshire Police": 5,
            "Metropolitan Police Service": 5,
            "West Midlands Police": 2,
            "Cleveland Police": 1,
        },
        areas={
            "Harrogate": 11,
            "York": 10,
            "Scarborough": 9,
            "Selby": 2,
            "Ryedale": 2,
            "Craven": 1,
            "Hambleton": 1,
        },
        into_two_areas=4,
    ),
    DemoYear(
        year=2021,
        identified=26,
        still_active=10,
        as_at=datetime.date(2022, 1, 15),
        numbers_used=None,
        never_closed=6,
        origins={
            "Merseyside Police": 6,
            "Greater Manchester Police": 5,
            "West Yorkshire Police": 5,
            "South Yorkshire Police": 4,
            "Metropolitan Police Service": 4,
            "West Midlands Police": 1,
            "Humberside Police": 1,
        },
        areas={
            "Harrogate": 8,
            "York": 7,
            "Scarborough": 6,
            "Selby": 2,
            "Ryedale": 1,
            "Richmondshire": 1,
            "Craven": 1,
        },
        into_two_areas=3,
    ),
)

# Where a line into the first area also deals.
NEIGHBOURING_AREAS = {
    "Harrogate": ["York", "Craven", "Hambleton"],
    "York": ["Selby", "Ryedale", "Harrogate"],
    "Scarborough": ["Ryedale"],
    "Selby": ["York"],
    "Ryedale": ["Scarborough", "York"],
    "Craven": ["Harrogate"],
    "Hambleton": ["Richmondshire", "Harrogate"],
    "Richmondshire": ["Hambleton"],
}

ORIGIN_CITIES = {
    "Merseyside Police": "Liverpool",
    "Greater Manchester Police": "Manchester",
    "West Yorkshire Police": "Leeds",
    "South Yorkshire Police": "Sheffield",
    "Metropolitan Police Service": "London",
    "West Midlands Police": "Birmingham",
    "Cleveland Police": "Middlesbrough",
    "Humberside Police": "Hull",
}

# Brand names tied to an origin, used first for lines from there.
ORIGIN_BRANDS = {"Merseyside Police": ["Scouse Mike", "Scally"]}
BRANDS = [
    "Dolla", "Blade", "Tony", "Nico", "AJ", "Bossman", "Kenny", "Jay", "Deezy", "Milly",
    "Frankie", "Benz", "Ricky", "Spider", "Loco", "Bugsy", "Zee", "Tee", "Razor", "Charlie",
    "Bravo", "Smokey", "Nitro", "Ghost", "K-Man", "Finesse", "Drip", "Mango", "Ace", "Kash",
    "Lucky", "Boogie", "Manny", "Dee", "Rocco", "Sonic", "Marley", "Vinnie", "Jonny", "Scotty",
    "Digga", "Stacks", "Flash", "Ozzy", "Rambo", "Tiny", "Sully", "Leon", "Junior", "Danny",
    "Max", "Biggz", "Remy", "Tommy", "Pablo", "Shorty", "Rex", "Moe", "Tank", "Skinny",
    "Coco", "Bootsy", "Snowy", "Jet",
]  # fmt: skip

ACTIVITIES = [
    "crack cocaine and heroin sold through runners travelling in by train",
    "cocaine supplied to users through bulk 'flare' text messages",
    "heroin and crack cocaine run from a cuckooed flat near the town centre",
    "a child from the origin area found holding drugs and the deal line handset",
    "crack cocaine and heroin, with runners moving between two cuckooed addresses",
    "cocaine and cannabis delivered by hire car at weekends",
    "heroin supplied to street users; a vulnerable adult's home used as a base",
    "crack cocaine, with reports of a knife shown to a user in debt",
]
CLOSURES = {
    ClosureType.TYPE_1: "Closed (Type 1) after the line holder was arrested and charged.",
    ClosureType.TYPE_2: "Closed (Type 2) after the deal line number was deactivated.",
    ClosureType.OTHER: "Closed after the group stopped using the line.",
}
REPLACEMENT = "Took over the deal line number of {reference} {name} after that line was closed."

# (source evaluation, assessment, handling code, conditions, text): the 3x5x2 grading.
NOT_OUTSIDE_NYP = "Not to be disclosed outside NYP without the originating officer's agreement."
SANITISED_TO_PARTNERS = "Source protection: share with partner agencies only in sanitised form."
SANITISED_TO_FORCE = "Sanitise before sharing with the exporting force."
INTELLIGENCE = [
    ("1", "A", "P", "", "{name} deal line sent flare messages offering 'two for £15' in {area}."),
    (
        "2",
        "B",
        "C",
        NOT_OUTSIDE_NYP,
        "Runner aged about 15 believed to travel from {city} to {area} on Fridays, "
        "returning on Sunday with cash.",
    ),
    (
        "2",
        "C",
        "P",
        "",
        "Users in {area} say the {name} line answers on a new number; the old handset was dropped.",
    ),
    (
        "3",
        "D",
        "C",
        SANITISED_TO_PARTNERS,
        "A vulnerable tenant in {area} is said to have had their flat taken over by {name}.",
    ),
    ("1", "B", "P", "", "Line holder of {name} believed to direct runners by phone from {city}."),
    (
        "2",
        "A",
        "C",
        SANITISED_TO_FORCE,
        "Cash from the {name} line collected weekly by a courier driving a hire car from {city}.",
    ),
    ("3", "E", "P", "", "Anonymous report that {name} is run by a local user; thought malicious."),
    (
        "1",
        "C",
        "P",
        "",
        "{name} deal line advertising crack and heroin 'open all night' in {area}.",
    ),
]

# The first digits of the mobile numbers the demo lines use (each checked as valid).
MOBILE_PREFIXES = ["074", "075", "077", "078", "079"]


@dataclass
class PlannedAttribution:
    number: int  # which of the plan's numbers (index into `numbers`)
    attributed_from: datetime.date
    attributed_to: datetime.date | None


@dataclass
class PlannedIntelligence:
    source_evaluation: str
    assessment: str
    handling_code: str
    handling_conditions: str
    text: str
    recorded_at: datetime.datetime


@dataclass
class PlannedLine:
    year: DemoYear
    reference: str
    first_identified: datetime.date
    closed_on: datetime.date | None = None
    closure_type: str = ""
    name: str = ""
    origin_force: str = ""
    command_areas: list[str] = field(default_factory=list)
    risk_level: str = ""
    predecessor: "PlannedLine | None" = None
    numbers_by_as_at: int = 1  # numbers first used by the year's as_at
    attributions: list[PlannedAttribution] = field(default_factory=list)
    intelligence: list[PlannedIntelligence] = field(default_factory=list)

    @property
    def last_day_of_use(self) -> datetime.date | None:
        return self.closed_on - datetime.timedelta(days=1) if self.closed_on else None

    @property
    def days_by_as_at(self) -> int:
        """Days the line was in use from first identified to the year's as_at, both included."""
        last = min(self.last_day_of_use or self.year.as_at, self.year.as_at)
        return (last - self.first_identified).days + 1

    @property
    def summary(self) -> str:
        city = ORIGIN_CITIES[self.origin_force]
        areas = " and ".join(self.command_areas)
        activity = ACTIVITIES[int(self.reference[-3:]) % len(ACTIVITIES)]
        parts = [f"Run from {city} into {areas}: {activity}."]
        if self.predecessor is not None:
            parts.append(
                REPLACEMENT.format(reference=self.predecessor.reference, name=self.predecessor.name)
            )
        if self.closure_type:
            parts.append(CLOSURES[self.closure_type])
        return " ".join(parts)

    @property
    def next_review_on(self) -> datetime.date:
        """MoPI: reviewed six years after the line closed (or was identified, while open)."""
        start = self.closed_on or self.first_identified
        return _add_years(start, 6)


@dataclass
class DemoPlan:
    lines: list[PlannedLine]
    numbers: list[str]  # national format, by number index


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def demo_lines_plan() -> DemoPlan:
    """The demo lines, their numbers and intelligence: the same every time."""
    rng = random.Random(SEED)  # noqa: S311  (a reproducible demo, not security)
    lines: list[PlannedLine] = []
    for year in DEMO_YEARS:
        lines.extend(_plan_year(rng, year))
    _plan_replacements(rng, lines)
    _plan_names(rng, lines)
    for year in DEMO_YEARS:
        _plan_number_counts(rng, year, [line for line in lines if line.year is year])
    numbers = _plan_attributions(rng, lines)
    _plan_intelligence(rng, lines)
    plan = DemoPlan(lines=lines, numbers=numbers)
    _check_plan(plan)
    return plan


def _plan_year(rng: random.Random, year: DemoYear) -> list[PlannedLine]:
    jan_1 = datetime.date(year.year, 1, 1)
    days = (datetime.date(year.year, 12, 31) - jan_1).days + 1
    # Identified by 10 December at the latest, so that every line closed by as_at ran a while.
    offsets = sorted(rng.sample(range(days - 21), year.identified))
    lines = [
        PlannedLine(
            year=year,
            reference=f"NYP-CL-{year.year}-{index:03d}",
            first_identified=jan_1 + datetime.timedelta(days=offset),
        )
        for index, offset in enumerate(offsets, start=1)
    ]
    # Lines identified later in the year are likelier to be still active at as_at.
    still_active = rng.sample(lines[len(lines) // 3 :], year.still_active)
    never_closed = still_active[: year.never_closed]
    for line in lines:
        if line in never_closed:
            continue
        if line in still_active:
            line.closed_on = year.as_at + datetime.timedelta(days=rng.randint(30, 300))
        else:
            longest = (year.as_at - line.first_identified).days
            days = rng.randint(21, 240)
            if days > longest:  # closed by as_at all the same
                days = rng.randint(14, longest)
            line.closed_on = line.first_identified + datetime.timedelta(days=days)
        line.closure_type = rng.choices(
            [ClosureType.TYPE_1, ClosureType.TYPE_2, ClosureType.OTHER], weights=[45, 40, 15]
        )[0]
    origins = [name for name, count in year.origins.items() for _ in range(count)]
    areas = [name for name, count in year.areas.items() for _ in range(count)]
    if len(origins) != year.identified or len(areas) != year.identified:
        raise ValueError(f"The origins and areas of {year.year} must add up to the lines.")
    rng.shuffle(origins)
    rng.shuffle(areas)
    for line, origin, area in zip(lines, origins, areas, strict=True):
        line.origin_force = origin
        line.command_areas = [area]
        line.risk_level = rng.choices(
            [RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.VERY_HIGH],
            weights=[1, 4, 4, 2],
        )[0]
    for line in rng.sample(lines, year.into_two_areas):
        line.command_areas.append(rng.choice(NEIGHBOURING_AREAS[line.command_areas[0]]))
    return lines


def _plan_replacements(rng: random.Random, lines: list[PlannedLine]) -> None:
    """Some closed lines hand their last number to the line that replaces them: from
    the same origin into the same areas, identified within six weeks of the closure."""
    by_closure = sorted(
        (line for line in lines if line.closed_on and line.closure_type != ClosureType.TYPE_2),
        key=lambda line: (line.closed_on, line.reference),
    )
    taken: set[str] = set()
    for predecessor in by_closure:
        if rng.random() >= 0.45:
            continue
        assert predecessor.closed_on is not None
        window_end = predecessor.closed_on + datetime.timedelta(days=42)
        candidates = [
            line
            for line in lines
            if predecessor.closed_on <= line.first_identified <= window_end
            and line.reference not in taken
        ]
        if not candidates:
            continue
        successor = rng.choice(candidates)
        taken.add(successor.reference)
        successor.predecessor = predecessor
    # In order of identification, so that a chain of replacements keeps the first origin.
    for line in sorted(lines, key=lambda line: (line.first_identified, line.reference)):
        if line.predecessor is not None:
            line.origin_force = line.predecessor.origin_force
            line.command_areas = list(line.predecessor.command_areas)


def _plan_names(rng: random.Random, lines: list[PlannedLine]) -> None:
    brands = list(BRANDS)
    rng.shuffle(brands)
    origin_brands = {origin: list(names) for origin, names in ORIGIN_BRANDS.items()}
    for line in lines:
        own = origin_brands.get(line.origin_force)
        line.name = own.pop(0) if own else brands.pop()


def _counted_numbers(lines: list[PlannedLine]) -> int:
    """The year's distinct numbers by as_at: each line's numbers, less those taken over
    from a line of the same year (already counted there)."""
    references = {line.reference for line in lines}
    return sum(line.numbers_by_as_at for line in lines) - sum(
        1 for line in lines if line.predecessor and line.predecessor.reference in references
    )


def _plan_number_counts(rng: random.Random, year: DemoYear, lines: list[PlannedLine]) -> None:
    """How many numbers each line used by as_at: about one per two months of use,
    then adjusted so that the year uses exactly `year.numbers_used` numbers."""

    def most(line: PlannedLine) -> int:
        return max(1, line.days_by_as_at // MIN_DAYS_ON_A_NUMBER)

    for line in lines:
        line.numbers_by_as_at = min(most(line), 1 + line.days_by_as_at // rng.randint(45, 90))
    if year.numbers_used is None:
        return
    while (counted := _counted_numbers(lines)) != year.numbers_used:
        if counted < year.numbers_used:
            candidates = [line for line in lines if line.numbers_by_as_at < most(line)]
            step = 1
        else:
            candidates = [line for line in lines if line.numbers_by_as_at > 1]
            step = -1
        if not candidates:
            raise ValueError(f"The lines of {year.year} cannot use {year.numbers_used} numbers.")
        rng.choice(candidates).numbers_by_as_at += step


def _starts(rng: random.Random, first: datetime.date, days: int, count: int) -> list[datetime.date]:
    """`count` dates from `first` on, at least MIN_DAYS_ON_A_NUMBER apart, the last one
    at least that long before the end of the `days`-day window (when it allows)."""
    slack = max(0, days - MIN_DAYS_ON_A_NUMBER * count)
    extra = sorted(rng.randint(0, slack) for _ in range(count - 1))
    return [first] + [
        first + datetime.timedelta(days=MIN_DAYS_ON_A_NUMBER * i + extra[i - 1])
        for i in range(1, count)
    ]


def _plan_attributions(rng: random.Random, lines: list[PlannedLine]) -> list[str]:
    numbers: list[str] = []
    seen: set[str] = set()
    number_rng = random.Random(SEED + 1)  # noqa: S311  (a reproducible demo, not security)

    def new_number() -> int:
        while True:
            digits = rng_digits(number_rng)
            e164 = normalise_number(digits)
            if e164 not in seen:
                seen.add(e164)
                numbers.append(f"{digits[:5]} {digits[5:]}")
                return len(numbers) - 1

    for line in sorted(lines, key=lambda line: (line.first_identified, line.reference)):
        year = line.year
        starts = _starts(rng, line.first_identified, line.days_by_as_at, line.numbers_by_as_at)
        # Numbers taken up after as_at by lines still in use then (not counted for the year).
        last = line.last_day_of_use or year.as_at + datetime.timedelta(days=DAYS_OF_LATER_USE)
        later_days = (last - year.as_at).days
        if later_days > 0:
            later = rng.randint(0, min(3, later_days // 60))
            starts += _starts(rng, year.as_at, later_days + 1, later + 1)[1:]
        ends = [start - datetime.timedelta(days=1) for start in starts[1:]]
        ends.append(line.last_day_of_use)
        for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
            if index == 0 and line.predecessor is not None:
                number = line.predecessor.attributions[-1].number
            else:
                number = new_number()
            line.attributions.append(PlannedAttribution(number, start, end))
    return numbers


def rng_digits(rng: random.Random) -> str:
    """A valid UK mobile number in national form, e.g. `07712345678`, never Ofcom's
    drama range (07700 900xxx), which the phonenumbers library rejects."""
    while True:
        digits = rng.choice(MOBILE_PREFIXES) + "".join(str(rng.randint(0, 9)) for _ in range(8))
        if digits.startswith("07700900"):
            continue
        try:
            normalise_number(digits)
        except ValidationError:
            continue
        return digits


def _plan_intelligence(rng: random.Random, lines: list[PlannedLine]) -> None:
    for grading, line in zip(INTELLIGENCE, rng.sample(lines, len(INTELLIGENCE)), strict=True):
        source, assessment, handling, conditions, text = grading
        days_in_use = ((line.last_day_of_use or line.year.as_at) - line.first_identified).days
        day = line.first_identified + datetime.timedelta(days=rng.randint(0, max(0, days_in_use)))
        recorded_at = datetime.datetime.combine(
            day, datetime.time(rng.randint(8, 18), rng.choice([0, 15, 30, 45]))
        )
        line.intelligence.append(
            PlannedIntelligence(
                source_evaluation=source,
                assessment=assessment,
                handling_code=handling,
                handling_conditions=conditions,
                text=text.format(
                    name=line.name,
                    area=line.command_areas[0],
                    city=ORIGIN_CITIES[line.origin_force],
                ),
                recorded_at=timezone.make_aware(recorded_at),
            )
        )


def _check_plan(plan: DemoPlan) -> None:
    """The plan reproduces the panel's figures (interfaces.md §3); a programming error if not."""
    for year in DEMO_YEARS:
        identified = [line for line in plan.lines if line.year is year]
        active = [
            line for line in identified if line.closed_on is None or line.closed_on > year.as_at
        ]
        used = {
            attribution.number
            for line in identified
            for attribution in line.attributions
            if attribution.attributed_from <= year.as_at
        }
        if len(identified) != year.identified or len(active) != year.still_active:
            raise AssertionError(f"The demo lines of {year.year} do not match the panel report.")
        if year.numbers_used is not None and len(used) != year.numbers_used:
            raise AssertionError(f"The demo lines of {year.year} use {len(used)} numbers.")


def _iter_new_lines(plan: DemoPlan) -> Iterator[PlannedLine]:
    existing = set(
        Line.objects.filter(reference__in=[line.reference for line in plan.lines]).values_list(
            "reference", flat=True
        )
    )
    for line in plan.lines:
        if line.reference not in existing:
            yield line


@transaction.atomic
def seed_demo_lines(*, user) -> int:
    """Creates the demo lines that do not exist yet, with their numbers and intelligence,
    recorded (and audited) as `user`; returns how many lines it created.

    Lines are matched on their reference: a line already there is left as it is.
    """
    plan = demo_lines_plan()
    forces = {force.name: force for force in Force.objects.all()}
    areas = {area.name: area for area in CommandArea.objects.all()}
    created = 0
    for planned in _iter_new_lines(plan):
        line = line_create(
            user=user,
            reference=planned.reference,
            name=planned.name,
            origin_force=forces[planned.origin_force],
            command_areas=[areas[name] for name in planned.command_areas],
            first_identified=planned.first_identified,
            closed_on=planned.closed_on,
            closure_type=planned.closure_type,
            risk_level=planned.risk_level,
            summary=planned.summary,
            next_review_on=planned.next_review_on,
        )
        for attribution in planned.attributions:
            line_number_attribute(
                user=user,
                line=line,
                number=plan.numbers[attribution.number],
                attributed_from=attribution.attributed_from,
                attributed_to=attribution.attributed_to,
            )
        for intelligence in planned.intelligence:
            entry = intelligence_entry_add(
                user=user,
                line=line,
                text=intelligence.text,
                source_evaluation=intelligence.source_evaluation,
                assessment=intelligence.assessment,
                handling_code=intelligence.handling_code,
                handling_conditions=intelligence.handling_conditions,
            )
            # Recorded while the line was being worked, not on the day of seeding.
            type(entry).objects.filter(pk=entry.pk).update(recorded_at=intelligence.recorded_at)
        created += 1
    return created
