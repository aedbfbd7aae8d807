"""The line page: summary, numbers, intelligence, related lines and timeline; viewing it
is a consultation, so it is audited."""

import datetime

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from lines.models import ClosureType, HandlingCode
from lines.services import line_update
from tests.operations.factories import ArrestFactory, ChargeFactory, SeizureFactory, SentenceFactory
from tests.persons.factories import PersonFactory
from tests.safeguarding.factories import ReferralFactory

from .factories import IntelligenceEntryFactory, LineFactory, LineNumberFactory, force
from .test_timeline import role_on


def detail(client, line):
    response = client.get(reverse("lines:line_detail", args=[line.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_shows_the_summary(intel_client, line):
    html = detail(intel_client, line)
    assert "CL-2024-001" in html and "Dolla" in html
    assert "Merseyside Police" in html
    assert "York" in html
    assert "15 January 2024" in html
    assert "govuk-tag--green" in html


def test_shows_numbers_with_their_periods(intel_client, line, attribution):
    LineNumberFactory(
        line=line,
        number__e164="+447958123456",
        attributed_from=datetime.date(2024, 1, 16),
        attributed_to=datetime.date(2024, 2, 29),
    )
    html = detail(intel_client, line)
    assert "07712 345678" in html
    assert "20 Jan 2024" in html and "In use" in html
    assert "07958 123456" in html
    assert "16 Jan 2024" in html and "29 Feb 2024" in html


def test_shows_intelligence_with_its_grading(intel_client, intel, line):
    IntelligenceEntryFactory(
        line=line,
        text="Holder uses a flat on Walmgate.",
        source_evaluation="1",
        assessment="B",
        handling_code=HandlingCode.CONDITIONS,
        handling_conditions="Not to be shared outside the partnership.",
        recorded_by=intel,
    )
    html = detail(intel_client, line)
    assert 'data-testid="intelligence-entry"' in html
    assert "1BC" in html
    assert "Holder uses a flat on Walmgate." in html
    assert "Not to be shared outside the partnership." in html
    assert "1 – reliable" in html
    assert "B – known indirectly but corroborated" in html


def test_shows_the_timeline(intel_client, intel, line, attribution):
    attribution.attributed_to = datetime.date(2024, 2, 10)
    attribution.save()
    IntelligenceEntryFactory(line=line, recorded_by=intel)
    line.closed_on = datetime.date(2024, 3, 1)
    line.closure_type = ClosureType.TYPE_2
    line.save()
    html = detail(intel_client, line)
    assert 'class="moj-timeline"' in html
    for kind in ("identified", "number_attributed", "number_ended", "intelligence_added", "closed"):
        assert f'data-event="{kind}"' in html
    # Newest first: closed before identified.
    assert html.index('data-event="closed"') < html.index('data-event="identified"')
    assert "Type 2: number deactivated" in html


def test_shows_related_lines_with_the_dates(intel_client, line, attribution):
    """A line closed in January whose number this line took over: the succession shows."""
    old = LineFactory(
        reference="CL-2023-009",
        name="Snow",
        origin_force=force("Merseyside Police"),
        first_identified=datetime.date(2023, 5, 1),
        closed_on=datetime.date(2024, 1, 10),
        closure_type=ClosureType.TYPE_1,
    )
    LineNumberFactory(
        line=old,
        number=attribution.number,
        attributed_from=datetime.date(2023, 5, 1),
        attributed_to=datetime.date(2024, 1, 9),
    )
    html = detail(intel_client, line)
    assert 'data-testid="related-lines"' in html
    assert reverse("lines:line_detail", args=[old.pk]) in html
    assert "CL-2023-009 had the number first; this line took it over" in html
    assert "1 May 2023 to 9 Jan 2024" in html
    assert "20 Jan 2024 onwards" in html
    # ...and from the old line's side.
    old_html = detail(intel_client, old)
    assert "CL-2024-001 took the number over from this line" in old_html


def test_no_related_lines(intel_client, line, attribution):
    assert "No other line is recorded as using this line's numbers." in detail(intel_client, line)


def test_viewing_a_line_is_audited(manager_client, manager, line):
    detail(manager_client, line)
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW)
    assert event.user == manager
    assert event.object_type == "lines.line"
    assert event.object_id == str(line.pk)
    assert event.object_label == "CL-2024-001 Dolla"


def test_intelligence_officers_are_offered_the_actions(intel_client, line, attribution):
    html = detail(intel_client, line)
    for name in ("line_number_attribute", "intelligence_entry_add", "line_update", "line_close"):
        assert reverse(f"lines:{name}", args=[line.pk]) in html
    assert reverse("lines:line_number_end", args=[line.pk, attribution.pk]) in html


def test_the_detail_page_costs_the_same_queries_whatever_it_holds(
    intel_client, intel, line, django_assert_max_num_queries
):
    for n in range(10):
        other = LineFactory()
        use = LineNumberFactory(line=line, attributed_from=datetime.date(2024, 2, n + 1))
        LineNumberFactory(line=other, number=use.number, attributed_from=datetime.date(2023, 1, 1))
        IntelligenceEntryFactory(line=line, recorded_by=intel)
    with django_assert_max_num_queries(20):
        detail(intel_client, line)


def test_every_change_of_a_line_is_on_its_timeline_with_who_made_it(intel_client, intel, line):
    line_update(line=line, user=intel, risk_level="high")
    line_update(line=line, user=intel, risk_level="very_high", name="Dolla 2")

    page = intel_client.get(reverse("lines:line_detail", args=[line.pk])).content.decode()

    assert "Risk set to High" in page
    assert "Details changed" in page
    assert "Brand name changed from Dolla to Dolla 2; Risk raised from High to Very high." in page
    assert "by Ingrid Telford" in page


def test_managers_are_offered_who_viewed_or_changed_the_line(manager_client, intel_client, line):
    url = reverse("lines:line_detail", args=[line.pk])

    manager = manager_client.get(url).content.decode()

    assert (
        f'href="/audit/?object_type=lines.line&amp;object_id={line.pk}" data-testid="record-audit"'
        in manager
    )
    assert 'data-testid="record-audit"' not in intel_client.get(url).content.decode()


def test_the_line_page_reads_as_many_queries_with_many_records_as_with_one_of_each(
    intel_client, intel, line
):
    """The tabs and the timeline read each kind of record once, whatever their number."""

    def add_one_of_each(n):
        person = PersonFactory()
        LineNumberFactory(line=line, attributed_from=datetime.date(2024, 2, n + 1))
        IntelligenceEntryFactory(line=line, recorded_by=intel)
        role_on(line, person, started_on=datetime.date(2024, 2, n + 1))
        ArrestFactory(line=line, person=person)
        ChargeFactory(line=line, person=person)
        SentenceFactory(line=line, person=person)
        SeizureFactory(line=line)
        ReferralFactory().suspected_lines.add(line)
        line_update(line=line, user=intel, summary=f"Summary {n}")

    def queries() -> int:
        # Each view computes the Call data tab's candidates afresh (the numbers added would
        # miss its cache anyway): like is compared with like.
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            detail(intel_client, line)
        return len(captured)

    add_one_of_each(0)
    detail(intel_client, line)  # the session settles
    with_one = queries()
    for n in range(1, 8):
        add_one_of_each(n)

    assert queries() == with_one
