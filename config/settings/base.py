"""Settings shared by every environment.

The environment is read here, once; local, test and production settings only
adjust what differs. See the configuration table in the README.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

# --- Core -------------------------------------------------------------------

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_filters",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # The layers, from the ground up (docs/architecture.md).
    "core",
    "audit",
    "accounts",
    "watches",
    "records",
    "reference",
    "imports",
    "lines",
    "calls",
    "persons",
    "operations",
    "safeguarding",
    "panel",
    "audit_log",
    "search",
    "web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "audit.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.devices.DeviceCookieMiddleware",
    # Before SessionLifetimeMiddleware, which leaves a message when it ends a session.
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    # After the second factor: a new password asked for by an administrator comes next.
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "audit.middleware.AdminAuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.NoStoreMiddleware",
    # Last: it answers a sign-in refused because of too many failures (AXES_LOCKOUT_CALLABLE).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context_processors.service",
                "watches.context_processors.notifications",
            ],
        },
    },
]
FORM_RENDERER = "core.forms.GovukFormRenderer"

# --- Database -----------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared by every process in production (Redis), so that counts kept in it (failed
# sign-ins written to the audit log) hold across workers.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# --- Accounts and passwords ---------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.passwords.NoPersonalDetailsValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.passwords.BreachedPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions end after 30 minutes without a request and, whatever the activity, 10 hours
# after sign-in. SessionLifetimeMiddleware renews the 30 minutes every 5 minutes of use,
# not on every request (each renewal is a database write).
SESSION_COOKIE_AGE = int(timedelta(minutes=30).total_seconds())
SESSION_RENEW_INTERVAL = timedelta(minutes=5)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_LIFETIME = timedelta(hours=10)
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "web.views.csrf_failure"
# Sign-in throttling (django-axes; the rules are explained in accounts/lockout.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.StaffBackend",
]
AXES_HANDLER = "accounts.lockout.SignInAttemptHandler"
AXES_LOCKOUT_PARAMETERS = "accounts.lockout.lockout_parameters"
# Failures that close each lock: a username at one address; one address whatever the
# usernames tried (many staff may share an office's address); a browser that has signed
# in as the user before, with its device cookie (the only lock that applies to it).
SIGN_IN_FAILURE_LIMITS = {"username at address": 5, "address": 20, "device": 5}
# The scale on which the handler reports how near the nearest lock is to its limit.
AXES_FAILURE_LIMIT = 1
SIGN_IN_LOCKOUT_PERIOD = timedelta(minutes=15)
SIGN_IN_LOCKOUT_LONGEST = timedelta(hours=24)
# No failure counts longer than the longest lock; each lock's own period is the handler's.
AXES_COOLOFF_TIME = SIGN_IN_LOCKOUT_LONGEST
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "audit.middleware.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.views.sign_in_locked"
# Successful sign-ins are in the audit log already.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# Device cookies (accounts/devices.py): a browser that has signed in as a user is not
# locked out by strangers' failures at its address. Secure with the session cookie.
SIGN_IN_DEVICE_COOKIE_NAME = "sign_in_device"
SIGN_IN_DEVICE_COOKIE_AGE = timedelta(days=180)
SIGN_IN_DEVICE_USERS = 5
# Failed sign-ins written to the audit log per client address and minute; past this, one
# event says so and the rest are counted by the throttle only (a flood cannot fill the log).
SIGN_IN_AUDIT_FAILURES_PER_MINUTE = 30

# Two-factor authentication (django-otp): an authenticator app's 6-digit code after the
# password, and single-use recovery codes. Production requires it of every account;
# elsewhere it is asked of those who have set it up.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=False)
OTP_TOTP_ISSUER = "County Lines case management"
RECOVERY_CODE_COUNT = 10
# Wrong recovery codes are slowed down as wrong authenticator codes are: 1 s, 2 s, 4 s...
RECOVERY_CODE_THROTTLE_FACTOR = 1
# The new key a set-up page shows travels, signed, in its form: it can be confirmed for
# this long (long enough to install an authenticator app first).
AUTHENTICATOR_SETUP_TIMEOUT = timedelta(minutes=30)
# Replacing the authenticator or making new recovery codes asks for the password again
# unless the user proved it (signing in counts) this recently (accounts.reauthentication).
REAUTHENTICATION_WINDOW = timedelta(minutes=5)

# An account made on the admin site is sent an invitation to choose its own password,
# good once, for this long (accounts.invitations); a link confirming a new email address
# given by an administrator (accounts.email_changes) lasts as long.
INVITATION_TIMEOUT = timedelta(days=7)
EMAIL_CONFIRMATION_TIMEOUT = timedelta(days=7)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# The reverse proxies in front of the app (addresses or networks, comma-separated): from
# them, the audit log takes the client's address from X-Forwarded-For.
AUDIT_TRUSTED_PROXIES = env.list("AUDIT_TRUSTED_PROXIES", default=[])

# --- Security headers -------------------------------------------------------------

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
    },
}

# --- Internationalisation -------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files (GOV.UK and MOJ Frontend, built by `npm run build`) -------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    BASE_DIR / "static_build",
    ("assets", NODE_MODULES / "govuk-frontend" / "dist" / "govuk" / "assets"),
    ("assets", NODE_MODULES / "@ministryofjustice" / "frontend" / "moj" / "assets"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- E-mail (password reset) ------------------------------------------------------------

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="county-lines@localhost")
# Password resets asked for from one client address, and reset e-mails sent to one
# account, within the period (accounts/password_resets.py; counted in the shared cache).
PASSWORD_RESET_REQUESTS_PER_ADDRESS = 10
PASSWORD_RESET_EMAILS_PER_ACCOUNT = 3
PASSWORD_RESET_LIMIT_PERIOD = timedelta(hours=1)
# Refused requests written to the audit log per client address and minute (as failed
# sign-ins: past this, one event says so and the rest are not written).
PASSWORD_RESET_AUDIT_REFUSALS_PER_MINUTE = 30

# --- Celery -------------------------------------------------------------------------------

# Without a broker (the embedded default) tasks run in-process, at the point they
# are queued; with one they go to real workers.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message not acknowledged this long is handed to another worker (Redis): longer than
# any task's hard time limit, so that it never happens while the first run may be alive.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": timedelta(hours=1),
    },
    "discard-abandoned-import-uploads": {
        "task": "imports.tasks.discard_abandoned_uploads",
        "schedule": timedelta(hours=1),
    },
    "recover-stalled-imports": {
        "task": "imports.tasks.recover_stalled_imports",
        "schedule": timedelta(minutes=1),
    },
    "recover-stalled-panel-statistics": {
        "task": "panel.tasks.recover_stalled_snapshots",
        "schedule": timedelta(minutes=1),
    },
    # The panel's figures for the current and previous month, quarter, year and
    # financial year, ready each morning.
    "panel-statistics-nightly": {
        "task": "panel.tasks.snapshot_standard_periods",
        "schedule": crontab(hour=2, minute=30),
    },
    # The partitions of the months ahead, ready long before their first rows, and of the
    # months whose rows wait in a default partition.
    "partitions-upkeep": {
        "task": "core.tasks.partitions_upkeep",
        "schedule": crontab(hour=1, minute=15),
    },
    # The call rows of the sources past their retention date.
    "purge-call-data-nightly": {
        "task": "calls.tasks.purge_call_data",
        "schedule": crontab(hour=3, minute=15),
    },
}

# --- CSV imports (interfaces.md §1) ---------------------------------------------------------

IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
# The kinds whose files run to millions of rows (call data) take uploads up to this size,
# on a page of their own (imports.kinds.ImportKind.large_files); such an upload is kept
# in IMPORT_FILES_DIR rather than the database, a directory web and worker share.
IMPORT_MAX_LARGE_UPLOAD_BYTES = env.int("IMPORT_MAX_LARGE_UPLOAD_BYTES", default=1024**3)
IMPORT_FILES_DIR = Path(env.str("IMPORT_FILES_DIR", default=str(BASE_DIR / "var" / "import-files")))
# Uploads with more data rows than this are checked and imported by a Celery task.
IMPORT_ASYNC_ROW_THRESHOLD = env.int("IMPORT_ASYNC_ROW_THRESHOLD", default=2000)
# An uploaded file that was checked but not confirmed is deleted after this long.
IMPORT_UPLOAD_RETENTION = timedelta(hours=24)
# The longest a background check or import may run (the largest upload takes minutes).
IMPORT_TASK_TIME_LIMIT = 30 * 60
# A run that has not written its heartbeat for this long is taken to be dead (a run
# writes it after every block, a few times a second): its job is started again, at
# most IMPORT_MAX_ATTEMPTS times in all.
IMPORT_STALL_TIMEOUT = timedelta(seconds=env.int("IMPORT_STALL_SECONDS", default=120))
IMPORT_MAX_ATTEMPTS = 3

# --- Panel statistics -----------------------------------------------------------------------

# Figures being computed this long after the run started (longer than its 10-minute time
# limit, so a live run is never doubled), or waiting this long after they were queued
# (longer than the longest task ahead of them, a 30-minute import), are queued again, at
# most SNAPSHOT_MAX_ATTEMPTS times in all, then shown as failed with a button to try again.
SNAPSHOT_STALL_TIMEOUT = timedelta(minutes=env.int("SNAPSHOT_STALL_MINUTES", default=15))
SNAPSHOT_QUEUE_TIMEOUT = timedelta(minutes=env.int("SNAPSHOT_QUEUE_MINUTES", default=45))
SNAPSHOT_MAX_ATTEMPTS = 3

# --- Call data ------------------------------------------------------------------------------

# Possible new lines: a number sending messages to at least CALL_DATA_BURST_RECIPIENTS
# distinct numbers within CALL_DATA_BURST_MINUTES, on at least CALL_DATA_BURST_DAYS days
# (a deal line's daily "marketing" text), attributed to no line. The page shows them.
CALL_DATA_BURST_RECIPIENTS = 20
CALL_DATA_BURST_MINUTES = 10
CALL_DATA_BURST_DAYS = 3

# --- Logging --------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # django-axes tells of every failed sign-in at INFO; the audit log keeps them.
    # WeasyPrint tells of each step of every PDF it prints at INFO.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint.progress": {"level": "WARNING"}},
}

# --- The service ---------------------------------------------------------------------------

SERVICE_NAME = "County Lines case management"
# Stored with every statistics snapshot: which code computed its figures.
SERVICE_VERSION = env("SERVICE_VERSION", default="development")
PROTECTIVE_MARKING = "OFFICIAL-SENSITIVE"
POLICE_AGENCY_NAME = "North Yorkshire Police"
# Where the service is, for links in e-mails sent by background tasks (no request to
# take the host from): `https://countylines.example.police.uk`.
SERVICE_URL = env("SERVICE_URL", default="http://localhost:8000").rstrip("/")
# A line of text shown in a phase banner on every page (development and training copies).
ENVIRONMENT_BANNER = env("ENVIRONMENT_BANNER", default="")
