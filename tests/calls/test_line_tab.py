"""The line page's Call data tab: its successor candidates with their evidence, for
intelligence officers only, audited; the button that attributes one to the line, refused
to whoever may not change lines and to a request without its CSRF token; the page's
queries the same however many candidates there are; the candidates kept between views
read afresh once call data is imported or purged or a candidate attributed elsewhere."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from calls.contact_months import contact_months_recompute
from calls.models import CallEvent, EventKind
from calls.selectors import successor_candidates, successor_candidates_cached
from calls.services.purge import source_purge
from lines.models import LineNumber
from tests.calls.factories import CallEventFactory, SourceFactory
from tests.helpers import text
from tests.imports.utils import run_import, write_csv
from tests.lines.factories import LineFactory, LineNumberFactory, PhoneNumberFactory

OLD, NEW = "+447700900100", "+447700900200"
IMEI = "356938035643809"
CUSTOMERS = [f"+4477009003{n:02d}" for n in range(5)]
IMPORT_HEADER = "source,from_number,to_number,started_at,kind,duration_seconds,imei,imsi,cell_id"
QUIET = datetime.datetime(2026, 3, 20, 12, 0, tzinfo=datetime.UTC)


def events(number: str, customers: list[str], start: datetime.datetime, imei: str | None):
    source = SourceFactory()
    for day, customer in enumerate(customers):
        CallEventFactory(
            source=source,
            from_number=number,
            to_number=customer,
            started_at=start + datetime.timedelta(days=day),
            kind=EventKind.SMS,
            imei=imei,
        )


def recount() -> None:
    contact_months_recompute(
        first_month=datetime.date(2026, 2, 1), last_month=datetime.date(2026, 5, 1)
    )


@pytest.fixture
def line(db):
    """A line whose number texted five customers until 20 March 2026, then went quiet;
    from 25 March a new number in the same handset texts four of them."""
    line = LineFactory(reference="CL-2026-010", name="Dolla")
    LineNumberFactory(
        line=line, number=PhoneNumberFactory(e164=OLD), attributed_from=datetime.date(2026, 1, 1)
    )
    events(OLD, CUSTOMERS, QUIET - datetime.timedelta(days=4), IMEI)
    events(NEW, CUSTOMERS[:4], QUIET + datetime.timedelta(days=5), IMEI)
    recount()
    return line


def line_page(client, line) -> str:
    return text(client.get(reverse("lines:line_detail", args=[line.pk])))


def consultations() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type="calls.callevent").order_by("pk"))


def attribute(client, line, number: str):
    return client.post(reverse("calls:successor_attribute", args=[line.pk]), {"number": number})


def test_the_tab_shows_each_candidates_evidence_and_is_audited(intel, intel_client, line):
    page = line_page(intel_client, line)

    assert 'href="#call-data"' in page
    tab = page[page.index('id="call-data"') :]
    assert "07700 900200" in tab
    assert "4 of the line's 5" in tab
    assert f"Yes: IMEI {IMEI}" in tab
    assert "5 days after the line went quiet" in tab
    assert "Attributed to no other line" in tab
    (event,) = consultations()
    assert (event.user, event.detail["analysis"]) == (intel, "successor candidates")
    assert event.detail["line"] == "CL-2026-010"
    assert set(event.detail["numbers"]) == {OLD, NEW}


def test_a_manager_reads_the_line_without_the_tab_and_nothing_of_the_call_data(
    manager_client, line
):
    page = line_page(manager_client, line)

    assert "call-data" not in page and "07700 900200" not in page
    assert consultations() == []


def test_the_button_attributes_the_candidate_from_the_day_it_was_first_seen(
    intel, intel_client, line
):
    response = attribute(intel_client, line, NEW)

    assert response.status_code == 302
    assert response.url == f"{reverse('lines:line_detail', args=[line.pk])}#call-data"
    attribution = LineNumber.objects.get(line=line, number__e164=NEW)
    assert attribution.attributed_from == datetime.date(2026, 3, 25)
    assert attribution.attributed_to is None
    created = AuditEvent.objects.get(
        action=AuditEvent.Action.CREATE, object_type="lines.linenumber"
    )
    assert (created.user, created.detail["number"]) == (intel, NEW)
    # Attributed to the line, it is no longer a candidate.
    assert 'data-testid="successor-candidate"' not in line_page(intel_client, line)


def test_a_number_that_is_not_a_candidate_is_not_attributed(intel_client, line):
    response = attribute(intel_client, line, "+447700900999")

    assert response.status_code == 302
    assert not LineNumber.objects.filter(number__e164="+447700900999").exists()
    followed = text(intel_client.get(response.url))
    assert "That number is not a successor candidate of this line." in followed


def test_a_user_who_may_not_change_lines_is_refused_and_it_is_audited(
    manager, manager_client, line
):
    response = attribute(manager_client, line, NEW)

    assert response.status_code == 403
    assert not LineNumber.objects.filter(number__e164=NEW).exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS_DENIED, user=manager).exists()


def test_a_post_without_its_csrf_token_is_refused(intel, line):
    client = Client(enforce_csrf_checks=True)
    client.force_login(intel)

    response = attribute(client, line, NEW)

    assert response.status_code == 403
    assert not LineNumber.objects.filter(number__e164=NEW).exists()


def test_the_line_pages_queries_do_not_grow_with_its_candidates(intel_client, line):
    line_page(intel_client, line)  # sessions and caches warmed
    with CaptureQueriesContext(connection) as one:
        line_page(intel_client, line)
    for n in range(3):  # three more candidates, one on another line
        rival = f"+4477009004{n:02d}"
        events(rival, CUSTOMERS[n : n + 2], QUIET + datetime.timedelta(days=6 + n), None)
        if n == 0:
            LineNumberFactory(line=LineFactory(), number=PhoneNumberFactory(e164=rival))
    recount()
    line_page(intel_client, line)  # the new candidates' links held in the session once
    with CaptureQueriesContext(connection) as four:
        page = line_page(intel_client, line)

    assert page.count('data-testid="successor-candidate"') == 4
    assert len(four) == len(one)


# The tab's candidates are kept in the cache between views (calls/versions.py): each test
# below reads the page once, so that they are kept, changes what they depend on the way
# the product does, and reads it again.

RIVAL = "+447700900400"


def the_tab(client, line) -> str:
    page = line_page(client, line)
    return page[page.index('id="call-data"') :]


def test_call_data_imported_after_a_view_is_seen_on_the_next(intel_client, line, tmp_path):
    assert "07700 900400" not in the_tab(intel_client, line)
    SourceFactory(reference="CDR-LATER")
    rows = [
        f"CDR-LATER,{RIVAL},{customer},2026-03-2{day}T09:00:00Z,sms,,,,"
        for day, customer in enumerate(CUSTOMERS)
    ]
    imported = run_import("calls", write_csv(tmp_path, "calls.csv", IMPORT_HEADER, *rows))
    assert imported.status == 0, imported.stderr

    assert "07700 900400" in the_tab(intel_client, line)


def test_a_purged_source_is_gone_from_the_next_view(intel_client, line):
    assert "07700 900200" in the_tab(intel_client, line)
    source_purge(source=CallEvent.objects.filter(from_number=NEW).first().source)

    assert "07700 900200" not in the_tab(intel_client, line)


def test_a_candidate_attributed_to_another_line_says_so_on_the_next_view(intel_client, line):
    assert "Attributed to no other line" in the_tab(intel_client, line)
    LineNumberFactory(
        line=LineFactory(reference="CL-2026-011"),
        number=PhoneNumberFactory(e164=NEW),
        attributed_from=datetime.date(2026, 3, 25),
    )

    assert "Attributed to CL-2026-011" in the_tab(intel_client, line)


def test_each_view_is_audited_and_the_kept_answer_is_the_one_computed(intel, intel_client, line):
    line_page(intel_client, line)
    with CaptureQueriesContext(connection) as kept:
        line_page(intel_client, line)

    assert len(consultations()) == 2
    assert not any("calls_contactmonth" in query["sql"] for query in kept.captured_queries)
    assert successor_candidates_cached(line, limit=10) == successor_candidates(line, limit=10)
