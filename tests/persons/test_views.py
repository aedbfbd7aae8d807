"""The people screens: who may use which URL, the name search, likely duplicates, edit
conflicts, and what is audited."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from lines.models import Line, PhoneNumber
from persons.models import LineRole, Person, PersonNumber
from persons.services import person_update

from ..helpers import date_fields, denials_of, redirects_to_sign_in
from ..lines.factories import LineFactory
from .factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(db):
    LineFactory(reference="CL-1")
    return PersonFactory(
        reference="NYP/P/1",
        surname="O’Neill",
        forenames="Zoë",
        aliases="Zed\nZee Dog",
        date_of_birth=datetime.date(2005, 3, 1),
    )


def read_urls(person) -> list[str]:
    return [
        reverse("persons:person_list"),
        reverse("persons:person_list") + "?q=zoe&sort=-born",
        reverse("persons:person_export"),
        reverse("persons:person_detail", args=[person.pk]),
    ]


def write_urls(person) -> list[str]:
    return [
        reverse("persons:person_create"),
        reverse("persons:person_update", args=[person.pk]),
        reverse("persons:person_number_add", args=[person.pk]),
        reverse("persons:person_address_add", args=[person.pk]),
        reverse("persons:line_role_add", args=[person.pk]),
    ]


def valid_posts(person) -> dict[str, dict]:
    return {
        reverse("persons:person_create"): {"reference": "NYP/P/2", "surname": "Smith"},
        reverse("persons:person_update", args=[person.pk]): {
            "surname": "O’Neill",
            "forenames": "Zoe",
            "aliases": "Zed\nZee Dog",
            **date_fields("date_of_birth", "2005-03-01"),
            "version": person.version,
        },
        reverse("persons:person_number_add", args=[person.pk]): {
            "number": "07712 345678",
            **date_fields("used_from", "2021-01-01"),
        },
        reverse("persons:person_address_add", args=[person.pk]): {
            "address": "1 Example Street\nYork",
            "postcode": "YO1 1AA",
        },
        reverse("persons:line_role_add", args=[person.pk]): {
            "line_reference": "cl-1",
            "role": "runner",
            **date_fields("started_on", "2021-01-01"),
            "source_evaluation": "1",
            "assessment": "B",
            "handling_code": "P",
        },
    }


def test_anonymous_visitors_are_sent_to_sign_in(client, person):
    for url in read_urls(person) + write_urls(person):
        assert redirects_to_sign_in(client.get(url)), url


@pytest.mark.parametrize("role", ["partner", "partner2", "administrator"])
def test_partners_and_administrators_never_see_people(request, role, person):
    client = request.getfixturevalue(f"{role}_client")
    username = request.getfixturevalue(role).username
    urls = read_urls(person) + write_urls(person)
    for url in urls:
        assert client.get(url).status_code in (403, 404), url
    for url, data in valid_posts(person).items():
        assert client.post(url, data).status_code in (403, 404), url
    assert Person.objects.count() == 1 and Person.objects.get().forenames == "Zoë"
    assert not AuditEvent.objects.filter(action__in=["view", "search", "export"]).exists()
    assert denials_of(username).count() == len(urls) + len(valid_posts(person))
    assert "People" not in client.get("/").content.decode()


def test_managers_read_but_cannot_write(manager_client, person):
    for url in read_urls(person):
        assert manager_client.get(url, follow=True).status_code == 200, url
    for url in write_urls(person):
        assert manager_client.get(url).status_code == 403, url
    for url, data in valid_posts(person).items():
        assert manager_client.post(url, data).status_code == 403, url
    detail = manager_client.get(reverse("persons:person_detail", args=[person.pk])).content.decode()
    assert reverse("persons:person_update", args=[person.pk]) not in detail
    assert "Print this person" in detail
    assert Person.objects.count() == 1


def test_intelligence_officers_add_and_change_people(intel_client, person):
    for url in read_urls(person) + write_urls(person):
        assert intel_client.get(url, follow=True).status_code == 200, url
    for url, data in valid_posts(person).items():
        assert intel_client.post(url, data).status_code == 302, url
    person.refresh_from_db()
    assert person.forenames == "Zoe" and person.version == 2
    assert person.numbers.get().number.e164 == "+447712345678"
    assert person.addresses.get().postcode == "YO1 1AA"
    role = person.line_roles.get()
    assert (role.line.reference, role.role, role.grading) == ("CL-1", "runner", "1BP")
    assert AuditEvent.objects.filter(action="create", object_type="persons.linerole").exists()
    assert Person.objects.filter(reference="NYP/P/2").exists()
    update = AuditEvent.objects.get(action="update", object_id=str(person.pk))
    assert update.detail["changes"] == {"forenames": ["Zoë", "Zoe"]}


def test_unknown_person_is_not_found(intel_client):
    assert intel_client.get(reverse("persons:person_detail", args=[999])).status_code == 404


@pytest.mark.parametrize(
    "query",
    ["zoe", "ZOË", "oneill", "o neill", "O'Neill", "Zoë O’Neill", "neill zo", "zee dog", "nyp/p/1"],
)
def test_the_name_search_ignores_accents_case_and_spacing_and_finds_aliases(
    intel_client, person, query
):
    PersonFactory(surname="Smith", forenames="John")
    response = intel_client.get(reverse("persons:person_list"), {"q": query}, follow=True)

    assert [p.reference for p in response.context["list"].page] == ["NYP/P/1"], query


def test_the_search_finds_people_by_number_in_any_spelling_or_by_part(intel_client, person):
    number = PhoneNumber.objects.create(e164="+447712345678")
    PersonNumber.objects.create(person=person, number=number, used_from=datetime.date(2021, 1, 1))
    PersonFactory(surname="Smith")
    for query in ["07712 345678", "+44 7712 345678", "345678"]:
        response = intel_client.get(reverse("persons:person_list"), {"q": query}, follow=True)
        assert [p.reference for p in response.context["list"].page] == ["NYP/P/1"], query


def test_searching_and_viewing_people_is_audited(intel_client, person):
    intel_client.get(reverse("persons:person_list"), {"q": "zoe"}, follow=True)
    intel_client.get(reverse("persons:person_detail", args=[person.pk]))
    intel_client.get(reverse("persons:person_export"), {"q": "zoe"}, follow=True)

    search = AuditEvent.objects.get(action="search", object_type="persons.person")
    assert search.detail["filters"] == {"q": "zoe"}
    assert AuditEvent.objects.filter(action="view", object_id=str(person.pk)).exists()
    assert AuditEvent.objects.filter(action="export", object_type="persons.person").exists()


def test_a_similar_person_with_the_same_birth_date_is_shown_before_adding(intel_client, person):
    data = {"reference": "NYP/P/9", "surname": "ONEILL", "forenames": "Zoe"}
    data |= date_fields("date_of_birth", "2005-03-01")
    first = intel_client.post(reverse("persons:person_create"), data)

    assert first.status_code == 200
    assert [p.pk for p in first.context["duplicates"]] == [person.pk]
    assert not Person.objects.filter(reference="NYP/P/9").exists()
    confirmed = intel_client.post(
        reverse("persons:person_create"), data | {"not_a_duplicate": "yes"}
    )
    assert confirmed.status_code == 302
    assert Person.objects.filter(reference="NYP/P/9").exists()


def test_a_taken_reference_in_another_case_is_refused(intel_client, person):
    response = intel_client.post(
        reverse("persons:person_create"), {"reference": "nyp/p/1", "surname": "Smith"}
    )
    assert "A person with the reference “nyp/p/1” already exists" in response.content.decode()


def test_the_rules_of_the_model_are_shown_on_the_form(intel_client, person):
    data = valid_posts(person)[reverse("persons:person_update", args=[person.pk])]
    response = intel_client.post(
        reverse("persons:person_update", args=[person.pk]), data | {"nrm_stage": "referred"}
    )
    assert "Enter the date of the NRM referral before its stage" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"surname": ""}, "Enter the person&#x27;s surname"),
        (date_fields("date_of_birth", ("30", "2", "2005")), "Date of birth must be a real date"),
        (date_fields("date_of_birth", "2999-01-01"), "Date of birth must be today or in the past"),
        ({"gender": "X"}, "Select a valid choice"),
    ],
)
def test_the_imports_rules_on_a_person_are_refused_on_the_form(intel_client, data, message):
    response = intel_client.post(
        reverse("persons:person_create"), {"reference": "NYP/P/9", "surname": "Smith"} | data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Person.objects.filter(reference="NYP/P/9").exists()


def test_saving_over_a_newer_version_shows_the_other_change(intel_client, intel, person):
    url = reverse("persons:person_update", args=[person.pk])
    data = valid_posts(person)[url]
    person_update(person=Person.objects.get(), user=intel, surname="Neill")

    response = intel_client.post(url, data)

    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    assert Person.objects.get().surname == "Neill"


def test_the_list_costs_the_same_queries_whatever_its_length(intel_client, person):
    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert intel_client.get(url).status_code == 200
        return len(captured)

    from tests.operations.factories import ArrestFactory, ChargeFactory, SentenceFactory

    url = reverse("persons:person_list")
    detail = reverse("persons:person_detail", args=[person.pk])
    few, few_on_detail = queries(url), queries(detail)
    PersonFactory.create_batch(60, aliases="Alias")
    line = LineFactory()
    for n in range(10):
        number = PhoneNumber.objects.create(e164=f"+4477009001{n:02d}")
        PersonNumber.objects.create(
            person=person, number=number, used_from=datetime.date(2021, 1, 1)
        )
        LineRole.objects.create(
            person=person,
            line=line,
            role="runner",
            started_on=datetime.date(2021, 1, 1),
            source_evaluation="1",
            assessment="A",
            handling_code="P",
        )
        ArrestFactory(person=person, line=line)
        ChargeFactory(person=person, line=line)
        SentenceFactory(person=person, line=line)
    assert queries(url) == few
    assert queries(detail) == few_on_detail


def test_the_number_search_finds_people_as_well_as_lines(intel_client, person):
    number = PhoneNumber.objects.create(e164="+447712345678")
    PersonNumber.objects.create(person=person, number=number, used_from=datetime.date(2021, 1, 1))

    response = intel_client.get(
        reverse("lines:number_search"), {"number": "07712 345678"}, follow=True
    )

    page = response.content.decode()
    assert 'data-testid="number-known"' in page
    assert reverse("persons:person_detail", args=[person.pk]) in page
    event = AuditEvent.objects.get(action="search", object_type="lines.phonenumber")
    assert event.detail["persons"] == ["NYP/P/1"]


def test_a_period_ending_before_it_starts_is_refused_in_the_rules_words(intel_client, person):
    response = intel_client.post(
        reverse("persons:person_number_add", args=[person.pk]),
        {
            "number": "07712 345678",
            **date_fields("used_from", "2021-03-01"),
            **date_fields("used_to", "2021-02-01"),
        },
    )
    assert "The date last used must be on or after the date first used (1 March 2021)" in (
        response.content.decode()
    )
    assert not PersonNumber.objects.exists()


def test_a_role_on_an_unknown_line_is_refused(intel_client, person):
    data = valid_posts(person)[reverse("persons:line_role_add", args=[person.pk])]
    response = intel_client.post(
        reverse("persons:line_role_add", args=[person.pk]), data | {"line_reference": "CL-404"}
    )
    assert "No county line has the reference “CL-404”" in response.content.decode()


def test_the_person_page_has_a_timeline_of_roles_arrests_and_changes(intel_client, intel, person):
    from tests.operations.factories import ArrestFactory

    ArrestFactory(person=person, arrested_on=datetime.date(2021, 10, 5))
    person_update(person=person, user=intel, exploited=True)

    response = intel_client.get(reverse("persons:person_detail", args=[person.pk]))

    titles = [event.title for event in response.context["timeline"]]
    assert "Arrested (a child)" in titles  # born 1 March 2005
    assert "Exploited changed from No to Yes" in titles
    assert 'data-event="arrested"' in response.content.decode()


@pytest.fixture
def recorded(person):
    """A number, an address and a role on a line recorded for `person`."""
    number = PersonNumber.objects.create(
        person=person,
        number=PhoneNumber.objects.create(e164="+447712345678"),
        used_from=datetime.date(2021, 1, 1),
    )
    address = person.addresses.create(address="1 Example Street", postcode="YO1 1AA")
    role = LineRole.objects.create(
        person=person,
        line=Line.objects.get(reference="CL-1"),
        role="runner",
        started_on=datetime.date(2021, 1, 1),
        source_evaluation="1",
        assessment="A",
        handling_code="P",
    )
    return {"number": number, "address": address, "role": role}


def change_posts(person, recorded) -> dict[str, dict]:
    return {
        reverse("persons:person_number_change", args=[person.pk, recorded["number"].pk]): {
            **date_fields("used_from", "2021-01-01"),
            **date_fields("used_to", "2021-06-30"),
            "version": 1,
        },
        reverse("persons:person_address_change", args=[person.pk, recorded["address"].pk]): {
            "address": "2 Example Street",
            "postcode": "YO1 1AA",
            "version": 1,
        },
        reverse("persons:line_role_change", args=[person.pk, recorded["role"].pk]): {
            "role": "line_holder",
            **date_fields("started_on", "2021-01-01"),
            **date_fields("ended_on", "2021-09-30"),
            "source_evaluation": "1",
            "assessment": "A",
            "handling_code": "P",
            "version": 1,
        },
    }


def test_numbers_addresses_and_roles_are_changed_with_their_changes_audited(
    intel_client, person, recorded
):
    for url, data in change_posts(person, recorded).items():
        assert intel_client.get(url, follow=True).status_code == 200, url
        assert intel_client.post(url, data).status_code == 302, url

    assert PersonNumber.objects.get().used_to == datetime.date(2021, 6, 30)
    assert person.addresses.get().address == "2 Example Street"
    role = LineRole.objects.get()
    assert (role.role, role.ended_on, role.version) == (
        "line_holder",
        datetime.date(2021, 9, 30),
        2,
    )
    event = AuditEvent.objects.get(action="update", object_type="persons.linerole")
    assert event.detail["changes"]["role"] == ["runner", "line_holder"]
    page = intel_client.get(reverse("persons:person_detail", args=[person.pk])).content.decode()
    assert reverse("persons:line_role_change", args=[person.pk, role.pk]) in page


def test_only_officers_change_them_and_never_through_another_person(
    intel_client, manager_client, partner_client, person, recorded
):
    other = PersonFactory()
    for url, data in change_posts(person, recorded).items():
        assert manager_client.post(url, data).status_code == 403, url
        assert partner_client.post(url, data).status_code in (403, 404), url
        through_other = url.replace(f"/people/{person.pk}/", f"/people/{other.pk}/")
        assert intel_client.post(through_other, data).status_code == 404, through_other
    assert LineRole.objects.get().role == "runner"
    assert PersonNumber.objects.get().used_to is None


def test_a_change_over_a_newer_version_is_a_conflict(intel_client, intel, person, recorded):
    from persons.services import person_record_update

    url, data = next(iter(change_posts(person, recorded).items()))
    person_record_update(
        record=PersonNumber.objects.get(), user=intel, used_to=datetime.date(2021, 3, 1)
    )

    response = intel_client.post(url, data)

    assert "Someone else changed this record" in response.content.decode()
    assert PersonNumber.objects.get().used_to == datetime.date(2021, 3, 1)


def test_the_search_by_part_of_a_number_lists_people_too_for_those_who_may_see_them(
    intel_client, person
):
    number = PhoneNumber.objects.create(e164="+447712345678")
    PersonNumber.objects.create(person=person, number=number, used_from=datetime.date(2021, 1, 1))

    page = intel_client.get(
        reverse("lines:number_search"), {"number": "2345678"}, follow=True
    ).content.decode()

    assert "07712 345678" in page
    assert reverse("persons:person_detail", args=[person.pk]) in page
    assert "1 Jan 2021 onwards" in page
