"""Production settings: refuses to start without its secrets; HTTPS only."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, env


def _required(name: str) -> str:
    value = env(name, default="")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production.")
    return value


SECRET_KEY = _required("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = [
    host.strip() for host in _required("DJANGO_ALLOWED_HOSTS").split(",") if host.strip()
]
_required("DATABASE_URL")  # base.py has already parsed it; production must not fall back to SQLite.
# The audit log's triggers and the app's database role (audit/database_role.py) are
# PostgreSQL's: on another database nothing below the application would protect the log.
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        "DATABASE_URL must name a PostgreSQL database in production (postgres://...), "
        f"not {DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}: only PostgreSQL keeps "
        "the audit log append-only."
    )
# Limits counted in the cache (password resets, failed sign-ins audited a minute) must hold
# across every process: a cache of one process each would multiply them by the processes.
_required("CACHE_URL")
if CACHES["default"]["BACKEND"].rsplit(".", 1)[-1] in {"LocMemCache", "DummyCache"}:
    raise ImproperlyConfigured(
        "CACHE_URL must name a cache shared by every process in production (redis://...), "
        "not one of each process's own memory."
    )
# base.py runs tasks in-process when no broker is set: in production that would run a big
# import inside a web request, so a broker is required.
CELERY_BROKER_URL = _required("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = False
# The address in e-mails sent by background tasks (a watcher's "something has new
# information"), which have no request to take the host from: the service's own HTTPS
# address, the first allowed host unless set.
SERVICE_URL = env("SERVICE_URL", default=f"https://{ALLOWED_HOSTS[0]}").rstrip("/")
if not SERVICE_URL.startswith("https://"):
    raise ImproperlyConfigured(
        f"SERVICE_URL must be the service's https:// address in production, not {SERVICE_URL!r}: "
        "the e-mails' links would otherwise send people to an unencrypted page."
    )

DEBUG = False
TWO_FACTOR_REQUIRED = True

# HTTPS, terminated by the load balancer in front of gunicorn.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # container health checks speak plain HTTP
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Secure-sessionid"
SIGN_IN_DEVICE_COOKIE_NAME = "__Secure-sign_in_device"
CSRF_COOKIE_NAME = "__Secure-csrftoken"
CSRF_TRUSTED_ORIGINS = env.list(
    "DJANGO_CSRF_TRUSTED_ORIGINS", default=[f"https://{h}" for h in ALLOWED_HOSTS]
)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="smtp://localhost:25")
vars().update(EMAIL_CONFIG)
