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
