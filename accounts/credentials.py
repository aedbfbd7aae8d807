"""What an administrator may do about someone's password, none of which shows or sets it:
send them a password-reset link (to their confirmed address), or require a new password
at their next sign-in. And what happens when the user chooses one.
"""

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction

from audit.models import AuditEvent
from audit.services import audit_event_record

from .emails import email_send, token_link
from .models import User


def password_reset_send(user: User, *, by: User, request) -> None:
    """E-mails `user`, at their confirmed address, the link of the "Forgotten your
    password?" page (the same token, good once); the administrator sees no link. Audited
    as a reset asked for, by the administrator."""
    if not (user.email and user.has_usable_password() and user.is_active):
        raise ValueError(f"{user.username} cannot be sent a password reset.")
    reset = token_link(request, "accounts:password_reset_confirm", user, default_token_generator)
    email_send(
        to=user.email,
        template="password_reset_by_administrator",
        context={"user": user, "by": by, "link": reset},
    )
    audit_event_record(
        action=AuditEvent.Action.PASSWORD_RESET_REQUESTED,
        user=by,
        obj=user,
        detail={"by an administrator": True, "to": user.email},
    )


@transaction.atomic
def password_change_require(user: User, *, by: User) -> None:
    """After their next sign-in (and at once, in sessions open now) `user` reaches nothing
    but the change-password page until they have chosen a new password. Audited."""
    user.password_change_required = True
    user.save(update_fields=["password_change_required"])
    audit_event_record(action=AuditEvent.Action.PASSWORD_CHANGE_REQUIRED, user=by, obj=user)


@transaction.atomic
def password_changed(user: User, *, request, action: str = AuditEvent.Action.PASSWORD_CHANGED):
    """`user` has chosen a new password: on the change-password page, or through a reset
    link (`action` PASSWORD_RESET). A new password an administrator required is done.
    Audited."""
    if user.password_change_required:
        user.password_change_required = False
        user.save(update_fields=["password_change_required"])
    audit_event_record(action=action, request=request, user=user, obj=user)
