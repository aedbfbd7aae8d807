"""One user per role, and a signed-in client for each (healthchecks' alice/bob/charlie).

The agencies come from the data migration accounts/0002_agencies, as in production.
Plain helper functions live in tests/helpers.py. The hooks here order the tests, roll
back the demo seeded for a run of them (tests/demo_database.py) and leave out, on
SQLite, those that need PostgreSQL (tests/postgresql_only.py).
"""

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.models import Agency, Role

from .access_walk import records  # noqa: F401  (the access table's records)
from .celery_worker import worker  # noqa: F401  (the real-worker fixtures, for every test)
from .database_flush import flush_past_the_audit_trigger  # noqa: F401
from .demo_database import demo_data, demo_database, demo_database_of, uses_demo_data  # noqa: F401
from .factories import UserFactory
from .postgresql_only import (
    deselected_for_postgresql,
    leave_out_tests_needing_postgresql,
    take_worker_output,
)
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
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    leave_out_tests_needing_postgresql(config, items)
    restore_migrated_data_first(items)
    run_demo_data_tests_together(items)


def restore_migrated_data_first(items: list[pytest.Item]) -> None:
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


def run_demo_data_tests_together(items: list[pytest.Item]) -> None:
    """The tests of the demo data run one after another, just before the transactional
    ones (which empty the tables), so that the demo is seeded once for all of them
    (tests/demo_database.py); with pytest-xdist, once for each run of them a worker gets."""
    demo = [item for item in items if uses_demo_data(item)]
    if not demo:
        return
    for item in demo:
        # pytest-django creates the test database only for a run holding a test that needs
        # `db`: named last, it opens the test's savepoint after the demo is seeded.
        if "db" not in item.fixturenames:
            item.fixturenames.append("db")
    others = [item for item in items if not uses_demo_data(item)]
    at = next((i for i, item in enumerate(others) if _is_transactional(item)), len(others))
    items[:] = [*others[:at], *demo, *others[at:]]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """After the last of a run of demo-data tests, the seeded demo is rolled back."""
    try:
        return (yield)
    finally:
        database = demo_database_of(item.config)
        if database is not None and uses_demo_data(item) and not uses_demo_data(nextitem):
            database.close()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    take_worker_output(node)


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    left_out = deselected_for_postgresql(config)
    if left_out:
        terminalreporter.write_line(
            f"{len(left_out)} deselected: they need PostgreSQL (the postgresql marker); "
            "set DATABASE_URL to a PostgreSQL database to run them (README, Tests)",
            yellow=True,
        )


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
