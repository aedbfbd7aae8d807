"""The access log required by the Data Protection Act 2018, s.62.

Events are append-only: the model, its queryset and the admin refuse to change
or delete one, and on PostgreSQL a trigger refuses it at the database too.
"""

from collections.abc import Iterable
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditLogIsAppendOnly(Exception):
    """Raised on any attempt to alter or delete a recorded audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditLogIsAppendOnly("Audit events cannot be altered.")

    def delete(self) -> NoReturn:
        raise AuditLogIsAppendOnly("Audit events cannot be deleted.")

    def bulk_update(
        self, objs: Iterable["AuditEvent"], fields: Iterable[str], batch_size: int | None = None
    ) -> NoReturn:
        raise AuditLogIsAppendOnly("Audit events cannot be altered.")


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", "Create"
        UPDATE = "update", "Update"
        DELETE = "delete", "Delete"
        VIEW = "view", "View"
        SEARCH = "search", "Search"
        EXPORT = "export", "Export"
        PRINT = "print", "Print"
        IMPORT = "import", "Import"
        LOGIN = "login", "Sign in"
        LOGOUT = "logout", "Sign out"
        LOGIN_FAILED = "login_failed", "Failed sign-in"
        ACCESS_DENIED = "access_denied", "Access denied"
        PASSWORD_RESET_REQUESTED = "password_reset_asked", "Password reset asked for"
        PASSWORD_RESET = "password_reset", "Password reset"
        PASSWORD_RESET_REFUSED = "reset_refused", "Password reset refused"
        LOGIN_LOCKED = "login_locked", "Sign-in locked"
        LOGIN_UNLOCKED = "login_unlocked", "Sign-in unlocked"
        SECOND_FACTOR_ENROLLED = "2fa_enrolled", "Second factor set up"
        SECOND_FACTOR_VERIFIED = "2fa_verified", "Second factor accepted"
        SECOND_FACTOR_FAILED = "2fa_failed", "Second factor refused"
        SECOND_FACTOR_RESET = "2fa_reset", "Second factor reset"
        RECOVERY_CODES_RENEWED = "2fa_codes_renewed", "Recovery codes renewed"
        INVITATION_SENT = "invitation_sent", "Invitation sent"
        INVITATION_ACCEPTED = "invitation_accepted", "Invitation accepted"
        PASSWORD_CHANGE_REQUIRED = "password_must_change", "New password required"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        PASSWORD_CONFIRMED = "password_confirmed", "Password confirmed again"
        EMAIL_CHANGE_REQUESTED = "email_change_asked", "Email address change asked for"
        EMAIL_CONFIRMED = "email_confirmed", "Email address confirmed"

    occurred_at = models.DateTimeField(default=timezone.now, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
        editable=False,
        # Searched by username (kept as text), never by id: an index would only slow writes.
        db_index=False,
    )
    # Kept as text as well: a failed sign-in names a user who may not exist, and the
    # log must read the same after a user or agency is renamed.
    username = models.CharField(max_length=150, blank=True, editable=False)
    agency_name = models.CharField(max_length=120, blank=True, editable=False)
    action = models.CharField(max_length=20, choices=Action.choices, editable=False)
    object_type = models.CharField(max_length=100, blank=True, editable=False)
    object_id = models.CharField(max_length=64, blank=True, editable=False)
    object_label = models.CharField(max_length=200, blank=True, editable=False)
    ip_address = models.GenericIPAddressField(null=True, blank=True, editable=False)
    request_id = models.CharField(max_length=64, blank=True, editable=False)
    path = models.CharField(max_length=500, blank=True, editable=False)
    detail = models.JSONField(default=dict, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        # Every index is written by every event, and imports write one per record: only
        # what the log's searches use. Newest first; by action (sign-in lock-outs, the
        # action filter); by user; by record (who consulted it, the record-type filter).
        indexes = [
            models.Index(fields=["-occurred_at", "-id"], name="audit_recent_idx"),
            models.Index(fields=["action", "-occurred_at"], name="audit_action_idx"),
            models.Index(fields=["username", "-occurred_at"], name="audit_user_idx"),
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
        ]

    def __str__(self) -> str:
        who = self.username or "anonymous"
        when = f"{self.occurred_at:%Y-%m-%d %H:%M:%S}"
        return f"{when} {who} {self.get_action_display()} {self.object_label}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly("Audit events cannot be altered.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditLogIsAppendOnly("Audit events cannot be deleted.")
