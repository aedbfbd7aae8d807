"""Figures that are never computed do not wait for ever: a lost or dead run is queued
again, a run that cannot finish says so on the report with a button to try again, and a
message that is no longer the last one queued does nothing."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps
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
ARGUMENTS = (YEAR_2021.kind, "2021-01-01", "2021-12-31", AS_AT.isoformat())
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


def stalled_snapshot(*, status, minutes_ago, attempts=1) -> StatisticsSnapshot:
    """A snapshot queued or started `minutes_ago` whose task never finished (its message
    was lost, or its worker died)."""
    return StatisticsSnapshot.objects.create(
        start=YEAR_2021.start,
        end=YEAR_2021.end,
        as_at=AS_AT,
        period_kind=YEAR_2021.kind,
        status=status,
        attempts=attempts,
        run_token="lost-run",
        queued_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )


@pytest.mark.parametrize(
    ("status", "minutes_ago"),
    [(Status.QUEUED, 50), (Status.RUNNING, 20)],  # past 45 minutes waiting, 15 running
)
def test_a_stalled_snapshot_is_queued_again_and_computed(
    report, status, minutes_ago, django_capture_on_commit_callbacks
):
    stalled_snapshot(status=status, minutes_ago=minutes_ago)

    with django_capture_on_commit_callbacks(execute=True):
        outcome = snapshots_recover_stalled()

    assert outcome == {"queued": 1, "failed": 0}
    snapshot = StatisticsSnapshot.objects.get()
    assert snapshot.status == Status.READY
    assert snapshot.attempts == 2
    assert snapshot.run_token != "lost-run"
    assert snapshot.figures["lines"]["identified"] == 1


@pytest.mark.parametrize(
    ("status", "minutes_ago"),
    [(Status.QUEUED, 40), (Status.RUNNING, 10)],  # waiting behind an import; still running
)
def test_a_snapshot_within_its_time_is_left_to_its_run(
    report, status, minutes_ago, django_capture_on_commit_callbacks
):
    stalled_snapshot(status=status, minutes_ago=minutes_ago)

    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert snapshots_recover_stalled() == {"queued": 0, "failed": 0}

    assert queued == []
    assert StatisticsSnapshot.objects.get().status == status


def test_after_the_last_attempt_the_report_says_so_and_offers_to_try_again(
    report, manager_client, django_capture_on_commit_callbacks
):
    stalled_snapshot(status=Status.RUNNING, minutes_ago=20, attempts=3)
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


def test_a_run_that_finishes_while_the_recovery_looks_is_not_queued_again(
    report, monkeypatch, django_capture_on_commit_callbacks
):
    snapshot = stalled_snapshot(status=Status.RUNNING, minutes_ago=20)
    new_token = snapshots._new_token

    def run_finishes_meanwhile():
        StatisticsSnapshot.objects.filter(pk=snapshot.pk).update(status=Status.READY)
        return new_token()

    monkeypatch.setattr(snapshots, "_new_token", run_finishes_meanwhile)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert snapshots_recover_stalled() == {"queued": 0, "failed": 0}

    assert queued == []
    assert StatisticsSnapshot.objects.get().status == Status.READY


def test_a_message_no_longer_the_last_queued_does_nothing(
    report, monkeypatch, django_capture_on_commit_callbacks
):
    first = snapshot_request(period=YEAR_2021, as_at=AS_AT).run_token
    snapshot_request(period=YEAR_2021, as_at=AS_AT)  # asked for again before it ran

    computed = []
    monkeypatch.setattr(snapshots, "panel_statistics", lambda **kwargs: computed.append(kwargs))
    snapshot_compute_task.apply(args=(*ARGUMENTS, first), throw=True)

    assert computed == []
    assert StatisticsSnapshot.objects.get().status == Status.QUEUED


def test_a_task_that_fails_for_good_marks_the_figures_failed(report, monkeypatch):
    def broken(**kwargs):
        raise ValueError("a figure that cannot be computed")

    monkeypatch.setattr(snapshots, "panel_statistics", broken)
    token = snapshot_request(period=YEAR_2021, as_at=AS_AT).run_token

    # As a worker runs it: the error is recorded, not raised to the caller.
    result = snapshot_compute_task.apply(args=(*ARGUMENTS, token), throw=False)

    assert result.failed() and isinstance(result.result, ValueError)
    snapshot = StatisticsSnapshot.objects.get()
    assert snapshot.status == Status.FAILED
    assert "could not be computed" in snapshot.failure


def test_a_stale_run_failing_leaves_a_newer_request_alone(report, monkeypatch):
    def broken(**kwargs):
        raise ValueError("a figure that cannot be computed")

    first = snapshot_request(period=YEAR_2021, as_at=AS_AT).run_token
    StatisticsSnapshot.objects.update(status=Status.RUNNING)  # the first run has started
    snapshot_request(period=YEAR_2021, as_at=AS_AT)  # and a manager asks again
    monkeypatch.setattr(snapshots, "panel_statistics", broken)

    snapshot_compute_task.on_failure(ValueError(), "task-id", (*ARGUMENTS, first), {}, None)

    assert StatisticsSnapshot.objects.get().status == Status.QUEUED


def test_snapshots_waiting_from_before_the_recovery_are_dated_for_it(report):
    waiting = StatisticsSnapshot.objects.create(
        start=YEAR_2021.start, end=YEAR_2021.end, as_at=AS_AT, status=Status.QUEUED
    )
    orphan = StatisticsSnapshot.objects.create(
        start=D(2020, 1, 1), end=D(2020, 12, 31), as_at=AS_AT, status=Status.RUNNING
    )
    migration = import_module("panel.migrations.0005_snapshot_recovery")

    migration.date_the_waiting_snapshots(apps, None)

    waiting.refresh_from_db()
    orphan.refresh_from_db()
    assert (waiting.status, waiting.period_kind, waiting.attempts) == ("queued", "year", 1)
    assert waiting.queued_at == waiting.requested_at
    assert orphan.status == "failed" and orphan.queued_at == orphan.requested_at
