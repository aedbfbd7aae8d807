"""The safeguarding screens: what each agency sees and may do, sharing proposed and
confirmed, the police-side links kept from partners, the forms' rules, overdue actions,
conflicts, printing and query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from safeguarding import services
from safeguarding.models import Occupant, Referral, ReferralShare, ShareStatus
from tests.lines.factories import LineFactory
from tests.persons.factories import PersonFactory

from ..helpers import date_fields
from .factories import ActionFactory, ExchangeFactory, OccupantFactory, ReferralFactory, agency

pytestmark = pytest.mark.django_db
YORK = "City of York Council"
FIRE = "North Yorkshire Fire and Rescue Service"


def page(client, referral) -> str:
    response = client.get(reverse("safeguarding:referral_detail", args=[referral.pk]))
    assert response.status_code == 200
    return response.content.decode()


def referral_post(**extra) -> dict:
    from reference.models import CommandArea

    return {
        "reference": "BG/2021/0042",
        "address": "Flat 3\n14 Sample Road",
        "town": "York",
        "postcode": "yo17hh",
        "command_area": CommandArea.objects.get(name="York").pk,
        **date_fields("referred_on", "2021-10-04"),
        "risk_level": "high",
        **extra,
    }


def test_a_partner_refers_as_their_own_agency_and_shares_with_it_alone(partner_client):
    fire = agency(FIRE)
    response = partner_client.post(
        reverse("safeguarding:referral_create"),
        referral_post(referring_agency=fire.pk, shared_with=[fire.pk]),
    )

    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.referring_agency.name == YORK  # what a partner posts of it is ignored
    assert referral.postcode == "YO1 7HH"  # a UK postcode, normalised
    assert [(s.agency.name, s.status) for s in referral.shares.all()] == [
        (YORK, ShareStatus.CONFIRMED)
    ]
    assert AuditEvent.objects.filter(action="create", object_id=str(referral.pk)).exists()


def test_police_refer_for_any_agency_and_share_at_once(intel_client):
    fire, york = agency(FIRE), agency(YORK)
    line = LineFactory(reference="CL-7")
    intel_client.post(
        reverse("safeguarding:referral_create"),
        referral_post(referring_agency=york.pk, shared_with=[fire.pk], line_references="cl-7"),
    )

    referral = Referral.objects.get()
    assert list(referral.suspected_lines.all()) == [line]
    assert {s.agency.name for s in referral.shares.filter(status="confirmed")} == {YORK, FIRE}


def test_sharing_a_partner_proposes_is_seen_only_once_the_police_confirm(
    partner_client, partner2_client, intel_client
):
    referral = ReferralFactory()
    url = reverse("safeguarding:referral_detail", args=[referral.pk])

    partner_client.post(
        reverse("safeguarding:share_add", args=[referral.pk]), {"agency": agency(FIRE).pk}
    )
    share = ReferralShare.objects.get(agency__name=FIRE)
    assert share.status == ShareStatus.PROPOSED
    assert partner2_client.get(url).status_code == 404
    assert "BG-" in partner_client.get(reverse("safeguarding:home")).content.decode()

    intel_client.post(reverse("safeguarding:share_confirm", args=[referral.pk, share.pk]))
    assert partner2_client.get(url).status_code == 200

    intel_client.post(reverse("safeguarding:share_withdraw", args=[referral.pk, share.pk]))
    assert partner2_client.get(url).status_code == 404
    events = AuditEvent.objects.filter(object_id=str(referral.pk)).order_by("pk")
    details = events.values_list("detail", flat=True)
    shared = [detail for detail in details if detail and "shared_with" in detail]
    assert [d["status"] for d in shared] == ["proposed", "confirmed", "confirmed"]


def test_the_referring_agency_always_keeps_its_referral(intel_client):
    referral = ReferralFactory()
    share = referral.shares.get()
    response = intel_client.post(
        reverse("safeguarding:share_withdraw", args=[referral.pk, share.pk]), follow=True
    )
    assert "The agency that made the referral always sees it" in response.content.decode()
    assert referral.shares.exists()


def test_partners_see_that_a_line_is_linked_never_which(partner_client, intel, intel_client):
    line = LineFactory(reference="CL-SECRET", name="Dolla")
    referral = ReferralFactory()
    services.referral_lines_set(referral=referral, user=intel, lines=[line])
    OccupantFactory(referral=referral, person=PersonFactory(reference="NOMINAL-1"))

    partner_page = page(partner_client, referral)
    export = b"".join(
        partner_client.get(reverse("safeguarding:referral_export")).streaming_content
    ).decode()
    police_page = page(intel_client, referral)

    assert "Yes: the police hold the intelligence" in partner_page
    for secret in ("CL-SECRET", "Dolla", "NOMINAL-1"):
        assert secret not in partner_page and secret not in export
    assert "linked to a county line" in export
    # The change of lines is in the police timeline, not in the partner's.
    assert "CL-SECRET" in police_page and "NOMINAL-1" in police_page
    assert "Suspected lines" not in partner_page


def test_partners_cannot_post_the_police_side_links(partner_client):
    referral = ReferralFactory()
    PersonFactory(reference="P-1")
    partner_client.post(
        reverse("safeguarding:occupant_add", args=[referral.pk]),
        {"name": "Alan Smith", "age": "61", "person_reference": "P-1"},
    )
    assert Occupant.objects.get().person is None
    lines = reverse("safeguarding:referral_lines", args=[referral.pk])
    assert partner_client.post(lines, {"line_references": "CL-1"}).status_code == 403


def test_a_partner_reads_only_the_exchanges_their_agency_took_part_in(
    partner_client, intel_client, intel
):
    referral = ReferralFactory()
    ReferralShare.objects.create(referral=referral, agency=agency(FIRE), status="confirmed")
    ExchangeFactory(referral=referral, recorded_by=intel, summary="Told the council")
    ExchangeFactory(
        referral=referral,
        recorded_by=intel,
        summary="Told the fire service",
        to_agencies=[agency(FIRE)],
    )

    assert "Told the council" in page(partner_client, referral)
    assert "Told the fire service" not in page(partner_client, referral)
    assert "Told the fire service" in page(intel_client, referral)


def test_an_exchange_with_an_agency_not_shared_with_is_refused(intel_client):
    referral = ReferralFactory()
    response = intel_client.post(
        reverse("safeguarding:exchange_add", args=[referral.pk]),
        {
            "from_agency": agency("North Yorkshire Police").pk,
            "to_agencies": [agency(FIRE).pk],
            **date_fields("shared_on", "2021-10-06"),
            "summary": "Address details",
            "lawful_basis": "cda_1998_s115",
            "handling_code": "P",
        },
    )
    assert response.status_code == 200
    assert "Select only agencies from the list" in response.content.decode()
    assert not referral.exchanges.exists()


@pytest.mark.parametrize(
    ("url_name", "data", "message"),
    [
        ("referral_create", {"postcode": "YO1 7H"}, "Enter a real postcode, like YO1 7HH"),
        ("referral_create", {"address": ""}, "Enter the address"),
        (
            "referral_create",
            date_fields("referred_on", "2999-01-01"),
            "Date of the referral must be today or in the past",
        ),
        ("referral_create", {"line_references": "CL-404"}, "No county line has the reference"),
        (
            "referral_close",
            {**date_fields("closed_on", "2021-10-01"), "closure_reason": "rehoused"},
            "The date it was closed must be on or after the date of the referral (4 October 2021)",
        ),
        ("referral_close", date_fields("closed_on", "2021-10-10"), "Select why the referral"),
        (
            "exchange_add",
            {"handling_code": "C", "summary": "x", "lawful_basis": "dpa_part_3"},
            "Enter the conditions that apply to handling code C",
        ),
        (
            "occupant_add",
            {"name": "A Person", "age": "40", **date_fields("date_of_birth", "1980-01-01")},
            "Enter the date of birth or the age, not both",
        ),
        ("occupant_add", {"name": "A Person", "age": "140"}, "The age must be between 0 and 120"),
        (
            "action_add",
            {
                "kind": "welfare_visit",
                **date_fields("agreed_on", "2021-10-10"),
                **date_fields("due_on", "2021-10-01"),
            },
            "The date it is due must be on or after the date it was agreed (10 October 2021)",
        ),
    ],
)
def test_the_rules_are_shown_on_the_forms(intel_client, url_name, data, message):
    referral = ReferralFactory()
    police, york = agency("North Yorkshire Police"), agency(YORK)
    defaults = {
        "referral_create": referral_post(referring_agency=york.pk, reference="BG-NEW"),
        "exchange_add": {
            "from_agency": police.pk,
            "to_agencies": [york.pk],
            **date_fields("shared_on", "2021-10-06"),
        },
        "action_add": {"owner_agency": york.pk},
    }.get(url_name, {})
    args = [] if url_name == "referral_create" else [referral.pk]
    if url_name == "referral_close":
        data = data | {"version": referral.version}
    response = intel_client.post(reverse(f"safeguarding:{url_name}", args=args), defaults | data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Referral.objects.count() == 1 and not referral.exchanges.exists()


def test_overdue_actions_stand_out_wherever_they_are_listed(partner_client):
    referral = ReferralFactory()
    today = timezone.localdate()
    ActionFactory(referral=referral, due_on=today - datetime.timedelta(days=3))
    ActionFactory(referral=referral, due_on=today + datetime.timedelta(days=3))

    for url in (
        reverse("safeguarding:referral_detail", args=[referral.pk]),
        reverse("safeguarding:referral_list"),
        reverse("safeguarding:home"),
        reverse("safeguarding:referral_list") + "?overdue=true",
    ):
        html = partner_client.get(url).content.decode()
        assert html.count('data-testid="overdue"') >= 1, url
        assert referral.reference in html, url
    closed_only = partner_client.get(reverse("safeguarding:referral_list") + "?status=closed")
    assert closed_only.context["list"].count == 0


def test_a_partners_home_lists_their_agencys_actions_and_proposals(partner_client, partner):
    referral = ReferralFactory()
    today = timezone.localdate()
    ActionFactory(referral=referral, due_on=today + datetime.timedelta(days=5), kind="rehousing")
    ActionFactory(
        referral=referral,
        owner_agency=agency(FIRE),
        due_on=today + datetime.timedelta(days=5),
        kind="target_hardening",
    )
    services.share_add(referral=referral, user=partner, agency=agency(FIRE))

    home = partner_client.get(reverse("safeguarding:home")).content.decode()
    assert "Rehousing" in home and "Target hardening" not in home  # their agency's own
    assert f"with {FIRE}" in home
    assert partner_client.get("/").url == reverse("safeguarding:home")


def test_saving_over_a_newer_version_is_a_conflict(partner_client, intel):
    referral = ReferralFactory()
    url = reverse("safeguarding:referral_update", args=[referral.pk])
    data = partner_client.get(url).context["form"].initial
    services.referral_update(referral=referral, user=intel, risk_level="high")

    response = partner_client.post(
        url,
        referral_post(version=data["version"], risk_level="low", postcode="YO1 7HH"),
    )
    assert "Someone else changed this record" in response.content.decode()
    assert Referral.objects.get().risk_level == "high"


def test_printing_a_referral_is_audited_with_the_agency(partner_client, partner):
    referral = ReferralFactory()
    url = reverse("safeguarding:referral_detail", args=[referral.pk]) + "?print=1"

    assert partner_client.get(url).status_code == 200
    event = AuditEvent.objects.get(action="print")
    assert (event.user, event.object_id, event.agency_name) == (partner, str(referral.pk), YORK)


def test_the_list_and_the_referral_page_cost_the_same_queries_whatever_their_size(
    partner_client, intel_client
):
    referral = ReferralFactory()
    ExchangeFactory(referral=referral)  # one of each: a list of any length costs the same

    def queries(client, url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    urls = [
        reverse("safeguarding:referral_list"),
        reverse("safeguarding:home"),
        reverse("safeguarding:referral_detail", args=[referral.pk]),
    ]
    clients = (partner_client, intel_client)
    few = [queries(client, url) for client in clients for url in urls]
    for _ in range(15):
        other = ReferralFactory()
        ActionFactory(referral=other, due_on=timezone.localdate())
        OccupantFactory(referral=referral)
        ActionFactory(referral=referral)
        ExchangeFactory(referral=referral)
    assert [queries(client, url) for client in clients for url in urls] == few
