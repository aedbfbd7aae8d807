"""The search page: the text held out of the URL and the title, the results grouped by
kind with what matched, the search audited, and each user's scope."""

import re

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from search.sources import SHOWN
from tests.persons.factories import PersonFactory

SEARCH_URL = reverse("search:search")


def search(client, text):
    posted = client.post(SEARCH_URL, {"q": text})
    assert posted.status_code == 302
    assert re.fullmatch(rf"{SEARCH_URL}\?q=~[\w-]{{8}}", posted.url), posted.url
    return client.get(posted.url)


def title_of(response) -> str:
    [title] = re.findall(r"<title>(.*?)</title>", response.content.decode(), re.S)
    return title


def test_results_are_grouped_by_kind_each_saying_what_matched(intel_client, records):
    response = search(intel_client, "07700 9006")

    html = response.content.decode()
    assert "Found 3 records, best matches first" in html
    for kind in ("lines", "people", "numbers", "operations", "referrals"):
        assert f'data-testid="found-{kind}"' in html
    lines = html.split('data-testid="found-lines"')[1].split("</section>")[0]
    assert "CL-2024-001 Dolla" in lines and "Number 07700 900664" in lines
    people = html.split('data-testid="found-people"')[1].split("</section>")[0]
    assert "P-1 SMITH, Jayden" in people
    assert reverse("persons:person_detail", args=[records["smith"].pk]) in people
    numbers = html.split('data-testid="found-numbers"')[1].split("</section>")[0]
    assert reverse("lines:number_search_for", args=[records["number"].pk]) in numbers
    assert "No operations match." in html


@pytest.mark.parametrize("text", ["Smyth", "07700 900664", "0770090066", "YO1 9SA", "Tower Street"])
def test_the_text_is_in_neither_the_url_nor_the_title(intel_client, records, text):
    response = search(intel_client, text)

    assert response.status_code == 200
    title = title_of(response)
    assert title.startswith("Search: results")
    compact = re.sub(r"\W", "", text).lower()
    assert compact not in re.sub(r"\W", "", title).lower()
    assert text not in response.request["QUERY_STRING"]


def test_a_search_is_audited_with_the_text_and_what_was_found(intel_client, intel, records):
    search(intel_client, "Smyth")

    event = AuditEvent.objects.get(action="search", user=intel)
    assert event.object_type == "search"
    assert event.detail["filters"] == {"q": "Smyth"}
    assert event.detail["results"]["people"] == ["P-1 SMITH, Jayden"]
    assert event.detail["results"]["lines"] == []


def test_a_search_the_session_no_longer_holds_is_asked_again(intel_client, records):
    response = intel_client.get(SEARCH_URL, {"q": "~AAAAAAAA"})

    assert "This search is no longer held" in response.content.decode()
    assert response.context["outcome"] is None
    assert not AuditEvent.objects.filter(action="search").exists()


def test_a_search_typed_into_a_url_is_held_before_it_is_answered(intel_client, records):
    response = intel_client.get(SEARCH_URL, {"q": "Smith"})

    assert response.status_code == 303
    assert "Smith" not in response.url


def test_too_little_to_search_for_is_an_error(intel_client, records):
    response = intel_client.post(SEARCH_URL, {"q": " a "})

    assert response.status_code == 200
    assert "Enter at least 2 letters or digits" in response.content.decode()
    assert title_of(response).startswith("Search (error)")


def test_an_unknown_whole_number_leads_to_the_number_search(intel_client, records):
    response = search(intel_client, "07700 900111")

    html = response.content.decode()
    assert 'data-testid="number-not-known"' in html
    [number_url] = re.findall(r'href="(/lines/numbers/\?number=~[\w-]{8})"', html)
    assert intel_client.get(number_url).context["lookup"].e164 == "+447700900111"


def test_more_than_are_shown_leads_to_the_list_filtered_the_same_way(intel_client, db):
    for n in range(SHOWN + 1):
        PersonFactory(reference=f"P-{n:03d}", surname="Taylor", forenames=f"Kid{n}")

    html = search(intel_client, "Taylor").content.decode()

    [list_url] = re.findall(r'href="(/people/\?q=~[\w-]{8})"', html)
    assert len(intel_client.get(list_url).context["list"].page.object_list) == SHOWN + 1


def test_a_partner_finds_only_the_referrals_shared_with_their_agency(partner_client, records):
    html = search(partner_client, "Example Street").content.decode()

    assert "BG-0001" in html and "BG-0002" not in html
    assert 'data-testid="found-referrals"' in html
    for kind in ("lines", "people", "numbers", "operations"):
        assert f'data-testid="found-{kind}"' not in html
    for text in ("BG-0002", "YO1 7HJ", "Smith", "07700 900664", "CL-2024-001"):
        html = search(partner_client, text).content.decode()
        results = html.split('data-testid="search-total"')[1]  # the form shows the text
        assert "Nothing found" in results, text
        assert "BG-0002" not in results and "SMITH" not in results and "CL-2024" not in results


def test_the_other_partner_finds_their_own_and_not_the_first_ones(partner2_client, records):
    html = search(partner2_client, "Example Street").content.decode()

    assert "BG-0002" in html and "BG-0001" not in html


def test_users_who_may_search_nothing_are_refused(administrator_client, client, db):
    assert administrator_client.get(SEARCH_URL).status_code == 403
    assert administrator_client.post(SEARCH_URL, {"q": "Smith"}).status_code == 403
    assert client.get(SEARCH_URL).status_code == 302  # to sign in


def test_the_search_box_is_in_every_page_s_header_with_a_visible_label(
    intel_client, manager_client, partner_client, administrator_client, records
):
    for client in (intel_client, manager_client, partner_client):
        html = (
            client.get("/").content.decode()
            if client is not partner_client
            else (client.get(reverse("safeguarding:referral_list")).content.decode())
        )
        assert f'action="{SEARCH_URL}"' in html
        [label] = re.findall(r'<label class="([^"]*)" for="header-search">Search</label>', html)
        assert "govuk-visually-hidden" not in label
    assert 'id="header-search"' not in administrator_client.get("/").content.decode()


def test_a_refused_search_typed_into_a_url_keeps_the_text_out_of_the_audit_log(
    administrator_client, partner_client, db
):
    # A refusal is audited before any redirect holds the term: its path must not carry it.
    assert administrator_client.get(SEARCH_URL, {"q": "Jayden Smith"}).status_code == 403
    assert partner_client.get(reverse("persons:person_list"), {"q": "Jayden"}).status_code == 403

    refusals = AuditEvent.objects.filter(action="access_denied")
    assert refusals.count() == 2
    for event in refusals:
        assert "Jayden" not in event.path, event.path
        assert "q=%28left+out%29" in event.path


def test_a_held_search_s_reference_is_kept_in_the_audit_log_s_path(intel_client, intel, records):
    held = search(intel_client, "Smyth").request["QUERY_STRING"]

    event = AuditEvent.objects.get(action="search", user=intel)
    assert event.path == f"{SEARCH_URL}?{held}"
