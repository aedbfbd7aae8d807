"""`manage.py seed_demo`: the five demo accounts of interfaces.md §5."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from accounts.models import Role, User
from tests.demo_database import DEMO_PASSWORD

EXPECTED = {
    "intel": (Role.INTELLIGENCE_OFFICER, "North Yorkshire Police"),
    "manager": (Role.MANAGER, "North Yorkshire Police"),
    "partner": (Role.PARTNER, "City of York Council"),
    "partner2": (Role.PARTNER, "North Yorkshire Fire and Rescue Service"),
    "admin": (Role.ADMINISTRATOR, "North Yorkshire Police"),
}


def seed_demo(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def can_sign_in(username: str, password: str) -> bool:
    client = Client()
    client.post(reverse("accounts:login"), {"username": username, "password": password})
    return "_auth_user_id" in client.session


@pytest.fixture
def demo_password(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-password-for-tests")
    return "demo-password-for-tests"


@pytest.fixture
def no_demo_password(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)


# On the demo seeded once for these tests (tests/demo_database.py), with DEMO_PASSWORD.


def test_creates_the_five_demo_accounts_with_their_roles_and_agencies(demo_data):
    users = User.objects.select_related("agency")
    assert {user.username: (user.role, user.agency.name) for user in users} == EXPECTED


def test_running_twice_creates_no_duplicates(demo_data):
    second = seed_demo()

    assert User.objects.count() == 5
    assert second.count("already there") == 5


def test_demo_password_is_the_accounts_password(demo_data):
    assert all(can_sign_in(username, DEMO_PASSWORD) for username in EXPECTED)


def test_a_new_demo_password_resets_existing_accounts(demo_data, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-password")
    seed_demo()

    assert can_sign_in("partner", "another-demo-password")
    assert not can_sign_in("partner", DEMO_PASSWORD)


# On an empty database.


def test_without_demo_password_a_generated_one_is_printed_works_and_a_second_run_keeps_it(
    db, no_demo_password
):
    # One test for both: each run seeds the whole demo, the test's longest part.
    password = re.search(r"Demo accounts' password: (\S+)", seed_demo())[1]
    assert len(password) >= 12
    assert all(can_sign_in(username, password) for username in EXPECTED)

    seed_demo()

    assert can_sign_in("intel", password)


def test_refuses_under_production_settings(db, demo_password, settings):
    settings.SETTINGS_MODULE = "config.settings.production"

    with pytest.raises(CommandError, match="production"):
        seed_demo()

    assert not User.objects.exists()
