"""A worker killed halfway through an import: the job is done again, never stuck or half-written.

These run a real `celery worker` process (tests/worker_process.py) and kill it while it
imports. Eager mode cannot show this: there is no process to lose.
"""

import time

import pytest
from django.db import connection
from django.test import override_settings

from audit.models import AuditEvent
from imports.models import ImportJob
from imports.services import import_job_confirm, import_jobs_recover_stalled
from lines.models import Line
from tests.worker_process import wait_for

from .utils import LINES_HEADER, line_rows

Status = ImportJob.Status
ROWS = 40_000  # a few seconds of work, so that the worker can be killed halfway


def confirmed_job(user) -> ImportJob:
    content = ("\n".join([LINES_HEADER, *line_rows(ROWS)]) + "\n").encode()
    job = ImportJob.objects.create(
        kind="lines",
        file_name="big.csv",
        uploaded_by=user,
        status=Status.VALIDATED,
        content=content,
        total_rows=ROWS,
    )
    return import_job_confirm(job=job, user=user)


def job(pk) -> ImportJob:
    return ImportJob.objects.defer("content").get(pk=pk)


def wait_until_halfway(pk, worker) -> None:
    """Until the worker has claimed the job and written part of it."""
    if connection.vendor == "postgresql":
        assert wait_for(lambda: 0 < job(pk).rows_processed < ROWS), "no progress seen"
        return
    # SQLite: a writer this big locks readers out until it commits, so watch the log
    # instead; the import takes a few seconds once the run has started.
    started = f"Import job {pk}: Importing, attempt 1"
    assert wait_for(lambda: started in worker.log.read_text()), "the run never started"
    time.sleep(0.5)


def assert_stopped_halfway(pk) -> None:
    assert job(pk).status == Status.IMPORTING, "the import finished before it could be stopped"
    assert job(pk).run_token
    assert not Line.objects.exists()


def assert_imported_once(pk) -> None:
    finished = job(pk)
    assert (finished.status, finished.created_count) == (Status.DONE, ROWS), finished.failure
    assert Line.objects.count() == ROWS
    assert AuditEvent.objects.filter(object_type="lines.line", action="create").count() == ROWS
    assert AuditEvent.objects.filter(action="import").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(IMPORT_ASYNC_ROW_THRESHOLD=10)
def test_the_task_of_a_killed_pool_process_is_done_again_by_another(worker_process, intel):
    pk = confirmed_job(intel).pk
    wait_until_halfway(pk, worker_process)

    worker_process.kill_child()
    assert_stopped_halfway(pk)

    # The message goes back to the queue; the next delivery waits until the dead run's
    # heartbeat is stale, then takes the job over and starts again from the beginning.
    assert wait_for(lambda: job(pk).status == Status.DONE), worker_process.log.read_text()
    assert job(pk).attempts == 2
    assert_imported_once(pk)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(IMPORT_ASYNC_ROW_THRESHOLD=10)
def test_a_job_whose_whole_worker_died_is_noticed_and_done_again(worker_process, intel):
    pk = confirmed_job(intel).pk
    wait_until_halfway(pk, worker_process)

    worker_process.kill()
    assert_stopped_halfway(pk)  # and the page would say "Importing" for ever

    # Beat's recovery notices once the heartbeat is stale and queues the job again.
    assert wait_for(lambda: import_jobs_recover_stalled()["queued"] == 1, seconds=30)
    worker_process.start()

    assert wait_for(lambda: job(pk).status == Status.DONE), worker_process.log.read_text()
    assert_imported_once(pk)
