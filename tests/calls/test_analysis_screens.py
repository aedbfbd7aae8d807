"""The analyses' pages: a number typed is never in a URL, a title or an audited path; each
analysis shown is audited with the numbers looked at; the heat map's cells and its table
hold the figures of the number's week in UK time. (Who may open them: the access table.)"""

import datetime
import re

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from calls.contact_months import contact_months_recompute
from calls.models import EventKind
from tests.calls.factories import CallEventFactory, SourceFactory
from tests.factories import UserFactory
from tests.helpers import text
from tests.lines.factories import LineFactory, LineNumberFactory, PhoneNumberFactory

ALICE, BOB, CAROL, DAVE = "+447700900001", "+447700900002", "+447700900003", "+447700900004"
DIGITS = "7700900001"  # what must never be in a URL, a title or an audited path


def utc(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=datetime.UTC)


@pytest.fixture
def world(db):
    """Alice calls and texts Bob on Monday 2 March 2026 at 09:00 and 09:30 (GMT), Bob
    texts back on Tuesday at 18:15, Alice calls Carol on Monday 6 July at 08:00 UTC (09:00
    in UK summer time); a withheld caller rings Alice on Wednesday 4 March at 22:00. Dave
    texts Bob too: Bob is Alice's and Dave's common contact."""
    source = SourceFactory(reference="CDR-2026-001")
    rows = [
        (ALICE, BOB, utc(2026, 3, 2, 9, 0), EventKind.CALL),
        (ALICE, BOB, utc(2026, 3, 2, 9, 30), EventKind.SMS),
        (BOB, ALICE, utc(2026, 3, 3, 18, 15), EventKind.SMS),
        ("withheld", ALICE, utc(2026, 3, 4, 22, 0), EventKind.CALL),
        (ALICE, CAROL, utc(2026, 7, 6, 8, 0), EventKind.CALL),
        (DAVE, BOB, utc(2026, 3, 5, 12, 0), EventKind.SMS),
        (DAVE, BOB, utc(2026, 3, 6, 12, 0), EventKind.SMS),
    ]
    for from_number, to_number, started_at, kind in rows:
        CallEventFactory(
            source=source,
            from_number=from_number,
            to_number=to_number,
            started_at=started_at,
            kind=kind,
            imei="356938035643809" if from_number == ALICE else None,
        )
    contact_months_recompute(
        first_month=datetime.date(2026, 3, 1), last_month=datetime.date(2026, 7, 1)
    )
    return source


def consultations() -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            object_type="calls.callevent", action=AuditEvent.Action.VIEW
        ).order_by("pk")
    )


def profile_of(client, typed: str):
    """Posts the number as the form does; returns the redirect and the page it leads to."""
    posted = client.post(reverse("calls:number_profile"), {"number": typed})
    return posted, client.get(posted.url)


def title_of(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.S)[1]


def test_a_profile_is_reached_through_a_held_reference_and_audited_with_its_number(
    world, intel, intel_client
):
    posted, response = profile_of(intel_client, "07700 900001")

    assert posted.status_code == 303
    assert DIGITS not in posted.url and "number=~" in posted.url
    page = text(response)
    assert "07700 900001" in page
    assert DIGITS not in title_of(page) and "07700" not in title_of(page)
    (event,) = consultations()
    assert event.user == intel
    assert event.detail["analysis"] == "number profile"
    assert event.detail["numbers"] == [ALICE]
    assert DIGITS not in event.path and "07700" not in event.path
    assert DIGITS not in event.object_label


def test_a_number_typed_into_the_url_is_held_before_anything_is_shown(world, intel_client):
    response = intel_client.get(f"{reverse('calls:number_profile')}?number=07700900001")

    assert response.status_code == 303
    assert DIGITS not in response.url
    assert consultations() == []
    assert all(DIGITS not in event.path for event in AuditEvent.objects.all())


def test_someone_elses_link_shows_nothing_and_asks_again(world, intel_client, client, intel):
    posted, _ = profile_of(intel_client, ALICE)
    other = UserFactory(username="another-officer")
    client.force_login(other)

    page = text(client.get(posted.url))

    assert "no longer held" in page
    assert "07700 900001" not in page
    assert [event.user for event in consultations()] == [intel]


def test_the_profile_shows_the_numbers_week_in_uk_time_drawn_and_as_figures(world, intel_client):
    page = text(profile_of(intel_client, ALICE)[1])

    drawn = {
        (int(row), int(column)): int(count)
        for row, column, count in re.findall(
            r'data-row="(\d)" data-column="(\d+)" data-count="(\d+)"', page
        )
    }
    # Monday 09:00–10:00: two in GMT in March, one at 08:00 UTC in BST in July.
    assert drawn[(0, 9)] == 3
    assert drawn[(1, 18)] == 1  # Tuesday 18:15
    assert drawn[(2, 22)] == 1  # the withheld call
    assert sum(drawn.values()) == 5
    table = page[page.index('data-testid="heat-map-table"') :]
    monday = re.search(r"<th scope=\"row\"[^>]*>Monday</th>(.*?)</tr>", table, re.S)[1]
    figures = [int(n) for n in re.findall(r"<td[^>]*>([\d,]+)</td>", monday)]
    assert figures[:24] == [drawn[(0, hour)] for hour in range(24)]
    assert figures[24] == 3  # the row's total


def test_the_profiles_top_contacts_link_to_their_own_profiles_with_the_number_held(
    world, intel_client
):
    page = text(profile_of(intel_client, ALICE)[1])

    contacts = page[page.index('data-testid="profile-top-contacts"') :]
    links = re.findall(r'href="([^"]+)">(07700 90000\d)</a>', contacts)
    assert [shown for _href, shown in links] == ["07700 900002", "07700 900003"]
    assert all("number=~" in href and "7700" not in href for href, _ in links)
    followed = text(intel_client.get(links[0][0].replace("&amp;", "&")))
    assert "07700 900002" in followed
    assert consultations()[-1].detail["numbers"] == [BOB]


def test_common_contacts_of_two_numbers_are_counted_per_number_and_audited(world, intel_client):
    posted = intel_client.post(
        reverse("calls:common_contacts"), {"numbers": "07700 900001\n07700 900004"}
    )
    page = text(intel_client.get(posted.url))

    assert "7700" not in posted.url
    table = page[page.index('data-testid="common-contacts"') :]
    row = re.search(r"07700 900002</a></td>(.*?)</tr>", table, re.S)[1]
    assert [int(n) for n in re.findall(r">(\d+)</td>", row)] == [3, 2, 5]
    (event,) = consultations()
    assert event.detail["analysis"] == "common contacts"
    assert set(event.detail["numbers"]) == {ALICE, DAVE, BOB}


def test_common_contacts_of_two_lines_compare_all_their_numbers(world, intel_client):
    first = LineFactory(reference="CL-2026-001")
    second = LineFactory(reference="CL-2026-002")
    LineNumberFactory(line=first, number=PhoneNumberFactory(e164=ALICE))
    LineNumberFactory(line=second, number=PhoneNumberFactory(e164=DAVE))

    posted = intel_client.post(
        reverse("calls:common_contacts"), {"lines": "CL-2026-001\ncl-2026-002"}
    )
    page = text(intel_client.get(posted.url))

    assert "Events with CL-2026-001" in page and "Events with CL-2026-002" in page
    assert "07700 900002" in page
    (event,) = consultations()
    assert event.detail["lines"] == ["CL-2026-001", "CL-2026-002"]
    assert {ALICE, DAVE, BOB} <= set(event.detail["numbers"])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"numbers": "07700 900001"}, "Enter two or more different numbers to compare"),
        ({"numbers": "07700 900001\n07700-X"}, "Numbers, “07700-X” (entry 2)"),
        ({"lines": "CL-404\nCL-405"}, "No line has the reference “CL-404”"),
        (
            {"numbers": "07700 900001\n07700 900004", "lines": "CL-1"},
            "Compare numbers or lines, not both",
        ),
    ],
)
def test_what_cannot_be_compared_is_named_and_nothing_is_consulted(
    world, intel_client, data, message
):
    posted = intel_client.post(reverse("calls:common_contacts"), data)
    page = text(intel_client.get(posted.url))

    assert message in page
    assert consultations() == []


MARKETER = "+447700900500"


@pytest.fixture
def bursts(db):
    """A number no line is attributed texts 20 numbers within 5 minutes on 3 days of
    March 2026; another texts 19 (one short of a burst)."""
    source = SourceFactory(reference="CDR-2026-002")
    for sender, recipients in ((MARKETER, 20), ("+447700900501", 19)):
        for day in (2, 3, 4):
            for n in range(recipients):
                CallEventFactory(
                    source=source,
                    from_number=sender,
                    to_number=f"+4477009006{n:02d}",
                    started_at=utc(2026, 3, day, 10, 0) + datetime.timedelta(seconds=15 * n),
                    kind=EventKind.SMS,
                )
    contact_months_recompute(
        first_month=datetime.date(2026, 3, 1), last_month=datetime.date(2026, 3, 1)
    )


def march(**settings) -> dict[str, str]:
    return {
        "start-day": "1", "start-month": "3", "start-year": "2026",
        "end-day": "31", "end-month": "3", "end-year": "2026",
        **{name: str(value) for name, value in settings.items()},
    }  # fmt: skip


def test_possible_new_lines_show_their_settings_and_are_audited_with_what_was_found(
    bursts, intel_client
):
    url = reverse("calls:possible_new_lines")
    blank = text(intel_client.get(url))
    response = intel_client.get(url, march(recipients=20, minutes=10, days=3))

    assert 'value="20"' in blank and 'value="10"' in blank and 'value="3"' in blank
    page = text(response)
    assert "1 possible new line" in page
    assert "A burst: 20 or more different numbers texted within 10 minutes, on 3 or more" in page
    assert "07700 900500" in page and "07700 900501" not in page
    (event,) = consultations()
    assert event.detail["analysis"] == "possible new lines"
    assert event.detail["numbers"] == [MARKETER]
    assert (event.detail["recipients"], event.detail["minutes"], event.detail["days"]) == (
        20,
        10,
        3,
    )
    assert (event.detail["start"], event.detail["end"]) == ("2026-03-01", "2026-03-31")


def test_possible_new_lines_with_other_settings_find_others(bursts, intel_client):
    page = text(
        intel_client.get(
            reverse("calls:possible_new_lines"), march(recipients=19, minutes=10, days=3)
        )
    )

    assert "2 possible new lines" in page
    assert "07700 900501" in page


def test_a_scan_needs_its_period(bursts, intel_client):
    page = text(
        intel_client.get(
            reverse("calls:possible_new_lines"), {"recipients": 20, "minutes": 10, "days": 3}
        )
    )

    assert "Enter the first day" in page and "Enter the last day" in page
    assert consultations() == []


def test_a_scan_of_more_than_three_months_is_refused(bursts, intel_client):
    too_long = march(recipients=20, minutes=10, days=3) | {"end-month": "6", "end-day": "2"}

    page = text(intel_client.get(reverse("calls:possible_new_lines"), too_long))

    assert "Scan at most 92 days at a time" in page
    assert consultations() == []


def test_handset_continuity_of_a_number_lists_every_number_its_handset_carried(world, intel_client):
    CallEventFactory(
        source=world,
        from_number=CAROL,
        to_number=BOB,
        started_at=utc(2026, 7, 20, 9, 0),
        imei="356938035643809",
    )
    contact_months_recompute(
        first_month=datetime.date(2026, 7, 1), last_month=datetime.date(2026, 7, 1)
    )

    posted = intel_client.post(reverse("calls:handset_continuity"), {"number": "07700900001"})
    page = text(intel_client.get(posted.url))

    assert "7700" not in posted.url
    assert "1 handset" in page and "IMEI 356938035643809" in page
    handset = page[page.index('data-testid="handset"') :]
    assert handset.index("07700 900001") < handset.index("07700 900003")  # in order of use
    (event,) = consultations()
    assert event.detail["analysis"] == "handset continuity"
    assert event.detail["numbers"] == [ALICE, CAROL]
    assert event.detail["handsets"] == ["356938035643809"]


def test_handset_continuity_takes_a_number_or_a_line_not_both(world, intel_client):
    LineNumberFactory(
        line=LineFactory(reference="CL-2026-003"), number=PhoneNumberFactory(e164=ALICE)
    )

    by_line = intel_client.post(reverse("calls:handset_continuity"), {"line": "CL-2026-003"})
    both = intel_client.post(
        reverse("calls:handset_continuity"), {"line": "CL-2026-003", "number": "07700900001"}
    )

    assert "IMEI 356938035643809" in text(intel_client.get(by_line.url))
    assert "Enter a number or a line, not both" in text(intel_client.get(both.url))
    (event,) = consultations()
    assert event.detail["line"] == "CL-2026-003"
