"""What each role's home page shows, scoped to what they may see, audited, and read in
as many queries for many records as for few."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from imports.models import ImportJob
from panel.models import PanelReport, StatisticsSnapshot
from panel.periods import Kind, Period, quarter_of
from panel.statistics import panel_statistics
from records import reviews
from safeguarding import services
from tests.helpers import text
from tests.lines.factories import LineFactory, command_area
from tests.operations.factories import ArrestFactory, SeizureFactory
from tests.persons.factories import PersonFactory
from tests.safeguarding.factories import ActionFactory, ReferralFactory, agency
from web.home import RECENT_IMPORTS

HOME = reverse("web:home")
FIRE = "North Yorkshire Fire and Rescue Service"
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)

SECTION = re.compile(r'<section [^>]*data-testid="(home-[a-z-]+)"')


def sections_of(html: str) -> list[str]:
    return SECTION.findall(html)


def area_rows(html: str) -> list[tuple[str, str, str]]:
    """(link, area, count) of each row of the active lines by command area."""
    return re.findall(
        r'<th scope="row" class="govuk-table__header"><a class="govuk-link" '
        r'href="([^"]+)">([^<]+)</a></th>\s*'
        r'<td class="govuk-table__cell govuk-table__cell--numeric" data-testid="area-count">'
        r"(\d+)</td>",
        html,
    )


def searches_of(response) -> dict[str, AuditEvent]:
    events = AuditEvent.objects.filter(request_id=response["X-Request-ID"], action="search")
    return {event.object_label: event for event in events}


def lines_into(*areas: str, first_identified=TODAY - 30 * DAY, closed_on=None, **fields):
    return LineFactory(
        command_areas=[command_area(name) for name in areas],
        first_identified=first_identified,
        closed_on=closed_on,
        **fields,
    )


def job(user, name: str, *, status=ImportJob.Status.DONE, **counts) -> ImportJob:
    return ImportJob.objects.create(
        kind="lines", file_name=name, uploaded_by=user, status=status, **counts
    )


def report(title: str, *, published: bool = False, status: str | None = None) -> PanelReport:
    quarter = quarter_of(TODAY).previous()
    made = PanelReport.objects.create(
        period_kind=quarter.kind,
        start=quarter.start,
        end=quarter.end,
        as_at=quarter.end,
        title=title,
        published_at=timezone.now() if published else None,
    )
    if status is not None:
        StatisticsSnapshot.objects.get_or_create(
            start=quarter.start, end=quarter.end, as_at=quarter.end, defaults={"status": status}
        )
    return made


# --- Which sections, for whom ------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sections"),
    [
        (
            "intel",
            ["home-watch-news", "home-active-lines", "home-reviews-due", "home-recent-imports"],
        ),
        (
            "manager",
            [
                "home-watch-news",
                "home-active-lines",
                "home-quarter-figures",
                "home-reports-in-preparation",
            ],
        ),
        ("administrator", ["home-reports-in-preparation"]),
    ],
)
def test_each_role_starts_the_day_with_its_own_sections(db, request, role, sections):
    client = request.getfixturevalue(f"{role}_client")

    assert sections_of(text(client.get(HOME))) == sections


@pytest.mark.parametrize("role", ["partner", "partner2"])
def test_a_partner_never_sees_police_figures(db, request, role):
    lines_into("York", reference="CL-SEEN-BY-POLICE")
    ArrestFactory(arrested_on=TODAY)
    report("Quarterly paper")
    client = request.getfixturevalue(f"{role}_client")

    response = client.get(HOME, follow=True)
    html = text(response)

    assert response.redirect_chain == [(reverse("safeguarding:home"), 302)]
    assert sections_of(html) == []
    for police_only in ("CL-SEEN-BY-POLICE", "Active lines", "Arrests", "Quarterly paper"):
        assert police_only not in html


SAFEGUARDING = reverse("safeguarding:home")


def test_a_partners_home_counts_in_its_headings_and_says_when_there_is_nothing(partner_client):
    ReferralFactory(reference="BG/OURS/1")
    ReferralFactory(reference="BG/OURS/2", closed_on=TODAY)
    ReferralFactory(reference="BG/FIRE/1", referring_agency=agency(FIRE))  # not shared

    html = text(partner_client.get(HOME, follow=True))

    assert "Open referrals (1)</h2>" in html
    assert "BG/OURS/1" in html and "BG/OURS/2" not in html and "BG/FIRE/1" not in html
    assert "Actions due for City of York Council (0)</h2>" in html
    assert "No action is overdue or due in the next two weeks." in html
    assert "Sharing waiting for the police to confirm (0)</h2>" in html
    assert "No proposal to share is waiting." in html


def test_a_partner_with_no_open_referral_is_told_so(partner_client):
    ReferralFactory(referring_agency=agency(FIRE))

    html = text(partner_client.get(HOME, follow=True))

    assert "Open referrals (0)</h2>" in html and "No referral is open." in html


def test_a_partners_home_costs_the_same_queries_for_many_referrals(partner, partner_client):
    ActionFactory(referral=ReferralFactory(), due_on=TODAY)
    with CaptureQueriesContext(connection) as few:
        partner_client.get(SAFEGUARDING)
    for _ in range(6):
        referral = ReferralFactory()
        ActionFactory(referral=referral, due_on=TODAY - DAY)
        services.share_add(referral=referral, user=partner, agency=agency(FIRE))

    with CaptureQueriesContext(connection) as many:
        html = text(partner_client.get(SAFEGUARDING))

    assert "Open referrals (7)" in html and "Actions due for City of York Council (7)" in html
    assert len(many) == len(few)


# --- Intelligence officer ----------------------------------------------------------------


def test_the_officer_sees_the_active_lines_counted_by_command_area(intel_client):
    lines_into("York")
    lines_into("York")
    lines_into("York", "Selby")
    lines_into("York", closed_on=TODAY - DAY)  # closed: not counted
    lines_into("Selby", closed_on=TODAY)  # closed today (exclusive): not active
    lines_into("Craven", first_identified=TODAY + DAY)  # not yet active
    lines_into("Scarborough", closed_on=TODAY + DAY)  # closing tomorrow: active today

    html = text(intel_client.get(HOME))

    york, selby, scarborough = (command_area(n).pk for n in ("York", "Selby", "Scarborough"))
    list_url = reverse("lines:line_list")
    assert area_rows(html) == [
        (f"{list_url}?status=active&amp;command_areas={york}", "York", "3"),
        (f"{list_url}?status=active&amp;command_areas={scarborough}", "Scarborough", "1"),
        (f"{list_url}?status=active&amp;command_areas={selby}", "Selby", "1"),
    ]
    assert "Active lines by command area (4)</h2>" in html  # York+Selby counts once


def test_an_area_link_lists_the_lines_it_counted(intel_client):
    counted = {lines_into("York").reference, lines_into("York", "Selby").reference}
    lines_into("York", closed_on=TODAY - DAY)
    lines_into("Selby")
    rows = area_rows(text(intel_client.get(HOME)))
    [(link, _area, count)] = [row for row in rows if row[1] == "York"]

    listed = intel_client.get(link.replace("&amp;", "&")).context["list"].page

    assert {line.reference for line in listed} == counted
    assert int(count) == len(counted)


def test_no_active_line_is_said_in_words(intel_client):
    html = text(intel_client.get(HOME))

    assert "No line is active today." in html
    assert "Active lines by command area (0)" in html


def test_the_officer_sees_the_last_imports_they_may_see_with_their_results(intel, intel_client):
    job(intel, "old.csv")
    for number in range(RECENT_IMPORTS - 2):
        job(intel, f"lines-{number}.csv", created_count=3, updated_count=1, unchanged_count=2)
    refused = job(intel, "refused.csv", status=ImportJob.Status.INVALID, error_count=4)
    running = job(intel, "running.csv", status=ImportJob.Status.IMPORTING)

    html = text(intel_client.get(HOME))

    shown = re.findall(r'href="/imports/(\d+)/">([^<]+)</a>', html)
    assert [name for _pk, name in shown] == [
        "running.csv",
        "refused.csv",
        *[f"lines-{n}.csv" for n in reversed(range(RECENT_IMPORTS - 2))],
    ]
    assert f'href="{reverse("imports:job_detail", args=[refused.pk])}"' in html
    assert "4 problems" in html
    assert "3 lines created, 1 updated, 2 unchanged" in html
    assert "Importing" in html and running.file_name in html
    assert "old.csv" not in html  # beyond the last few


def test_an_officer_with_no_import_is_told_so(intel_client):
    assert "No file has been imported yet." in text(intel_client.get(HOME))


def test_the_officers_home_is_audited_with_what_it_lists(intel, intel_client):
    lines_into("York")
    lines_into("York", "Selby")
    imported = job(intel, "lines.csv")

    events = searches_of(intel_client.get(HOME))

    by_area = events["Home: active lines by command area"]
    assert by_area.object_type == "lines.line"
    assert by_area.detail == {"active_by_command_area": {"York": 2, "Selby": 1}}
    imports = events["Home: recent imports"]
    assert (imports.object_type, imports.detail) == ("imports.importjob", {"jobs": [imported.pk]})


# --- Manager -----------------------------------------------------------------------------


def headline_rows(html: str) -> dict[str, tuple[str, str]]:
    rows = re.findall(
        r'<tr class="govuk-table__row" data-testid="headline">\s*'
        r'<th scope="row" class="govuk-table__header">([^<]+)</th>\s*'
        r"<td [^>]*>([^<]*)</td>\s*<td [^>]*>([^<]*)</td>",
        html,
    )
    return {label: (current, previous) for label, current, previous in rows}


def test_the_manager_sees_this_quarter_beside_the_last_as_the_panel_counts_them(manager_client):
    quarter = quarter_of(TODAY)
    last = quarter.previous()
    lines_into("York", first_identified=quarter.start)
    lines_into("York", first_identified=last.start, closed_on=quarter.start)
    lines_into("Selby", first_identified=last.end)
    ArrestFactory(arrested_on=quarter.start)
    ArrestFactory(arrested_on=last.start)
    ArrestFactory(arrested_on=last.end)
    ArrestFactory(arrested_on=last.start - DAY)  # the quarter before: in neither
    SeizureFactory(seized_on=quarter.start, cash_gbp=Decimal("12345.50"))
    ReferralFactory(referred_on=last.end)

    rows = headline_rows(text(manager_client.get(HOME)))

    now = panel_statistics(start=quarter.start, end=TODAY)
    before = panel_statistics(start=last.start, end=last.end)
    assert rows["Lines identified"] == ("1", "2")
    assert rows["Lines closed"] == ("1", "0")
    assert (
        rows["Arrests"]
        == ("1", "2")
        == (
            str(now["enforcement"]["arrests"]),
            str(before["enforcement"]["arrests"]),
        )
    )
    assert rows["Cash seized"] == ("£12,345.50", "£0.00")
    assert rows["Cuckooing referrals"] == ("0", "1")
    assert rows["Lines active at the end"] == (
        str(now["lines"]["active_at_end"]),
        str(before["lines"]["active_at_end"]),
    )


def test_the_quarters_are_named_by_their_dates(manager_client):
    html = text(manager_client.get(HOME))

    assert Period(Kind.CUSTOM, quarter_of(TODAY).start, TODAY).name in html
    assert quarter_of(TODAY).previous().name in html


def test_the_manager_sees_the_reports_in_preparation_and_their_state(manager_client):
    ready = report("Ready paper", status=StatisticsSnapshot.Status.READY)
    waiting = PanelReport.objects.create(
        period_kind=Kind.MONTH,
        start=TODAY.replace(day=1),
        end=TODAY,
        as_at=TODAY,
        title="Waiting paper",
    )
    report("Published paper", published=True)

    response = manager_client.get(HOME)
    html = text(response)

    assert "Reports in preparation (2)" in html
    assert "Published paper" not in html
    rows = re.findall(
        r'<tr class="govuk-table__row" data-testid="home-report">.*?href="([^"]+)".*?'
        r'<strong class="govuk-tag[^"]*">([^<]+)</strong>',
        html,
        flags=re.DOTALL,
    )
    assert rows == [
        (waiting.get_absolute_url(), "Figures not computed yet"),
        (ready.get_absolute_url(), "Draft: figures ready"),
    ]
    event = searches_of(response)["Home: reports in preparation"]
    assert event.detail == {"reports": [waiting.pk, ready.pk]}


def test_no_report_in_preparation_is_said_in_words(manager_client):
    report("Published paper", published=True)

    assert "No report is in preparation." in text(manager_client.get(HOME))


# --- Queries: as many for many records as for few ----------------------------------------


def queries_of(client) -> int:
    cache.clear()  # the quarter's figures counted afresh
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    return len(queries)


def test_the_officers_home_costs_the_same_queries_for_many_records(intel, intel_client):
    lines_into("York")
    job(intel, "one.csv")
    few = queries_of(intel_client)

    for area in ("York", "Selby", "Craven", "Ryedale", "Harrogate"):
        for _ in range(4):
            lines_into(area, "Scarborough")
    for number in range(RECENT_IMPORTS * 2):
        job(intel, f"{number}.csv", status=ImportJob.Status.INVALID, error_count=number)
    for days in range(8):  # reviews due of every kind, more of each than the home lists
        lines_into("Craven", next_review_on=TODAY - days * DAY)
        PersonFactory(next_review_on=TODAY + days * DAY)
        ReferralFactory(next_review_on=TODAY - days * DAY)

    assert queries_of(intel_client) == few


def test_the_officers_home_writes_its_audit_events_in_one_statement(intel, intel_client):
    lines_into("York", next_review_on=TODAY)
    job(intel, "one.csv")
    with CaptureQueriesContext(connection) as queries:
        response = intel_client.get(HOME)

    writes = [  # an INSERT (of many rows, on SQLite), or on PostgreSQL a COPY
        query
        for query in queries
        if re.search(r'^(\d+ times: )?(INSERT INTO|COPY) "audit_auditevent"', query["sql"])
    ]
    assert len(writes) == 1
    assert set(searches_of(response)) == {
        "Home: news on what you watch",
        "Home: active lines by command area",
        "Home: reviews due",
        "Home: recent imports",
    }


def test_the_managers_home_costs_the_same_queries_for_many_records(manager_client):
    report("One", status=StatisticsSnapshot.Status.READY)
    ArrestFactory(arrested_on=TODAY)
    few = queries_of(manager_client)

    for number in range(8):
        report(f"Paper {number}")
        ArrestFactory(arrested_on=TODAY)
        lines_into("York", "Selby")

    assert queries_of(manager_client) == few


def test_the_quarters_figures_are_counted_once_for_a_few_minutes(manager_client):
    ArrestFactory(arrested_on=TODAY)
    first = queries_of(manager_client)
    ArrestFactory(arrested_on=TODAY)

    with CaptureQueriesContext(connection) as queries:
        html = text(manager_client.get(HOME))

    assert len(queries) < first - 40  # two quarters of panel statistics not counted again
    assert headline_rows(html)["Arrests"][0] == "1"  # as counted, at the time it says
    assert "Counted at " in html


# --- Reviews due: counted up to a limit, the oldest of every kind -------------------------


def reviews_section(client) -> str:
    html = text(client.get(HOME))
    start = html.index('data-testid="home-reviews-due"')
    return html[start : html.index("</section>", start)]


def test_reviews_due_are_counted_up_to_a_limit_then_said_as_over_it(monkeypatch, intel_client):
    monkeypatch.setattr(reviews, "COUNTED_UP_TO", 3)
    for days in range(1, 4):
        lines_into("York", next_review_on=TODAY - days * DAY)
    PersonFactory(next_review_on=TODAY - 9 * DAY)
    ReferralFactory(next_review_on=TODAY - 9 * DAY)  # five overdue of three kinds
    PersonFactory(next_review_on=TODAY + 2 * DAY)
    PersonFactory(next_review_on=TODAY + 3 * DAY)

    response = intel_client.get(HOME)
    section = reviews_section(intel_client)

    assert "Over 3 overdue</strong>" in section
    assert "2 due in the next 30 days" in section
    # The count stops one past the limit: the audit log says as much as the page.
    assert searches_of(response)["Home: reviews due"].detail["overdue"] == 4


def test_the_oldest_reviews_due_are_the_oldest_of_every_kind_together(intel_client):
    # More lines due than the home lists, created newest first (their keys in the other
    # order), and a person due the same day as the second oldest.
    for days in range(10, 17):
        lines_into("York", reference=f"CL-{days}", next_review_on=TODAY - days * DAY)
    PersonFactory(reference="P-15", next_review_on=TODAY - 15 * DAY)  # after CL-15: by kind
    ReferralFactory(reference="BG-1", next_review_on=TODAY - DAY)

    section = reviews_section(intel_client)

    listed = re.findall(r'data-testid="home-review-due"><a [^>]*>[^<]* ([A-Z]+-\d+)</a>', section)
    assert listed == ["CL-16", "CL-15", "P-15", "CL-14", "CL-13"]


@pytest.mark.postgresql
def test_postgresql_counts_active_lines_and_reviews_due_from_indexes(intel):
    """The plans the home page's counts are meant to have, whatever the table's size:
    the active lines read from the indexes of open lines and of closed ones (not every
    line), the reviews due from the review index, stopping at the limit."""
    from lines.selectors.records import active_lines_count

    # As a force's lines are after a few years: most closed long ago.
    LineFactory.create_batch(200, first_identified=TODAY - 900 * DAY, closed_on=TODAY - 99 * DAY)
    LineFactory.create_batch(20, first_identified=TODAY - 9 * DAY)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE lines_line")
        cursor.execute("SET LOCAL enable_seqscan = off")
        with CaptureQueriesContext(connection) as queries:
            active_lines_count(user=intel, day=TODAY)
            reviews.reviews_due(user=intel)
        active, overdue = queries[0]["sql"], queries[1]["sql"]
        cursor.execute(f"EXPLAIN {active}")
        active_plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(f"EXPLAIN {overdue}")
        overdue_plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "line_open_idx" in active_plan and "line_closed_on_idx" in active_plan
    assert "Limit" in overdue_plan and "person_review_idx" in overdue_plan
