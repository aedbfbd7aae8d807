"""The job's life outside the happy path: failures, repeats, abandoned files, progress."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from imports import services
from imports.models import ImportJob
from imports.progress import JobProgress
from imports.services import import_job_process, import_jobs_discard_abandoned
from imports.tasks import discard_abandoned_uploads, import_job_run
from lines.models import Line

from .utils import LINES_HEADER, line_rows

Status = ImportJob.Status


def csv_content(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def make_job(user, *, status=Status.PENDING, rows=3, **fields) -> ImportJob:
    return ImportJob.objects.create(
        kind="lines",
        file_name="lines.csv",
        uploaded_by=user,
        status=status,
        content=csv_content(LINES_HEADER, *line_rows(rows)),
        total_rows=rows,
        **fields,
    )


@pytest.mark.django_db
def test_the_task_does_the_step_the_status_asks_for(intel):
    job = make_job(intel)

    import_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == Status.VALIDATED and not Line.objects.exists()

    ImportJob.objects.filter(pk=job.pk).update(status=Status.IMPORTING)
    import_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == Status.DONE and Line.objects.count() == 3


@pytest.mark.django_db
def test_a_finished_job_is_left_alone_if_its_task_is_delivered_again(intel):
    job = make_job(intel, status=Status.IMPORTING)
    import_job_process(job_id=job.pk)

    import_job_process(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.created_count, job.unchanged_count) == ("done", 3, 0)


@pytest.mark.django_db
def test_a_missing_job_is_ignored():
    assert import_job_process(job_id=123456) is None


@pytest.mark.django_db
def test_an_unexpected_error_fails_the_job_writes_nothing_and_deletes_the_file(
    intel, monkeypatch, caplog
):
    def explode(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "import_csv", explode)
    job = make_job(intel, status=Status.IMPORTING)

    import_job_process(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.failure == "The import stopped on an unexpected error."
    assert job.content is None and job.finished_at is not None
    assert not Line.objects.exists()
    assert "Import job" in caplog.text and "disk on fire" in caplog.text


@pytest.mark.django_db
def test_a_file_that_became_invalid_since_its_check_is_reported_at_import(intel):
    job = make_job(intel, status=Status.IMPORTING, rows=1)
    ImportJob.objects.filter(pk=job.pk).update(
        content=csv_content(LINES_HEADER, "L1,Dolla,Nowhere,York,2021-01-01,")
    )

    import_job_process(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == Status.INVALID
    assert job.error_lines() == [
        "lines.csv:2: origin_force: Unknown force “Nowhere”. "
        "Use the force's full name, short name or an alias listed in the reference data."
    ]


@pytest.mark.django_db
def test_abandoned_uploads_are_deleted(intel, settings):
    old = timezone.now() - settings.IMPORT_UPLOAD_RETENTION - datetime.timedelta(minutes=1)
    unconfirmed = make_job(intel, status=Status.VALIDATED)
    lost = make_job(intel, status=Status.IMPORTING)
    recent = make_job(intel, status=Status.VALIDATED)
    ImportJob.objects.filter(pk__in=[unconfirmed.pk, lost.pk]).update(created_at=old)

    assert discard_abandoned_uploads() == 2

    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert statuses == {unconfirmed.pk: "expired", lost.pk: "failed", recent.pk: "validated"}
    assert ImportJob.objects.filter(content__isnull=True).count() == 2
    assert import_jobs_discard_abandoned() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_progress_is_visible_to_others_while_the_import_transaction_is_open(intel):
    job = make_job(intel, status=Status.IMPORTING)
    on_postgresql = connection.vendor == "postgresql"
    observer = connection.copy()
    try:
        with JobProgress(job.pk, interval=0) as progress, transaction.atomic():
            Line.objects.filter(pk=0).delete()  # the import's transaction is under way
            progress(1234)
            if on_postgresql:
                with observer.cursor() as cursor:
                    cursor.execute(
                        "SELECT rows_processed FROM imports_importjob WHERE id = %s", [job.pk]
                    )
                    assert cursor.fetchone() == (1234,)
    finally:
        observer.close()
    job.refresh_from_db()
    # SQLite allows one writer at a time: there progress is reported at the start and the
    # end of an import only (by imports.services), never from inside its transaction.
    assert job.rows_processed == (1234 if on_postgresql else 0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_second_connection_inside_a_transaction_opened_by_the_caller(intel):
    job = make_job(intel, status=Status.IMPORTING)
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk).update(rows_processed=1)  # the caller holds the lock
        with JobProgress(job.pk, interval=0) as progress:
            progress(500)  # would wait for the lock for ever on a second connection
    job.refresh_from_db()
    assert job.rows_processed == 1


def test_progress_is_throttled(monkeypatch):
    writes = []
    progress = JobProgress(1, interval=3600)
    progress._connection = object()  # as on PostgreSQL, without a database
    monkeypatch.setattr(progress, "_write", writes.append)
    monkeypatch.setattr(progress, "close", lambda: None)

    for rows in (100, 200, 300):
        progress(rows)

    assert writes == [100]


def test_a_failed_progress_write_is_logged_and_never_stops_the_import(monkeypatch, caplog):
    class LostConnection:
        closed = False

        def close(self):
            self.closed = True

    def fail(rows):
        raise DatabaseError("server closed the connection")

    progress = JobProgress(1, interval=0)
    progress._connection = lost = LostConnection()
    monkeypatch.setattr(progress, "_write", fail)

    progress(100)
    progress(200)  # no longer tried

    assert lost.closed
    assert caplog.text.count("Progress of import job 1 not recorded") == 1
