"""The demo lines of `seed_demo` reproduce the January 2022 panel report's figures,
computed here with plain queries that follow interfaces.md §3 to the letter."""

import datetime
import itertools
from collections import Counter

from django.core.management import call_command
from django.db.models import Count

from accounts.models import User
from lines.demo import demo_lines_plan
from lines.models import (
    HandlingCode,
    IntelligenceEntry,
    Line,
    LineNumber,
    PhoneNumber,
)
from lines.phone import normalise_number


def identified(start: datetime.date, end: datetime.date):
    return Line.objects.filter(first_identified__range=(start, end))


def numbers_used(lines, as_at: datetime.date) -> int:
    return (
        LineNumber.objects.filter(line__in=lines, attributed_from__lte=as_at)
        .values("number__e164")
        .distinct()
        .count()
    )


def test_2020_figures(demo_data):
    lines = identified(datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))
    as_at = datetime.date(2020, 12, 31)

    assert lines.count() == 36
    assert lines.active_on(as_at).count() == 3
    assert numbers_used(lines, as_at) == 94


def test_2021_figures(demo_data):
    lines = identified(datetime.date(2021, 1, 1), datetime.date(2021, 12, 31))

    assert lines.count() == 26
    assert lines.active_on(datetime.date(2022, 1, 15)).count() == 10


def test_most_lines_come_from_the_reported_forces_into_the_reported_areas(demo_data):
    total = Line.objects.count()
    main_areas = Line.objects.filter(
        command_areas__name__in=["Harrogate", "York", "Scarborough"]
    ).distinct()
    main_forces = Line.objects.filter(
        origin_force__name__in=[
            "Merseyside Police",
            "Greater Manchester Police",
            "West Yorkshire Police",
            "South Yorkshire Police",
            "Metropolitan Police Service",
        ]
    )

    assert total == 62
    assert main_areas.count() > 0.75 * total
    assert main_forces.count() > 0.85 * total
    assert main_forces.count() < total  # "a couple from others"
    assert Line.objects.annotate(areas=Count("command_areas")).filter(areas=2).exists()


def test_lines_are_realistic(demo_data):
    for line in Line.objects.prefetch_related("attributions"):
        assert line.name and line.summary and line.risk_level and line.next_review_on
        assert line.reference.startswith(f"NYP-CL-{line.first_identified.year}-")
        assert (line.closed_on is None) == (line.closure_type == "")
        periods = sorted(
            (a.attributed_from, a.attributed_to or datetime.date.max)
            for a in line.attributions.all()
        )
        assert periods, line
        assert periods[0][0] == line.first_identified
        # One number at a time: each ends the day before the next starts.
        for (_, end), (next_start, _) in itertools.pairwise(periods):
            assert end == next_start - datetime.timedelta(days=1)
        if line.closed_on:
            assert periods[-1][1] == line.closed_on - datetime.timedelta(days=1)
        else:
            assert periods[-1][1] == datetime.date.max
    closures = Counter(Line.objects.exclude(closure_type="").values_list("closure_type", flat=True))
    assert closures["type_1"] + closures["type_2"] > 3 * closures["other"] > 0
    line_numbers = PhoneNumber.objects.filter(attributions__isnull=False).distinct()
    assert LineNumber.objects.count() > line_numbers.count()


def test_every_number_is_a_fictitious_uk_mobile_from_ofcoms_drama_range(demo_data):
    for e164 in PhoneNumber.objects.values_list("e164", flat=True):
        assert normalise_number(e164) == e164
        assert e164.startswith("+447700900") and len(e164) == 13


def test_numbers_pass_from_a_closed_line_to_the_line_that_replaced_it(demo_data):
    shared = PhoneNumber.objects.annotate(lines=Count("attributions__line", distinct=True)).filter(
        lines__gte=2
    )
    assert shared.exists()
    for number in shared:
        earlier, later = sorted(
            number.attributions.select_related("line"), key=lambda a: a.attributed_from
        )[:2]
        assert earlier.line.closed_on is not None
        assert earlier.attributed_to < later.attributed_from
        assert later.line.first_identified >= earlier.line.closed_on
    # Some lines of 2021 took over numbers of 2020 lines.
    assert (
        shared.filter(attributions__line__first_identified__year=2020)
        .filter(attributions__line__first_identified__year=2021)
        .exists()
    )


def test_graded_intelligence_recorded_by_the_intelligence_officer(demo_data):
    entries = IntelligenceEntry.objects.all()
    intel = User.objects.get(username="intel")

    assert entries.count() >= 50
    assert set(entries.values_list("recorded_by", flat=True)) == {intel.pk}
    assert {e.source_evaluation for e in entries} == {"1", "2", "3"}
    assert {e.assessment for e in entries} == {"A", "B", "C", "D", "E"}
    assert len({(e.source_evaluation, e.assessment, e.handling_code) for e in entries}) >= 10
    assert {e.handling_code for e in entries} == {"P", "C"}
    conditional = entries.filter(handling_code=HandlingCode.CONDITIONS).count()
    assert 3 <= conditional < entries.count() / 2  # a few, not most
    # Every line of the paper's year has some, and several lines more than one.
    lines_2021 = Line.objects.filter(first_identified__year=2021)
    assert not lines_2021.filter(intelligence__isnull=True).exists()
    several = lines_2021.annotate(n=Count("intelligence")).filter(n__gte=2)
    assert several.count() >= 10
    for entry in entries:
        entry.full_clean()
        assert entry.line.first_identified <= entry.recorded_at.date()
        # From an intelligence report, about what was seen by the day it was recorded.
        assert entry.source_reference.startswith(f"NYP-IR-{entry.recorded_at.year}-")
        assert entry.line.first_identified <= entry.intelligence_date
        assert entry.intelligence_date <= entry.recorded_at.date()
    assert entries.values("source_reference").distinct().count() == entries.count()
    assert all(e.handling_conditions for e in entries.filter(handling_code=HandlingCode.CONDITIONS))


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Line, LineNumber, PhoneNumber, IntelligenceEntry)
    }


def test_seeding_twice_changes_nothing(demo_data):
    before = counts()
    lines_before = list(Line.objects.values().order_by("reference"))

    call_command("seed_demo", verbosity=0)

    assert counts() == before
    assert list(Line.objects.values().order_by("reference")) == lines_before


def test_the_plan_is_the_same_every_time():
    first, second = demo_lines_plan(), demo_lines_plan()

    assert first.numbers == second.numbers
    assert [
        (line.reference, line.name, line.closed_on, [a.number for a in line.attributions])
        for line in first.lines
    ] == [
        (line.reference, line.name, line.closed_on, [a.number for a in line.attributions])
        for line in second.lines
    ]
