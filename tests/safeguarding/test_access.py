"""What a partner learns of safeguarding records, beyond the status of each URL (which
tests/access_table.py gives for every role). `partner` is of City of York Council, the
agency the referral is shared with; `partner2` of North Yorkshire Fire and Rescue
Service, which it is not shared with."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from safeguarding.models import ReferralShare, ShareStatus

from ..access_table import url_patterns
from ..helpers import denials_of
from .factories import ActionFactory, ExchangeFactory, OccupantFactory, ReferralFactory, agency

pytestmark = pytest.mark.django_db


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


def test_another_agencys_partner_learns_nothing_of_the_referral(partner2_client, referral):
    export = partner2_client.get(reverse("safeguarding:referral_export"))
    listed = partner2_client.get(reverse("safeguarding:referral_list"))
    searched = partner2_client.get(
        reverse("safeguarding:referral_list"), {"search": referral.reference}, follow=True
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
    (pattern.name, pattern.url)
    for pattern in url_patterns()
    if pattern.name and pattern.name.split(":")[0] in {"lines", "persons", "operations", "imports"}
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
