"""Sign-in throttling, by django-axes: the locks it is given, and an administrator's unlock.

Failed sign-ins are counted three ways, each lock with its own limit (SIGN_IN_FAILURE_LIMITS):

- a username at one address (five failures lock that pair);
- one address whatever the usernames (twenty: one client guessing across accounts);
- a browser with a device cookie for the username it tries (accounts/devices.py: it has
  signed in as that user before), five failures with that cookie and username.

A browser with a device cookie for the username is subject to its own lock alone: nobody
else's failures count against it, so strangers sharing its address (an office, a council's
network) cannot keep its user out, whether they guess other usernames or that one. Every
other browser is subject to the first two.

A lock lasts 15 minutes (SIGN_IN_LOCKOUT_PERIOD) the first time and twice as long each
further time the same lock closes within a day (at most SIGN_IN_LOCKOUT_LONGEST); the
locks already closed are counted in the audit log, where each is written once. Failures
are counted over the same period: those older than the lock's period no longer count.
Attempts while locked are refused at once (429, with Retry-After: accounts.views.
sign_in_locked), before any password is checked, and are not counted, so a stranger
cannot keep a lock closed for ever; nothing waits or sleeps.

Axes keys its records by username, address and user agent. A browser with a device cookie
is recorded under its cookie's id in place of its user agent (DEVICE_MARK), so that its
failures, and its lock, are its own.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_credentials
from axes.models import AccessAttempt, AccessBase
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_event_record

from .devices import device_for

DEVICE_MARK = "sign-in device "


@dataclass(frozen=True)
class Lock:
    """One way of counting failures. `name` is its key in SIGN_IN_FAILURE_LIMITS and in the
    audit log's lock events; `parameters` the axes lockout parameters it counts by."""

    name: str
    parameters: tuple[str, ...]
    message: str

    @property
    def limit(self) -> int:
        return settings.SIGN_IN_FAILURE_LIMITS[self.name]


USERNAME_AT_ADDRESS = Lock(
    "username at address",
    ("username", "ip_address"),
    "Too many failed attempts to sign in with this username from here. Wait {wait} and try "
    "again, or ask an administrator to unlock your account.",
)
ADDRESS = Lock(
    "address",
    ("ip_address",),
    "Too many failed attempts to sign in from your network. Wait {wait} and try again. On a "
    "browser where you have signed in to this service before, you can sign in now.",
)
DEVICE = Lock(
    "device",
    ("username", "user_agent"),
    "Too many failed attempts to sign in with this username on this browser. Wait {wait} "
    "and try again, or ask an administrator to unlock your account.",
)


@dataclass(frozen=True)
class Client:
    """Who is trying to sign in, as the locks count them."""

    username: str
    address: str | None
    device: str | None  # the id of its device cookie, when that names `username`

    @property
    def locks(self) -> list[Lock]:
        return _locks(with_device=bool(self.device))


def _locks(*, with_device: bool) -> list[Lock]:
    return [DEVICE] if with_device else [USERNAME_AT_ADDRESS, ADDRESS]


def client_of(request, credentials: dict | None = None) -> Client:
    username = str(get_client_username(request, credentials) or "")[:150]
    return Client(
        username=username,
        address=request.axes_ip_address,
        device=device_for(request, username),
    )


def lockout_parameters(request_or_attempt, credentials: dict | None = None) -> list[list[str]]:
    """AXES_LOCKOUT_PARAMETERS: the groups axes counts by, those of the locks that apply."""
    if isinstance(request_or_attempt, AccessBase):  # axes' cache handler asks of a record
        with_device = request_or_attempt.user_agent.startswith(DEVICE_MARK)
    else:
        username = str(get_client_username(request_or_attempt, credentials) or "")
        with_device = device_for(request_or_attempt, username) is not None
    return [list(lock.parameters) for lock in _locks(with_device=with_device)]


class SignInAttemptHandler(AxesDatabaseHandler):
    """Axes compares one failure count with one limit (AXES_FAILURE_LIMIT); each lock has
    its own limit and period here. So the count reported is how near the nearest lock is to
    its limit, on the scale of AXES_FAILURE_LIMIT: a lock at its limit reads exactly
    AXES_FAILURE_LIMIT."""

    def is_allowed(self, request, credentials: dict | None = None) -> bool:
        _recognise_device(request, credentials)
        return super().is_allowed(request, credentials)

    def get_failures(self, request, credentials: dict | None = None) -> int:
        client = client_of(request, credentials)
        nearest = max(_failures(lock, client) - lock.limit for lock in client.locks)
        return nearest + settings.AXES_FAILURE_LIMIT

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        if request is not None:
            _recognise_device(request, credentials)
        already_locked = getattr(request, "axes_locked_out", False)
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and request.axes_locked_out and not already_locked:
            client = client_of(request, credentials)
            for lock, _ in closed_locks(client):
                _audit_lock(request, lock, client)

    def user_logged_in(self, sender, request, user, **kwargs) -> None:
        _recognise_device(request, get_credentials(user.get_username()))
        super().user_logged_in(sender, request, user, **kwargs)

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """A sign-in clears the failures of its own username at its address (or with its
        device cookie), never the address's: others' guesses from there still count."""
        client = client_of(request, credentials)
        removed, _ = _attempts(client.locks[0], client).delete()
        return removed

    def clean_expired_user_attempts(self, request=None, credentials: dict | None = None) -> int:
        """Forgets what no lock counts any more, and restarts from nought the count this
        client adds to when its own lock's period has passed since it last failed (a lock
        that has ended gives the full number of attempts again)."""
        now = timezone.now()
        removed, _ = AccessAttempt.objects.filter(
            attempt_time__lt=now - settings.SIGN_IN_LOCKOUT_LONGEST
        ).delete()
        if request is not None:
            client = client_of(request, credentials)
            own = client.locks[0]
            stale, _ = AccessAttempt.objects.filter(
                username=client.username,
                ip_address=client.address,
                user_agent=request.axes_user_agent,
                attempt_time__lt=now - lock_period(own, client),
            ).delete()
            removed += stale
        return removed


def _recognise_device(request, credentials: dict | None) -> None:
    """Records a browser with a device cookie for the username under the cookie's id (see
    the module's docstring). A user agent that merely claims to be one is marked as such."""
    client = client_of(request, credentials)
    if client.device:
        request.axes_user_agent = f"{DEVICE_MARK}{client.device}"
    elif request.axes_user_agent.startswith(DEVICE_MARK):
        request.axes_user_agent = f"(claimed) {request.axes_user_agent}"[:255]


def _attempts(lock: Lock, client: Client) -> QuerySet:
    values = {
        "username": client.username,
        "ip_address": client.address,
        "user_agent": f"{DEVICE_MARK}{client.device}",
    }
    return AccessAttempt.objects.filter(**{name: values[name] for name in lock.parameters})


def _counted(lock: Lock, client: Client, period: timedelta) -> list[tuple[datetime, int]]:
    """The failures `lock` counts now, newest first: (when the last was, how many)."""
    since = timezone.now() - period
    attempts = _attempts(lock, client).filter(attempt_time__gte=since).order_by("-attempt_time")
    return list(attempts.values_list("attempt_time", "failures_since_start"))


def _failures(lock: Lock, client: Client) -> int:
    return sum(failures for _, failures in _counted(lock, client, lock_period(lock, client)))


def closed_locks(client: Client) -> list[tuple[Lock, datetime]]:
    """The locks that refuse `client` now, each with when it opens again: when, as the
    oldest failures stop counting, fewer than its limit are left."""
    closed = []
    for lock in client.locks:
        period = lock_period(lock, client)
        total = 0
        for last_failed, failures in _counted(lock, client, period):
            total += failures
            if total >= lock.limit:
                closed.append((lock, last_failed + period))
                break
    return closed


def refusal(request, credentials: dict | None = None) -> tuple[str, int]:
    """Why `request` is refused, for the person signing in, and in how many seconds they
    may try again (Retry-After)."""
    client = client_of(request, credentials)
    closed = closed_locks(client)
    if not closed:  # opened in the meantime
        return USERNAME_AT_ADDRESS.message.format(wait="a minute"), 60
    lock, opens_at = max(closed, key=lambda closed_lock: closed_lock[1])
    seconds = max(math.ceil((opens_at - timezone.now()).total_seconds()), 1)
    minutes = math.ceil(seconds / 60)
    wait = f"{minutes} minute{'s' if minutes != 1 else ''}"
    return lock.message.format(wait=wait), seconds


def lock_period(lock: Lock, client: Client) -> timedelta:
    """How long `lock` lasts for `client`: doubled for each earlier closing of the same lock
    within the day (the one in force included), up to SIGN_IN_LOCKOUT_LONGEST."""
    return _period(closings=_lock_events(lock, client).count())


def _period(*, closings: int) -> timedelta:
    base = settings.SIGN_IN_LOCKOUT_PERIOD
    return min(base * 2 ** max(closings - 1, 0), settings.SIGN_IN_LOCKOUT_LONGEST)


def _lock_events(lock: Lock, client: Client) -> QuerySet:
    """The audit log's record of `lock` closing for `client` within the day."""
    events = AuditEvent.objects.filter(
        action=AuditEvent.Action.LOGIN_LOCKED,
        occurred_at__gte=timezone.now() - timedelta(days=1),
        detail__lock=lock.name,
    )
    if lock is DEVICE:
        return events.filter(username=client.username, detail__device=client.device)
    if lock is USERNAME_AT_ADDRESS:
        return events.filter(username=client.username, ip_address=client.address)
    return events.filter(ip_address=client.address)


def _audit_lock(request, lock: Lock, client: Client) -> None:
    """Once per closing (attempts while locked are not failures): the lock periods count these."""
    period = _period(closings=_lock_events(lock, client).count() + 1)
    detail = {"lock": lock.name, "for_minutes": int(period.total_seconds() // 60)}
    if lock is DEVICE:
        detail["device"] = client.device
    audit_event_record(
        action=AuditEvent.Action.LOGIN_LOCKED,
        request=request,
        username=client.username,
        detail=detail,
    )


def sign_in_unlock(*, username: str, by) -> int:
    """An administrator lifts every lock and failure count of `username` (at every address,
    on every browser), audited. Returns how many records were removed."""
    removed, _ = AccessAttempt.objects.filter(username=username).delete()
    audit_event_record(
        action=AuditEvent.Action.LOGIN_UNLOCKED,
        user=by,
        object_type="accounts.user",
        object_label=username,
        detail={"attempts_removed": removed, "username": username},
    )
    return removed
