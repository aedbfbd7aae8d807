"""The home page offers each role exactly the areas its capabilities allow."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.helpers import ROLES, text
from web.navigation import areas_for

AREA_LINK = re.compile(r'<h3[^>]*><a class="govuk-link" href="([^"]+)">([^<]+)</a></h3>')
NAVIGATION_LINK = re.compile(
    r'<a class="govuk-service-navigation__link" href="([^"]+)"[^>]*>(?:<strong[^>]*>)?([^<]+)<'
)


def offered_areas(html: str) -> list[tuple[str, str]]:
    return AREA_LINK.findall(html)


@pytest.mark.parametrize("role", ROLES)
def test_home_lists_exactly_the_areas_of_the_role(db, request, role):
    user = request.getfixturevalue(role)
    client = request.getfixturevalue(f"{role}_client")

    response = client.get(reverse("web:home"), follow=True)
    html = text(response)

    expected = [(url, area.title) for area, url, _description in areas_for(user)]
    if user.is_partner:
        # A partner's home is the safeguarding overview, their only area.
        assert response.redirect_chain == [(reverse("safeguarding:home"), 302)]
        assert expected == [(reverse("safeguarding:home"), "Safeguarding")]
    else:
        assert offered_areas(html) == expected
    assert NAVIGATION_LINK.findall(html) == [
        (url, area.title) for area, url, _description in areas_for(user) if area.in_navigation
    ]


def test_manager_is_offered_the_audit_log(manager_client):
    titles = [title for _, title in offered_areas(text(manager_client.get(reverse("web:home"))))]
    assert "Audit log" in titles
    assert "Administration" not in titles


def test_intelligence_officer_is_not_offered_the_audit_log(intel_client):
    titles = [title for _, title in offered_areas(text(intel_client.get(reverse("web:home"))))]
    assert "Audit log" not in titles
    assert "Administration" not in titles


def test_administrator_is_offered_administration_and_audit_log(administrator_client):
    html = text(administrator_client.get(reverse("web:home")))
    assert (reverse("admin:index"), "Administration") in offered_areas(html)
    assert (reverse("audit:event_list"), "Audit log") in offered_areas(html)


def test_partner_is_offered_neither_police_nor_staff_areas(partner_client):
    html = text(partner_client.get(reverse("web:home"), follow=True))
    titles = [title for _, title in NAVIGATION_LINK.findall(html)]
    assert titles == ["Safeguarding"]


def test_home_names_the_user_their_agency_and_the_protective_marking(partner, partner_client):
    html = text(partner_client.get(reverse("web:home"), follow=True))
    assert partner.get_full_name() in html
    assert "City of York Council" in html
    assert html.count(settings.PROTECTIVE_MARKING) >= 2  # banner at the top and the bottom


def test_health_reports_the_database_reachable(client, db):
    response = client.get(reverse("web:health"))
    assert response.json() == {"status": "ok"}


def test_a_manager_is_not_invited_to_log_lines(manager_client, intel_client):
    manager = manager_client.get("/").content.decode()
    officer = intel_client.get("/").content.decode()

    assert "Log lines" not in manager and "Look up lines" in manager
    assert "Log lines" in officer


def test_an_administrator_is_offered_administration_and_the_audit_log_not_imports(
    administrator_client,
):
    home = administrator_client.get("/").content.decode()

    assert "Administration" in home and "Audit log" in home
    assert "Import data" not in home and "County lines" not in home
