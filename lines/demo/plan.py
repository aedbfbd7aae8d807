"""The plan of the demo county lines: a deterministic data set that reproduces the January 2022
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
from dataclasses import dataclass, field

from django.utils import timezone

from ..models import ClosureType, RiskLevel
from ..phone import normalise_number
from .table import (
    ACTIVITIES,
    BRANDS,
    CLOSURES,
    DEMO_YEARS,
    INTELLIGENCE,
    MORE_INTELLIGENCE,
    NEIGHBOURING_AREAS,
    ORIGIN_BRANDS,
    ORIGIN_CITIES,
    REPLACEMENT,
    DemoYear,
)

SEED = 20220115
MIN_DAYS_ON_A_NUMBER = 7
# Numbers attributed after a year's `as_at` are placed up to this many days after it.
DAYS_OF_LATER_USE = 400

# Ofcom keeps 07700 900000 to 07700 900999 for drama: numbers that are nobody's.
DRAMA_RANGE = "07700900"


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
    intelligence_date: datetime.date | None = None  # when what it tells was seen or learnt
    source_reference: str = ""  # the intelligence report's URN


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
    # A generator of its own: the entries planned before stay as they were.
    _plan_more_intelligence(random.Random(SEED + 2), lines)  # noqa: S311  (a demo)
    _plan_intelligence_reports(lines)
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
        if len(seen) >= 1000:
            raise ValueError("The demo lines need more numbers than the drama range holds.")
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
    """A mobile number in national form, e.g. `07700900123`, from Ofcom's drama range,
    so that no demo number can be a real person's."""
    return DRAMA_RANGE + f"{rng.randint(0, 999):03d}"


def _plan_intelligence(rng: random.Random, lines: list[PlannedLine]) -> None:
    for grading, line in zip(INTELLIGENCE, rng.sample(lines, len(INTELLIGENCE)), strict=True):
        _add_intelligence(rng, line, grading)


def _plan_more_intelligence(rng: random.Random, lines: list[PlannedLine]) -> None:
    """One to three more entries on every line of the last year, and on one line in three
    of the years before."""
    last_year = max(line.year.year for line in lines)
    for line in lines:
        if line.year.year != last_year and rng.random() >= 1 / 3:
            continue
        for grading in rng.sample(MORE_INTELLIGENCE, rng.randint(1, 3)):
            _add_intelligence(rng, line, grading)


def _add_intelligence(
    rng: random.Random, line: PlannedLine, grading: tuple[str, str, str, str, str]
) -> None:
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


def _plan_intelligence_reports(lines: list[PlannedLine]) -> None:
    """Each entry comes from an intelligence report, numbered in the order they were
    written each year, about what was seen up to a few days before."""
    entries = sorted(
        ((entry, line) for line in lines for entry in line.intelligence),
        key=lambda pair: (pair[0].recorded_at, pair[1].reference),
    )
    numbers: dict[int, int] = {}
    for entry, line in entries:
        year = entry.recorded_at.year
        numbers[year] = numbers.get(year, 0) + 1
        entry.source_reference = f"NYP-IR-{year}-{numbers[year]:04d}"
        before = datetime.timedelta(days=numbers[year] % 4)
        entry.intelligence_date = max(line.first_identified, entry.recorded_at.date() - before)


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
