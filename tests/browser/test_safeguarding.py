"""Safeguarding in Chromium: a partner refers a cuckooed address, adds the person at
risk and proposes sharing with the fire service; the fire service sees nothing until an
intelligence officer confirms it. The pages fit 1280 and 320 CSS px and axe finds
nothing serious."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from safeguarding.models import Referral
from tests.safeguarding.factories import ActionFactory, OccupantFactory, ReferralFactory

from ..helpers import fill_date
from .helpers import serious_violations
from .test_reflow import WIDEST, page_scrolls_sideways

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_console_errors")]


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_a_referral_shared_by_a_partner_once_the_police_confirm_it(
    page, sign_in_as, console_errors, partner, partner2, intel
):
    sign_in_as(partner)
    expect(page.get_by_role("heading", level=1)).to_have_text("Safeguarding")
    page.get_by_role("link", name="Add a referral").first.click()
    expect(page.get_by_label("Reference")).to_have_count(0)  # the service numbers it
    page.get_by_label("Address").fill("Flat 1\n2 Example Street")
    page.get_by_label("Town or city").fill("York")
    page.get_by_label("Postcode").fill("yo17hh")
    page.get_by_label("Command area").select_option(label="York")
    fill_date(page, "Date of the referral", "2021-10-04")
    page.get_by_label("High").check()
    expect(page.get_by_label("Suspected county lines")).to_have_count(0)  # police only
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("YO1 7HH")
    expect(page.get_by_text("Cuckooing referral CYC-0001")).to_be_visible()
    page.get_by_role("link", name="Add a person at risk").click()
    page.get_by_label("Full name").fill("Alan Example")
    page.get_by_label("Age, if the date of birth is not known").fill("61")
    page.get_by_label("Mental health").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("occupant")).to_contain_text("Mental health")

    page.get_by_role("link", name="Propose sharing with another agency").click()
    page.get_by_label("Agency").select_option(label="North Yorkshire Fire and Rescue Service")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("shares")).to_contain_text("Proposed")
    url = page.url
    sign_out(page)

    sign_in_as(partner2)
    assert page.goto(url).status == 404
    # Chromium reports the refused page as a failed load; nothing else may be reported.
    assert console_errors == [
        "Failed to load resource: the server responded with a status of 404 (Not Found)"
    ]
    console_errors.clear()
    page.goto("/")
    sign_out(page)

    sign_in_as(intel)
    page.goto(url)
    page.get_by_role("button", name="Confirm sharing with North Yorkshire Fire").click()
    expect(page.get_by_test_id("shares")).not_to_contain_text("Proposed")
    sign_out(page)

    sign_in_as(partner2)
    assert page.goto(url).status == 200
    expect(page.get_by_test_id("occupant")).to_contain_text("Alan Example")
    assert Referral.objects.get().shares.count() == 2


@pytest.fixture
def referral(db):
    referral = ReferralFactory(
        address="Flat 12, Featherstonehaugh-Montgomery Court\n140 Long Street Name Road"
    )
    OccupantFactory(referral=referral, vulnerabilities=["drug_or_alcohol", "mental_health"])
    ActionFactory(referral=referral, due_on=timezone.localdate() - datetime.timedelta(days=4))
    return referral


@pytest.mark.parametrize("width", [1280, 320])
def test_the_pages_fit_and_axe_finds_nothing_serious(page, sign_in_as, partner, referral, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_as(partner)
    urls = [
        reverse("safeguarding:home"),
        reverse("safeguarding:referral_list"),
        reverse("safeguarding:referral_detail", args=[referral.pk]),
        reverse("safeguarding:referral_create"),
        reverse("safeguarding:exchange_add", args=[referral.pk]),
        reverse("safeguarding:action_add", args=[referral.pk]),
    ]
    for url in urls:
        page.goto(url)
        assert not page_scrolls_sideways(page), (
            f"{url} scrolls sideways at {width}px: {page.evaluate(WIDEST)}"
        )
        serious = serious_violations(page)
        assert serious == [], f"{url} at {width}px: {serious}"
