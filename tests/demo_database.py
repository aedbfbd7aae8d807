"""The demo data of `manage.py seed_demo`, seeded once for a run of the tests that read it.

Seeding takes a couple of seconds, and some twenty tests check what it made. A test that
asks for `demo_data` finds the demo seeded, with DEMO_PASSWORD as the accounts'
password, and runs in a savepoint rolled back after it, as a `db` test does: what one
test changes, the next never sees. The seeding itself stays in a transaction of its
own, opened before the first of a run of such tests and rolled back after the last
(tests/conftest.py runs them one after another, before the transactional tests empty
the tables), so no other test sees the demo either. Each pytest-xdist worker seeds it
for the run of those tests it is given: usually once.
"""

import pytest
from django.core.management import call_command
from django.db import transaction

from accounts.models import User
from web.demo import DEMO_ACCOUNTS

DEMO_PASSWORD = "x-demo-password-1"


class DemoDatabase:
    """The transaction that holds the seeded demo between the tests that use it."""

    def __init__(self, blocker) -> None:
        self._blocker = blocker
        self._atomic = None

    @property
    def is_open(self) -> bool:
        return self._atomic is not None

    def open(self) -> None:
        if self.is_open:
            return
        with self._blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            self._atomic = atomic
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
                call_command("seed_demo", verbosity=0)

    def close(self) -> None:
        if not self.is_open:
            return
        atomic, self._atomic = self._atomic, None
        with self._blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            if User.objects.filter(username__in=DEMO_ACCOUNTS).exists():
                raise RuntimeError("The demo data outlived the tests that use it.")


_DEMO_DATABASE = pytest.StashKey[DemoDatabase]()


def uses_demo_data(item: pytest.Item | None) -> bool:
    return item is not None and "demo_data" in getattr(item, "fixturenames", ())


def demo_database_of(config: pytest.Config) -> DemoDatabase | None:
    return config.stash.get(_DEMO_DATABASE, None)


@pytest.fixture(scope="session")
def demo_database(request, django_db_setup, django_db_blocker):
    database = DemoDatabase(django_db_blocker)
    request.config.stash[_DEMO_DATABASE] = database
    yield database
    database.close()


@pytest.fixture
def demo_data(request, demo_database, monkeypatch) -> None:
    """The demo seeded (once for a run of such tests); each test's changes rolled back.

    The test's savepoint (pytest-django's `db`) must open after the seeding, so a test
    using this fixture carries no django_db marker and asks for no fixture that needs
    `db`: it finds the demo accounts by username.
    """
    marker = request.node.get_closest_marker("django_db")
    names = list(request.fixturenames)
    db_first = "db" in names and names.index("db") < names.index("demo_data")
    if marker is not None or db_first or "transactional_db" in names:
        raise pytest.UsageError(
            f"{request.node.nodeid}: demo_data opens the test's database itself; drop the "
            "django_db marker and the fixtures that need `db`"
        )
    demo_database.open()
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    request.getfixturevalue("db")
