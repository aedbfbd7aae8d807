from celery import shared_task

from .services.purge import call_data_purge


@shared_task(time_limit=3 * 60 * 60, soft_time_limit=3 * 60 * 60 - 60, ignore_result=True)
def purge_call_data() -> int:
    """Nightly (beat): purges the rows of the sources past their retention date; returns
    the rows purged. Idempotent: a source is marked purged once its rows are gone, and a
    run cut short leaves the rest of its rows for the next (each chunk is committed with
    its recount)."""
    return call_data_purge(via="beat").rows
