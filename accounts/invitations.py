"""Invitations: how a new account made on the admin site gets its password.

The administrator gives the username, name, role and email address, never a password.
The account is made without one (unusable), and its owner is e-mailed a link, good once
and for INVITATION_TIMEOUT, to choose their own; at their first sign-in they set up their
authenticator app. So the administrator never knows either credential.

The link's token is Django's password-reset token under a salt of its own: it covers the
account's (unusable, random) password, last sign-in and email address, so it stops
working once the password is chosen, when the invitation is sent again, or when the
address changes.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

from audit.models import AuditEvent
from audit.services import audit_event_record

from .emails import email_send, link, token_link
from .models import User


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Password-reset tokens of a salt of their own (a reset link cannot accept an
    invitation, nor the reverse), valid for INVITATION_TIMEOUT, and only for an account
    that has no password yet."""

    key_salt = "accounts.invitations.InvitationTokenGenerator"

    def check_token(self, user, token) -> bool:
        if not (user and token) or user.has_usable_password():
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        age = self._num_seconds(self._now()) - timestamp
        return age <= settings.INVITATION_TIMEOUT.total_seconds()


invitation_token_generator = InvitationTokenGenerator()


def invitation_pending(user: User) -> bool:
    """The account has not chosen a password yet (it was made by invitation)."""
    return not user.has_usable_password()


@transaction.atomic
def user_invite(user: User, *, by: User, request) -> None:
    """E-mails `user` a link to choose their password; any earlier invitation's link stops
    working. Only for an account without a password: one that has chosen its own keeps it
    (a forgotten one is a password reset). Audited."""
    if not invitation_pending(user):
        raise ValueError(f"{user.username} has chosen a password: invite only new accounts.")
    if not user.email:
        raise ValueError(f"{user.username} has no email address to send an invitation to.")
    user.set_unusable_password()  # a new random value: earlier links no longer match
    user.save(update_fields=["password"])
    email_send(
        to=user.email,
        template="invitation",
        context={
            "user": user,
            "by": by,
            "link": token_link(
                request, "accounts:invitation_accept", user, invitation_token_generator
            ),
            "expires": timezone.localtime() + settings.INVITATION_TIMEOUT,
            "sign_in": link(request, reverse("accounts:login")),
        },
    )
    audit_event_record(
        action=AuditEvent.Action.INVITATION_SENT,
        user=by,
        obj=user,
        detail={"to": user.email},
    )


def invitation_accepted(user: User) -> None:
    """The invited user has chosen their password (the view has saved it). Audited."""
    audit_event_record(action=AuditEvent.Action.INVITATION_ACCEPTED, user=user, obj=user)
