"""A line's timeline: one chronology of its numbers, intelligence, people, enforcement
and referrals (records.timeline merges them), each event about another record linked to
it; and the line page's enforcement tab in date order."""

import datetime

import pytest
from django.urls import reverse

from lines.selectors import line_people_and_enforcement, line_referrals, line_timeline
from persons.models import LineRole
from records.timeline import TimelineEvent, newest_first
from tests.operations.factories import (
    ArrestFactory,
    ChargeFactory,
    SeizureFactory,
    SentenceFactory,
)
from tests.persons.factories import PersonFactory
from tests.safeguarding.factories import ReferralFactory

from .factories import IntelligenceEntryFactory, LineFactory, LineNumberFactory

day = datetime.date


def role_on(line, person, *, started_on, ended_on=None, role="runner"):
    return LineRole.objects.create(
        person=person,
        line=line,
        role=role,
        started_on=started_on,
        ended_on=ended_on,
        source_evaluation="1",
        assessment="A",
        handling_code="P",
    )


@pytest.fixture
def busy_line(intel):
    line = LineFactory(first_identified=day(2021, 1, 4))
    LineNumberFactory(line=line, attributed_from=day(2021, 1, 10), attributed_to=day(2021, 9, 1))
    IntelligenceEntryFactory(
        line=line,
        recorded_by=intel,
        recorded_at=datetime.datetime(2021, 2, 1, 9, tzinfo=datetime.UTC),
    )
    runner = PersonFactory(surname="Smith", forenames="Jo")
    role_on(line, runner, started_on=day(2021, 1, 20), ended_on=day(2021, 10, 5))
    ArrestFactory(line=line, person=runner, arrested_on=day(2021, 10, 5))
    ChargeFactory(line=line, person=runner, charged_on=day(2021, 10, 6))
    SentenceFactory(line=line, person=runner, sentenced_on=day(2022, 3, 1), custody_months=1)
    SeizureFactory(line=line, seized_on=day(2021, 10, 5))
    referral = ReferralFactory(referred_on=day(2021, 3, 3), closed_on=day(2021, 11, 30))
    referral.suspected_lines.add(line)
    return line


def test_one_chronology_of_everything_recorded_on_the_line(intel, busy_line):
    events = line_timeline(line=busy_line, user=intel)

    assert [(event.kind, event.on) for event in events] == [
        ("sentenced", day(2022, 3, 1)),
        ("referral_closed", day(2021, 11, 30)),
        ("charged", day(2021, 10, 6)),
        # On one day, newest first: the role the arrest ended, what was seized, the arrest.
        ("person_off_line", day(2021, 10, 5)),
        ("seized", day(2021, 10, 5)),
        ("arrested", day(2021, 10, 5)),
        ("number_ended", day(2021, 9, 1)),
        ("referral", day(2021, 3, 3)),
        ("intelligence_added", day(2021, 2, 1)),
        ("person_on_line", day(2021, 1, 20)),
        ("number_attributed", day(2021, 1, 10)),
        ("identified", day(2021, 1, 4)),
    ]
    by_kind = {event.kind: event for event in events}
    runner = busy_line.person_roles.get().person
    assert by_kind["person_on_line"].title == "SMITH, Jo: runner"
    assert by_kind["person_on_line"].url == runner.get_absolute_url()
    assert by_kind["arrested"].title == "SMITH, Jo arrested"
    assert by_kind["sentenced"].description.startswith("1 month in custody")
    assert by_kind["seized"].description.startswith("£1,500.00 and 28 g of cocaine")
    referral = busy_line.referrals.get()
    assert by_kind["referral"].title == f"Cuckooing referral {referral.reference}"
    assert by_kind["referral"].url == referral.get_absolute_url()
    # Events of the line itself are not links.
    assert by_kind["identified"].url == by_kind["number_attributed"].url == ""


def test_the_timeline_has_only_the_referrals_the_user_may_see(intel, administrator, busy_line):
    assert len(line_referrals(line=busy_line, user=intel)) == 1
    assert line_referrals(line=busy_line, user=administrator) == []
    kinds = {event.kind for event in line_timeline(line=busy_line, user=administrator)}
    assert "referral" not in kinds and "arrested" in kinds


def test_newest_first_merges_events_of_every_kind_ranking_same_day_ones():
    on = day(2024, 5, 1)
    at = datetime.datetime(2024, 5, 1, 9, tzinfo=datetime.UTC)
    numbers = [
        TimelineEvent(kind="number", on=on, title="n"),
        TimelineEvent("number", day(2024, 1, 1), "old"),
    ]
    people = [TimelineEvent(kind="person", on=on, title="p")]
    notes = [
        TimelineEvent(kind="note", on=on, at=at, title="morning"),
        TimelineEvent(kind="note", on=on, at=at.replace(hour=17), title="evening"),
    ]
    unranked = [TimelineEvent(kind="unranked", on=on, title="u")]

    merged = newest_first(
        [*numbers, *people, *notes, *unranked], {"number": 1, "person": 2, "note": 3}
    )

    assert [event.title for event in merged] == ["evening", "morning", "p", "n", "u", "old"]


def test_the_enforcement_tab_is_in_date_order_with_the_people_linked(intel_client, busy_line):
    html = intel_client.get(reverse("lines:line_detail", args=[busy_line.pk])).content.decode()
    tab = html[html.index('data-testid="line-enforcement"') :]
    tab = tab[: tab.index("</table>")]

    kinds = [part.split('"', 1)[0] for part in tab.split('data-kind="')[1:]]
    assert kinds == ["sentence", "charge", "seizure", "arrest"]
    runner = busy_line.person_roles.get().person
    assert tab.count(f'href="{runner.get_absolute_url()}">SMITH, Jo</a>') == 3


def test_enforcement_in_date_order_puts_a_charge_above_the_arrest_of_the_same_day(busy_line):
    person = PersonFactory()
    ArrestFactory(line=busy_line, person=person, arrested_on=day(2023, 1, 1))
    ChargeFactory(line=busy_line, person=person, charged_on=day(2023, 1, 1))

    rows = line_people_and_enforcement(line=busy_line).enforcement.in_date_order()

    assert [(row.kind, row.on) for row in rows[:2]] == [
        ("charge", day(2023, 1, 1)),
        ("arrest", day(2023, 1, 1)),
    ]
