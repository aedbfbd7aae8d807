from celery import shared_task

from .services import sessions_clear_expired


@shared_task(time_limit=300, soft_time_limit=240)
def clear_expired_sessions() -> int:
    """Hourly (beat): removes sessions past their expiry. Idempotent, so safe to redeliver."""
    return sessions_clear_expired()
