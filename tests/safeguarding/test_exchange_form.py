"""The exchange form: a partner's own agency is no recipient, every problem is shown at
once, and the referrals list's yes-or-no filter speaks in a list's words."""

import re

import pytest
from django.urls import reverse

from safeguarding import services
from safeguarding.forms import ExchangeForm
from safeguarding.models import ReferralShare

from ..helpers import date_fields
from .factories import ReferralFactory, agency

pytestmark = pytest.mark.django_db

YORK = "City of York Council"
FIRE = "North Yorkshire Fire and Rescue Service"
POLICE = "North Yorkshire Police"


def exchange_url(referral) -> str:
    return reverse("safeguarding:exchange_add", args=[referral.pk])


def error_summary(html: str) -> list[str]:
    summary = html.split('govuk-error-summary__list">', 1)[1].split("</ul>", 1)[0]
    return [re.sub(r"\s+", " ", text).strip() for text in re.findall(r">([^<>]+)</a>", summary)]


def test_a_partners_own_agency_is_not_offered_as_a_recipient(partner_client):
    referral = ReferralFactory()
    ReferralShare.objects.create(referral=referral, agency=agency(FIRE), status="confirmed")

    html = partner_client.get(exchange_url(referral)).content.decode()

    offered = re.findall(r'name="to_agencies" value="(\d+)"', html)
    assert sorted(offered) == sorted([str(agency(FIRE).pk), str(agency(POLICE).pk)])
    assert str(agency(YORK).pk) not in offered


def test_a_partners_own_agency_posted_anyway_is_refused_by_form_and_service(
    partner_client, partner
):
    referral = ReferralFactory()
    response = partner_client.post(
        exchange_url(referral),
        {
            "to_agencies": [agency(YORK).pk],
            **date_fields("shared_on", "2021-10-06"),
            "summary": "Seen at the address",
            "lawful_basis": "cda_1998_s115",
            "handling_code": "P",
        },
    )

    assert response.status_code == 200
    assert "Select only agencies from the list" in response.content.decode()
    assert not referral.exchanges.exists()
    with pytest.raises(Exception, match="cannot share with itself"):
        services.exchange_record(
            user=partner,
            referral=referral,
            from_agency=agency(YORK),
            to_agencies=[agency(YORK)],
            shared_on="2021-10-06",
            summary="x",
            lawful_basis="cda_1998_s115",
            handling_code="P",
        )


def test_every_problem_of_the_exchange_is_shown_at_once(intel_client):
    referral = ReferralFactory()
    # No date, no summary, code C without conditions and a police-to-police exchange: the
    # rules the service would refuse next are in the same error summary as the fields'.
    response = intel_client.post(
        exchange_url(referral),
        {
            "from_agency": agency(POLICE).pk,
            "to_agencies": [agency(POLICE).pk],
            "lawful_basis": "cda_1998_s115",
            "handling_code": "C",
        },
    )

    assert response.status_code == 200
    problems = error_summary(response.content.decode())
    assert "Enter the conditions that apply to handling code C" in problems
    assert f"{POLICE} cannot share with itself" in problems
    assert "Enter what was shared" in problems
    assert any("date the information was shared" in problem for problem in problems)
    assert not referral.exchanges.exists()


def test_the_form_states_the_services_rules_with_the_same_function(partner):
    referral = ReferralFactory()
    form = ExchangeForm(
        {"handling_code": "C", "to_agencies": []},
        user=partner,
        parties=services.exchange_parties(referral=referral),
    )

    assert not form.is_valid()
    assert form.errors["handling_conditions"] == [
        "Enter the conditions that apply to handling code C"
    ]


def test_the_overdue_filter_says_any_yes_or_no(partner_client):
    html = partner_client.get(reverse("safeguarding:referral_list")).content.decode()

    select = html.split('name="overdue"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r"<option[^>]*>([^<]+)</option>", select) == ["Any", "Yes", "No"]
    assert "Unknown" not in select


def test_handling_conditions_are_revealed_under_code_c_on_the_exchange_form(intel_client):
    page = intel_client.get(exchange_url(ReferralFactory())).content.decode()

    after_c = page.split('id="conditional-id_handling_code_1">', 1)[1]
    assert 'name="handling_conditions"' in after_c[: after_c.index("</fieldset>")]
    assert page.count('name="handling_conditions"') == 1
