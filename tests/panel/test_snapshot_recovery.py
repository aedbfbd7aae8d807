"""Figures that are never computed do not wait for ever: a lost or dead run is queued
again, and a run that cannot finish says so on the report with a button to try again."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from panel import snapshots
from panel.models import PanelReport, StatisticsSnapshot
from panel.periods import year_of
from panel.snapshots import snapshot_request, snapshots_recover_stalled
from panel.tasks import snapshot_compute_task
from tests.lines.factories import LineFactory

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR_2021 = year_of(D(2021, 6, 1))
AS_AT = D(2022, 1, 15)
Status = StatisticsSnapshot.Status


@pytest.fixture
def report(db, manager):
    LineFactory(first_identified=D(2021, 3, 1))
    return PanelReport.objects.create(
        period_kind=YEAR_2021.kind,
        start=YEAR_2021.start,
        end=YEAR_2021.end,
        as_at=AS_AT,
        title="Police, Fire and Crime Panel report: 2021",
    )


def stalled_snapshot(*, status=Status.QUEUED, attempts=1, minutes_ago=20) -> StatisticsSnapshot:
    """A snapshot queued `minutes_ago` whose task never finished (its message was lost,
    or its worker died)."""
    return StatisticsSnapshot.objects.create(
        start=YEAR_2021.start,
        end=YEAR_2021.end,
        as_at=AS_AT,
        period_kind=YEAR_2021.kind,
        status=status,
        attempts=attempts,
        queued_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )


@pytest.mark.parametrize("status", [Status.QUEUED, Status.RUNNING])
def test_a_stalled_snapshot_is_queued_again_and_computed(
    report, status, django_capture_on_commit_callbacks
):
    stalled_snapshot(status=status)

    with django_capture_on_commit_callbacks(execute=True):
        outcome = snapshots_recover_stalled()

    assert outcome == {"queued": 1, "failed": 0}
    snapshot = StatisticsSnapshot.objects.get()
    assert snapshot.status == Status.READY
    assert snapshot.attempts == 2
    assert snapshot.figures["lines"]["identified"] == 1


def test_a_snapshot_queued_recently_is_left_to_its_run(report, django_capture_on_commit_callbacks):
    stalled_snapshot(minutes_ago=5)

    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert snapshots_recover_stalled() == {"queued": 0, "failed": 0}

    assert queued == []
    assert StatisticsSnapshot.objects.get().status == Status.QUEUED


def test_after_the_last_attempt_the_report_says_so_and_offers_to_try_again(
    report, manager_client, django_capture_on_commit_callbacks
):
    stalled_snapshot(status=Status.RUNNING, attempts=3)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert snapshots_recover_stalled() == {"queued": 0, "failed": 1}
    assert queued == []

    page = manager_client.get(reverse("panel:report_detail", args=[report.pk]))

    html = page.content.decode()
    assert "The figures stopped being computed 3 times without finishing." in html
    assert 'http-equiv="refresh"' not in html  # nothing is happening: no need to reload
    assert "Compute the figures again" in html

    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(reverse("panel:report_refresh", args=[report.pk]))
    snapshot = StatisticsSnapshot.objects.get()
    assert (snapshot.status, snapshot.failure, snapshot.attempts) == (Status.READY, "", 1)


def test_a_task_that_fails_for_good_marks_the_figures_failed(report, monkeypatch):
    def broken(**kwargs):
        raise ValueError("a figure that cannot be computed")

    monkeypatch.setattr(snapshots, "panel_statistics", broken)
    snapshot_request(period=YEAR_2021, as_at=AS_AT)

    # As a worker runs it: the error is recorded, not raised to the caller.
    result = snapshot_compute_task.apply(
        args=(YEAR_2021.kind, "2021-01-01", "2021-12-31", AS_AT.isoformat()), throw=False
    )

    assert result.failed() and isinstance(result.result, ValueError)
    snapshot = StatisticsSnapshot.objects.get()
    assert snapshot.status == Status.FAILED
    assert "could not be computed" in snapshot.failure
