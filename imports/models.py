"""An uploaded CSV file on its way through check, confirmation and import.

The upload is kept in the database (a BinaryField), not on disk: web servers and
Celery workers may run in different containers with no shared volume, and the
database is the one thing they all reach. It is bounded by IMPORT_MAX_UPLOAD_BYTES
(the bigger files of a kind of large files, call data, are kept in IMPORT_FILES_DIR, a
volume web and worker share, and `content` names the file: imports.services)
and deleted (set to NULL) as soon as it is no longer needed: once imported, once
found invalid, on an unexpected failure, or when a checked file is not confirmed
within IMPORT_UPLOAD_RETENTION (imports.tasks.discard_abandoned_uploads).

Everything the job page shows is in this row, so reloading the page (or polling
its status endpoint) always shows the current state.

A job being worked on is claimed by one run at a time (`run_token`), which writes a
heartbeat as it goes (`heartbeat_at`). A run whose heartbeat stops (its worker was
killed) is noticed by the beat task `recover_stalled_imports`, which starts the job
again or, after IMPORT_MAX_ATTEMPTS, fails it: no job is left "Importing" for ever.
"""

from django.conf import settings
from django.db import models

from .reading import RowError


class ImportJob(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be checked"
        VALIDATING = "validating", "Checking"
        VALIDATED = "validated", "Checked, waiting for confirmation"
        INVALID = "invalid", "Problems found"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired: not confirmed in time"
        CANCELLED = "cancelled", "Cancelled"

    # The states in which a task or request is (or is about to be) working on the job.
    RUNNING = (Status.PENDING, Status.VALIDATING, Status.IMPORTING)
    FINISHED = (Status.INVALID, Status.DONE, Status.FAILED, Status.EXPIRED, Status.CANCELLED)
    # The states the uploader may cancel: before or while the file is checked or imported.
    CANCELLABLE = (*RUNNING, Status.VALIDATED)

    kind = models.CharField(max_length=40)
    file_name = models.CharField(max_length=255)
    file_size = models.PositiveBigIntegerField(default=0)
    content = models.BinaryField(null=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="import_jobs"
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    total_rows = models.PositiveIntegerField(default=0)
    rows_processed = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    # At most imports.runner.MAX_ERRORS of {"line", "column", "message"}.
    errors = models.JSONField(default=list, blank=True)
    failure = models.TextField(blank=True, help_text="Why the job failed unexpectedly")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    content_discarded_at = models.DateTimeField(null=True, blank=True)
    # The request that asked for the current step (the upload, then the confirmation):
    # a background run writes its audit events as that request's.
    request_id = models.CharField(max_length=64, blank=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    # The id of the import that wrote the records, as their audit events carry it.
    import_id = models.CharField(max_length=32, blank=True)
    # The run working on the job, and when it last said it was alive.
    run_token = models.CharField(max_length=32, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} import of {self.file_name}"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def percent_done(self) -> int:
        if not self.total_rows:
            return 100 if self.status in self.FINISHED else 0
        return min(100, round(100 * self.rows_processed / self.total_rows))

    @property
    def summary(self) -> str:
        return (
            f"created {self.created_count}, updated {self.updated_count}, "
            f"unchanged {self.unchanged_count}, skipped {self.skipped_count}"
        )

    def summary_in_words(self) -> str:
        """`3 lines created, 1 updated, 2 unchanged` (`would be created` before the import)."""
        from .kinds import UnknownKind, counted, get_kind

        try:
            noun = get_kind(self.kind).noun
        except UnknownKind:
            noun = "record"
        done = self.status == self.Status.DONE
        parts = [
            f"{counted(self.created_count, noun)} {'created' if done else 'to create'}",
            f"{self.updated_count:,} {'updated' if done else 'to update'}",
            f"{self.unchanged_count:,} unchanged",
        ]
        if self.skipped_count:
            parts.append(f"{self.skipped_count:,} skipped")
        return ", ".join(parts)

    def records_url(self) -> str:
        from django.urls import reverse

        from .kinds import UnknownKind, get_kind

        try:
            name = get_kind(self.kind).records_url_name
        except UnknownKind:
            return ""
        return reverse(name) if name else ""

    def error_lines(self) -> list[str]:
        """The problems as the command prints them, `PATH:LINE: COLUMN: message`."""
        return [RowError(**error).format(self.file_name) for error in self.errors]
