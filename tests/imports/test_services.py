"""The job's life outside the happy path: failures, repeats, abandoned files, progress."""

import datetime

import pytest
from django.db import DatabaseError, OperationalError, connection, transaction
from django.utils import timezone

from audit.models import AuditEvent
from imports import services, tasks
from imports.models import ImportJob
from imports.progress import ImportInterrupted, JobProgress
from imports.services import (
    ImportJobBusy,
    import_job_process,
    import_jobs_discard_abandoned,
)
from imports.tasks import discard_abandoned_uploads, import_job_run
from lines.importers import LinesImport
from lines.models import Line
from records import upserts as engine  # where the lines batch inserts

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


# Transactional: the import's transaction is the outermost one, committed or rolled
# back for real, as in a worker; the migrated reference data restored afterwards.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    ("error", "status"),
    [
        (OperationalError("server closed the connection unexpectedly"), Status.INVALID),
        (RuntimeError("out of memory"), Status.FAILED),
    ],
)
def test_an_error_in_the_last_block_of_a_file_leaves_nothing_written(
    intel, monkeypatch, error, status
):
    monkeypatch.setattr(LinesImport, "block_size", 10)
    job = make_job(intel, status=Status.IMPORTING, rows=25)  # blocks of 10, 10 and 5
    blocks = []
    real_insert = engine.insert_rows

    def insert_failing_in_the_last_block(model, fields, rows, **options):
        if model is Line:
            blocks.append(len(rows))
            if len(blocks) == 3:  # rows 21 to 25, lines 22 to 26
                raise error
        return real_insert(model, fields, rows, **options)

    monkeypatch.setattr(engine, "insert_rows", insert_failing_in_the_last_block)

    import_job_process(job_id=job.pk)

    assert blocks == [10, 10, 5]  # the first two blocks were written, then undone
    assert not Line.objects.exists()
    assert not AuditEvent.objects.filter(object_type="lines.line").exists()
    assert not AuditEvent.objects.filter(action="import").exists()
    job.refresh_from_db()
    assert (job.status, job.import_id) == (status, "")  # not done, and no import to name
    if status == Status.INVALID:
        [refusal] = job.error_lines()
        assert refusal.startswith("lines.csv:22: (file): The database refused the rows on lines")
        assert "so nothing was imported: server closed the connection" in refusal


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
def test_progress_reported_inside_the_import_transaction_never_waits_for_it(intel):
    """SQLite allows one writer at a time: there progress is reported at the start and the
    end of an import only (by imports.services), never from inside its transaction, where
    it would wait for the import's own write lock. PostgreSQL writes it at once (below)."""
    job = make_job(intel, status=Status.IMPORTING)
    with JobProgress(job.pk, interval=0) as progress, transaction.atomic():
        Line.objects.filter(pk=0).delete()  # the import's transaction is under way
        progress(1234)
    job.refresh_from_db()
    assert job.rows_processed == (0 if connection.vendor == "sqlite" else 1234)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_progress_is_visible_to_others_while_the_import_transaction_is_open(intel):
    job = make_job(intel, status=Status.IMPORTING)
    observer = connection.copy()
    try:
        with JobProgress(job.pk, interval=0) as progress, transaction.atomic():
            Line.objects.filter(pk=0).delete()  # the import's transaction is under way
            progress(1234)
            with observer.cursor() as cursor:
                cursor.execute(
                    "SELECT rows_processed FROM imports_importjob WHERE id = %s", [job.pk]
                )
                assert cursor.fetchone() == (1234,)
    finally:
        observer.close()
    job.refresh_from_db()
    assert job.rows_processed == 1234


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


# --- Runs that stop, are stopped, or meet another run -------------------------------------


def stale(settings) -> datetime.datetime:
    return timezone.now() - settings.IMPORT_STALL_TIMEOUT - datetime.timedelta(seconds=1)


@pytest.mark.django_db
def test_a_job_another_live_run_holds_is_left_to_it(intel):
    job = make_job(intel, status=Status.IMPORTING, run_token="a" * 32, heartbeat_at=timezone.now())

    with pytest.raises(ImportJobBusy):
        import_job_process(job_id=job.pk)

    assert not Line.objects.exists()
    assert ImportJob.objects.get(pk=job.pk).run_token == "a" * 32


@pytest.mark.django_db
def test_a_job_whose_run_went_silent_is_taken_over_and_finished(intel, settings):
    job = make_job(
        intel, status=Status.IMPORTING, run_token="a" * 32, heartbeat_at=stale(settings), attempts=1
    )

    import_job_process(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.created_count, job.attempts, job.run_token) == ("done", 3, 2, "")
    assert Line.objects.count() == 3


@pytest.mark.django_db
def test_a_run_that_lost_its_job_before_the_end_keeps_nothing(intel, monkeypatch):
    job = make_job(intel, status=Status.IMPORTING)
    real_import = services.import_csv

    def import_then_lose_the_job(**kwargs):
        result = real_import(**kwargs)
        # As if the uploader had cancelled, or another run had taken the job over.
        ImportJob.objects.filter(pk=job.pk).update(run_token="b" * 32)
        return result

    monkeypatch.setattr(services, "import_csv", import_then_lose_the_job)

    import_job_process(job_id=job.pk)

    assert not Line.objects.exists()
    assert not AuditEvent.objects.filter(object_type="lines.line").exists()
    assert ImportJob.objects.get(pk=job.pk).status == Status.IMPORTING


@pytest.mark.django_db
def test_a_job_tried_too_often_fails(intel, settings):
    job = make_job(intel, status=Status.IMPORTING, attempts=settings.IMPORT_MAX_ATTEMPTS)

    import_job_process(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert (
        job.failure == f"The import stopped {settings.IMPORT_MAX_ATTEMPTS} times without finishing."
    )
    assert job.content is None and not Line.objects.exists()


@pytest.mark.django_db
def test_stalled_jobs_are_queued_again_or_failed(
    intel, settings, django_capture_on_commit_callbacks
):
    silent = make_job(
        intel, status=Status.IMPORTING, run_token="a" * 32, heartbeat_at=stale(settings), attempts=1
    )
    lost_in_queue = make_job(intel, status=Status.PENDING, heartbeat_at=stale(settings))
    exhausted = make_job(
        intel,
        status=Status.VALIDATING,
        run_token="c" * 32,
        heartbeat_at=stale(settings),
        attempts=settings.IMPORT_MAX_ATTEMPTS,
    )
    alive = make_job(
        intel, status=Status.IMPORTING, run_token="d" * 32, heartbeat_at=timezone.now()
    )
    waiting = make_job(intel, status=Status.VALIDATED, heartbeat_at=stale(settings))

    with django_capture_on_commit_callbacks(execute=True) as queued:
        outcome = tasks.recover_stalled_imports()

    assert outcome == {"queued": 2, "failed": 1}
    assert len(queued) == 2
    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert statuses[silent.pk] == Status.DONE  # imported again, from the start
    assert statuses[lost_in_queue.pk] == Status.VALIDATED  # checked at last
    assert Line.objects.count() == 3
    assert statuses[exhausted.pk] == Status.FAILED
    assert (statuses[alive.pk], statuses[waiting.pk]) == (Status.IMPORTING, Status.VALIDATED)


@pytest.mark.django_db
def test_the_task_retries_a_job_held_by_a_live_run_once_it_would_have_gone_silent(
    monkeypatch, settings
):
    asked = {}

    def busy(**kwargs):
        raise ImportJobBusy("busy")

    def retry(**kwargs):
        asked.update(kwargs)
        return RuntimeError("retried")

    monkeypatch.setattr(tasks, "import_job_process", busy)
    monkeypatch.setattr(import_job_run, "retry", retry)

    with pytest.raises(RuntimeError, match="retried"):
        import_job_run.run(123)

    assert asked["countdown"] == settings.IMPORT_STALL_TIMEOUT.total_seconds()


def test_a_lost_worker_leaves_the_message_to_another_within_the_brokers_patience(settings):
    assert import_job_run.acks_late and import_job_run.reject_on_worker_lost
    assert import_job_run.time_limit == settings.IMPORT_TASK_TIME_LIMIT
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility > import_job_run.time_limit
    assert settings.CELERY_BEAT_SCHEDULE["recover-stalled-imports"]["task"] == (
        "imports.tasks.recover_stalled_imports"
    )


@pytest.mark.django_db
def test_a_background_run_audits_as_the_request_that_asked_for_it(intel):
    job = make_job(
        intel, status=Status.IMPORTING, request_id="confirm-request-1", client_ip="10.1.2.3"
    )

    import_job_process(job_id=job.pk)

    job.refresh_from_db()
    events = AuditEvent.objects.filter(object_type="lines.line")
    assert events.count() == 3
    assert {(e.request_id, e.ip_address, e.username) for e in events} == {
        ("confirm-request-1", "10.1.2.3", "intel")
    }
    assert {(e.detail["import"], e.detail["import_job"]) for e in events} == {
        (job.import_id, job.pk)
    }
    assert AuditEvent.objects.get(action="import").detail["import"] == job.import_id


@pytest.mark.django_db
def test_a_heartbeat_that_finds_its_job_gone_stops_the_run(intel):
    job = make_job(intel, status=Status.CANCELLED)
    progress = JobProgress(job.pk, "a" * 32, interval=0)
    if progress._connection is None:  # SQLite: no second connection, so no heartbeat
        progress._connection = connection
    try:
        with pytest.raises(ImportInterrupted):
            progress(100)
    finally:
        progress._connection = None
