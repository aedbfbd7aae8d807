"""The life of an uploaded file: upload, check, confirm, import, and forgetting the file.

    upload -> PENDING -> VALIDATING -> VALIDATED --confirm--> IMPORTING -> DONE
                                   \\-> INVALID                         \\-> INVALID
    (any step may end FAILED on an unexpected error or CANCELLED by the uploader;
     an unconfirmed check EXPIRES)

Both the check and the import are `imports.runner.import_csv` over the stored file,
the first as a dry run, so the page reports exactly what the command would. A file
of more than IMPORT_ASYNC_ROW_THRESHOLD rows is processed by a Celery task, queued
once the job row is committed; smaller ones are processed within the request. The
job's status says what is to be done next, so the task needs nothing but the id.

Runs survive lost workers: a run claims the job (`run_token`) and keeps a heartbeat
(imports.progress); a task delivered again while another run's heartbeat is fresh
waits and retries (`ImportJobBusy`); a job whose heartbeat stopped is started again by
the beat task, up to IMPORT_MAX_ATTEMPTS runs, then failed. Nothing a run writes is
committed unless it finishes, and it finishes only if it still holds the job, so a
cancelled or superseded run leaves nothing behind.
"""

import io
import logging
import os
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from audit.context import RequestContext, get_current_request, request_context
from audit.services import Action, audit_event_record

from .kinds import get_kind
from .models import ImportJob
from .progress import ImportInterrupted, JobProgress
from .runner import ImportResult, count_rows, import_csv

logger = logging.getLogger(__name__)

Status = ImportJob.Status


class ImportJobStateError(Exception):
    """The job is not in a state that allows what was asked (e.g. confirmed twice)."""


class ImportJobBusy(Exception):
    """Another run is working on the job and is alive: try again later."""


def _requested_here() -> dict:
    """Which request asks for the next step, for the audit events of the run that does it."""
    context = get_current_request()
    return {"request_id": context.request_id, "client_ip": context.ip_address}


# `content` of a job whose file is kept on disk (IMPORT_FILES_DIR), followed by the
# file's name there: a CSV file never starts with a NUL byte.
STORED_FILE = b"\x00import-file:"
# A file on disk no job holds is deleted once it is this old (an upload being stored
# has no committed job yet).
STRAY_FILE_AGE = timedelta(hours=1)


def import_job_create(*, user: User, kind: str, upload: UploadedFile) -> ImportJob:
    """Store an uploaded file and start checking it (in the request, or queued).

    A file over IMPORT_MAX_UPLOAD_BYTES (a kind of large files) is kept on disk, copied
    a chunk at a time; others in the database (imports.models says why)."""
    size = upload.size or 0
    if size > settings.IMPORT_MAX_UPLOAD_BYTES:
        content = _file_keep(upload)
    else:
        content = b"".join(upload.chunks())
        size = len(content)
    with content_source(content=content) as source:
        rows = count_rows(source)
    job = ImportJob.objects.create(
        kind=kind,
        file_name=os.path.basename(upload.name or "upload.csv")[:255],
        file_size=size,
        content=content,
        uploaded_by=user,
        total_rows=rows,
        heartbeat_at=timezone.now(),  # queued: see import_jobs_recover_stalled
        **_requested_here(),
    )
    audit_event_record(
        action=Action.CREATE,
        user=user,
        obj=job,
        detail={
            "kind": kind,
            "file": job.file_name,
            "bytes": job.file_size,
            "rows": job.total_rows,
        },
    )
    _dispatch(job)
    return job


def _file_keep(upload: UploadedFile) -> bytes:
    directory = Path(settings.IMPORT_FILES_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}.csv"
    with (directory / name).open("wb") as file:
        for chunk in upload.chunks():
            file.write(chunk)
    return STORED_FILE + name.encode()


def content_source(*, content: bytes | memoryview) -> BinaryIO:
    """A job's file to read: from the database, or from disk where it is kept there."""
    content = bytes(content)
    if content.startswith(STORED_FILE):
        name = content[len(STORED_FILE) :].decode()
        return (Path(settings.IMPORT_FILES_DIR) / Path(name).name).open("rb")
    return io.BytesIO(content)


def import_files_sweep() -> int:
    """Delete the files on disk that no job holds any more (finished, cancelled, expired
    jobs set `content` to NULL); returns how many."""
    directory = Path(settings.IMPORT_FILES_DIR)
    if not directory.is_dir():
        return 0
    cutoff = (timezone.now() - STRAY_FILE_AGE).timestamp()
    deleted = 0
    for path in directory.glob("*.csv"):
        if path.stat().st_mtime > cutoff:
            continue
        if not ImportJob.objects.filter(content=STORED_FILE + path.name.encode()).exists():
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted


def import_job_confirm(*, job: ImportJob, user: User) -> ImportJob:
    """Import a checked file for real. Only one confirmation of a job ever takes effect.

    Only the uploader confirms, and only while they may still import the kind: the
    import's records and audit events are theirs.
    """
    if user.pk != job.uploaded_by_id:
        raise ImportJobStateError("Only the person who uploaded this file can import it.")
    if not get_kind(job.kind).allows(user):
        raise ImportJobStateError("You can no longer import this kind of file.")
    started = ImportJob.objects.filter(
        pk=job.pk, status=Status.VALIDATED, content__isnull=False
    ).update(
        status=Status.IMPORTING,
        rows_processed=0,
        run_token="",
        attempts=0,
        heartbeat_at=timezone.now(),
        **_requested_here(),
    )
    if not started:
        raise ImportJobStateError("This file is not waiting for confirmation.")
    job.status = Status.IMPORTING
    _dispatch(job)
    return job


def import_job_cancel(*, job: ImportJob, user: User) -> ImportJob:
    """Stop a job before or while its file is checked or imported; nothing is imported.

    A run in progress notices at its next heartbeat and rolls back what it wrote.
    """
    if user.pk != job.uploaded_by_id:
        raise ImportJobStateError("Only the person who uploaded this file can cancel it.")
    now = timezone.now()
    cancelled = ImportJob.objects.filter(pk=job.pk, status__in=ImportJob.CANCELLABLE).update(
        status=Status.CANCELLED, finished_at=now, content=None, content_discarded_at=now
    )
    if not cancelled:
        raise ImportJobStateError("This import has already finished, so it cannot be cancelled.")
    audit_event_record(
        action=Action.UPDATE,
        user=user,
        obj=job,
        detail={"changes": {"status": [job.status, Status.CANCELLED]}},
    )
    job.refresh_from_db()
    return job


def _dispatch(job: ImportJob) -> None:
    if job.total_rows > settings.IMPORT_ASYNC_ROW_THRESHOLD:
        _queue(job.pk)
    else:
        import_job_process(job_id=job.pk)


def _queue(job_id: int) -> None:
    from .tasks import import_job_run

    transaction.on_commit(lambda: import_job_run.delay(job_id))


def import_job_process(*, job_id: int) -> ImportJob | None:
    """Do the step the job's status asks for: check it (a dry run), or import it.

    Jobs in any other state are left alone, so running this twice is harmless. Raises
    ImportJobBusy when another run is working on the job and still alive.
    """
    job = ImportJob.objects.select_related("uploaded_by").filter(pk=job_id).first()
    if job is None or job.status not in ImportJob.RUNNING or job.content is None:
        return job
    if job.attempts >= settings.IMPORT_MAX_ATTEMPTS:
        _fail(job, f"The import stopped {job.attempts} times without finishing.")
        return _reloaded(job)
    token = _claim(job)
    if token is None:
        current = _reloaded(job)
        if current is not None and current.status in ImportJob.RUNNING:
            raise ImportJobBusy(f"Import job {job.pk} is being worked on by another run.")
        return current
    job.refresh_from_db(fields=["status", "attempts"])
    logger.info("Import job %s: %s, attempt %s", job.pk, job.get_status_display(), job.attempts)
    if not get_kind(job.kind).allows(job.uploaded_by):
        _fail(job, "The uploader may no longer import this kind of file.", token=token)
        return _reloaded(job)
    context = RequestContext(
        request_id=job.request_id,
        ip_address=job.client_ip,
        path=f"/imports/{job.pk}/",
    )
    try:
        with (
            request_context(context),
            JobProgress(job.pk, token) as progress,
            transaction.atomic(),
            content_source(content=job.content) as source,
        ):
            result = import_csv(
                kind=job.kind,
                source=source,
                source_name=job.file_name,
                user=job.uploaded_by,
                dry_run=job.status != Status.IMPORTING,
                progress=progress,
                audit_detail={"import_job": job.pk},
            )
            # In the same transaction as the imported rows: the job says "done" if and
            # only if they were committed, and only if this run still holds the job.
            _record_result(job, token, result)
    except ImportInterrupted as interruption:
        logger.info(
            "Import job %s: run stopped (%s); nothing it wrote was kept", job.pk, interruption
        )
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        _fail(job, "The import stopped on an unexpected error.", token=token)
    return _reloaded(job)


def _reloaded(job: ImportJob) -> ImportJob | None:
    return ImportJob.objects.defer("content").filter(pk=job.pk).first()


def _claim(job: ImportJob) -> str | None:
    """Make this run the one working on the job, if no live run is; its token, or None."""
    now = timezone.now()
    stale = now - settings.IMPORT_STALL_TIMEOUT
    token = uuid.uuid4().hex
    claimed = (
        ImportJob.objects.filter(pk=job.pk, status=job.status, content__isnull=False)
        .filter(Q(run_token="") | Q(heartbeat_at__lt=stale))
        .update(
            status=Status.VALIDATING if job.status == Status.PENDING else job.status,
            run_token=token,
            heartbeat_at=now,
            started_at=now,
            rows_processed=0,
            attempts=F("attempts") + 1,
        )
    )
    return token if claimed else None


def _record_result(job: ImportJob, token: str, result: ImportResult) -> None:
    if not result.ok:
        status = Status.INVALID
    elif result.dry_run:
        status = Status.VALIDATED
    else:
        status = Status.DONE
    fields = {
        "status": status,
        "run_token": "",
        "rows_processed": result.rows,
        "created_count": result.created,
        "updated_count": result.updated,
        "unchanged_count": result.unchanged,
        "skipped_count": result.skipped,
        "error_count": result.error_count,
        "errors": [error.as_dict() for error in result.errors],
    }
    if status == Status.DONE:
        fields["import_id"] = result.import_id
    if status != Status.VALIDATED:
        fields |= _finished()
    if not _own(job, token).update(**fields):
        raise ImportInterrupted("the job was cancelled or taken over before it finished")
    if status != Status.VALIDATED:
        _file_forget(job)


def _own(job: ImportJob, token: str) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(pk=job.pk, run_token=token, status__in=ImportJob.RUNNING)


def _finished() -> dict[str, Any]:
    """A final state: the uploaded file is no longer needed and is deleted."""
    now = timezone.now()
    return {"finished_at": now, "content": None, "content_discarded_at": now}


def _fail(job: ImportJob, failure: str, *, token: str | None = None) -> None:
    jobs = _own(job, token) if token else ImportJob.objects.filter(pk=job.pk)
    if jobs.update(status=Status.FAILED, failure=failure, run_token="", **_finished()):
        _file_forget(job)


def _file_forget(job: ImportJob) -> None:
    """Once the job's end is committed, delete its file if it was kept on disk (what
    this misses, a cancelled or expired job's, `import_files_sweep` deletes)."""
    content = job.__dict__.get("content")  # not loaded: left to the sweep
    if content is not None and bytes(content).startswith(STORED_FILE):
        name = Path(bytes(content)[len(STORED_FILE) :].decode()).name  # in the directory
        path = Path(settings.IMPORT_FILES_DIR) / name
        transaction.on_commit(lambda: path.unlink(missing_ok=True))


def import_jobs_recover_stalled() -> dict[str, int]:
    """Every minute (beat): jobs whose run stopped saying it is alive (its worker was
    killed, or the queued task was lost) are queued again, or failed once they have
    been tried IMPORT_MAX_ATTEMPTS times. Returns how many of each."""
    stale = timezone.now() - settings.IMPORT_STALL_TIMEOUT
    stalled = ImportJob.objects.filter(
        status__in=ImportJob.RUNNING, content__isnull=False, heartbeat_at__lt=stale
    ).only("pk", "attempts")
    outcome = {"queued": 0, "failed": 0}
    for job in stalled:
        if job.attempts >= settings.IMPORT_MAX_ATTEMPTS:
            failed = ImportJob.objects.filter(pk=job.pk, heartbeat_at__lt=stale).update(
                status=Status.FAILED,
                failure=f"The import stopped {job.attempts} times without finishing.",
                run_token="",
                **_finished(),
            )
            outcome["failed"] += failed
        else:
            _queue(job.pk)
            outcome["queued"] += 1
    if any(outcome.values()):
        logger.warning("Stalled import jobs: %s", outcome)
    return outcome


def import_jobs_discard_abandoned() -> int:
    """Delete the files of jobs older than IMPORT_UPLOAD_RETENTION that are still held.

    A checked file nobody confirmed expires; a job still "running" that long ago has
    failed (the stalled-job recovery gives up far sooner). Returns the number deleted.
    """
    cutoff = timezone.now() - settings.IMPORT_UPLOAD_RETENTION
    stale = ImportJob.objects.filter(content__isnull=False, created_at__lt=cutoff)
    expired = stale.filter(status=Status.VALIDATED).update(status=Status.EXPIRED, **_finished())
    lost = stale.filter(status__in=ImportJob.RUNNING).update(
        status=Status.FAILED, failure="The job did not finish.", run_token="", **_finished()
    )
    leftover = stale.update(content=None, content_discarded_at=timezone.now())
    total = expired + lost + leftover + import_files_sweep()
    if total:
        logger.info("Deleted %s uploaded import files no longer needed", total)
    return total
