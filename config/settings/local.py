"""Settings for a developer's machine: SQLite, in-process tasks, console e-mail."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Only ever used on a developer's machine; production refuses to start without its own.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-development-only-not-a-secret-key-8c1f0b")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

# Shown on every page: this copy runs on a developer's machine with fictitious demo data.
ENVIRONMENT_BANNER = (
    "Development copy. Its demo people, lines and numbers are fictitious: "
    "do not enter real case data."
)

# The synthetic data of `make bench` (`manage.py seed_scale`): a development tool, not in
# the production image.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
