"""What each role may do to a line with valid data (the status of each URL for each role
is in tests/access_table.py): intelligence officers everything, managers nothing but
read, partners and administrators nothing; nothing refused is written."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from lines.models import IntelligenceEntry, Line, LineNumber

from ..helpers import date_fields, denials_of


def read_urls(line, attribution) -> list[str]:
    return [
        reverse("lines:line_list"),
        reverse("lines:line_list") + "?q=Dolla&sort=-numbers",
        reverse("lines:line_export"),
        reverse("lines:line_detail", args=[line.pk]),
        reverse("lines:number_search"),
        reverse("lines:number_search") + "?number=07712+345678",
    ]


def write_urls(line, attribution) -> list[str]:
    return [
        reverse("lines:line_create"),
        reverse("lines:line_update", args=[line.pk]),
        reverse("lines:line_close", args=[line.pk]),
        reverse("lines:line_number_attribute", args=[line.pk]),
        reverse("lines:line_number_end", args=[line.pk, attribution.pk]),
        reverse("lines:intelligence_entry_add", args=[line.pk]),
        reverse("lines:number_record") + "?number=07712345678",
    ]


def all_urls(line, attribution) -> list[str]:
    return read_urls(line, attribution) + write_urls(line, attribution)


# A POST that every write view would accept from an intelligence officer.
def valid_posts(line, attribution) -> dict[str, dict]:
    return {
        reverse("lines:line_create"): {
            "reference": "CL-NEW",
            "name": "Blade",
            "origin_force": line.origin_force_id,
            "command_areas": [area.pk for area in line.command_areas.all()],
            **date_fields("first_identified", "2024-02-01"),
        },
        reverse("lines:line_update", args=[line.pk]): {
            "name": "Renamed",
            "origin_force": line.origin_force_id,
            "command_areas": [area.pk for area in line.command_areas.all()],
            **date_fields("first_identified", "2024-01-15"),
        },
        reverse("lines:line_close", args=[line.pk]): {
            **date_fields("closed_on", "2024-03-01"),
            "closure_type": "type_2",
        },
        reverse("lines:line_number_attribute", args=[line.pk]): {
            "number": "07958 123456",
            **date_fields("attributed_from", "2024-02-01"),
        },
        reverse("lines:line_number_end", args=[line.pk, attribution.pk]): {
            **date_fields("attributed_to", "2024-02-28"),
        },
        reverse("lines:intelligence_entry_add", args=[line.pk]): {
            "text": "Seen in York.",
            "source_evaluation": "1",
            "assessment": "A",
            "handling_code": "P",
            **date_fields("intelligence_date", "2024-02-01"),
        },
        reverse("lines:number_record"): {"number": "07958 123456", "line_reference": "CL-2024-001"},
    }


@pytest.mark.parametrize("role", ["partner", "partner2", "administrator"])
def test_roles_without_lines_are_refused_everything(request, role, line, attribution):
    client = request.getfixturevalue(f"{role}_client")
    user = request.getfixturevalue(role)
    urls = all_urls(line, attribution)
    for url in urls:
        assert client.get(url).status_code in (403, 404), url
    for url, data in valid_posts(line, attribution).items():
        assert client.post(url, data).status_code in (403, 404), url
    # Nothing was written, nothing was looked at, and every refusal is on record.
    assert Line.objects.count() == 1
    assert Line.objects.get().name == "Dolla"
    assert LineNumber.objects.count() == 1
    assert not IntelligenceEntry.objects.exists()
    assert not AuditEvent.objects.filter(
        action__in=[AuditEvent.Action.VIEW, AuditEvent.Action.SEARCH, AuditEvent.Action.EXPORT]
    ).exists()
    assert denials_of(user.username).count() == len(urls) + len(valid_posts(line, attribution))


def test_partners_are_not_offered_the_number_search(partner_client):
    page = partner_client.get(reverse("safeguarding:referral_list")).content.decode()
    assert reverse("lines:number_search") not in page
    assert 'id="header-search"' in page  # their search box looks through their referrals


def test_managers_cannot_write(manager_client, manager, line, attribution):
    for url in write_urls(line, attribution):
        assert manager_client.get(url).status_code == 403, url
    for url, data in valid_posts(line, attribution).items():
        assert manager_client.post(url, data).status_code == 403, url
    assert Line.objects.count() == 1
    assert Line.objects.get().name == "Dolla"
    assert Line.objects.get().closed_on is None
    assert LineNumber.objects.get().attributed_to is None
    assert not IntelligenceEntry.objects.exists()
    assert denials_of("manager").count() == 2 * len(write_urls(line, attribution))


def test_managers_are_not_offered_the_write_actions(manager_client, line, attribution):
    list_page = manager_client.get(reverse("lines:line_list")).content.decode()
    detail = manager_client.get(reverse("lines:line_detail", args=[line.pk])).content.decode()
    assert reverse("lines:line_create") not in list_page
    for write_url in write_urls(line, attribution):
        assert write_url not in detail, write_url
    assert "Print this line" in detail  # reading a line, they may print it


def test_intelligence_officers_use_everything(intel_client, line, attribution):
    for url in all_urls(line, attribution):
        assert intel_client.get(url, follow=True).status_code == 200, url
    for url, data in valid_posts(line, attribution).items():
        assert intel_client.post(url, data).status_code == 302, url
    assert Line.objects.filter(reference="CL-NEW").exists()
    line.refresh_from_db()
    assert line.name == "Renamed"
    assert line.closed_on is not None
    assert IntelligenceEntry.objects.filter(line=line).exists()


def test_unknown_line_or_attribution_is_not_found(intel_client, line, attribution):
    other = LineNumber.objects.create(
        line=Line.objects.create(
            reference="CL-OTHER",
            name="Other",
            origin_force=line.origin_force,
            first_identified=line.first_identified,
        ),
        number=attribution.number,
        attributed_from=line.first_identified,
    )
    assert intel_client.get(reverse("lines:line_detail", args=[999999])).status_code == 404
    assert intel_client.get(reverse("lines:line_update", args=[999999])).status_code == 404
    # An attribution of another line cannot be ended through this one.
    url = reverse("lines:line_number_end", args=[line.pk, other.pk])
    assert intel_client.get(url).status_code == 404
