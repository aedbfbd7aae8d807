"""The life of an uploaded file: upload, check, confirm, import, and forgetting the file.

    upload -> PENDING -> VALIDATING -> VALIDATED --confirm--> IMPORTING -> DONE
                                   \\-> INVALID                         \\-> INVALID
    (any step may end FAILED on an unexpected error; an unconfirmed check EXPIRES)

Both the check and the import are `imports.runner.import_csv` over the stored file,
the first as a dry run, so the page reports exactly what the command would. A file
of more than IMPORT_ASYNC_ROW_THRESHOLD rows is processed by a Celery task, queued
once the job row is committed; smaller ones are processed within the request. The
job's status says what is to be done next, so the task needs nothing but the id and
a redelivered task simply does the step again (nothing is committed until the end).
"""

import io
import logging
import os

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from .models import ImportJob
from .progress import JobProgress
from .runner import ImportResult, count_rows, import_csv

logger = logging.getLogger(__name__)

Status = ImportJob.Status


class ImportJobStateError(Exception):
    """The job is not in a state that allows what was asked (e.g. confirmed twice)."""


def import_job_create(*, user, kind: str, upload: UploadedFile) -> ImportJob:
    """Store an uploaded file and start checking it (in the request, or queued)."""
    content = b"".join(upload.chunks())
    job = ImportJob.objects.create(
        kind=kind,
        file_name=os.path.basename(upload.name or "upload.csv")[:255],
        file_size=len(content),
        content=content,
        uploaded_by=user,
        total_rows=count_rows(io.BytesIO(content)),
    )
    _dispatch(job)
    return job


def import_job_confirm(*, job: ImportJob, user) -> ImportJob:
    """Import a checked file for real. Only one confirmation of a job ever takes effect.

    Only the uploader confirms: the import's records and audit events are theirs.
    (Administrators may look at anyone's job, not import it on their behalf.)
    """
    if user.pk != job.uploaded_by_id:
        raise ImportJobStateError("Only the person who uploaded this file can import it.")
    started = ImportJob.objects.filter(
        pk=job.pk, status=Status.VALIDATED, content__isnull=False
    ).update(status=Status.IMPORTING, rows_processed=0)
    if not started:
        raise ImportJobStateError("This file is not waiting for confirmation.")
    job.status = Status.IMPORTING
    _dispatch(job)
    return job


def _dispatch(job: ImportJob) -> None:
    if job.total_rows > settings.IMPORT_ASYNC_ROW_THRESHOLD:
        from .tasks import import_job_run

        transaction.on_commit(lambda: import_job_run.delay(job.pk))
    else:
        import_job_process(job_id=job.pk)


def import_job_process(*, job_id: int) -> ImportJob | None:
    """Do the step the job's status asks for: check it (a dry run), or import it.

    Jobs in any other state are left alone, so running this twice is harmless.
    """
    job = ImportJob.objects.select_related("uploaded_by").filter(pk=job_id).first()
    if job is None or job.status not in ImportJob.RUNNING or job.content is None:
        return job
    dry_run = job.status != Status.IMPORTING
    # Written before the import's transaction opens: see imports.progress on why it must be.
    job.status = Status.VALIDATING if dry_run else Status.IMPORTING
    job.started_at = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(
        status=job.status, started_at=job.started_at, rows_processed=0
    )
    try:
        with JobProgress(job.pk) as progress, transaction.atomic():
            result = import_csv(
                kind=job.kind,
                source=io.BytesIO(job.content),
                source_name=job.file_name,
                user=job.uploaded_by,
                dry_run=dry_run,
                progress=progress,
                audit_detail={"import_job": job.pk},
            )
            # In the same transaction as the imported rows: the job says "done" if and
            # only if they were committed.
            _record_result(job, result)
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        _finish(job, status=Status.FAILED, failure="The import stopped on an unexpected error.")
    return ImportJob.objects.defer("content").get(pk=job.pk)


def _record_result(job: ImportJob, result: ImportResult) -> None:
    if not result.ok:
        status = Status.INVALID
    elif result.dry_run:
        status = Status.VALIDATED
    else:
        status = Status.DONE
    counts = {
        "rows_processed": result.rows,
        "created_count": result.created,
        "updated_count": result.updated,
        "unchanged_count": result.unchanged,
        "skipped_count": result.skipped,
        "error_count": result.error_count,
        "errors": [error.as_dict() for error in result.errors],
    }
    if status == Status.VALIDATED:
        ImportJob.objects.filter(pk=job.pk).update(status=status, **counts)
    else:
        _finish(job, status=status, **counts)


def _finish(job: ImportJob, *, status: str, **fields) -> None:
    """A final state: the uploaded file is no longer needed and is deleted."""
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, finished_at=now, content=None, content_discarded_at=now, **fields
    )


def import_jobs_discard_abandoned() -> int:
    """Delete the files of jobs older than IMPORT_UPLOAD_RETENTION that are still held.

    A checked file nobody confirmed expires; a job still "running" that long ago was
    lost with its worker (the task's time limit is far shorter) and has failed.
    Returns the number of files deleted.
    """
    cutoff = timezone.now() - settings.IMPORT_UPLOAD_RETENTION
    stale = ImportJob.objects.filter(content__isnull=False, created_at__lt=cutoff)
    now = timezone.now()
    discarded = {"content": None, "content_discarded_at": now, "finished_at": now}
    expired = stale.filter(status=Status.VALIDATED).update(status=Status.EXPIRED, **discarded)
    lost = stale.filter(status__in=ImportJob.RUNNING).update(
        status=Status.FAILED, failure="The job did not finish.", **discarded
    )
    leftover = stale.update(**discarded)
    total = expired + lost + leftover
    if total:
        logger.info("Deleted %s uploaded import files no longer needed", total)
    return total
