"""Personal search terms are held in the session, never in a URL (records/held_search.py)."""

import csv
import datetime
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from lines.models import Line
from records import held_search

from ..helpers import date_fields
from ..lines.factories import LineFactory, LineNumberFactory, PhoneNumberFactory
from ..persons.factories import PersonFactory

pytestmark = pytest.mark.django_db

PEOPLE = reverse("persons:person_list")


@pytest.fixture
def people(db):
    return {
        "zoe": PersonFactory(
            surname="O’Neill", forenames="Zoë", date_of_birth=datetime.date(2005, 3, 1)
        ),
        "other": PersonFactory(
            surname="Barnes", forenames="Tom", date_of_birth=datetime.date(1990, 7, 9)
        ),
    }


def listed_names(response) -> list[str]:
    return [person.surname for person in response.context["list"].page.object_list]


def test_the_filter_form_is_posted_and_answered_with_a_url_without_the_name(intel_client, people):
    page = intel_client.get(PEOPLE).content.decode()
    assert '<form method="post" novalidate>' in page  # the filter form

    response = intel_client.post(PEOPLE, {"q": "Zoë O’Neill", "role": "", "sort": ""})

    assert response.status_code == 303  # the browser asks for the list with GET
    assert "Zo" not in response.url and "Neill" not in response.url
    assert parse_qs(urlsplit(response.url).query)["q"][0].startswith("~")
    shown = intel_client.get(response.url)
    assert listed_names(shown) == ["O’Neill"]
    # The form and the selected filter show the name; only the page holds it.
    assert 'value="Zoë O’Neill"' in shown.content.decode()


def test_a_name_written_in_a_link_is_swapped_for_a_reference(intel_client, people):
    response = intel_client.get(PEOPLE, {"q": "barnes", "sort": "-born"})

    assert response.status_code == 303
    query = parse_qs(urlsplit(response.url).query)
    assert query["sort"] == ["-born"]  # what is not personal stays readable
    assert query["q"][0].startswith("~") and "barnes" not in response.url
    assert listed_names(intel_client.get(response.url)) == ["Barnes"]


def test_the_same_term_keeps_the_same_reference(intel_client, people):
    first = intel_client.post(PEOPLE, {"q": "barnes"}).url
    intel_client.post(PEOPLE, {"q": "zoe"})
    assert intel_client.post(PEOPLE, {"q": "barnes"}).url == first


def test_each_part_of_a_date_of_birth_is_held(intel_client, people):
    response = intel_client.post(PEOPLE, date_fields("date_of_birth", "1990-07-09"))

    assert "1990" not in response.url and "=7" not in response.url
    assert listed_names(intel_client.get(response.url)) == ["Barnes"]


def test_a_reference_is_no_use_to_anyone_else(intel_client, manager_client, people):
    held_url = intel_client.post(PEOPLE, {"q": "barnes"}).url

    shared = manager_client.get(held_url)

    # The manager is told to search again, and sees no list they might take for filtered.
    html = shared.content.decode()
    assert listed_names(shared) == []
    assert 'class="govuk-error-summary"' in html
    assert "This search is no longer held" in html
    assert "barnes" not in html.lower()


def test_an_export_whose_search_is_lost_exports_nothing(intel_client, manager_client, people):
    held_url = intel_client.post(PEOPLE, {"q": "barnes"}).url
    export_link = intel_client.get(held_url).context["list"].export_link

    response = manager_client.get(export_link)

    assert not response.streaming  # the list, with the error, rather than every person
    assert "This search is no longer held" in response.content.decode()
    assert listed_names(response) == []


def test_a_term_that_looks_like_a_reference_is_held_like_any_other(intel_client, people):
    for typed in ("~Barnes", "~abcdefgh"):
        response = intel_client.post(PEOPLE, {"q": typed})
        held = parse_qs(urlsplit(response.url).query)["q"][0]
        assert held != typed and "Barnes" not in response.url
        assert intel_client.get(response.url).context["list"].filterset.form.data["q"] == typed


def test_a_term_in_use_is_kept_while_others_come_and_go(intel_client, people):
    kept_url = intel_client.post(PEOPLE, {"q": "barnes"}).url
    for number in range(held_search.HELD_TERMS * 2):
        intel_client.post(PEOPLE, {"q": f"someone {number}"})
        if number % 20 == 0:
            intel_client.post(PEOPLE, {"q": "barnes"})  # searched for again now and then

    assert listed_names(intel_client.get(kept_url)) == ["Barnes"]


def test_the_filter_forms_carry_the_csrf_token(people, intel):
    client = Client(enforce_csrf_checks=True)
    client.force_login(intel)
    page = client.get(PEOPLE).content.decode()
    [token] = re.findall(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', page.split("moj-filter__options")[1]
    )[:1]

    assert client.post(PEOPLE, {"q": "barnes"}).status_code == 403
    assert client.post(PEOPLE, {"q": "barnes", "csrfmiddlewaretoken": token}).status_code == 303


def test_an_export_link_holding_a_name_is_swapped_for_a_reference(intel_client, people):
    response = intel_client.get(reverse("persons:person_export"), {"q": "barnes"})

    assert response.status_code == 303 and "barnes" not in response.url


def test_the_audit_log_records_the_term_searched_for(intel_client, intel, people):
    intel_client.get(intel_client.post(PEOPLE, {"q": "barnes"}).url)

    event = AuditEvent.objects.get(action="search", object_type="persons.person")
    assert event.user == intel
    assert event.detail["filters"] == {"q": "barnes"}
    assert "barnes" not in event.path


def test_the_export_link_exports_what_is_listed(intel_client, people):
    held_url = intel_client.post(PEOPLE, {"q": "barnes"}).url
    export_link = intel_client.get(held_url).context["list"].export_link
    assert "barnes" not in export_link

    body = b"".join(intel_client.get(export_link).streaming_content).decode()

    assert [row["surname"] for row in csv.DictReader(io.StringIO(body))] == ["Barnes"]


def test_every_list_with_a_personal_filter_holds_it(intel_client, db):
    LineFactory(reference="CL-9")
    for url, parameter, term in [
        (reverse("lines:line_list"), "q", "07712 345678"),
        (reverse("operations:arrest_list"), "person", "Barnes"),
        (reverse("safeguarding:referral_list"), "search", "YO1 1AA"),
    ]:
        response = intel_client.post(url, {parameter: term})
        assert response.status_code == 303, url
        assert parse_qs(urlsplit(response.url).query)[parameter][0].startswith("~"), url
        form = intel_client.get(response.url).context["list"].filterset.form
        assert form.is_valid() and form.cleaned_data[parameter] == term, url


def test_a_number_searched_for_is_held(intel_client, db):
    line = LineFactory(reference="CL-2024-001")
    LineNumberFactory(line=line, number=PhoneNumberFactory(e164="+447712345678"))
    search = reverse("lines:number_search")

    response = intel_client.post(search, {"number": "07712 345678"})

    assert response.status_code == 302
    assert "7712" not in response.url
    page = intel_client.get(response.url).content.decode()
    assert "07712 345678 is known" in page
    assert Line.objects.get().reference in page


def test_a_session_holds_only_its_newest_terms():
    request = RequestFactory().get("/")
    request.session = {}
    for number in range(held_search.HELD_TERMS + 5):
        query = held_search.held_query(request, q=f"name {number}")
    terms = request.session[held_search.SESSION_KEY]
    assert len(terms) == held_search.HELD_TERMS
    assert "name 0" not in terms.values()
    assert terms[parse_qs(query)["q"][0]] == f"name {held_search.HELD_TERMS + 4}"


def test_opening_a_held_search_again_does_not_write_the_session(intel_client, db):
    line = LineFactory(reference="CL-2024-001")
    LineNumberFactory(line=line, number=PhoneNumberFactory(e164="+447712345678"))
    held_url = intel_client.post(reverse("lines:number_search"), {"number": "07712345678"}).url
    intel_client.get(held_url)  # holds the number's link to the record form

    with CaptureQueriesContext(connection) as queries:
        assert intel_client.get(held_url).status_code == 200

    assert not [q for q in queries if q["sql"].startswith('UPDATE "django_session"')]


def test_a_line_page_links_its_numbers_by_id_not_by_number(intel_client, db):
    line = LineFactory(reference="CL-2024-001")
    attribution = LineNumberFactory(line=line, number=PhoneNumberFactory(e164="+447712345678"))
    page = intel_client.get(reverse("lines:line_detail", args=[line.pk])).content.decode()

    link = reverse("lines:number_search_for", args=[attribution.number.pk])
    assert f'href="{link}"' in page
    assert not [url for url in re.findall(r'href="([^"]*)"', page) if "7712345678" in url]
    followed = intel_client.get(link, follow=True)
    assert "7712" not in followed.redirect_chain[-1][0]
    assert "07712 345678 is known" in followed.content.decode()


def test_the_numbers_found_by_part_link_by_id(intel_client, db):
    number = PhoneNumberFactory(e164="+447712345678")
    LineNumberFactory(line=LineFactory(), number=number)
    held_url = intel_client.post(reverse("lines:number_search"), {"number": "712345"}).url

    page = intel_client.get(held_url).content.decode()

    assert f'href="{reverse("lines:number_search_for", args=[number.pk])}"' in page


def test_a_form_posted_without_its_token_is_refused_with_a_way_on(people, intel):
    client = Client(enforce_csrf_checks=True)
    client.force_login(intel)

    response = client.post(PEOPLE, {"q": "barnes"})

    assert response.status_code == 403
    assert "This page has expired" in response.content.decode()


@pytest.mark.parametrize(
    ("list_name", "parameter", "term"),
    [
        ("persons:person_list", "q", "O’Neill"),
        ("lines:line_list", "q", "07712 345678"),
        ("safeguarding:referral_list", "search", "YO1 7HH"),
        ("search:search", "q", "O’Neill"),
    ],
)
def test_no_page_names_a_term_searched_for_in_its_title(
    intel_client, people, list_name, parameter, term
):
    # A title is kept in the browser's history, which the held search keeps terms out of.
    response = intel_client.get(reverse(list_name), {parameter: term}, follow=True)

    assert response.status_code == 200
    [title] = re.findall(r"<title>(.*?)</title>", response.content.decode(), re.S)
    assert term not in title and term.split()[0] not in title
