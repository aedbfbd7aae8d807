"""Asking for the password again before the second factor changes.

A session can be stolen, or left open on an unlocked desk. Replacing the authenticator
app or making new recovery codes would let whoever holds it keep the account for good,
so those ask for the password again unless the user proved it within the last
REAUTHENTICATION_WINDOW (signing in counts). The password is checked through
`django.contrib.auth.authenticate`, so that a wrong one is a failed sign-in like any
other: audited, and counted by django-axes towards locking the account.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import authenticate, logout
from django.shortcuts import redirect
from django.urls import reverse

from audit.models import AuditEvent
from audit.services import audit_event_record

# When this session last proved the user's password (a time.time()).
PASSWORD_PROVED_AT = "password_proved_at"  # noqa: S105  (a session key, not a password)


def password_proved(request) -> None:
    """Notes in the session that the user has just proved their password."""
    request.session[PASSWORD_PROVED_AT] = time.time()


def password_proof(request) -> float | None:
    """When this session last proved the password, or None."""
    return request.session.get(PASSWORD_PROVED_AT)


def password_recently_proved(request) -> bool:
    proved_at = password_proof(request)
    window = settings.REAUTHENTICATION_WINDOW.total_seconds()
    return proved_at is not None and time.time() - proved_at <= window


def password_confirm(request, password: str) -> bool:
    """Checks the signed-in user's password again; True (and audited) if it is theirs.
    A wrong one is audited and counted as a failed sign-in by `authenticate`'s signal;
    one that locks the account out ends this session too."""
    user = authenticate(request, username=request.user.get_username(), password=password)
    if user is None or user.pk != request.user.pk:
        if getattr(request, "axes_locked_out", False):
            # Whoever holds this session is guessing: it ends, and django-axes answers
            # with the sign-in page saying how long to wait.
            logout(request)
        return False
    password_proved(request)
    audit_event_record(action=AuditEvent.Action.PASSWORD_CONFIRMED, request=request, obj=user)
    return True


def password_confirmation_redirect(request, next_url: str):
    """To the "Confirm your password" page, then back to `next_url`."""
    target = reverse("accounts:password_confirm")
    return redirect(f"{target}?{urlencode({'next': next_url})}")
