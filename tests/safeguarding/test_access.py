"""Who may use which safeguarding URL: every URL for every role, with the status each
gets. `partner` is of City of York Council, the agency the referral is shared with;
`partner2` of North Yorkshire Fire and Rescue Service, which it is not shared with."""

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from safeguarding.models import ReferralShare, ShareStatus

from ..core.test_login_required import ALL_URLS
from ..helpers import denials_of, redirects_to_sign_in
from .factories import ActionFactory, ExchangeFactory, OccupantFactory, ReferralFactory, agency

pytestmark = pytest.mark.django_db
ROLES = ["intel", "manager", "partner", "partner2", "administrator", "anonymous"]


@pytest.fixture
def referral(db, intel):
    referral = ReferralFactory()
    OccupantFactory(referral=referral)
    ActionFactory(referral=referral)
    ExchangeFactory(referral=referral, recorded_by=intel)
    ReferralShare.objects.create(
        referral=referral, agency=agency("NHS North Yorkshire"), status=ShareStatus.PROPOSED
    )
    return referral


def client_for(request, role: str) -> Client:
    return Client() if role == "anonymous" else request.getfixturevalue(f"{role}_client")


def referral_urls(referral) -> dict[str, str]:
    pk = referral.pk
    occupant, action = referral.occupants.get(), referral.actions.get()
    return {
        "detail": reverse("safeguarding:referral_detail", args=[pk]),
        "update": reverse("safeguarding:referral_update", args=[pk]),
        "close": reverse("safeguarding:referral_close", args=[pk]),
        "lines": reverse("safeguarding:referral_lines", args=[pk]),
        "occupant_add": reverse("safeguarding:occupant_add", args=[pk]),
        "occupant_change": reverse("safeguarding:occupant_change", args=[pk, occupant.pk]),
        "exchange_add": reverse("safeguarding:exchange_add", args=[pk]),
        "action_add": reverse("safeguarding:action_add", args=[pk]),
        "action_change": reverse("safeguarding:action_change", args=[pk, action.pk]),
        "share_add": reverse("safeguarding:share_add", args=[pk]),
    }


LIST_URLS = {
    "home": "safeguarding:home",
    "list": "safeguarding:referral_list",
    "export": "safeguarding:referral_export",
    "create": "safeguarding:referral_create",
}

# The status of a GET of each URL, by role: (intel, manager, partner, partner2, admin).
EXPECTED_GET = {
    "home": (200, 200, 200, 200, 403),
    "list": (200, 200, 200, 200, 403),
    "export": (200, 200, 200, 200, 403),
    "create": (200, 403, 200, 200, 403),
    "detail": (200, 200, 200, 404, 403),
    "update": (200, 403, 200, 404, 403),
    "close": (200, 403, 200, 404, 403),
    "lines": (200, 403, 403, 403, 403),
    "occupant_add": (200, 403, 200, 404, 403),
    "occupant_change": (200, 403, 200, 404, 403),
    "exchange_add": (200, 403, 200, 404, 403),
    "action_add": (200, 403, 200, 404, 403),
    "action_change": (200, 403, 200, 404, 403),
    "share_add": (200, 403, 200, 404, 403),
}


@pytest.mark.parametrize("role", ROLES)
def test_every_safeguarding_url_answers_each_role_as_the_access_table_says(request, role, referral):
    client = client_for(request, role)
    urls = {name: reverse(url_name) for name, url_name in LIST_URLS.items()}
    urls |= referral_urls(referral)
    for name, url in urls.items():
        response = client.get(url)
        if role == "anonymous":
            assert redirects_to_sign_in(response), name
            continue
        expected = EXPECTED_GET[name][ROLES.index(role)]
        assert response.status_code == expected, (name, role, response.status_code)


# POST-only URLs: (intel, manager, partner, partner2, admin).
EXPECTED_POST = {
    "share_confirm": (302, 403, 403, 403, 403),
    "share_withdraw": (302, 403, 403, 403, 403),
    "reopen": (302, 403, 302, 404, 403),
}


@pytest.mark.parametrize("role", ROLES)
def test_the_sharing_buttons_answer_each_role_as_the_access_table_says(request, role, referral):
    client = client_for(request, role)
    for name, expected in EXPECTED_POST.items():
        share = referral.shares.get(agency__name="NHS North Yorkshire")
        if name == "reopen":
            url = reverse("safeguarding:referral_reopen", args=[referral.pk])
        else:
            url = reverse(f"safeguarding:{name}", args=[referral.pk, share.pk])
        response = client.post(url)
        if role == "anonymous":
            assert redirects_to_sign_in(response), name
            continue
        assert response.status_code == expected[ROLES.index(role)], (name, role)
        if name == "share_withdraw" and response.status_code == 302:
            ReferralShare.objects.create(
                referral=referral, agency=share.agency, status=ShareStatus.PROPOSED
            )


def test_another_agencys_partner_learns_nothing_of_the_referral(partner2_client, referral):
    export = partner2_client.get(reverse("safeguarding:referral_export"))
    listed = partner2_client.get(reverse("safeguarding:referral_list"))
    searched = partner2_client.get(
        reverse("safeguarding:referral_list"), {"search": referral.reference}
    )
    home = partner2_client.get(reverse("safeguarding:home"))
    missing = partner2_client.get(reverse("safeguarding:referral_detail", args=[999999]))

    assert referral.reference not in b"".join(export.streaming_content).decode()
    for response in (listed, home):
        assert referral.reference not in response.content.decode()
    for response in (listed, searched):
        assert response.context["list"].count == 0
    # A referral that exists and one that does not are answered alike; the attempt is audited.
    hidden = partner2_client.get(reverse("safeguarding:referral_detail", args=[referral.pk]))
    assert hidden.status_code == missing.status_code == 404
    assert denials_of("partner2").filter(object_id=str(referral.pk)).exists()


POLICE_URLS = [
    (name, url)
    for name, url, _callback in ALL_URLS
    if name and name.split(":")[0] in {"lines", "persons", "operations", "imports"}
]


@pytest.mark.parametrize("role", ["partner", "partner2"])
def test_a_partner_is_refused_every_police_and_import_url(request, role):
    """Every URL of lines, persons, operations and imports, walked from the URLconf:
    refused on the role alone (403; 405 for a button's POST-only URL), before any record
    is looked up, so that not even a 404 says whether a record exists."""
    client = request.getfixturevalue(f"{role}_client")
    assert len(POLICE_URLS) > 40
    for name, url in POLICE_URLS:
        assert client.get(url).status_code in (403, 405), name
        assert client.post(url).status_code == 403, name


def test_every_view_export_and_form_is_audited_with_the_users_agency(partner_client, referral):
    partner_client.get(reverse("safeguarding:referral_detail", args=[referral.pk]))
    partner_client.get(reverse("safeguarding:referral_list"))
    b"".join(partner_client.get(reverse("safeguarding:referral_export")).streaming_content)
    partner_client.get(reverse("safeguarding:referral_update", args=[referral.pk]))

    events = AuditEvent.objects.filter(username="partner")
    assert set(events.values_list("action", flat=True)) >= {"view", "search", "export"}
    assert set(events.values_list("agency_name", flat=True)) == {"City of York Council"}
    assert events.filter(action="view", object_id=str(referral.pk)).count() == 2
