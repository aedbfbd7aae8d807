from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_event_record

from .models import Agency, Role, User


def user_sessions_end(*, user: User, reason: str, by: User | None = None) -> int:
    """End every session of `user` (they must sign in again); audited with the reason and
    who ended them. Returns how many were ended."""
    keys = list(user.sessions.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    user.sessions.all().delete()
    if keys:
        audit_event_record(
            action=AuditEvent.Action.LOGOUT,
            user=by,
            username="" if by else "system",
            obj=user,
            detail={"sessions_ended": len(keys), "reason": reason},
        )
    return len(keys)


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
