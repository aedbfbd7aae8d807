"""Progress and heartbeat of a running import, visible while its transaction is still open.

An import writes every row inside one transaction (all or nothing, see
imports.runner). An update of the job row on the same connection would become
visible to other sessions only when that transaction commits, at the very end,
when nobody needs a progress bar any more. `JobProgress` therefore writes
`rows_processed` through a second connection of its own, in autocommit mode, so
that each update is committed, and seen by the job page's status endpoint, at once.

What keeps this safe:
- The import's transaction must not write the job row while progress is being
  reported, or the second connection would wait for a row lock held by its own
  thread: a deadlock with ourselves. imports.services writes the job's state before
  the import starts and after the runner has returned, never in between. For the
  same reason no second connection is used when the import runs inside a transaction
  opened by its caller (which may hold that lock), and on PostgreSQL the second
  connection gives up on a lock after two seconds instead of waiting for ever.
- Writes are throttled to one a second, so the extra connection costs nothing
  noticeable, and a failed write only stops progress reports, never the import.
- SQLite allows one writer at a time, so a second connection cannot write while the
  import holds the write lock: there, progress is reported at the start and the end
  only. SQLite is the development database, where imports run in the request anyway.

Each write is also the run's heartbeat (`heartbeat_at`), and says whether the run
still holds the job: if the uploader cancelled it, or the job was given to another run
because this one looked dead, the write finds no row of this run's and raises
`ImportInterrupted`, so the run stops and rolls back what it wrote.

Why not the cache or Celery's result backend: each works only when configured and
shared by the web and worker containers; the database always is.
"""

import logging
import time

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils import timezone

from .models import ImportJob

logger = logging.getLogger(__name__)


class ImportInterrupted(Exception):
    """The run no longer holds its job (cancelled, or given to another run): stop."""


class JobProgress:
    """Callable the runner calls with the number of rows processed; use as a context manager."""

    def __init__(self, job_id: int, run_token: str = "", *, interval: float = 1.0) -> None:
        self.job_id = job_id
        self.run_token = run_token
        self.interval = interval
        self._last_write = float("-inf")
        self._connection = None
        main = connections[DEFAULT_DB_ALIAS]
        if main.vendor != "sqlite" and not main.in_atomic_block:
            self._connection = main.copy()

    def __enter__(self) -> "JobProgress":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __call__(self, rows_processed: int) -> None:
        now = time.monotonic()
        if self._connection is None or now - self._last_write < self.interval:
            return
        self._last_write = now
        try:
            self._write(rows_processed)
        except DatabaseError:
            logger.warning("Progress of import job %s not recorded", self.job_id, exc_info=True)
            self.close()

    def _write(self, rows_processed: int) -> None:
        quote = self._connection.ops.quote_name
        field = ImportJob._meta.get_field
        table = quote(ImportJob._meta.db_table)
        rows, heartbeat, token, status = (
            quote(field(name).column)
            for name in ("rows_processed", "heartbeat_at", "run_token", "status")
        )
        pk = quote(ImportJob._meta.pk.column)
        with self._connection.cursor() as cursor:
            if self._connection.vendor == "postgresql":
                cursor.execute("SET lock_timeout = '2s'")
            cursor.execute(
                f"UPDATE {table} SET {rows} = %s, {heartbeat} = %s "  # noqa: S608  (quoted names)
                f"WHERE {pk} = %s AND {token} = %s AND {status} IN (%s, %s)",
                [
                    rows_processed,
                    timezone.now(),
                    self.job_id,
                    self.run_token,
                    ImportJob.Status.VALIDATING,
                    ImportJob.Status.IMPORTING,
                ],
            )
            held = cursor.rowcount
        if not held:
            raise ImportInterrupted("the job was cancelled or given to another run")

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
