"""The number search on every page: any spelling finds the same line; searching is audited;
an unknown number is "not known" with a way to record it."""

import datetime
import re

import pytest
from django.urls import reverse

from audit.models import AuditEvent

from .factories import LineFactory, LineNumberFactory, PhoneNumberFactory

SEARCH_URL = reverse("lines:number_search")

FIVE_SPELLINGS = [
    "07712 345678",
    "+44 7712 345678",
    "0044 7712 345678",
    "07712-345-678",
    "(07712) 345678",
]


@pytest.mark.parametrize("spelling", FIVE_SPELLINGS)
def test_five_spellings_find_the_same_line(intel_client, line, attribution, spelling):
    response = intel_client.get(SEARCH_URL, {"number": spelling}, follow=True)
    lookup = response.context["lookup"]
    assert lookup.e164 == "+447712345678"
    assert [use.line for use in lookup.uses] == [line]
    html = response.content.decode()
    assert "07712 345678 is known" in html
    assert reverse("lines:line_detail", args=[line.pk]) in html
    assert "20 Jan 2024" in html


def test_every_line_that_used_the_number_and_when(manager_client, line, attribution):
    later = LineFactory(reference="CL-2024-090", name="Kilo")
    attribution.attributed_to = datetime.date(2024, 3, 1)
    attribution.save()
    LineNumberFactory(
        line=later, number=attribution.number, attributed_from=datetime.date(2024, 3, 5)
    )
    response = manager_client.get(SEARCH_URL, {"number": "07712345678"}, follow=True)
    html = response.content.decode()
    assert [use.line.reference for use in response.context["lookup"].uses] == [
        "CL-2024-090",
        "CL-2024-001",
    ]
    assert "Used by 2 lines" in html
    assert "1 Mar 2024" in html and "5 Mar 2024" in html


def test_searching_is_audited(manager_client, manager, line, attribution):
    manager_client.get(SEARCH_URL, {"number": "+44 7712 345678"}, follow=True)
    event = AuditEvent.objects.get(action=AuditEvent.Action.SEARCH)
    assert event.user == manager
    assert event.object_type == "lines.phonenumber"
    assert event.object_id == str(attribution.number.pk)
    assert event.detail == {
        "number": "+447712345678",
        "typed": "+44 7712 345678",
        "lines": ["CL-2024-001"],
        "persons": [],
    }


def test_unknown_number_is_not_known_with_a_way_to_record_it(intel_client, line):
    response = intel_client.get(SEARCH_URL, {"number": "07958 123456"}, follow=True)
    html = response.content.decode()
    assert 'data-testid="number-not-known"' in html
    assert "07958 123456 is not known" in html
    # The link to record it carries a reference to the number, never the number.
    [record_url] = re.findall(r'href="(/lines/numbers/record/\?number=~[\w-]+)"', html)
    event = AuditEvent.objects.get(action=AuditEvent.Action.SEARCH)
    assert event.detail["lines"] == [] and event.object_id == ""

    # Recording it: choose the line, then the attribution form comes prefilled.
    record_page = intel_client.get(record_url)
    assert record_page.context["form"].initial["number"] == "+447958123456"
    chosen = intel_client.post(
        reverse("lines:number_record"), {"number": "+447958123456", "line_reference": "cl-2024-001"}
    )
    assert chosen.status_code == 302
    attribute_url = reverse("lines:line_number_attribute", args=[line.pk])
    assert re.fullmatch(rf"{attribute_url}\?number=~[\w-]+", chosen.url)
    assert intel_client.get(chosen.url).context["form"].initial["number"] == "07958 123456"


def test_recording_on_an_unknown_line_is_an_error(intel_client, line):
    response = intel_client.post(
        reverse("lines:number_record"), {"number": "+447958123456", "line_reference": "CL-NOPE"}
    )
    assert "There is no line with the reference “CL-NOPE”" in response.content.decode()
    assert 'class="govuk-error-summary"' in response.content.decode()


def test_managers_are_not_offered_to_record(manager_client, line):
    html = manager_client.get(SEARCH_URL, {"number": "07958 123456"}, follow=True).content.decode()
    assert "07958 123456 is not known" in html
    assert reverse("lines:number_record") not in html


def test_an_invalid_number_is_an_error_not_a_search(intel_client, line):
    response = intel_client.post(SEARCH_URL, {"number": "not a number"})
    html = response.content.decode()
    assert 'class="govuk-error-summary"' in html
    assert "“not a number” is not a phone number" in html
    assert response.context["lookup"] is None
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SEARCH).exists()


def test_empty_search_asks_for_a_number(intel_client):
    assert "Enter a phone number" in intel_client.post(SEARCH_URL, {"number": ""}).content.decode()
    response = intel_client.get(SEARCH_URL)
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' not in response.content.decode()


def test_the_header_search_leads_to_the_number_search(intel_client, attribution):
    # The search box on every page finds the number, which links to this page.
    held = intel_client.post(reverse("search:search"), {"q": "07712 345678"}).url
    html = intel_client.get(held).content.decode()
    link = reverse("lines:number_search_for", args=[attribution.number.pk])
    assert f'href="{link}"' in html
    assert intel_client.get(link, follow=True).context["lookup"].e164 == "+447712345678"


def test_part_of_a_number_lists_every_number_and_line_that_contain_it(intel_client, intel):
    dolla = LineFactory(reference="CL-1", name="Dolla")
    blade = LineFactory(reference="CL-2", name="Blade")
    LineNumberFactory(line=dolla, number=PhoneNumberFactory(e164="+447712345678"))
    LineNumberFactory(line=blade, number=PhoneNumberFactory(e164="+447712345999"))
    LineNumberFactory(line=blade, number=PhoneNumberFactory(e164="+447958000000"))

    response = intel_client.get(
        reverse("lines:number_search"), {"number": "07712 345"}, follow=True
    )

    html = response.content.decode()
    assert response.context["part"].digits == "7712345"
    numbers = [number.e164 for number, _uses in response.context["part"].numbers]
    assert numbers == ["+447712345678", "+447712345999"]
    assert "2 numbers containing 7712345" in html and "CL-1" in html and "CL-2" in html
    event = AuditEvent.objects.get(action="search", user=intel)
    assert event.detail == {"digits": "7712345", "numbers": numbers}


def test_fewer_than_six_digits_are_not_a_search(intel_client, db):
    response = intel_client.get(reverse("lines:number_search"), {"number": "07712"}, follow=True)

    assert "or at least 6 of its digits" in response.content.decode()
    assert response.context["part"] is None and response.context["lookup"] is None


@pytest.mark.parametrize("spelling", ["07700 9006", "0770090066", "+44 7700 9006", "7700 900"])
def test_anything_but_a_whole_number_is_part_of_one(intel_client, spelling):
    # A part that has the length of some number (0770090066: ten digits, but a mobile's
    # prefix) is still a part: never "not known", which would tell an analyst it is new.
    used = LineFactory(reference="CL-1", name="Dolla")
    LineNumberFactory(line=used, number=PhoneNumberFactory(e164="+447700900664"))

    response = intel_client.post(SEARCH_URL, {"number": spelling}, follow=True)

    html = response.content.decode()
    assert response.context["lookup"] is None
    assert [number.e164 for number, _ in response.context["part"].numbers] == ["+447700900664"]
    assert "is not known" not in html and "Record it" not in html
    assert 'data-testid="number-part-uses"' in html and "CL-1" in html


def test_not_known_only_for_a_whole_number_no_record_holds(intel_client, db):
    LineNumberFactory(number=PhoneNumberFactory(e164="+447700900664"))

    whole = intel_client.post(SEARCH_URL, {"number": "07700 900665"}, follow=True)
    part = intel_client.post(SEARCH_URL, {"number": "0770090067"}, follow=True)

    assert 'data-testid="number-not-known"' in whole.content.decode()
    assert whole.context["lookup"].e164 == "+447700900665"
    assert part.context["lookup"] is None
    assert "No number containing 770090067 is known" in part.content.decode()


@pytest.mark.parametrize("spelling", ["07712 345678", "0771234567", "07712 345"])
def test_the_number_searched_for_is_never_in_the_title(intel_client, attribution, spelling):
    html = intel_client.post(SEARCH_URL, {"number": spelling}, follow=True).content.decode()

    [title] = re.findall(r"<title>(.*?)</title>", html, re.S)
    digits = re.sub(r"\D", "", spelling)
    assert "Search for a phone number" in title or "Numbers containing" in title
    assert digits[1:6] not in re.sub(r"\D", "", title)
    assert not re.search(r"\d{4}", title)


def test_the_page_recording_a_number_does_not_name_it_in_its_title(intel_client, line):
    held = intel_client.post(SEARCH_URL, {"number": "07958 123456"}, follow=True)
    [record_url] = re.findall(
        r'href="(/lines/numbers/record/\?number=~[\w-]+)"', held.content.decode()
    )

    html = intel_client.get(record_url).content.decode()

    assert "07958 123456" in html
    [title] = re.findall(r"<title>(.*?)</title>", html, re.S)
    assert "Record a number" in title and "07958" not in title
