"""Background work for watches: thin wrappers around its services."""

from celery import shared_task

from . import emails


@shared_task(time_limit=300, soft_time_limit=240, ignore_result=True)
def notification_emails_send(*, user_ids: list[int]) -> int:
    """E-mail these watchers that something they watch has news. Idempotent: a user's
    notifications are marked as e-mailed in the transaction that sends them
    (watches.emails says why a second delivery sends nothing more)."""
    return emails.notification_emails_send(user_ids=user_ids)
