from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

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
