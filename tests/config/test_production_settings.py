"""Production settings refuse to start without their secrets, and pass the deploy checks."""

import os
import secrets
import subprocess
from pathlib import Path

import pytest

from tests.helpers import run_python

ROOT = Path(__file__).resolve().parent.parent.parent

REQUIRED = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "county-lines.example.invalid",
    "DATABASE_URL": "postgres://countylines@db.example.invalid:5432/countylines",
    # Without a broker tasks would run inside web requests: a big import would hold one.
    "CELERY_BROKER_URL": "redis://redis.example.invalid:6379/0",
    # Limits counted in the cache (password resets) must hold across every process.
    "CACHE_URL": "redis://redis.example.invalid:6379/1",
}


def run_under_production(
    *args: str, without: str | None = None, **overrides: str
) -> subprocess.CompletedProcess:
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_", "CELERY_", "CACHE_", "SERVICE_"))
    }
    environment.update(REQUIRED, DJANGO_SETTINGS_MODULE="config.settings.production")
    environment.update(overrides)
    if without:
        del environment[without]
    return run_python(list(args), environment=environment)


@pytest.mark.parametrize("missing", REQUIRED)
def test_refuses_to_start_without(missing):
    result = run_under_production("-c", "import django; django.setup()", without=missing)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


@pytest.mark.parametrize(
    ("database_url", "engine"),
    [
        ("sqlite:////tmp/countylines.sqlite3", "sqlite3"),
        ("mysql://countylines@db.example.invalid:3306/countylines", "mysql"),
    ],
)
def test_refuses_a_database_other_than_postgresql(database_url, engine):
    result = run_under_production("-c", "import django; django.setup()", DATABASE_URL=database_url)

    assert result.returncode != 0
    assert "ImproperlyConfigured: DATABASE_URL must name a PostgreSQL database" in result.stderr
    assert f"not {engine}:" in result.stderr


def test_refuses_a_cache_of_each_processs_own():
    result = run_under_production("-c", "import django; django.setup()", CACHE_URL="locmemcache://")

    assert result.returncode != 0
    assert "ImproperlyConfigured: CACHE_URL must name a cache shared by every process" in (
        result.stderr
    )


def test_links_in_e_mails_go_to_the_first_allowed_host_over_https_unless_set():
    show = "from django.conf import settings; print(settings.SERVICE_URL)"

    default = run_under_production("-c", f"import django; django.setup(); {show}")
    chosen = run_under_production(
        "-c", f"import django; django.setup(); {show}", SERVICE_URL="https://cl.example.org/"
    )

    assert default.stdout.strip() == "https://county-lines.example.invalid"
    assert chosen.stdout.strip() == "https://cl.example.org"


def test_refuses_links_in_e_mails_over_plain_http():
    result = run_under_production(
        "-c", "import django; django.setup()", SERVICE_URL="http://cl.example.org"
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured: SERVICE_URL must be the service's https:// address" in (
        result.stderr
    )


def test_starts_and_passes_the_deploy_checks_with_all_of_them():
    result = run_under_production("manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_production_image_leaves_the_benchmarks_out_and_starts_without_them():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert "bench" in ignored

    # As in the image: no `bench` package to import.
    result = run_under_production(
        "-c",
        "import sys; sys.modules['bench'] = None; import django; django.setup(); "
        "from django.core.management import call_command; call_command('check')",
    )

    assert result.returncode == 0, result.stderr
