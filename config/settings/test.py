"""Settings for the test suite: fast hashing, in-memory e-mail, warnings as errors."""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-a-secret-key-5d2e7a"  # noqa: S105  (tests only)
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Unit tests run tasks in-process even where CI sets a broker; the one test that
# needs a real worker (tests/core/test_celery_worker.py) turns this off itself.
CELERY_TASK_ALWAYS_EAGER = True

# Tests run without `collectstatic`: WhiteNoise finds files as in development
# (otherwise it warns that STATIC_ROOT is missing, and warnings are errors here).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file rather than memory: the tests that run a Celery worker in a process of its
    # own (tests/worker_process.py) must reach the test database from there.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"countylines-test-{os.getpid()}.sqlite3")
    }
    # A test database is thrown away: no commit waits for the disk (each of the many
    # commits of migrations, live-server and transactional tests would otherwise).
    DATABASES["default"]["OPTIONS"] = {  # noqa: F405
        **DATABASES["default"].get("OPTIONS", {}),  # noqa: F405
        "init_command": "PRAGMA synchronous = OFF",
    }


def redis_database_per_worker(url: str, worker: str) -> str:
    """A Redis URL's database number plus the pytest-xdist worker's (gw0: +0, gw1: +1...)."""
    parts = urlsplit(url)
    if not worker or parts.scheme not in ("redis", "rediss"):
        return url
    database = int(parts.path.strip("/") or 0) + int(worker.removeprefix("gw"))
    return urlunsplit(parts._replace(path=f"/{database}"))


# Each pytest-xdist worker has its own test database (pytest-django names it) and, on a
# shared broker (CI's Redis), its own queue: a task one worker queues is never taken by
# another's Celery worker, which would look for its rows in the wrong database. On Redis
# each also has its own database number, as the broker keeps some keys (bindings,
# unacknowledged messages) per database rather than per queue.
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
CELERY_TASK_DEFAULT_QUEUE = f"countylines-tests-{_XDIST_WORKER or 'main'}"
# Celery takes CELERY_BROKER_URL from the environment before its settings, so the worker's
# URL goes there too; the run's own is kept for the processes a test starts.
_RUN_BROKER_URL = os.environ.setdefault("TEST_RUN_BROKER_URL", CELERY_BROKER_URL)  # noqa: F405
CELERY_BROKER_URL = redis_database_per_worker(_RUN_BROKER_URL, _XDIST_WORKER)
if CELERY_BROKER_URL:
    os.environ["CELERY_BROKER_URL"] = CELERY_BROKER_URL

# `manage.py seed_scale` (bench/), tested at a small factor.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
