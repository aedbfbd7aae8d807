"""What partners see within a referral shared with them (accounts.permissions
RECORD_RULES): actions by who owns, recorded or agreed them; never the police-only MoPI
fields; references the service gives them, and no message naming a record they may not
see. The referral is City of York Council's, shared with the fire service."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_event_record
from safeguarding import services
from safeguarding.models import (
    Occupant,
    Referral,
    ReferralShare,
    SafeguardingAction,
    ShareStatus,
)

from ..conftest import COUNCIL, FIRE, POLICE
from ..factories import UserFactory
from ..helpers import date_fields, text
from ..lines.factories import LineFactory
from ..persons.factories import PersonFactory
from .factories import ActionFactory, ReferralFactory, agency

pytestmark = pytest.mark.django_db

NRM_OUTCOME = "NRM referral made: the single competent authority decides"


@pytest.fixture
def referral(db):
    referral = ReferralFactory(
        next_review_on=datetime.date(2031, 5, 17), retention_reason="Exploitation of a child"
    )
    ReferralShare.objects.create(
        referral=referral, agency=agency(FIRE), status=ShareStatus.CONFIRMED
    )
    ActionFactory(
        referral=referral,
        kind="nrm_referral",
        owner_agency=agency(POLICE),
        recorded_by_agency=agency(POLICE),
        outcome=NRM_OUTCOME,
        due_on=datetime.date(2021, 10, 6),  # overdue
    )
    soon = timezone.localdate() + datetime.timedelta(days=30)
    ActionFactory(referral=referral, kind="rehousing", owner_agency=agency(COUNCIL), due_on=soon)
    ActionFactory(
        referral=referral,
        kind="target_hardening",
        owner_agency=agency(COUNCIL),
        shared_with_partnership=True,
        due_on=soon,
    )
    return referral


def detail(client, referral) -> str:
    return text(client.get(reverse("safeguarding:referral_detail", args=[referral.pk])))


def test_the_polices_own_action_is_seen_by_the_police_alone(
    referral, intel_client, partner_client, partner2_client
):
    assert NRM_OUTCOME in detail(intel_client, referral)
    for client in (partner_client, partner2_client):
        page = detail(client, referral)
        assert NRM_OUTCOME not in page
        assert "NRM referral" not in page


def test_an_action_is_seen_by_its_owner_and_by_the_partnership_only_when_agreed_with_it(
    referral, partner_client, partner2_client
):
    york, fire = detail(partner_client, referral), detail(partner2_client, referral)

    assert "Rehousing" in york and "Rehousing" not in fire
    assert "Target hardening" in york and "Target hardening" in fire
    assert "Seen by every agency the referral is shared with" in fire


def test_an_action_a_partner_records_is_seen_by_their_agency_though_another_owns_it(
    referral, partner2, partner2_client, partner_client
):
    services.action_add(
        user=partner2,
        referral=referral,
        kind="welfare_visit",
        owner_agency=agency(COUNCIL),
        agreed_on=datetime.date(2021, 10, 5),
        due_on=datetime.date(2021, 10, 20),
    )

    assert "Welfare visit" in detail(partner2_client, referral)
    assert "Welfare visit" in detail(partner_client, referral)
    assert SafeguardingAction.objects.get(kind="welfare_visit").shared_with_partnership is False


def test_counts_of_overdue_actions_leave_out_those_a_partner_may_not_see(
    referral, partner2_client, intel_client
):
    """The fire service sees no overdue action (the police's NRM referral is the only one):
    not in the list's tag, its filter, the export or the home page."""
    listed = partner2_client.get(reverse("safeguarding:referral_list"))
    overdue_only = partner2_client.post(
        reverse("safeguarding:referral_list"), {"overdue": "true"}, follow=True
    )
    export = b"".join(
        partner2_client.get(reverse("safeguarding:referral_export")).streaming_content
    ).decode()
    home = partner2_client.get(reverse("safeguarding:home"))

    assert [r.has_overdue_actions for r in listed.context["list"].page] == [False]
    assert overdue_only.context["list"].count == 0
    assert export.splitlines()[1].split(",")[10:12] == ["1", "0"]  # outstanding, overdue
    assert home.context["open_referrals"][0].overdue == 0
    police = intel_client.post(
        reverse("safeguarding:referral_list"), {"overdue": "true"}, follow=True
    )
    assert police.context["list"].count == 1


def test_existing_actions_the_police_own_become_police_only_and_the_others_keep_theirs(
    referral, intel, partner2
):
    """The migration safeguarding/0002: before it, every partner saw every action."""
    SafeguardingAction.objects.update(shared_with_partnership=False, recorded_by_agency=None)
    fire_recorded = SafeguardingAction.objects.get(kind="rehousing")
    audit_event_record(action=AuditEvent.Action.CREATE, user=partner2, obj=fire_recorded)
    police_owned = SafeguardingAction.objects.get(kind="nrm_referral")
    audit_event_record(action=AuditEvent.Action.CREATE, user=partner2, obj=police_owned)
    migration = import_module("safeguarding.migrations.0002_ownership")

    migration.record_owners(apps, None)

    actions = {a.kind: a for a in SafeguardingAction.objects.all()}
    assert actions["nrm_referral"].shared_with_partnership is False
    assert actions["nrm_referral"].recorded_by_agency is None  # police-only, whoever typed it
    assert actions["rehousing"].shared_with_partnership is True
    assert actions["rehousing"].recorded_by_agency.name == FIRE  # from the audit log
    assert actions["target_hardening"].shared_with_partnership is True


def test_mopi_review_and_retention_are_never_shown_to_partners(
    referral, intel, partner_client, intel_client
):
    services.referral_update(
        referral=referral, user=intel, next_review_on=datetime.date(2032, 1, 9)
    )
    change_form = text(
        partner_client.get(reverse("safeguarding:referral_update", args=[referral.pk]))
    )
    create_form = text(partner_client.get(reverse("safeguarding:referral_create")))
    page = detail(partner_client, referral)

    for html in (page, change_form, create_form):
        assert "MoPI" not in html
        assert "Exploitation of a child" not in html
        assert "2032" not in html and "2031" not in html  # nor in the timeline's changes
    assert "MoPI" in detail(intel_client, referral)


def test_a_partner_posting_mopi_fields_changes_nothing_of_them(referral, partner_client):
    partner_client.post(
        reverse("safeguarding:referral_update", args=[referral.pk]),
        {
            "address": "12 Example Street",
            "town": "York",
            "postcode": "YO1 7HH",
            "command_area": referral.command_area_id,
            **date_fields("referred_on", referral.referred_on),
            **date_fields("next_review_on", "2022-01-01"),
            "retention_reason": "None needed",
            "version": referral.version,
        },
    )

    referral.refresh_from_db()
    assert referral.next_review_on == datetime.date(2031, 5, 17)
    assert referral.retention_reason == "Exploitation of a child"


def partner_referral(client, **extra):
    from reference.models import CommandArea

    return client.post(
        reverse("safeguarding:referral_create"),
        {
            "address": "1 New Street",
            "town": "York",
            "postcode": "YO1 7HH",
            "command_area": CommandArea.objects.get(name="York").pk,
            **date_fields("referred_on", "2021-10-04"),
            **extra,
        },
    )


def test_partners_get_their_agencys_next_reference_and_type_none(
    intel, partner_client, partner2_client
):
    ReferralFactory(reference="CYC-0002", referring_agency=agency(POLICE))  # typed by police

    form = text(partner_client.get(reverse("safeguarding:referral_create")))
    for client in (partner_client, partner_client, partner2_client):
        assert partner_referral(client).status_code == 302

    assert 'name="reference"' not in form
    references = Referral.objects.exclude(referring_agency=agency(POLICE))
    assert sorted(references.values_list("reference", flat=True)) == [
        "CYC-0001",
        "CYC-0003",  # CYC-0002 was taken
        "NYFRS-0001",
    ]


def test_no_message_names_a_referral_the_partner_may_not_see(partner_client):
    """Today's attack: the reference of a police-only referral, typed into the form,
    answered "already exists". A partner's reference is now the service's own."""
    hidden = ReferralFactory(reference="BG-POLICE-ONLY", referring_agency=agency(POLICE))
    ReferralShare.objects.filter(referral=hidden).delete()

    response = partner_referral(partner_client, reference="BG-POLICE-ONLY", follow=True)

    assert "BG-POLICE-ONLY" not in text(response)
    assert "already exists" not in text(response)
    assert Referral.objects.filter(reference="CYC-0001").exists()


def close(client, referral, version):
    return client.post(
        reverse("safeguarding:referral_close", args=[referral.pk]),
        {
            **date_fields("closed_on", "2021-11-02"),
            "closure_reason": "rehoused",
            "version": version,
        },
    )


def test_an_edit_conflict_shows_a_partner_none_of_the_polices_own_changes(
    referral, intel, partner_client
):
    """A partner saves over a version the police have moved on: the list of others'
    changes leaves out the police-only ones (and is a consultation, audited)."""
    opened_on = referral.version
    services.referral_lines_set(
        referral=referral, user=intel, lines=[LineFactory(reference="CL-SECRET-77")]
    )
    services.referral_update(
        referral=referral, user=intel, retention_reason="Op NIGHTJAR informant"
    )
    services.referral_update(referral=referral, user=intel, summary="Two men seen daily")

    page = text(close(partner_client, referral, opened_on))

    assert "Someone else changed this record" in page
    assert "Two men seen daily" in page
    assert "CL-SECRET-77" not in page and "NIGHTJAR" not in page
    assert AuditEvent.objects.filter(
        action="view", username="partner", object_id=str(referral.pk), detail__form="edit conflict"
    ).exists()


def test_a_partner_saving_over_police_only_changes_alone_is_not_told_of_them(
    referral, intel, partner_client
):
    opened_on = referral.version
    services.referral_update(
        referral=referral, user=intel, retention_reason="Op NIGHTJAR informant"
    )

    response = close(partner_client, referral, opened_on)

    assert response.status_code == 302  # saved: nothing they could see had changed
    referral.refresh_from_db()
    assert referral.closed_on == datetime.date(2021, 11, 2)
    assert referral.retention_reason == "Op NIGHTJAR informant"


def test_an_occupants_person_is_not_named_to_a_partner_in_an_edit_conflict(
    referral, intel, partner_client
):
    occupant = Occupant.objects.create(referral=referral, name="Alan Example", age=61)
    opened_on = occupant.version
    person = PersonFactory()
    services.occupant_update(occupant=occupant, user=intel, person=person)
    services.occupant_update(occupant=occupant, user=intel, vulnerability_notes="Drinks heavily")

    page = text(
        partner_client.post(
            reverse("safeguarding:occupant_change", args=[referral.pk, occupant.pk]),
            {"name": "Alan Example", "age": "62", "version": opened_on},
        )
    )

    assert "Drinks heavily" in page
    assert person.reference not in page


def test_the_police_may_not_type_a_reference_of_the_partners_numbering(intel_client):
    from reference.models import CommandArea

    response = intel_client.post(
        reverse("safeguarding:referral_create"),
        {
            "reference": "nyfrs-0007",
            "address": "1 New Street",
            "town": "York",
            "postcode": "YO1 7HH",
            "command_area": CommandArea.objects.get(name="York").pk,
            **date_fields("referred_on", "2021-10-04"),
            "referring_agency": agency(FIRE).pk,
        },
    )

    assert "References like NYFRS-0042 are given by the service" in text(response)
    assert not Referral.objects.exists()


def test_another_partners_proposal_to_share_is_not_told_to_a_partner(
    referral, partner, partner_client
):
    """The fire service proposed sharing with the NHS: the council sees neither the
    proposal, nor a choice left out of its form, nor a message naming it."""
    nhs = agency("NHS North Yorkshire")
    ReferralShare.objects.create(
        referral=referral,
        agency=nhs,
        status=ShareStatus.PROPOSED,
        proposed_by=UserFactory(username="fire2", role="partner", agency=agency(FIRE)),
    )
    form_page = partner_client.get(reverse("safeguarding:share_add", args=[referral.pk]))
    response = partner_client.post(
        reverse("safeguarding:share_add", args=[referral.pk]), {"agency": nhs.pk}, follow=True
    )

    assert nhs.name in text(form_page)  # one of the choices, as for any agency
    assert "already" not in text(response)
    assert "proposed: the police will confirm it" in text(response)
    assert nhs.name not in text(partner_client.get(reverse("safeguarding:home")))
    assert referral.shares.filter(agency=nhs).count() == 1
