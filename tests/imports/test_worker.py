"""A big upload checked and imported by a real Celery worker, queued on commit: eager
mode would hide serialisation bugs and work done before the job row is committed."""

import pytest
from django.test import override_settings

from imports.models import ImportJob
from imports.services import import_job_confirm, import_job_create
from lines.models import Line
from tests.celery_worker import wait_until

from .utils import LINES_HEADER, csv_upload, line_rows

Status = ImportJob.Status


@pytest.mark.usefixtures("worker")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(IMPORT_ASYNC_ROW_THRESHOLD=10)
def test_a_worker_checks_and_imports_a_big_upload(intel):
    job = import_job_create(
        user=intel, kind="lines", upload=csv_upload(LINES_HEADER, *line_rows(50))
    )

    assert wait_until(lambda: ImportJob.objects.get(pk=job.pk).status == Status.VALIDATED)
    assert not Line.objects.exists()

    import_job_confirm(job=ImportJob.objects.get(pk=job.pk), user=intel)

    assert wait_until(lambda: ImportJob.objects.get(pk=job.pk).status == Status.DONE)
    job.refresh_from_db()
    assert (job.created_count, job.rows_processed, job.content) == (50, 50, None)
    assert Line.objects.count() == 50
