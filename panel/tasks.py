"""Background work for the panel report: thin wrappers around panel.snapshots."""

import datetime
import inspect

from celery import shared_task
from django.utils import timezone

from core.tasks import ReliableTask

from .periods import Period, standard_periods
from .snapshots import (
    snapshot_compute,
    snapshot_failed,
    snapshot_started,
    snapshots_recover_stalled,
)


class SnapshotTask(ReliableTask):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        """Failed for good (an error not retried, or the last retry): the report says so.
        (A run killed by its time limit or with its worker is not seen here: beat's
        recover_stalled_snapshots notices it.)"""
        run = inspect.signature(self.run).bind(*args, **kwargs).arguments
        dates = _dates(start=run["start"], end=run["end"], as_at=run["as_at"])
        snapshot_failed(**dates, token=run.get("token", ""))


@shared_task(base=SnapshotTask, time_limit=600, soft_time_limit=540, ignore_result=True)
def snapshot_compute_task(kind: str, start: str, end: str, as_at: str, token: str = "") -> None:
    """Compute the statistics of one period as at one date. Idempotent: the figures are
    written at the end, in one upsert of the period's one snapshot. A message that is no
    longer the last one queued for them (`token`) does nothing."""
    dates = _dates(start=start, end=end, as_at=as_at)
    period = Period(kind, dates["start"], dates["end"])
    if snapshot_started(period=period, as_at=dates["as_at"], token=token):
        snapshot_compute(period=period, as_at=dates["as_at"])


@shared_task(ignore_result=True)
def recover_stalled_snapshots() -> dict[str, int]:
    """Every minute (beat): see panel.snapshots.snapshots_recover_stalled."""
    return snapshots_recover_stalled()


def _dates(**isoformats: str) -> dict[str, datetime.date]:
    return {name: datetime.date.fromisoformat(text) for name, text in isoformats.items()}


@shared_task(time_limit=1800, soft_time_limit=1700, ignore_result=True)
def snapshot_standard_periods() -> None:
    """Nightly: the current and previous month, quarter, year and financial year, as at
    today (a period still running, as at its end: an as-at date is never before it).
    Idempotent: each period's snapshot is an upsert, so a second run recomputes it."""
    today = timezone.localdate()
    for period in standard_periods(today):
        snapshot_compute(period=period, as_at=max(period.end, today))
