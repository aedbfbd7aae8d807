"""A user's email address changed by an administrator.

The address is where password-reset links go, so an administrator who could point it
at their own mailbox could reset anyone's password. Instead the new address is held
pending (User.pending_email) and used for nothing until the user confirms it, through a
link sent to it that works only when opened signed in as that user (the administrator,
holding the new mailbox, still cannot confirm it). Meanwhile the old address is told
what changed, when and by whom.

An account still waiting for its invitation has no password to protect: its address is
replaced at once and the invitation sent again, to the new address.
"""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_event_record

from .emails import email_send, link
from .invitations import invitation_pending, user_invite
from .models import User

_CONFIRMATION_SALT = "accounts.email_changes.confirmation"


@transaction.atomic
def email_change_request(user: User, *, new_email: str, by: User, request) -> bool:
    """An administrator gives `user` the address `new_email`. True if it is held until
    the user confirms it; False if it replaced the old one at once (invitation pending).
    The old address, if any, is told; audited."""
    old_email = user.email
    pending = not invitation_pending(user)
    if pending:
        user.pending_email = new_email
        user.pending_email_since = timezone.now()
        user.save(update_fields=["pending_email", "pending_email_since"])
        token = signing.dumps({"user": user.pk, "email": new_email}, salt=_CONFIRMATION_SALT)
        email_send(
            to=new_email,
            template="email_change_confirm",
            context={
                "user": user,
                "by": by,
                "link": link(request, reverse("accounts:email_confirm", args=[token])),
                "expires": timezone.localtime() + settings.EMAIL_CONFIRMATION_TIMEOUT,
            },
        )
    else:
        user.email, user.pending_email, user.pending_email_since = new_email, "", None
        user.save(update_fields=["email", "pending_email", "pending_email_since"])
    if old_email:
        email_send(
            to=old_email,
            template="email_change_notice",
            context={
                "user": user,
                "by": by,
                "new_email": new_email,
                "pending": pending,
                "when": timezone.localtime(),
            },
        )
    audit_event_record(
        action=AuditEvent.Action.EMAIL_CHANGE_REQUESTED,
        user=by,
        obj=user,
        detail={"from": old_email, "to": new_email, "held until confirmed": pending},
    )
    if not pending:
        user_invite(user, by=by, request=request)
    return pending


def email_change_for(user: User, token: str) -> str | None:
    """The new address a confirmation link `token` is for, if the link is this user's,
    still current (the address is still the one pending) and not too old; None if it is
    broken, stale or superseded. Raises PermissionError if it is another user's."""
    try:
        change = signing.loads(
            token, salt=_CONFIRMATION_SALT, max_age=settings.EMAIL_CONFIRMATION_TIMEOUT
        )
    except signing.BadSignature:  # SignatureExpired too
        return None
    if change.get("user") != user.pk:
        raise PermissionError("a link confirming another user's email address")
    if not user.pending_email or change.get("email") != user.pending_email:
        return None
    return user.pending_email


@transaction.atomic
def email_change_confirm(user: User, *, request) -> str:
    """The signed-in user confirms their pending address: it becomes their address (for
    password resets too). Audited. Returns it."""
    old_email, user.email = user.email, user.pending_email
    user.pending_email, user.pending_email_since = "", None
    user.save(update_fields=["email", "pending_email", "pending_email_since"])
    audit_event_record(
        action=AuditEvent.Action.EMAIL_CONFIRMED,
        request=request,
        obj=user,
        detail={"from": old_email, "to": user.email},
    )
    return user.email
