"""The Sources screens: an intelligence officer records, reads and changes a disclosure;
what is typed wrong is named; each page is on the audit log. (Who may open them at all:
tests/access_table.py.)"""

import csv
import datetime
import io
import re

from django.urls import reverse

from audit.models import AuditEvent
from calls.models import Source
from tests.helpers import date_fields, text

RETAIN = datetime.date(2031, 3, 31)


def source_form(**changes) -> dict[str, str]:
    data = {
        "reference": "CDR-2025-007",
        "authorisation": "IPA/2025/0113",
        "description": "Billing for the Dolla line's number",
        "numbers": "07712 345678\n+44 7712 000111, 07712345678",
        **date_fields("covers_from", datetime.date(2025, 1, 1)),
        **date_fields("covers_to", datetime.date(2025, 6, 30)),
        **date_fields("retain_until", RETAIN),
    }
    return data | changes


def a_source(**fields) -> Source:
    values = {
        "reference": "CDR-2025-001",
        "authorisation": "IPA/2025/0001",
        "retain_until": RETAIN,
        "numbers": ["+447712345678"],
    }
    return Source.objects.create(**values | fields)


def test_an_officer_records_a_source_its_numbers_normalised_once_each(intel, intel_client):
    response = intel_client.post(reverse("calls:source_create"), source_form())

    source = Source.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("calls:source_detail", args=[source.pk])
    assert (source.reference, source.authorisation) == ("CDR-2025-007", "IPA/2025/0113")
    assert source.numbers == ["+447712345678", "+447712000111"]
    assert (source.covers_from, source.covers_to) == (
        datetime.date(2025, 1, 1),
        datetime.date(2025, 6, 30),
    )
    assert source.retain_until == RETAIN
    assert source.recorded_by == intel


def test_a_number_that_is_not_one_is_named_with_its_place_and_nothing_is_recorded(intel_client):
    response = intel_client.post(
        reverse("calls:source_create"), source_form(numbers="07712 345678\n0771-NOPE")
    )

    assert response.status_code == 200
    assert "Numbers covered, “0771-NOPE” (entry 2)" in text(response)
    assert not Source.objects.exists()


def test_a_period_that_ends_before_it_starts_and_a_missing_retention_are_refused(intel_client):
    response = intel_client.post(
        reverse("calls:source_create"),
        source_form(
            **date_fields("covers_to", datetime.date(2024, 12, 31)),
            **date_fields("retain_until", None),
        ),
    )

    page = text(response)
    assert "The last day it covers must be on or after the first" in page
    assert "Enter the date its rows may be kept until" in page
    assert not Source.objects.exists()


def test_the_list_shows_each_source_with_its_events_period_retention_and_purge(intel_client):
    a_source(
        events=1234,
        first_at=datetime.datetime(2025, 1, 2, 9, tzinfo=datetime.UTC),
        last_at=datetime.datetime(2025, 6, 29, 21, tzinfo=datetime.UTC),
    )
    a_source(reference="CDR-2020-001", purged_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC))

    page = text(intel_client.get(reverse("calls:source_list")))

    assert "1,234" in page and "2 Jan 2025 to 29 Jun 2025" in page
    assert "31 Mar 2031" in page
    assert "Purged" in page and "5 Jan 2026" in page
    listed = AuditEvent.objects.get(action=AuditEvent.Action.SEARCH, object_type="calls.source")
    assert listed.detail["results"] == 2


def test_the_detail_is_audited_and_links_each_number_to_its_profile_without_the_number(
    intel_client,
):
    source = a_source()

    response = intel_client.get(reverse("calls:source_detail", args=[source.pk]))

    page = text(response)
    assert "07712 345678" in page
    profile_links = [
        href for href in _links(page) if href.startswith(reverse("calls:number_profile"))
    ]
    assert len(profile_links) == 1
    assert "7712" not in profile_links[0] and "number=~" in profile_links[0]
    viewed = AuditEvent.objects.get(action=AuditEvent.Action.VIEW, object_type="calls.source")
    assert viewed.object_id == str(source.pk)
    # The link answers with that number's profile: the reference is held for this user.
    followed = intel_client.get(profile_links[0])
    assert followed.status_code == 200
    assert "07712 345678" in text(followed)


def test_an_officer_changes_a_source_but_not_its_reference(intel_client):
    source = a_source()
    url = reverse("calls:source_update", args=[source.pk])

    shown = text(intel_client.get(url))
    response = intel_client.post(
        url, source_form(reference="CDR-HIJACK", authorisation="IPA/2025/0002", numbers="")
    )

    assert 'name="reference"' not in shown
    assert response.status_code == 302
    source.refresh_from_db()
    assert (source.reference, source.authorisation, source.numbers) == (
        "CDR-2025-001",
        "IPA/2025/0002",
        [],
    )


def _links(page: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', page)]


def test_the_export_gives_each_source_the_commands_columns_then_what_it_holds(intel_client):
    a_source(
        numbers=["+447712345678", "+447712000111"],
        covers_from=datetime.date(2025, 1, 1),
        events=12,
    )

    response = intel_client.get(reverse("calls:source_export"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))

    assert rows[0] == [
        "reference",
        "authorisation",
        "description",
        "numbers",
        "covers_from",
        "covers_to",
        "retain_until",
        "events",
        "first_at",
        "last_at",
        "purged_at",
    ]
    assert rows[1] == [
        "CDR-2025-001",
        "IPA/2025/0001",
        "",
        # A cell starting with + is kept from being read as a formula (core.csv_export).
        "'+447712345678 +447712000111",
        "2025-01-01",
        "",
        RETAIN.isoformat(),
        "12",
        "",
        "",
        "",
    ]
