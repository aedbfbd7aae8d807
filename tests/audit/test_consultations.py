"""Every page that shows a record is on the audit log (DPA 2018 s.62: consultation).

Walks the access table (tests/access_table.py) with real records: every URL a role may
GET must write at least one audit event for that request (the event's request id is
the response's X-Request-ID), unless it stands in EXEMPT with the reason it shows no
record's identity or personal data.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from tests.access_table import OK, ROLES, TABLE
from tests.access_walk import answer, client_of, url_of
from tests.helpers import date_fields
from tests.lines.factories import LineFactory, LineNumberFactory, PhoneNumberFactory
from tests.persons.factories import PersonFactory
from tests.safeguarding.factories import ActionFactory, ReferralFactory, agency

BORN = datetime.date(2005, 3, 1)
FIRE = "North Yorkshire Fire and Rescue Service"

BLANK_FORM = "a blank form: it shows no record (choices are reference data)"
ANALYSIS_FORM = "an analysis's form before it is asked for (each analysis is audited)"
SIGNING_IN = "signing in and passwords: the user's own account, no record"

# The pages that write no audit event, each with why that is honest: none shows a
# record's identity or anyone's personal data.
EXEMPT: dict[str, str] = {
    "web:health": "the health check: 'ok' or not",
    "accounts:login": SIGNING_IN,
    "accounts:password_change": SIGNING_IN,
    "accounts:password_change_done": SIGNING_IN,
    "accounts:password_reset": SIGNING_IN,
    "accounts:password_reset_done": SIGNING_IN,
    "accounts:password_reset_confirm": SIGNING_IN,
    "accounts:password_reset_complete": SIGNING_IN,
    "accounts:two_factor_verify": SIGNING_IN,
    "accounts:two_factor_setup": SIGNING_IN,
    "accounts:password_confirm": SIGNING_IN,
    "accounts:invitation_accept": SIGNING_IN,
    "accounts:email_confirm": "the user's own new e-mail address, shown to them alone",
    "imports:job_status": "an import's progress (status and counts, polled every few seconds "
    "by its page, which is audited): no file name, no row",
    "lines:number_search": "the search form before a search (a search is audited)",
    "search:search": "the search form before a search (a search is audited)",
    "calls:home": "the call data's pages, named: no record, no number",
    "calls:number_profile": ANALYSIS_FORM,
    "calls:common_contacts": ANALYSIS_FORM,
    "calls:handset_continuity": ANALYSIS_FORM,
    "calls:source_create": BLANK_FORM,
    "lines:line_create": BLANK_FORM,
    "persons:person_create": BLANK_FORM,
    "operations:operation_create": BLANK_FORM,
    "operations:charge_create": BLANK_FORM,
    "operations:sentence_create": BLANK_FORM,
    "safeguarding:referral_create": BLANK_FORM,
    "panel:report_create": BLANK_FORM,
    "panel:death_create": BLANK_FORM,
    "panel:annotation_create": BLANK_FORM,
}


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_may_open_writes_an_audit_event(request, role, records):
    client = client_of(request, role)
    column = ROLES.index(role)
    wrong = []
    for name, entry in TABLE.items():
        if entry.method != "GET" or entry.expected[column] != OK:
            continue
        url = url_of(name, records)
        got = answer(client, "GET", url)
        assert got.status == OK, f"{name} {url}: {got.status} (tests/test_access_table.py says)"
        if not got.audited and name not in EXEMPT:
            wrong.append(f"{name} {url}: wrote no audit event")
        elif got.audited and name in EXEMPT:  # the list stays as short as it can be
            wrong.append(f"{name} {url}: audited, yet in EXEMPT")

    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def test_every_exemption_names_a_page_of_the_access_table():
    assert set(EXEMPT) - set(TABLE) == set()


# --- What the walk cannot reach: answers to a form that name records -------------------------


def searches_of(response) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(request_id=response["X-Request-ID"], action="search"))


def test_the_likely_duplicates_shown_are_audited_with_the_terms(intel_client):
    PersonFactory(reference="NYP/P/1", surname="O’Neill", forenames="Zoë", date_of_birth=BORN)
    PersonFactory(reference="NYP/P/2", surname="Smith", forenames="Ann", date_of_birth=BORN)
    data = {"reference": "NYP/P/9", "surname": "ONEILL", "forenames": "Zoe"}

    response = intel_client.post(
        reverse("persons:person_create"), data | date_fields("date_of_birth", BORN)
    )

    assert response.context["duplicates"]
    [event] = searches_of(response)
    assert (event.object_type, event.object_label) == ("persons.person", "Likely duplicates")
    assert event.detail == {
        "surname": "ONEILL",
        "forenames": "Zoe",
        "date_of_birth": "2005-03-01",
        "persons": ["NYP/P/1"],
    }


def test_the_lines_named_as_using_a_number_already_are_audited(intel_client):
    used = LineNumberFactory(
        line=LineFactory(reference="CL-1"),
        number=PhoneNumberFactory(e164="+447712345678"),
        attributed_from=datetime.date(2024, 1, 1),
    )
    line = LineFactory(reference="CL-2", first_identified=datetime.date(2024, 1, 1))
    data = {"number": "07712 345678"} | date_fields("attributed_from", "2024-03-01")

    response = intel_client.post(reverse("lines:line_number_attribute", args=[line.pk]), data)

    assert 'data-testid="number-used-elsewhere"' in response.content.decode()
    [event] = searches_of(response)
    assert (event.object_type, event.object_id) == ("lines.phonenumber", str(used.number.pk))
    assert event.detail == {"number": "+447712345678", "lines": ["CL-1"]}


def test_the_safeguarding_overview_names_the_referrals_it_shows(partner_client):
    shown = ReferralFactory(reference="BG/1")
    ActionFactory(referral=shown, due_on=timezone.localdate())
    ReferralFactory(reference="BG/2", referring_agency=agency(FIRE))  # not shared with York

    response = partner_client.get(reverse("safeguarding:home"))

    [event] = searches_of(response)
    assert event.object_label == "Safeguarding overview"
    assert event.detail == {"referrals": ["BG/1"], "open": 1}
