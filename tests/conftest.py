"""One user per role, and a signed-in client for each (healthchecks' alice/bob/charlie).

The agencies come from the data migration accounts/0002_agencies, as in production.
Plain helper functions live in tests/helpers.py.
"""

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.models import Agency, Role

from .access_walk import records  # noqa: F401  (the access table's records)
from .celery_worker import worker  # noqa: F401  (the real-worker fixtures, for every test)
from .database_flush import flush_past_the_audit_trigger  # noqa: F401
from .factories import UserFactory
from .worker_process import settings_stall, worker_process  # noqa: F401

POLICE = "North Yorkshire Police"
COUNCIL = "City of York Council"
FIRE = "North Yorkshire Fire and Rescue Service"


def _restores_migrated_data(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    serialized = bool(marker and marker.kwargs.get("serialized_rollback"))
    return serialized or "django_db_serialized_rollback" in getattr(item, "fixturenames", ())


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(fixtures)
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Among the transactional tests (pytest-django runs them after the others), run those
    that restore the migrated data (serialized_rollback) first: another transactional
    test's flush re-creates content types under new ids, which the restore collides with."""
    block = [index for index, item in enumerate(items) if _is_transactional(item)]
    if not block:
        return
    start, end = block[0], block[-1] + 1
    transactional = items[start:end]
    transactional.sort(key=lambda item: not _restores_migrated_data(item))
    items[start:end] = transactional


def make_user(username: str, role: Role, agency_name: str, full_name: str):
    first_name, last_name = full_name.split()
    return UserFactory(
        username=username,
        role=role,
        agency=Agency.objects.get(name=agency_name),
        first_name=first_name,
        last_name=last_name,
    )


@pytest.fixture(autouse=True)
def empty_cache():
    """Counts kept in the cache (failed sign-ins audited a minute) start at nought."""
    cache.clear()


@pytest.fixture
def intel(db):
    return make_user("intel", Role.INTELLIGENCE_OFFICER, POLICE, "Ingrid Telford")


@pytest.fixture
def manager(db):
    return make_user("manager", Role.MANAGER, POLICE, "Marcus Anand")


@pytest.fixture
def partner(db):
    return make_user("partner", Role.PARTNER, COUNCIL, "Priya Hartley")


@pytest.fixture
def partner2(db):
    return make_user("partner2", Role.PARTNER, FIRE, "Paul Dunmore")


@pytest.fixture
def administrator(db):
    return make_user("admin", Role.ADMINISTRATOR, POLICE, "Ada Mills")


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
