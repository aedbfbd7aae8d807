from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent

from .models import Agency, Role, User


def sessions_clear_expired() -> int:
    """Deletes expired sessions so signed-out staff leave nothing behind; returns how many."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@transaction.atomic
def user_create(
    *,
    username: str,
    role: Role,
    password: str | None,
    agency: Agency | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    user = User(
        username=username,
        role=role,
        agency=agency,
        first_name=first_name,
        last_name=last_name,
        email=email,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean()
    user.save()
    return user


def sign_in_is_locked(*, username: str) -> bool:
    """Too many failed sign-ins for this username recently: refuse further attempts for a while.

    Counted from the audit log's failed sign-in events, so the rule needs no state of its own.
    """
    since = timezone.now() - settings.SIGN_IN_LOCKOUT_PERIOD
    recent_failures = AuditEvent.objects.filter(
        action=AuditEvent.Action.LOGIN_FAILED,
        username__iexact=username,
        occurred_at__gte=since,
    ).count()
    return recent_failures >= settings.SIGN_IN_LOCKOUT_FAILURES
