"""The selectors: scoping by role, related lines and their relation, the timeline."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from audit.models import AuditEvent
from lines.models import ClosureType
from lines.selectors import (
    Relation,
    get_line_for_user,
    line_list,
    line_timeline,
    number_lookup,
    related_lines,
    visible_lines,
)

from .factories import IntelligenceEntryFactory, LineFactory, LineNumberFactory


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("intel", True),
        ("manager", True),
        ("partner", False),
        ("partner2", False),
        ("administrator", False),
    ],
)
def test_only_police_roles_see_lines(request, role, sees, line, attribution):
    user = request.getfixturevalue(role)
    assert visible_lines(user=user).exists() is sees
    assert list(line_list(user=user, filters={}).qs) == ([line] if sees else [])
    assert bool(number_lookup(user=user, text="07712 345678").uses) is sees


def test_get_line_for_user_is_404_outside_scope_and_audited(partner, intel, line):
    assert get_line_for_user(intel, line.pk) == line
    with pytest.raises(Http404):
        get_line_for_user(partner, line.pk)
    event = AuditEvent.objects.get(action=AuditEvent.Action.ACCESS_DENIED)
    assert event.user == partner and event.object_id == str(line.pk)
    assert event.detail == {"reason": "outside the user's scope"}
    with pytest.raises(Http404):
        get_line_for_user(intel, "not-a-number")


def test_get_line_for_user_to_change_is_403_for_who_may_only_see_it(manager, intel, line):
    assert get_line_for_user(intel, line.pk, to_change=True) == line
    assert get_line_for_user(manager, line.pk) == line

    with pytest.raises(PermissionDenied):
        get_line_for_user(manager, line.pk, to_change=True)

    event = AuditEvent.objects.get(action=AuditEvent.Action.ACCESS_DENIED)
    assert (event.username, event.object_id) == ("manager", str(line.pk))
    assert event.detail == {"reason": "the user may see but not change it"}


def test_related_lines_and_how_they_relate(db):
    day = datetime.date
    this = LineFactory(reference="THIS", first_identified=day(2024, 3, 1))
    before = LineFactory(
        reference="BEFORE",
        first_identified=day(2023, 1, 1),
        closed_on=day(2024, 2, 20),
        closure_type=ClosureType.TYPE_2,
    )
    after = LineFactory(reference="AFTER", first_identified=day(2024, 6, 1))
    alongside = LineFactory(reference="ALONGSIDE", first_identified=day(2024, 1, 1))
    unrelated = LineFactory(reference="UNRELATED")

    a = LineNumberFactory(
        line=this, attributed_from=day(2024, 3, 1), attributed_to=day(2024, 5, 31)
    )
    LineNumberFactory(
        line=before,
        number=a.number,
        attributed_from=day(2023, 1, 1),
        attributed_to=day(2024, 2, 20),
    )
    LineNumberFactory(line=after, number=a.number, attributed_from=day(2024, 6, 1))
    b = LineNumberFactory(line=this, attributed_from=day(2024, 3, 1))
    LineNumberFactory(line=alongside, number=b.number, attributed_from=day(2024, 1, 1))
    LineNumberFactory(line=unrelated)

    related = related_lines(line=this)
    assert [r.line.reference for r in related] == ["BEFORE", "ALONGSIDE", "AFTER"]
    assert [s.relation for r in related for s in r.shared] == [
        Relation.EARLIER,
        Relation.SAME_TIME,
        Relation.LATER,
    ]
    shared = related[0].shared[0]
    assert shared.number == a.number
    assert shared.this_use == a
    assert shared.other_use.attributed_to == day(2024, 2, 20)
    assert shared.description == "BEFORE had the number first; this line took it over"
    assert related_lines(line=unrelated) == []


def test_timeline_is_built_from_the_records_newest_first(intel):
    day = datetime.date
    line = LineFactory(
        first_identified=day(2024, 1, 1), closed_on=day(2024, 6, 1), closure_type=ClosureType.TYPE_1
    )
    use = LineNumberFactory(
        line=line, attributed_from=day(2024, 1, 5), attributed_to=day(2024, 5, 1)
    )
    IntelligenceEntryFactory(
        line=line,
        recorded_by=intel,
        recorded_at=datetime.datetime(2024, 3, 1, 10, 30, tzinfo=datetime.UTC),
    )
    events = line_timeline(line=line, user=intel)
    assert [(event.kind, event.on) for event in events] == [
        ("closed", day(2024, 6, 1)),
        ("number_ended", day(2024, 5, 1)),
        ("intelligence_added", day(2024, 3, 1)),
        ("number_attributed", day(2024, 1, 5)),
        ("identified", day(2024, 1, 1)),
    ]
    assert use.number.national in events[1].description
    assert events[2].byline == str(intel)
    assert events[2].title == "Intelligence added, graded 2BP"
    assert events[0].description == "Type 1: line holder charged."


def test_number_lookup_of_text_that_is_not_a_number(intel):
    lookup = number_lookup(user=intel, text="hello")
    assert not lookup.is_valid and not lookup.is_known
    assert "is not a phone number" in lookup.error


def test_same_day_events_follow_the_life_of_the_line(intel):
    day = datetime.date(2024, 1, 1)
    line = LineFactory(first_identified=day, closed_on=day, closure_type=ClosureType.OTHER)
    LineNumberFactory(line=line, attributed_from=day, attributed_to=day)
    IntelligenceEntryFactory(
        line=line,
        recorded_by=intel,
        recorded_at=datetime.datetime(2024, 1, 1, 12, tzinfo=datetime.UTC),
    )
    assert [event.kind for event in line_timeline(line=line, user=intel)] == [
        "closed",
        "number_ended",
        "intelligence_added",
        "number_attributed",
        "identified",
    ]
