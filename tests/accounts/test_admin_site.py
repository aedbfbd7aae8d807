"""Only administrators reach the Django admin site; it signs in through our page."""

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import UserFactory
from tests.helpers import denials_of, next_param, redirects_to_sign_in


@pytest.mark.parametrize("role", ["intel", "manager", "partner", "partner2"])
def test_other_roles_are_refused_the_admin_site_and_it_is_audited(db, request, role):
    user = request.getfixturevalue(role)
    client = request.getfixturevalue(f"{role}_client")

    response = client.get(reverse("admin:index"), follow=True)

    assert response.status_code == 403
    assert len(response.redirect_chain) == 1  # via admin:login, never round in a loop
    assert denials_of(user.username).count() == 1


def test_admin_sign_in_sends_anonymous_visitors_to_the_service_sign_in(client, db):
    response = client.get(reverse("admin:login"), {"next": "/admin/accounts/user/"})

    assert redirects_to_sign_in(response)
    assert next_param(response.url) == "/admin/accounts/user/"


def test_only_the_administrator_role_gets_staff_and_superuser_flags(db):
    administrator = UserFactory(role=Role.ADMINISTRATOR)
    manager = UserFactory(role=Role.MANAGER, is_staff=True, is_superuser=True)

    assert administrator.is_staff and administrator.is_superuser
    assert not manager.is_staff and not manager.is_superuser


def test_an_administrator_cannot_give_themselves_another_role(administrator, administrator_client):
    """Administrators read no intelligence: not by making themselves intelligence officers."""
    url = reverse("admin:accounts_user_change", args=[administrator.pk])
    response = administrator_client.post(
        url,
        {
            "username": administrator.username,
            "first_name": administrator.first_name,
            "last_name": administrator.last_name,
            "email": administrator.email,
            "role": Role.INTELLIGENCE_OFFICER,
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    administrator.refresh_from_db()
    assert administrator.role == Role.ADMINISTRATOR
    assert administrator_client.get(reverse("lines:line_list")).status_code == 403


def test_an_administrator_changes_another_users_role(administrator_client, manager):
    response = administrator_client.post(
        reverse("admin:accounts_user_change", args=[manager.pk]),
        {
            "username": manager.username,
            "first_name": manager.first_name,
            "last_name": manager.last_name,
            "email": manager.email,
            "role": Role.INTELLIGENCE_OFFICER,
            "agency": manager.agency_id,
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.role == Role.INTELLIGENCE_OFFICER


def test_the_users_of_an_agency_that_no_longer_takes_part_are_signed_out_and_kept_out(
    partner, partner_client, client
):
    from accounts.models import Agency
    from tests.factories import PASSWORD

    Agency.objects.filter(pk=partner.agency_id).update(is_active=False)

    assert redirects_to_sign_in(partner_client.get(reverse("safeguarding:home")))
    response = client.post(
        reverse("accounts:login"), {"username": partner.username, "password": PASSWORD}
    )
    assert response.status_code == 200  # the sign-in page again
    assert not client.session.get("_auth_user_id")
