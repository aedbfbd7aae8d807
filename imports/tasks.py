"""Background work for imports: thin wrappers around imports.services."""

from celery import shared_task

from .services import import_job_process, import_jobs_discard_abandoned


# acks_late: a worker lost mid-import leaves the message to be redelivered, and doing the
# step again is harmless (nothing is committed until the end, and the job's status says
# which step is due). The limits leave room for a 20 MB file at a few hundred rows a second.
@shared_task(acks_late=True, time_limit=60 * 60, soft_time_limit=55 * 60, ignore_result=True)
def import_job_run(job_id: int) -> None:
    """Check or import the uploaded file of ImportJob `job_id`, as its status asks."""
    import_job_process(job_id=job_id)


@shared_task(acks_late=True, time_limit=300, soft_time_limit=240, ignore_result=True)
def discard_abandoned_uploads() -> int:
    """Hourly (beat): deletes uploaded files kept longer than IMPORT_UPLOAD_RETENTION."""
    return import_jobs_discard_abandoned()
