"""The roll-up: the panel statistics of a period computed once, kept, and read by the
report. `snapshot_compute` is what the Celery task (and the nightly beat) runs; two runs
of the same period and as-at date, one after the other or on two workers at once, leave
one snapshot (an upsert on its unique key)."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import StatisticsSnapshot
from .periods import Period
from .statistics import chart_statistics, panel_statistics

FIELDS = ("status", "figures", "previous_figures", "computed_at", "code_version")


def snapshot_of(*, start, end, as_at) -> StatisticsSnapshot | None:
    return StatisticsSnapshot.objects.filter(start=start, end=end, as_at=as_at).first()


def snapshot_compute(*, period: Period, as_at: datetime.date) -> StatisticsSnapshot:
    """Compute and store the figures of `period` as at `as_at`, and those of the period
    before it (as at the same date) to compare with."""
    figures = panel_statistics(start=period.start, end=period.end, as_at=as_at)
    figures["charts"] = chart_statistics(period.start, period.end)
    previous = period.previous()
    previous_figures = panel_statistics(start=previous.start, end=previous.end, as_at=as_at)
    snapshot = StatisticsSnapshot(
        start=period.start,
        end=period.end,
        as_at=as_at,
        status=StatisticsSnapshot.Status.READY,
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
    from .tasks import snapshot_compute_task

    snapshot, _ = StatisticsSnapshot.objects.get_or_create(
        start=period.start, end=period.end, as_at=as_at
    )
    StatisticsSnapshot.objects.filter(pk=snapshot.pk).update(
        status=StatisticsSnapshot.Status.QUEUED
    )
    arguments = (period.kind, period.start.isoformat(), period.end.isoformat(), as_at.isoformat())
    transaction.on_commit(lambda: snapshot_compute_task.delay(*arguments))
    snapshot.refresh_from_db()
    return snapshot
