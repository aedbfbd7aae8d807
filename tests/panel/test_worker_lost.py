"""A worker killed while it computes a period's figures: the task is delivered again,
done once by another process, and leaves one snapshot with the right figures.

A real `celery worker` process (tests/worker_process.py), paused inside the task (in
chart_statistics, after the period's own figures and before anything is written) so
that it is killed there and not before or after.
"""

import datetime
import json
import os

import pytest
from django.db import transaction

from panel.models import StatisticsSnapshot
from panel.periods import year_of
from panel.snapshots import snapshot_request
from panel.statistics import chart_statistics, panel_statistics
from tests.lines.factories import LineFactory
from tests.worker_process import running_worker, wait_for

D = datetime.date
YEAR_2021 = year_of(D(2021, 6, 1))
AS_AT = D(2022, 1, 15)


@pytest.fixture
def pausing_worker(transactional_db, tmp_path, settings_stall):
    with running_worker(
        tmp_path, stall_seconds=settings_stall, pause_at="panel.snapshots.chart_statistics"
    ) as worker:
        yield worker


def expected_figures() -> dict:
    figures = panel_statistics(start=YEAR_2021.start, end=YEAR_2021.end, as_at=AS_AT)
    figures["charts"] = chart_statistics(YEAR_2021.start, YEAR_2021.end)
    return json.loads(json.dumps(figures))  # as the JSON column gives them back


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


# Transactional (the worker reads what the test committed); the migrated reference data
# restored, as another transactional test may have flushed it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_snapshot_whose_worker_was_killed_is_computed_again_once(pausing_worker):
    for month in (3, 4, 5):
        LineFactory(first_identified=D(2021, month, 1), closed_on=D(2021, 12, 1))
    LineFactory(first_identified=D(2020, 5, 1))
    with transaction.atomic():
        snapshot_request(period=YEAR_2021, as_at=AS_AT)

    assert wait_for(lambda: pausing_worker.called_by(), seconds=60), pausing_worker.log.read_text()
    [killed] = pausing_worker.called_by()
    halfway = StatisticsSnapshot.objects.get()
    assert (halfway.status, halfway.figures) == (StatisticsSnapshot.Status.RUNNING, {})

    pausing_worker.kill_child()
    assert wait_for(lambda: not alive(killed), seconds=10)

    # reject_on_worker_lost: the message goes back to the queue rather than being
    # acknowledged as failed, and the worker's new pool process takes it.
    assert wait_for(lambda: StatisticsSnapshot.objects.get().status == "ready"), (
        pausing_worker.log.read_text()
    )
    calls = pausing_worker.called_by()  # twice in all: killed, then run to the end
    assert len(calls) == 2 and calls[0] == killed and calls[1] != killed
    [snapshot] = StatisticsSnapshot.objects.all()
    assert snapshot.pk == halfway.pk
    assert snapshot.figures == expected_figures()
    assert snapshot.figures["lines"]["identified"] == 3
    assert snapshot.previous_figures["lines"]["identified"] == 1
