"""Background work for the panel report: thin wrappers around panel.snapshots."""

import datetime

from celery import shared_task
from django.utils import timezone

from .models import StatisticsSnapshot
from .periods import Period, standard_periods
from .snapshots import snapshot_compute


@shared_task(time_limit=600, soft_time_limit=540, ignore_result=True)
def snapshot_compute_task(kind: str, start: str, end: str, as_at: str) -> None:
    """Compute the statistics of one period as at one date. Idempotent: the figures are
    written at the end, in one upsert of the period's one snapshot."""
    period = Period(kind, datetime.date.fromisoformat(start), datetime.date.fromisoformat(end))
    as_at_day = datetime.date.fromisoformat(as_at)
    StatisticsSnapshot.objects.filter(start=period.start, end=period.end, as_at=as_at_day).update(
        status=StatisticsSnapshot.Status.RUNNING
    )
    snapshot_compute(period=period, as_at=as_at_day)


@shared_task(time_limit=1800, soft_time_limit=1700, ignore_result=True)
def snapshot_standard_periods() -> None:
    """Nightly: the current and previous month, quarter, year and financial year, as at
    today (a period still running, as at its end: an as-at date is never before it).
    Idempotent: each period's snapshot is an upsert, so a second run recomputes it."""
    today = timezone.localdate()
    for period in standard_periods(today):
        snapshot_compute(period=period, as_at=max(period.end, today))
