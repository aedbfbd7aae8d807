"""The roll-up's writes: the panel statistics of a period computed once and kept, for the
report to read (`selectors.snapshot_of`, `selectors.report_figures`). `snapshot_compute`
is what the Celery task (and the nightly beat) runs; two runs of the same period and
as-at date, one after the other or on two workers at once, leave one snapshot (an upsert
on its unique key)."""

import datetime
import logging
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import StatisticsSnapshot
from .periods import Period
from .selectors import snapshot_of
from .statistics import chart_statistics, panel_statistics

FIELDS = (
    "status",
    "period_kind",
    "figures",
    "previous_figures",
    "computed_at",
    "code_version",
    "failure",
)
Status = StatisticsSnapshot.Status
WAITING = [Status.QUEUED, Status.RUNNING]
logger = logging.getLogger(__name__)


def snapshot_compute(*, period: Period, as_at: datetime.date) -> StatisticsSnapshot:
    """Compute and store the figures of `period` as at `as_at`, and those of the period
    before it to compare with, as at that period's end: the paper quotes the year before
    as it stood then (the Lines still active at the end of that year)."""
    figures = panel_statistics(start=period.start, end=period.end, as_at=as_at)
    figures["charts"] = chart_statistics(period.start, period.end)
    previous = period.previous()
    previous_figures = panel_statistics(start=previous.start, end=previous.end, as_at=previous.end)
    snapshot = StatisticsSnapshot(
        start=period.start,
        end=period.end,
        as_at=as_at,
        status=Status.READY,
        period_kind=period.kind,
        failure="",
        figures=figures,
        previous_figures=previous_figures,
        computed_at=timezone.now(),
        code_version=settings.SERVICE_VERSION,
    )
    StatisticsSnapshot.objects.bulk_create(
        [snapshot],
        update_conflicts=True,
        unique_fields=["start", "end", "as_at"],
        update_fields=list(FIELDS),
    )
    return snapshot_of(start=period.start, end=period.end, as_at=as_at)


def snapshot_request(*, period: Period, as_at: datetime.date) -> StatisticsSnapshot:
    """Ask for the figures to be computed again (a manager's "refresh now"): the snapshot
    says so at once, and the task is queued once the request's transaction commits."""
    snapshot, _ = StatisticsSnapshot.objects.get_or_create(
        start=period.start, end=period.end, as_at=as_at
    )
    token = _new_token()
    StatisticsSnapshot.objects.filter(pk=snapshot.pk).update(
        status=Status.QUEUED,
        period_kind=period.kind,
        queued_at=timezone.now(),
        attempts=1,
        run_token=token,
        failure="",
    )
    _queue(period.kind, period.start, period.end, as_at, token)
    snapshot.refresh_from_db()
    return snapshot


def snapshot_started(*, period: Period, as_at: datetime.date, token: str) -> bool:
    """A worker starts computing. False if its message is no longer the last one queued
    (the figures were asked for again, or queued again by the recovery): it stops."""
    return bool(
        _this_run(period.start, period.end, as_at, token)
        .filter(status__in=WAITING)
        .update(status=Status.RUNNING, queued_at=timezone.now())
    )


def snapshot_failed(*, start: datetime.date, end: datetime.date, as_at: datetime.date, token: str):
    """The task failed for good (an error it does not retry, or every retry failed): the
    report says so and offers to try again, rather than waiting for ever. A run killed by
    its time limit or with its worker is noticed by `snapshots_recover_stalled` instead."""
    _this_run(start, end, as_at, token).filter(status__in=WAITING).update(
        status=Status.FAILED,
        failure="The figures could not be computed: an error was recorded for the service desk.",
    )


def snapshots_recover_stalled() -> dict[str, int]:
    """Every minute (beat): snapshots waiting (SNAPSHOT_QUEUE_TIMEOUT) or being computed
    (SNAPSHOT_STALL_TIMEOUT) for longer than any run takes (the message was lost, or its
    worker died) are queued again, or failed once they have been queued
    SNAPSHOT_MAX_ATTEMPTS times. Returns how many of each. A run still alive that
    finishes after that writes the same one snapshot; its message, no longer the last
    queued, would not start again."""
    now = timezone.now()
    stalled = StatisticsSnapshot.objects.filter(
        Q(status=Status.QUEUED, queued_at__lt=now - settings.SNAPSHOT_QUEUE_TIMEOUT)
        | Q(status=Status.RUNNING, queued_at__lt=now - settings.SNAPSHOT_STALL_TIMEOUT)
    )
    failed = stalled.filter(attempts__gte=settings.SNAPSHOT_MAX_ATTEMPTS).update(
        status=Status.FAILED,
        failure=(
            f"The figures stopped being computed {settings.SNAPSHOT_MAX_ATTEMPTS} times "
            "without finishing."
        ),
    )
    requeued = 0
    for snapshot in stalled.filter(attempts__lt=settings.SNAPSHOT_MAX_ATTEMPTS):
        token = _new_token()
        # Only if no run has finished, failed or been queued since it was read.
        if (
            _this_run(snapshot.start, snapshot.end, snapshot.as_at, snapshot.run_token)
            .filter(status__in=WAITING, queued_at=snapshot.queued_at)
            .update(
                status=Status.QUEUED,
                queued_at=timezone.now(),
                attempts=F("attempts") + 1,
                run_token=token,
            )
        ):
            _queue(snapshot.period_kind, snapshot.start, snapshot.end, snapshot.as_at, token)
            requeued += 1
    outcome = {"queued": requeued, "failed": failed}
    if any(outcome.values()):
        logger.warning("Stalled panel statistics: %s", outcome)
    return outcome


def _this_run(start, end, as_at, token: str):
    """The snapshot, if `token` is its last queued run's (any run for a message queued
    before runs had tokens)."""
    snapshots = StatisticsSnapshot.objects.filter(start=start, end=end, as_at=as_at)
    return snapshots.filter(run_token=token) if token else snapshots


def _new_token() -> str:
    return secrets.token_hex(16)


def _queue(kind: str, start, end, as_at, token: str) -> None:
    from .tasks import snapshot_compute_task

    arguments = (kind, start.isoformat(), end.isoformat(), as_at.isoformat(), token)
    transaction.on_commit(lambda: snapshot_compute_task.delay(*arguments))
