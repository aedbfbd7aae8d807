"""Background work for imports: thin wrappers around imports.services."""

from celery import shared_task
from django.conf import settings

from .services import (
    ImportJobBusy,
    import_job_process,
    import_jobs_discard_abandoned,
    import_jobs_recover_stalled,
)


# Like every task (core.tasks.ReliableTask), a worker killed mid-import leaves the
# message to be delivered again. The broker's visibility timeout
# (CELERY_BROKER_TRANSPORT_OPTIONS) is longer than the hard time limit, so the broker
# never hands out a message whose run may still be going.
@shared_task(
    bind=True,
    time_limit=settings.IMPORT_TASK_TIME_LIMIT,
    soft_time_limit=settings.IMPORT_TASK_TIME_LIMIT - 60,
    max_retries=settings.IMPORT_MAX_ATTEMPTS * 2,
    ignore_result=True,
)
def import_job_run(self, job_id: int) -> None:
    """Check or import the uploaded file of ImportJob `job_id`, as its status asks.

    Idempotent: nothing is committed until the end, in the same transaction as the
    job's new status, which says which step is due (none, once it is done)."""
    try:
        import_job_process(job_id=job_id)
    except ImportJobBusy as busy:
        # Delivered again while the first run may be alive: look again once it would
        # have been seen to stop.
        raise self.retry(
            exc=busy, countdown=settings.IMPORT_STALL_TIMEOUT.total_seconds()
        ) from busy


@shared_task(time_limit=300, soft_time_limit=240, ignore_result=True)
def recover_stalled_imports() -> dict[str, int]:
    """Every minute (beat): start again, or fail, jobs whose worker was lost. Idempotent:
    a job queued twice is done once (the second delivery finds it claimed or done)."""
    return import_jobs_recover_stalled()


@shared_task(time_limit=300, soft_time_limit=240, ignore_result=True)
def discard_abandoned_uploads() -> int:
    """Hourly (beat): deletes uploaded files kept longer than IMPORT_UPLOAD_RETENTION.
    Idempotent: a second run finds nothing more to delete."""
    return import_jobs_discard_abandoned()
