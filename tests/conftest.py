"""One user per role, and a signed-in client for each (healthchecks' alice/bob/charlie).

The agencies come from the data migration accounts/0002_agencies, as in production.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Agency, Role
from audit.models import AuditEvent

from .factories import UserFactory

POLICE = "North Yorkshire Police"
COUNCIL = "City of York Council"
FIRE = "North Yorkshire Fire and Rescue Service"


def agency(name: str) -> Agency:
    return Agency.objects.get(name=name)


@pytest.fixture
def intel(db):
    return UserFactory(username="intel", role=Role.INTELLIGENCE_OFFICER, agency=agency(POLICE))


@pytest.fixture
def manager(db):
    return UserFactory(username="manager", role=Role.MANAGER, agency=agency(POLICE))


@pytest.fixture
def partner(db):
    return UserFactory(username="partner", role=Role.PARTNER, agency=agency(COUNCIL))


@pytest.fixture
def partner2(db):
    return UserFactory(username="partner2", role=Role.PARTNER, agency=agency(FIRE))


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin", role=Role.ADMINISTRATOR, agency=agency(POLICE))


def signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def intel_client(intel):
    return signed_in_client(intel)


@pytest.fixture
def manager_client(manager):
    return signed_in_client(manager)


@pytest.fixture
def partner_client(partner):
    return signed_in_client(partner)


@pytest.fixture
def partner2_client(partner2):
    return signed_in_client(partner2)


@pytest.fixture
def administrator_client(administrator):
    return signed_in_client(administrator)


ROLE_FIXTURES = ["intel", "manager", "partner", "partner2", "administrator"]


@pytest.fixture(params=ROLE_FIXTURES)
def any_user(request):
    """Each role in turn."""
    return request.getfixturevalue(request.param)


def sign_in_url() -> str:
    return reverse("accounts:login")


def redirects_to_sign_in(response) -> bool:
    return response.status_code == 302 and response.url.split("?")[0] == sign_in_url()


def denials_of(username: str):
    return AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS_DENIED, username=username)


def script_tags(html: str) -> list[str]:
    return re.findall(r"<script\b[^>]*>", html, flags=re.IGNORECASE)
