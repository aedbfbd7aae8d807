"""Every Celery task is safe to lose and run again (core.tasks.ReliableTask): acked
late, handed back when its worker dies, retried with backoff when the database is
unreachable, and only that often."""

import datetime

import pytest
from celery.signals import task_retry
from django.db import InterfaceError, OperationalError, transaction

from config import celery_app
from core.tasks import ReliableTask
from panel import tasks as panel_tasks
from panel.models import StatisticsSnapshot
from panel.periods import year_of
from panel.snapshots import snapshot_request
from tests.celery_worker import wait_until
from tests.lines.factories import LineFactory

D = datetime.date
YEAR_2021 = year_of(D(2021, 6, 1))
ARGUMENTS = ("year", "2021-01-01", "2021-12-31", "2022-01-15")


def project_tasks():
    celery_app.loader.import_default_modules()
    return [task for name, task in celery_app.tasks.items() if not name.startswith("celery.")]


def test_every_task_of_the_project_is_a_reliable_task():
    tasks = project_tasks()
    assert {task.name for task in tasks} >= {
        "accounts.tasks.clear_expired_sessions",
        "imports.tasks.import_job_run",
        "panel.tasks.snapshot_compute_task",
        "panel.tasks.snapshot_standard_periods",
    }
    for task in tasks:
        assert isinstance(task, ReliableTask), task.name
        assert (task.acks_late, task.reject_on_worker_lost) == (True, True), task.name
        assert task.autoretry_for == (OperationalError, InterfaceError), task.name
        assert hasattr(task, "_orig_run"), f"{task.name} is not wrapped to retry"
        assert task.retry_backoff and task.retry_jitter and task.max_retries, task.name


@pytest.fixture
def failing_first(monkeypatch):
    """snapshot_compute raising the given errors on its first calls, then doing its work;
    each call's retry number is kept, and each retry's delay."""
    attempts, delays = [], []
    real = panel_tasks.snapshot_compute

    def fail_then_compute(errors):
        def snapshot_compute(**kwargs):
            attempts.append(panel_tasks.snapshot_compute_task.request.retries)
            if len(attempts) <= len(errors):
                raise errors[len(attempts) - 1]
            return real(**kwargs)

        monkeypatch.setattr(panel_tasks, "snapshot_compute", snapshot_compute)
        return attempts, delays

    def retried(reason, **kwargs):
        delays.append((type(reason.exc), reason.when))

    task_retry.connect(retried, weak=False)
    yield fail_then_compute
    task_retry.disconnect(retried)


# Transactional (the worker reads what the test committed), the reference data restored.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_lost_database_connection_is_retried_with_backoff_by_a_real_worker(worker, failing_first):
    LineFactory(first_identified=D(2021, 3, 1))
    attempts, delays = failing_first(
        [OperationalError("server closed the connection"), InterfaceError("connection closed")]
    )
    with transaction.atomic():
        snapshot_request(period=YEAR_2021, as_at=D(2022, 1, 15))

    assert wait_until(lambda: StatisticsSnapshot.objects.get().status == "ready")
    assert attempts == [0, 1, 2]
    # Backoff with jitter: up to 1 s, then up to 2 s (without it: the 3-minute default).
    [(first_error, first_delay), (second_error, second_delay)] = delays
    assert (first_error, second_error) == (OperationalError, InterfaceError)
    assert 0 <= first_delay <= 1 and 0 <= second_delay <= 2
    assert StatisticsSnapshot.objects.get().figures["lines"]["identified"] == 1


@pytest.mark.django_db
def test_other_errors_are_not_retried(failing_first):
    attempts, delays = failing_first([ValueError("a bug")])
    snapshot_request(period=YEAR_2021, as_at=D(2022, 1, 15))

    with pytest.raises(ValueError, match="a bug"):
        panel_tasks.snapshot_compute_task.apply(args=ARGUMENTS)

    assert (attempts, delays) == ([0], [])


@pytest.mark.django_db
def test_a_database_that_stays_away_fails_the_task_after_max_retries(failing_first, monkeypatch):
    retries = panel_tasks.snapshot_compute_task.max_retries
    attempts, delays = failing_first([OperationalError("the database is down")] * (retries + 5))
    snapshot_request(period=YEAR_2021, as_at=D(2022, 1, 15))
    # Run eagerly, each retry at once rather than after its delay, to the end.
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", False)

    result = panel_tasks.snapshot_compute_task.apply(args=ARGUMENTS)

    assert result.failed() and isinstance(result.result, OperationalError)
    assert attempts == list(range(retries + 1))
    assert len(delays) == retries
