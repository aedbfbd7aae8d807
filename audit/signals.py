"""Sign-ins, sign-outs, failed sign-ins and the admin site's changes go to the audit log."""

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from .services import Action, audit_event_record, audit_event_record_capped


@receiver(user_logged_in, dispatch_uid="audit_login")
def record_login(sender, request, user, **kwargs) -> None:
    audit_event_record(action=Action.LOGIN, user=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def record_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_event_record(action=Action.LOGOUT, user=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def record_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already masked the password in `credentials`; only the username is kept.
    audit_event_record_capped(
        per_minute=settings.SIGN_IN_AUDIT_FAILURES_PER_MINUTE,
        action=Action.LOGIN_FAILED,
        request=request,
        username=str(credentials.get("username", ""))[:150],
    )


_ADMIN_ACTIONS = {ADDITION: Action.CREATE, CHANGE: Action.UPDATE, DELETION: Action.DELETE}


@receiver(post_save, sender=LogEntry, dispatch_uid="audit_admin_change")
def record_admin_change(sender, instance: LogEntry, created: bool, **kwargs) -> None:
    """What an administrator added, changed or deleted in the admin site: Django keeps it
    in its own table, which is neither append-only nor searched with the rest."""
    if not created:
        return
    content_type = instance.content_type
    audit_event_record(
        action=_ADMIN_ACTIONS.get(instance.action_flag, Action.UPDATE),
        user=instance.user,
        object_type=f"{content_type.app_label}.{content_type.model}" if content_type else "",
        object_id=instance.object_id or "",
        object_label=instance.object_repr,
        detail={"admin site": instance.get_change_message()},
    )
