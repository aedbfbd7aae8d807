"""A server started without DJANGO_SETTINGS_MODULE (gunicorn on config.wsgi, a Celery
worker or beat on config) takes the production settings, which refuse to start without
their secrets: never debug with the local settings' published key. manage.py keeps the
local settings for a developer's machine; `make worker` and `make beat` name them."""

import os
import subprocess

import pytest
from django.conf import settings

from tests.helpers import run_python


def run_without_settings(code: str) -> subprocess.CompletedProcess:
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_", "CELERY_"))
    }
    return run_python(["-c", code], environment=environment)


@pytest.mark.parametrize(
    "start",
    [
        "import config.wsgi",
        # A worker reads the settings as soon as it configures itself.
        "from config.celery import app; app.conf.broker_url",
    ],
    ids=["gunicorn", "celery"],
)
def test_a_server_without_settings_named_takes_production_and_refuses_to_start(start):
    result = run_without_settings(
        f"import os\ntry:\n    {start}\nfinally:\n    print(os.environ['DJANGO_SETTINGS_MODULE'])"
    )

    assert result.returncode != 0
    assert result.stdout.strip() == "config.settings.production"
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY must be set in production" in result.stderr


def test_manage_py_keeps_the_local_settings():
    result = run_without_settings(
        "import sys; sys.argv = ['manage.py', 'shell', '--no-imports', '-c', "
        "'from django.conf import settings; print(settings.SETTINGS_MODULE, settings.DEBUG)']\n"
        "import manage; manage.main()"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "config.settings.local True"


@pytest.mark.parametrize("target", ["worker", "beat"])
def test_make_worker_and_beat_name_the_local_settings(target):
    result = subprocess.run(  # noqa: S603  (fixed arguments)
        ["make", "--dry-run", target],  # noqa: S607  (make from the PATH)
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    celery = [line for line in result.stdout.splitlines() if "celery -A config" in line]
    assert celery == [
        "DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.local} "
        f".venv/bin/celery -A config {target} -l info"
    ]
