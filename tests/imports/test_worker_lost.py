"""A worker killed halfway through an import: the job is done again, never stuck or half-written.

These run a real `celery worker` process (tests/worker_process.py) and kill it while it
imports: paused as it hands the file's second block to the batch service, the first one
written but not committed. Eager mode cannot show this: there is no process to lose.
"""

import pytest
from django.db import connection
from django.test import override_settings

from audit.models import AuditEvent
from imports.kinds import BLOCK_SIZE
from imports.models import ImportJob
from imports.services import import_job_confirm, import_jobs_recover_stalled
from lines.models import Line
from tests.worker_process import running_worker, wait_for

from .utils import LINES_HEADER, line_rows

Status = ImportJob.Status
ROWS = BLOCK_SIZE + BLOCK_SIZE // 2  # two blocks: the worker is killed at the second


@pytest.fixture
def worker_process(transactional_db, tmp_path, settings_stall):
    """A worker that stops for good at the second block of the first run that imports."""
    with running_worker(
        tmp_path,
        stall_seconds=settings_stall,
        pause_at="imports.runner._write",
        pause_at_call=2,
    ) as worker:
        yield worker


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
    """Until the worker has written the first block and reached the second."""
    assert wait_for(lambda: len(worker.called_by()) == 2, seconds=60), worker.log.read_text()
    if connection.vendor == "postgresql":
        # The run's heartbeat, committed apart from the rows, says how far it got.
        assert 0 < job(pk).rows_processed < ROWS
    # (On SQLite the worker holds the one write lock: the job is read once it is killed.)


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
