"""What every Celery task of the project is: `ReliableTask`, the app's task class
(config/celery.py), so that `@shared_task` gives one without saying so. It makes every
task safe to lose and run again:

- acks_late and reject_on_worker_lost: the message is acknowledged only once the task
  has finished, and a worker killed halfway (out of memory, a redeploy) hands it back
  to the queue for another to do, rather than have it count as done;
- a lost or refused database connection (a PostgreSQL restart or failover) is retried,
  a little later each time (exponential backoff with jitter, so that the workers do
  not all come back at the same moment), up to `max_retries` times.

Both run a task again, so every task must be idempotent, and is: each says why in its
docstring. Tasks are queued once the transaction that asks for them commits
(`transaction.on_commit`), so that they never run before the rows they need exist.
"""

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.db import InterfaceError, OperationalError


class ReliableTask(DjangoTask):
    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = (OperationalError, InterfaceError)
    retry_backoff = True  # 1 s, 2 s, 4 s... each drawn at random up to that (retry_jitter)
    retry_backoff_max = 5 * 60
    retry_jitter = True
    # Four minutes of waits at worst (1 + 2 + ... + 128 s), two on average: longer than a
    # database restart or failover takes.
    max_retries = 8


@shared_task(time_limit=600, soft_time_limit=540, ignore_result=True)
def partitions_upkeep() -> dict[str, list[str]]:
    """Daily (beat): for every partitioned table, this month's partition and the next
    few, and one for each month whose rows wait in the default partition (which takes
    them in), through the owner's functions (core/partitions.py). Idempotent: each
    partition is made once; returns those made, per table."""
    # Imported here: Celery reads this module before Django is set up.
    from .partitions import partitions_create_ahead, partitions_for_default_rows

    made = partitions_create_ahead()
    for table, names in partitions_for_default_rows().items():
        made[table] = made.get(table, []) + names
    return made
