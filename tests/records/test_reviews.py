"""MoPI retention review (records.reviews): the rules, the outcome of a review (kept until a
date, or disposed of), the queue of what is due by role, and the flags of overdue reviews."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from lines.models import IntelligenceEntry, Line, LineNumber
from operations.models import Arrest
from persons.models import Person
from records import reviews
from records.reviews import retention_review, review_problems
from records.versions import EditConflict
from safeguarding.models import Referral

from ..helpers import date_fields, text
from ..lines.factories import IntelligenceEntryFactory, LineFactory, LineNumberFactory
from ..operations.factories import ArrestFactory
from ..persons.factories import PersonFactory
from ..safeguarding.factories import ReferralFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


# --- The rules ---------------------------------------------------------------------------------


def test_a_record_is_kept_until_a_date_in_the_next_ten_years_for_a_reason():
    assert review_problems(outcome="retain", retain_until=days(365), reason="A", today=TODAY) == {}
    latest = reviews.latest_retention(TODAY)
    assert review_problems(outcome="retain", retain_until=latest, reason="A", today=TODAY) == {}
    too_far = review_problems(
        outcome="retain", retain_until=latest + datetime.timedelta(days=1), reason="A", today=TODAY
    )
    assert too_far["retain_until"].startswith(
        "The date to keep the record until must be no later than"
    )
    assert "at least every 10 years" in too_far["retain_until"]
    assert review_problems(outcome="retain", retain_until=TODAY, reason="A", today=TODAY) == {
        "retain_until": "The date to keep the record until must be in the future"
    }
    assert review_problems(outcome="retain", retain_until=None, reason=" ", today=TODAY) == {
        "retain_until": "Enter the date to keep the record until",
        "reason": "Enter the reason the record is kept",
    }


def test_a_disposal_needs_a_reason_and_no_date():
    assert review_problems(outcome="dispose", retain_until=None, reason="", today=TODAY) == {
        "reason": "Enter the reason for disposing of the record"
    }
    assert review_problems(outcome="dispose", retain_until=None, reason="Spent", today=TODAY) == {}
    assert "outcome" in review_problems(outcome="", retain_until=None, reason="x", today=TODAY)


def test_the_latest_date_from_the_29th_of_february_is_the_28th():
    assert reviews.latest_retention(datetime.date(2028, 2, 29)) == datetime.date(2038, 2, 28)


# --- The service: retain -------------------------------------------------------------------------


@pytest.mark.parametrize("factory", [LineFactory, PersonFactory, ReferralFactory])
def test_keeping_a_record_sets_its_next_review_and_reason_and_audits_the_review(factory, intel):
    record = factory(next_review_on=days(-3), retention_reason="Old reason")
    retention_review(
        user=intel,
        record=record,
        outcome="retain",
        retain_until=days(400),
        reason="Active investigation",
        expected_version=record.version,
    )
    record.refresh_from_db()
    assert (record.next_review_on, record.retention_reason) == (days(400), "Active investigation")
    assert record.version == 2
    event = AuditEvent.objects.get(action="update", object_id=str(record.pk))
    assert event.object_type == record._meta.label_lower
    assert event.user == intel
    assert event.detail["review"] == {
        "outcome": "retain",
        "retain_until": days(400).isoformat(),
        "reason": "Active investigation",
    }
    assert event.detail["version"] == 2


def test_a_review_that_keeps_what_was_set_is_still_recorded(intel):
    line = LineFactory(next_review_on=days(2), retention_reason="Kept")
    retention_review(user=intel, record=line, outcome="retain", retain_until=days(2), reason="Kept")
    line.refresh_from_db()
    assert line.version == 2
    assert AuditEvent.objects.get(action="update", object_id=str(line.pk)).detail["review"]


def test_a_review_over_a_newer_version_is_an_edit_conflict(intel):
    line = LineFactory(next_review_on=days(2))
    with pytest.raises(EditConflict):
        retention_review(
            user=intel,
            record=line,
            outcome="retain",
            retain_until=days(20),
            reason="Kept",
            expected_version=line.version + 1,
        )


def test_a_review_the_rules_refuse_changes_nothing(intel):
    line = LineFactory(next_review_on=days(2))
    with pytest.raises(ValidationError) as refused:
        retention_review(
            user=intel, record=line, outcome="retain", retain_until=days(-1), reason="Kept"
        )
    assert "retain_until" in refused.value.message_dict
    line.refresh_from_db()
    assert line.next_review_on == days(2)
    assert not AuditEvent.objects.filter(action="update").exists()


@pytest.mark.parametrize("who", ["manager", "partner", "administrator"])
def test_only_those_who_change_every_record_review_one(who, request):
    user = request.getfixturevalue(who)
    referral = ReferralFactory(next_review_on=days(2))
    with pytest.raises(PermissionDenied):
        retention_review(
            user=user, record=referral, outcome="retain", retain_until=days(20), reason="Kept"
        )


# --- The service: dispose ------------------------------------------------------------------------


def test_disposing_of_a_line_deletes_it_with_what_hangs_off_it_and_audits_the_reason(intel):
    line = LineFactory(reference="CL-GONE", next_review_on=days(-1))
    pk = line.pk
    LineNumberFactory(line=line)
    IntelligenceEntryFactory(line=line)
    disposal = reviews.disposal_of(line)
    assert disposal.allowed
    assert (1, "intelligence entry") in disposal.removed
    retention_review(user=intel, record=line, outcome="dispose", reason="No policing purpose")
    assert not Line.objects.filter(pk=pk).exists()
    assert not LineNumber.objects.exists() and not IntelligenceEntry.objects.exists()
    event = AuditEvent.objects.get(action="delete", object_type="lines.line")
    assert event.object_id == str(pk)
    assert event.user == intel
    assert event.detail["reference"] == "CL-GONE"
    assert event.detail["review"] == {"outcome": "dispose", "reason": "No policing purpose"}
    assert event.detail["removed"]["intelligence entry"] == 1


def test_a_person_an_arrest_names_cannot_be_disposed_of(intel):
    person = PersonFactory(next_review_on=days(-1))
    ArrestFactory(person=person)
    disposal = reviews.disposal_of(person)
    assert not disposal.allowed
    assert "1 arrest" in disposal.refusal
    with pytest.raises(ValidationError) as refused:
        retention_review(user=intel, record=person, outcome="dispose", reason="Spent")
    assert "cannot be disposed of while other records name it" in str(refused.value)
    assert Person.objects.filter(pk=person.pk).exists()
    assert Arrest.objects.filter(person=person).exists()
    assert not AuditEvent.objects.filter(action="delete").exists()


def test_a_line_an_arrest_names_is_kept_rather_than_unlinked(intel):
    line = LineFactory(next_review_on=days(-1))
    ArrestFactory(line=line)
    disposal = reviews.disposal_of(line)
    assert not disposal.allowed
    assert "1 arrest" in disposal.refusal


# --- The screens ---------------------------------------------------------------------------------


def queue_url(**query: str) -> str:
    url = reverse("reviews:queue")
    return f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else url


@pytest.fixture
def due_records(db):
    return {
        "line": LineFactory(
            reference="CL-DUE", next_review_on=days(-10), retention_reason="Line reason"
        ),
        "person": PersonFactory(
            reference="P-DUE", next_review_on=days(5), retention_reason="Person reason"
        ),
        "referral": ReferralFactory(
            reference="BG-DUE", next_review_on=days(-400), retention_reason="Referral reason"
        ),
        "later": LineFactory(reference="CL-LATER", next_review_on=days(90)),
        "unset": LineFactory(reference="CL-UNSET", next_review_on=None),
    }


def test_the_queue_lists_what_is_due_or_overdue_oldest_first_with_its_reason(
    due_records, intel_client
):
    response = intel_client.get(queue_url())
    assert response.status_code == 200
    rows = list(response.context["list"].page.object_list)
    assert [row.reference for row in rows] == ["BG-DUE", "CL-DUE", "P-DUE"]
    assert [row.overdue for row in rows] == [True, True, False]
    page = text(response)
    assert "Referral reason" in page and "Line reason" in page and "Person reason" in page
    assert "CL-LATER" not in page and "CL-UNSET" not in page
    assert reverse("reviews:review", args=["line", due_records["line"].pk]) in page
    event = AuditEvent.objects.filter(action="search", object_type="records.review").get()
    assert event.detail["results"] == 3


def test_the_queue_filters_by_kind_and_overdue(due_records, intel_client):
    lines = intel_client.get(queue_url(kind="line")).context["list"].page.object_list
    assert [row.reference for row in lines] == ["CL-DUE"]
    overdue = intel_client.get(queue_url(overdue="yes")).context["list"].page.object_list
    assert [row.reference for row in overdue] == ["BG-DUE", "CL-DUE"]


def test_a_manager_sees_the_queue_but_reviews_nothing(due_records, manager_client):
    response = manager_client.get(queue_url())
    assert response.status_code == 200
    assert len(response.context["list"].page.object_list) == 3
    assert "/reviews/line/" not in text(response)
    review = reverse("reviews:review", args=["line", due_records["line"].pk])
    assert manager_client.get(review).status_code == 403


@pytest.mark.parametrize("client_name", ["partner_client", "partner2_client"])
def test_partners_have_no_queue_nor_review(client_name, due_records, request):
    client = request.getfixturevalue(client_name)
    assert client.get(queue_url()).status_code == 403
    review = reverse("reviews:review", args=["referral", due_records["referral"].pk])
    assert client.get(review).status_code == 403
    response = client.post(
        review, {"outcome": "retain", **date_fields("retain_until", days(99)), "reason": "x"}
    )
    assert response.status_code == 403
    due_records["referral"].refresh_from_db()
    assert due_records["referral"].next_review_on == days(-400)


def test_reviewing_an_unknown_kind_or_record_is_not_found(intel_client, due_records):
    assert intel_client.get("/reviews/operation/1/").status_code == 404
    assert intel_client.get(reverse("reviews:review", args=["line", 999999])).status_code == 404


def test_the_queue_reads_the_same_number_of_statements_for_more_rows(intel_client):
    def statements() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert intel_client.get(queue_url()).status_code == 200
        return len(queries)

    LineFactory(next_review_on=days(1))
    few = statements()
    for n in range(8):
        LineFactory(next_review_on=days(n))
        PersonFactory(next_review_on=days(-n))
        ReferralFactory(next_review_on=days(n))
    assert statements() == few


def test_an_officer_keeps_a_record_from_the_queue_and_it_leaves_it(due_records, intel_client):
    line = due_records["line"]
    review = reverse("reviews:review", args=["line", line.pk])
    form = intel_client.get(review)
    assert form.status_code == 200
    assert AuditEvent.objects.filter(action="view", object_id=str(line.pk)).exists()
    response = intel_client.post(
        review,
        {
            "outcome": "retain",
            **date_fields("retain_until", days(365)),
            "reason": "Linked to an open operation",
            "version": line.version,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == line.get_absolute_url()
    rows = intel_client.get(queue_url()).context["list"].page.object_list
    assert "CL-DUE" not in [row.reference for row in rows]
    page = text(intel_client.get(line.get_absolute_url()))
    assert f"Retention reviewed: kept until {days(365):%-d %B %Y}" in page
    assert "Linked to an open operation" in page


def test_a_review_refused_by_the_rules_shows_their_words(due_records, intel_client):
    review = reverse("reviews:review", args=["person", due_records["person"].pk])
    response = intel_client.post(
        review, {"outcome": "retain", **date_fields("retain_until", days(365 * 11)), "reason": "x"}
    )
    assert response.status_code == 200
    assert "MoPI reviews a record at least every 10 years" in text(response)


def test_disposing_asks_for_confirmation_listing_what_goes(due_records, intel_client):
    line = due_records["line"]
    IntelligenceEntryFactory(line=line)
    review = reverse("reviews:review", args=["line", line.pk])
    asked = intel_client.post(
        review, {"outcome": "dispose", "reason": "No longer needed", "version": line.version}
    )
    assert asked.status_code == 200
    assert "1 intelligence entry" in text(asked)
    assert Line.objects.filter(pk=line.pk).exists()
    done = intel_client.post(
        review,
        {
            "outcome": "dispose",
            "reason": "No longer needed",
            "version": line.version,
            "confirmed": "1",
        },
    )
    assert done.status_code == 302
    assert not Line.objects.filter(pk=line.pk).exists()
    assert AuditEvent.objects.get(action="delete").detail["review"]["reason"] == "No longer needed"


def test_a_refused_disposal_says_why_and_removes_nothing(intel_client):
    person = PersonFactory(next_review_on=days(-1))
    ArrestFactory(person=person)
    review = reverse("reviews:review", args=["person", person.pk])
    posted = {"outcome": "dispose", "reason": "Spent", "version": person.version}
    asked = intel_client.post(review, posted)
    assert "cannot be disposed of while other records name it (1 arrest)" in text(asked)
    assert "Dispose of it" not in text(asked)
    intel_client.post(review, {**posted, "confirmed": "1"})
    assert Person.objects.filter(pk=person.pk).exists()


def test_reviewed_models_are_the_three_kinds_kept_under_mopi():
    assert set(reviews.reviewed_models()) == {Line, Person, Referral}


# --- Overdue flags ---------------------------------------------------------------------------


def test_an_overdue_review_is_flagged_on_the_record_and_in_its_list(due_records, intel_client):
    for record, list_url in (
        (due_records["line"], reverse("lines:line_list")),
        (due_records["referral"], reverse("safeguarding:referral_list")),
    ):
        page = text(intel_client.get(record.get_absolute_url()))
        assert "Review overdue" in page
        assert reverse("reviews:review", args=[record.review_kind, record.pk]) in page
        assert "Review overdue" in text(intel_client.get(list_url))
    # Due in five days, not overdue.
    person = due_records["person"]
    assert "Review overdue" not in text(intel_client.get(person.get_absolute_url()))
    assert "Review overdue" not in text(intel_client.get(reverse("persons:person_list")))
    person.next_review_on = days(-1)
    person.save()
    assert "Review overdue" in text(intel_client.get(reverse("persons:person_list")))


def test_a_manager_sees_the_flag_without_the_link_to_review(due_records, manager_client):
    line = due_records["line"]
    page = text(manager_client.get(line.get_absolute_url()))
    assert "Review overdue" in page
    assert reverse("reviews:review", args=["line", line.pk]) not in page


# --- Partners never see MoPI fields: the attack ------------------------------------------------


@pytest.fixture
def reviewed_referral(intel):
    """A council referral (shared with the council's partner), reviewed by the police."""
    referral = ReferralFactory(
        next_review_on=datetime.date(2023, 11, 2), retention_reason="Exploitation of a child"
    )
    retention_review(
        user=intel,
        record=referral,
        outcome="retain",
        retain_until=days(200),
        reason="Op NIGHTJAR informant",
    )
    referral.refresh_from_db()
    referral.next_review_on = datetime.date(2023, 11, 2)  # overdue again
    referral.save()
    return referral


SECRETS = (
    "MoPI",
    "2 November 2023",
    "Exploitation of a child",
    "NIGHTJAR",
    "Retention reviewed",
    "Review overdue",
)


def test_a_partner_sees_no_mopi_field_on_the_referral_page_nor_its_print(
    reviewed_referral, partner_client
):
    for url in (
        reviewed_referral.get_absolute_url(),
        reviewed_referral.get_absolute_url() + "?print=1",
        reverse("safeguarding:referral_list"),
        reverse("safeguarding:home"),
    ):
        response = partner_client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        for secret in SECRETS:
            assert secret not in page, (url, secret)
        assert "2023-11-02" not in page


def test_a_partner_s_change_form_has_no_mopi_field(reviewed_referral, partner_client):
    response = partner_client.get(
        reverse("safeguarding:referral_update", args=[reviewed_referral.pk])
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "next_review_on" not in form.fields and "retention_reason" not in form.fields
    page = response.content.decode()
    assert "next_review_on" not in page and "retention_reason" not in page
    for secret in SECRETS:
        assert secret not in page


def test_a_partner_s_export_holds_no_mopi_value(reviewed_referral, partner_client):
    response = partner_client.get(reverse("safeguarding:referral_export"))
    assert response.status_code == 200
    csv = b"".join(response.streaming_content).decode()
    assert reviewed_referral.reference in csv
    for secret in (*SECRETS, "2023-11-02", "next_review_on", "retention_reason"):
        assert secret not in csv


# --- The home page ---------------------------------------------------------------------------


def home_section(client) -> str:
    html = client.get(reverse("web:home")).content.decode()
    start = html.index('data-testid="home-reviews-due"')
    return html[start : html.index("</section>", start)]


def test_the_officers_home_counts_the_reviews_due_and_lists_the_oldest(due_records, intel_client):
    section = home_section(intel_client)
    assert "2 overdue" in section and "1 due in the next 30 days" in section
    assert section.index("BG-DUE") < section.index("CL-DUE") < section.index("P-DUE")
    assert reverse("reviews:review", args=["line", due_records["line"].pk]) in section
    assert "CL-LATER" not in section
    event = AuditEvent.objects.get(action="search", object_label="Home: reviews due")
    assert event.detail == {
        "overdue": 2,
        "due_soon": 1,
        "records": ["referral BG-DUE", "line CL-DUE", "person P-DUE"],
    }


def test_nothing_due_is_said_in_words(intel_client):
    assert "No record is due for review in the next 30 days" in home_section(intel_client)


def test_the_home_section_costs_the_same_queries_for_more_records(intel_client):
    def statements() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert intel_client.get(reverse("web:home")).status_code == 200
        return len(queries)

    LineFactory(next_review_on=days(-1))
    few = statements()
    for n in range(8):
        LineFactory(next_review_on=days(-n))
        PersonFactory(next_review_on=days(n))
        ReferralFactory(next_review_on=days(n))
    assert statements() == few


def test_the_police_see_a_referral_s_review_on_its_timeline(reviewed_referral, intel_client):
    page = text(intel_client.get(reviewed_referral.get_absolute_url()))
    assert f"Retention reviewed: kept until {days(200):%-d %B %Y}" in page
    assert "Op NIGHTJAR informant" in page


def test_the_audit_log_lists_reviews_and_disposals(intel, manager_client):
    line = LineFactory(reference="CL-AUDITED", next_review_on=days(-1))
    person = PersonFactory(next_review_on=days(-1))
    retention_review(user=intel, record=person, outcome="retain", retain_until=days(9), reason="K")
    retention_review(user=intel, record=line, outcome="dispose", reason="Spent")
    response = manager_client.get(reverse("audit:event_list"))
    assert response.status_code == 200
    assert "CL-AUDITED" in text(response)


def test_a_review_saved_over_someone_else_s_change_shows_it(due_records, intel, intel_client):
    line = due_records["line"]
    opened = line.version
    retention_review(user=intel, record=line, outcome="retain", retain_until=days(50), reason="A")
    response = intel_client.post(
        reverse("reviews:review", args=["line", line.pk]),
        {
            "outcome": "retain",
            **date_fields("retain_until", days(60)),
            "reason": "B",
            "version": opened,
        },
    )
    assert response.status_code == 200
    assert "Someone else changed this record while you were editing it" in text(response)
    line.refresh_from_db()
    assert line.next_review_on == days(50)
    assert AuditEvent.objects.filter(action="view", detail__form="edit conflict").exists()


# --- A disposal forged or confirmed over a newer version: the attack ---------------------------


def test_a_disposal_posted_without_the_version_it_was_confirmed_on_disposes_of_nothing(
    due_records, intel_client
):
    line = due_records["line"]
    forged = intel_client.post(
        reverse("reviews:review", args=["line", line.pk]),
        {"outcome": "dispose", "reason": "No longer needed", "confirmed": "1"},
    )
    assert forged.status_code == 200
    assert "out of date" in text(forged)
    assert Line.objects.filter(pk=line.pk).exists()
    assert not AuditEvent.objects.filter(action="delete").exists()


def test_a_disposal_confirmed_over_a_newer_version_disposes_of_nothing(due_records, intel_client):
    line = due_records["line"]
    seen = line.version
    Line.objects.filter(pk=line.pk).update(version=seen + 1)  # changed since the page showed
    confirmed = intel_client.post(
        reverse("reviews:review", args=["line", line.pk]),
        {"outcome": "dispose", "reason": "No longer needed", "version": seen, "confirmed": "1"},
    )
    assert confirmed.status_code == 200
    assert Line.objects.filter(pk=line.pk).exists()


@pytest.mark.parametrize("client_name", ["manager_client", "partner_client"])
def test_a_disposal_posted_by_who_may_not_review_is_refused(client_name, due_records, request):
    client = request.getfixturevalue(client_name)
    referral = due_records["referral"]
    refused = client.post(
        reverse("reviews:review", args=["referral", referral.pk]),
        {"outcome": "dispose", "reason": "x", "version": referral.version, "confirmed": "1"},
    )
    assert refused.status_code in (403, 404)
    assert Referral.objects.filter(pk=referral.pk).exists()
