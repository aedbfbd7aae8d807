"""Sign-in throttling, by django-axes: the rules it is given, and an administrator's unlock.

Failures are counted per username at one address (five lock that pair) and per address
whatever the username (twenty lock the address: one client guessing across accounts).
A lock lasts 15 minutes the first time and twice as long each further time within a day
(SIGN_IN_LOCKOUT_*). Attempts while locked are refused without being counted, so a
stranger cannot keep someone out for ever, and a locked username can still sign in from
another address: the lock is on the pair, not on the account.
"""

from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from audit.middleware import client_address
from audit.models import AuditEvent
from audit.services import audit_event_record


class SignInAttemptHandler(AxesDatabaseHandler):
    """Axes compares one failure count with one limit (AXES_FAILURE_LIMIT); each group of
    AXES_LOCKOUT_PARAMETERS has its own limit here (SIGN_IN_FAILURE_LIMITS, in the same
    order). So the count reported is how near the nearest group is to its limit, on the
    scale of AXES_FAILURE_LIMIT: a group at its limit reads exactly AXES_FAILURE_LIMIT."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        counts = [
            attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        limits = settings.SIGN_IN_FAILURE_LIMITS
        return max(
            count - limit + settings.AXES_FAILURE_LIMIT
            for count, limit in zip(counts, limits, strict=True)
        )

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        already_locked = getattr(request, "axes_locked_out", False)
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and request.axes_locked_out and not already_locked:
            # Once per lock, not per refused attempt: cool_off counts these.
            audit_event_record(
                action=AuditEvent.Action.LOGIN_LOCKED,
                request=request,
                username=_username(request),
                detail={"for_minutes": int(cool_off(request).total_seconds() // 60)},
            )


def cool_off(request) -> timedelta:
    """How long a lock lasts: doubled for each earlier lock of the same username and
    address within the day, up to SIGN_IN_LOCKOUT_LONGEST."""
    base = settings.SIGN_IN_LOCKOUT_PERIOD
    if request is None:
        return base
    earlier_locks = AuditEvent.objects.filter(
        action=AuditEvent.Action.LOGIN_LOCKED,
        username=_username(request),
        ip_address=client_address(request),
        occurred_at__gte=timezone.now() - timedelta(days=1),
    ).count()
    return min(base * 2 ** max(earlier_locks - 1, 0), settings.SIGN_IN_LOCKOUT_LONGEST)


def _username(request) -> str:
    credentials = getattr(request, "axes_credentials", None) or {}
    return str(credentials.get("username") or request.POST.get("username", ""))[:150]


def sign_in_unlock(*, username: str, by) -> int:
    """An administrator lifts every lock and failure count of `username` (at every
    address), audited. Returns how many records were removed."""
    removed, _ = AccessAttempt.objects.filter(username=username).delete()
    audit_event_record(
        action=AuditEvent.Action.LOGIN_UNLOCKED,
        user=by,
        object_type="accounts.user",
        object_label=username,
        detail={"attempts_removed": removed, "username": username},
    )
    return removed


def address_unlock(*, ip_address: str, by) -> int:
    """An administrator lifts the locks of one client address, audited."""
    removed, _ = AccessAttempt.objects.filter(ip_address=ip_address).delete()
    audit_event_record(
        action=AuditEvent.Action.LOGIN_UNLOCKED,
        user=by,
        object_label=ip_address,
        detail={"attempts_removed": removed, "ip_address": ip_address},
    )
    return removed
