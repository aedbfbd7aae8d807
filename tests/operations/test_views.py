"""The enforcement screens: who may use which URL, what is audited, forms with the
rules' own words, money in pounds and pence, and the operation page's figures."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from operations.models import Arrest, DrugTest, Operation, Seizure, Sentence
from operations.services import enforcement_update
from tests.lines.factories import LineFactory
from tests.persons.factories import PersonFactory

from ..helpers import date_fields, denials_of, redirects_to_sign_in
from .factories import (
    ArrestFactory,
    ChargeFactory,
    OperationFactory,
    SeizureFactory,
    SentenceFactory,
)

pytestmark = pytest.mark.django_db
KINDS = ["operation", "arrest", "charge", "sentence", "seizure"]


@pytest.fixture
def records(db):
    operation = OperationFactory(reference="OP-1")
    person = PersonFactory(reference="P-1", date_of_birth=datetime.date(2005, 1, 1))
    line = LineFactory(reference="CL-1")
    return {
        "operation": operation,
        "arrest": ArrestFactory(person=person, line=line, operation=operation),
        "charge": ChargeFactory(person=person, line=line),
        "sentence": SentenceFactory(person=person, line=line),
        "seizure": SeizureFactory(line=line, operation=operation),
    }


def read_urls(records) -> list[str]:
    urls = []
    for kind in KINDS:
        urls += [
            reverse(f"operations:{kind}_list"),
            reverse(f"operations:{kind}_list") + "?sort=reference",
            reverse(f"operations:{kind}_export"),
            reverse(f"operations:{kind}_detail", args=[records[kind].pk]),
        ]
    return urls


def write_urls(records) -> list[str]:
    urls = []
    for kind in KINDS:
        urls += [
            reverse(f"operations:{kind}_create"),
            reverse(f"operations:{kind}_update", args=[records[kind].pk]),
        ]
    return urls


def test_anonymous_visitors_are_sent_to_sign_in(client, records):
    for url in read_urls(records) + write_urls(records):
        assert redirects_to_sign_in(client.get(url)), url


@pytest.mark.parametrize("role", ["partner", "partner2", "administrator"])
def test_partners_and_administrators_see_no_enforcement(request, role, records):
    client = request.getfixturevalue(f"{role}_client")
    username = request.getfixturevalue(role).username
    urls = read_urls(records) + write_urls(records)
    for url in urls:
        assert client.get(url).status_code in (403, 404), url
    assert not AuditEvent.objects.filter(action__in=["view", "search", "export"]).exists()
    assert denials_of(username).count() == len(urls)


def test_managers_read_but_cannot_write(manager_client, records):
    for url in read_urls(records):
        assert manager_client.get(url).status_code == 200, url
    for url in write_urls(records):
        assert manager_client.get(url).status_code == 403, url
    response = manager_client.post(
        reverse("operations:sentence_update", args=[records["sentence"].pk]),
        {
            "person_reference": "P-1",
            "custody_months": "1",
            **date_fields("sentenced_on", "2021-11-01"),
        },
    )
    assert response.status_code == 403
    assert Sentence.objects.get().custody_months == 48


def test_intelligence_officers_use_every_screen(intel_client, records):
    for url in read_urls(records) + write_urls(records):
        assert intel_client.get(url).status_code == 200, url


def test_viewing_searching_exporting_and_opening_forms_is_audited(intel_client, records):
    arrest = records["arrest"]
    intel_client.get(reverse("operations:arrest_list"), {"person": "P-1"}, follow=True)
    intel_client.get(reverse("operations:arrest_export"), {"person": "P-1"}, follow=True)
    intel_client.get(reverse("operations:arrest_detail", args=[arrest.pk]))
    intel_client.get(reverse("operations:arrest_update", args=[arrest.pk]))

    search = AuditEvent.objects.get(action="search", object_type="operations.arrest")
    assert search.detail["filters"] == {"person": "P-1"}
    assert (
        AuditEvent.objects.get(action="export", object_type="operations.arrest").detail["rows"] == 1
    )
    views = AuditEvent.objects.filter(action="view", object_id=str(arrest.pk))
    assert sorted(event.detail.get("form", "") for event in views) == ["", "change details"]


def test_the_export_holds_exactly_the_filtered_rows_in_the_imports_columns(intel_client, records):
    SeizureFactory(reference="SZ-OTHER", seized_on=datetime.date(2020, 1, 1))
    response = intel_client.get(
        reverse("operations:seizure_export"), {**date_fields("date_from", "2021-01-01")}
    )
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("reference,seized_on,cash_gbp,drug,grams,other_items,line_reference")
    assert len(lines) == 2 and lines[1].startswith(
        f"{records['seizure'].reference},2021-10-05,1500.00,Cocaine"
    )


def test_an_arrest_is_added_by_references(intel_client, records):
    response = intel_client.post(
        reverse("operations:arrest_create"),
        {
            "reference": "AR-NEW",
            "person_reference": "p-1",
            "line_reference": "cl-1",
            "command_area": records["arrest"].command_area_id,
            "drug_test": DrugTest.COCAINE,
            "treatment_referral": "on",
            **date_fields("arrested_on", "2021-10-06"),
        },
    )
    assert response.status_code == 302
    arrest = Arrest.objects.get(reference="AR-NEW")
    assert (arrest.person.reference, arrest.line.reference) == ("P-1", "CL-1")
    assert arrest.treatment_referral and arrest.drug_test == DrugTest.COCAINE
    assert AuditEvent.objects.filter(action="create", object_id=str(arrest.pk)).exists()


def test_unknown_references_are_named_as_the_import_names_them(intel_client, records):
    response = intel_client.post(
        reverse("operations:charge_create"),
        {
            "reference": "CH-X",
            "person_reference": "P-404",
            "offence": "Supply",
            **date_fields("charged_on", "2021-10-06"),
        },
    )
    assert "No person has the reference “P-404”" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"cash_gbp": "12.345"}, "“12.345” has more than 2 decimal places."),
        ({"cash_gbp": "lots"}, "“lots” is not an amount of money."),
        ({}, "Enter the cash seized, or the drug and its weight, or both"),
        ({"drug": "cocaine"}, "Enter the weight of the drug seized, in grams"),
        ({"grams": "3"}, "Select the drug the weight is of"),
    ],
)
def test_seizure_rules_are_shown_on_the_form_in_the_imports_words(
    intel_client, records, data, message
):
    from reference.models import Drug

    if data.get("drug") == "cocaine":
        data = data | {"drug": Drug.objects.get(name="Cocaine").pk}
    response = intel_client.post(
        reverse("operations:seizure_create"),
        {"reference": "SZ-NEW", **date_fields("seized_on", "2021-10-06"), **data},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Seizure.objects.filter(reference="SZ-NEW").exists()


def test_money_is_entered_in_pounds_and_pence_and_shown_with_separators(intel_client, records):
    response = intel_client.post(
        reverse("operations:seizure_create"),
        {"reference": "SZ-NEW", "cash_gbp": "10,250.10", **date_fields("seized_on", "2021-10-06")},
    )
    assert response.status_code == 302
    seizure = Seizure.objects.get(reference="SZ-NEW")
    assert seizure.cash_gbp == Decimal("10250.10")
    page = intel_client.get(reverse("operations:seizure_detail", args=[seizure.pk]))
    assert "£10,250.10" in page.content.decode()


@pytest.mark.parametrize(
    ("months", "message"), [("-1", "Custody months must be 0 or more"), ("2.5", "whole number")]
)
def test_custody_months_are_a_whole_number_of_at_least_0(intel_client, records, months, message):
    response = intel_client.post(
        reverse("operations:sentence_create"),
        {
            "reference": "SE-NEW",
            "person_reference": "P-1",
            "custody_months": months,
            **date_fields("sentenced_on", "2021-11-02"),
        },
    )
    assert message in response.content.decode()
    assert not Sentence.objects.filter(reference="SE-NEW").exists()


def test_an_update_over_a_newer_version_is_a_conflict(intel_client, intel, records):
    sentence = records["sentence"]
    url = reverse("operations:sentence_update", args=[sentence.pk])
    data = {
        "person_reference": "P-1",
        "line_reference": "CL-1",
        "custody_months": "60",
        "version": sentence.version,
        **date_fields("sentenced_on", "2021-11-01"),
    }
    enforcement_update(obj=Sentence.objects.get(), user=intel, custody_months=50)

    response = intel_client.post(url, data)
    assert "Someone else changed this record" in response.content.decode()
    assert Sentence.objects.get().custody_months == 50
    assert intel_client.post(url, response.context["form"].data).status_code == 302
    event = AuditEvent.objects.filter(action="update", object_id=str(sentence.pk)).latest("pk")
    assert event.detail["changes"] == {"custody_months": [50, 60]}


def test_the_operation_page_counts_by_day_and_week(intel_client, records):
    operation = records["operation"]
    child = records["arrest"].person  # born 2005: a child in 2021
    adult = PersonFactory(date_of_birth=datetime.date(1990, 1, 1), vulnerable_adult=True)
    ArrestFactory(
        person=adult,
        operation=operation,
        arrested_on=datetime.date(2021, 10, 12),
        drug_test=DrugTest.BOTH,
        treatment_referral=True,
    )
    ArrestFactory(person=child, operation=operation, arrested_on=datetime.date(2021, 10, 13))
    SeizureFactory(
        operation=operation, seized_on=datetime.date(2021, 10, 6), cash_gbp=Decimal("9000.50")
    )
    ChargeFactory(person=adult, charged_on=datetime.date(2021, 10, 14))

    response = intel_client.get(reverse("operations:operation_detail", args=[operation.pk]))
    summary = response.context["summary"]

    assert [(w.label, w.arrests, w.seizures, w.cash) for w in summary.weeks] == [
        ("Week 1", 1, 2, Decimal("10500.50")),
        ("Week 2", 2, 0, Decimal("0.00")),
    ]
    assert len(summary.days) == 14
    assert (
        summary.arrests,
        summary.persons_arrested,
        summary.children,
        summary.vulnerable_adults,
    ) == (3, 2, 1, 1)
    assert (summary.positive_tests, summary.treatment_referrals, summary.lines) == (1, 1, 1)
    # The child's earlier charge (6 Oct) and the adult's, both during the operation.
    assert summary.charges == 2
    assert "£10,500.50" in response.content.decode()


def test_the_operation_page_is_headed_by_its_name_with_its_dates_as_a_period(intel_client, records):
    operation = records["operation"]  # 4 to 17 October 2021
    SeizureFactory(operation=operation, cash_gbp=Decimal("123456.78"))

    html = intel_client.get(
        reverse("operations:operation_detail", args=[operation.pk])
    ).content.decode()

    assert f'<h1 class="govuk-heading-xl">{operation.name}</h1>' in html
    assert f"Operation {operation.reference}</span>" in html
    assert "4 to 17 October 2021" in html
    figures = html[html.index('data-testid="operation-figures"') :]
    figures = figures[: figures.index("</ul>")]
    assert figures.count('class="app-figures__item"') == 8
    assert '<span class="app-figures__value">£' in figures


def test_lists_and_pages_cost_the_same_queries_whatever_their_length(intel_client, records):
    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert intel_client.get(url).status_code == 200
        return len(captured)

    urls = [reverse(f"operations:{kind}_list") for kind in KINDS]
    urls.append(reverse("operations:operation_detail", args=[records["operation"].pk]))
    few = [queries(url) for url in urls]
    operation = records["operation"]
    for _ in range(30):
        ArrestFactory(operation=operation)
        ChargeFactory()
        SentenceFactory()
        SeizureFactory(operation=operation)
        OperationFactory()
    assert [queries(url) for url in urls] == few


def test_the_line_page_shows_its_people_and_enforcement_in_tabs(intel_client, records):
    from persons.models import LineRole, LineRoleKind

    line = records["arrest"].line
    LineRole.objects.create(
        person=records["arrest"].person,
        line=line,
        role=LineRoleKind.RUNNER,
        started_on=datetime.date(2021, 9, 1),
        source_evaluation="1",
        assessment="A",
        handling_code="P",
    )
    url = reverse("lines:line_detail", args=[line.pk])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = intel_client.get(url)
        return response, len(captured)

    response, few = queries()
    page = response.content.decode()
    assert 'href="#people">People (1)' in page
    assert (
        'href="#enforcement">Enforcement (4)' in page
    )  # an arrest, a charge, a sentence, a seizure
    assert records["charge"].reference in page and "Runner" in page
    for _ in range(5):
        ArrestFactory(line=line)
        SeizureFactory(line=line)
    assert queries()[1] == few


@pytest.mark.parametrize("kind", ["person", "operation", "arrest", "seizure"])
def test_printing_people_operations_and_enforcement_is_audited(
    manager_client, manager, records, kind
):
    if kind == "person":
        record = records["arrest"].person
        url = reverse("persons:person_detail", args=[record.pk])
    else:
        record = records[kind]
        url = reverse(f"operations:{kind}_detail", args=[record.pk])
    assert manager_client.get(url, {"print": "1"}).status_code == 200
    event = AuditEvent.objects.get(action="print")
    assert (event.user, event.object_type, event.object_id) == (
        manager,
        record._meta.label_lower,
        str(record.pk),
    )


@pytest.mark.parametrize(
    ("kind", "field", "message"),
    [
        ("arrest", "arrested_on", "Date of arrest must be a real date"),
        ("charge", "charged_on", "Date charged must be a real date"),
        ("sentence", "sentenced_on", "Date sentenced must be a real date"),
        ("seizure", "seized_on", "Date seized must be a real date"),
        ("operation", "started_on", "Start date must be a real date"),
    ],
)
def test_a_date_that_is_not_a_date_is_refused_on_every_form(
    intel_client, records, kind, field, message
):
    response = intel_client.post(
        reverse(f"operations:{kind}_create"),
        {"reference": "X-1", "person_reference": "P-1", **date_fields(field, ("30", "2", "2021"))},
    )
    assert response.status_code == 200
    assert message in response.content.decode()


def test_an_operation_ending_before_it_starts_is_refused(intel_client, records):
    response = intel_client.post(
        reverse("operations:operation_create"),
        {
            "reference": "OP-NEW",
            "name": "Operation Test",
            "kind": "warrant",
            **date_fields("started_on", "2021-10-10"),
            **date_fields("ended_on", "2021-10-01"),
        },
    )
    assert "The end date must be on or after the start date (10 October 2021)" in (
        response.content.decode()
    )
    assert not Operation.objects.filter(reference="OP-NEW").exists()


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("arrest", {"person_reference": "P-404"}, "No person has the reference “P-404”"),
        ("charge", {"person_reference": "P-404"}, "No person has the reference “P-404”"),
        ("sentence", {"person_reference": "P-404"}, "No person has the reference “P-404”"),
        ("arrest", {"line_reference": "CL-404"}, "No county line has the reference “CL-404”"),
        ("charge", {"line_reference": "CL-404"}, "No county line has the reference “CL-404”"),
        ("sentence", {"line_reference": "CL-404"}, "No county line has the reference “CL-404”"),
        ("seizure", {"line_reference": "CL-404"}, "No county line has the reference “CL-404”"),
        ("arrest", {"command_area": "999999"}, "Select a command area from the list"),
        ("seizure", {"drug": "999999", "grams": "3"}, "Select a drug from the list"),
    ],
)
def test_unknown_people_lines_areas_and_drugs_are_refused_on_the_forms(
    intel_client, records, kind, data, message
):
    model = type(records[kind])
    response = intel_client.post(
        reverse(f"operations:{kind}_create"),
        {"reference": "X-NEW", "person_reference": "P-1", "custody_months": "3"} | data,
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not model.objects.filter(reference="X-NEW").exists()
