"""Call data files are uploaded on a page of their own, up to IMPORT_MAX_LARGE_UPLOAD_BYTES
(1 GB), kept on disk rather than in the database, with the proxy's limit for that path
to match; every other upload keeps IMPORT_MAX_UPLOAD_BYTES."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from calls.models import CallEvent
from imports.models import ImportJob
from imports.services import import_files_sweep, import_job_confirm
from imports.uploads import body_limit_bytes

from .factories import SourceFactory

pytestmark = pytest.mark.django_db
HEADER = "source,from_number,to_number,started_at,kind,duration_seconds,imei,imsi,cell_id"
LARGE = reverse("imports:start_large", args=["calls"])
KB = 1024
MB = 1024 * KB


@pytest.fixture
def limits(settings, tmp_path):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1 * KB
    settings.IMPORT_MAX_LARGE_UPLOAD_BYTES = 64 * KB
    settings.IMPORT_FILES_DIR = tmp_path / "import-files"
    settings.IMPORT_ASYNC_ROW_THRESHOLD = 10_000  # checked in the request
    return settings


def calls_file(rows: int) -> SimpleUploadedFile:
    lines = [HEADER] + [
        f"CDR-1,07700 900001,+4477009{n:05d},2026-03-02T09:00:00Z,sms,,,," for n in range(rows)
    ]
    return SimpleUploadedFile("calls.csv", ("\n".join(lines) + "\n").encode(), "text/csv")


def test_a_call_data_file_bigger_than_other_uploads_is_taken_on_its_page_and_kept_on_disk(
    intel_client, intel, limits, django_capture_on_commit_callbacks
):
    SourceFactory(reference="CDR-1")
    upload = calls_file(200)  # about 12 KB: over the ordinary limit, within the large one

    response = intel_client.post(LARGE, {"kind": "calls", "file": upload})

    assert response.status_code == 302
    job = ImportJob.objects.get()
    stored = list((limits.IMPORT_FILES_DIR).iterdir())
    assert len(stored) == 1 and stored[0].stat().st_size == upload.size == job.file_size
    assert bytes(job.content).startswith(b"\x00import-file:")  # not the file itself
    assert (job.status, job.total_rows) == (ImportJob.Status.VALIDATED, 200)

    with django_capture_on_commit_callbacks(execute=True):
        import_job_confirm(job=job, user=intel)

    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportJob.Status.DONE, 200)
    assert CallEvent.objects.count() == 200
    assert job.content is None
    assert not list(limits.IMPORT_FILES_DIR.iterdir())  # deleted once the import commits


def test_a_call_data_file_over_the_large_limit_is_refused_and_not_kept(intel_client, limits):
    response = intel_client.post(LARGE, {"kind": "calls", "file": calls_file(1_500)})

    assert response.status_code == 413
    assert "The selected file must be smaller than 64.0\xa0KB" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not limits.IMPORT_FILES_DIR.exists() or not list(limits.IMPORT_FILES_DIR.iterdir())


def test_the_ordinary_upload_page_keeps_its_limit_for_call_data_too(intel_client, limits):
    response = intel_client.post(
        reverse("imports:start"), {"kind": "calls", "file": calls_file(200)}
    )

    assert response.status_code == 413
    assert "The selected file must be smaller than 1.0\xa0KB" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_ordinary_upload_page_points_to_the_call_data_page(intel_client):
    page = intel_client.get(reverse("imports:start")).content.decode()

    assert f'href="{LARGE}"' in page


def test_only_kinds_of_large_files_have_such_a_page(intel_client):
    assert intel_client.get(reverse("imports:start_large", args=["lines"])).status_code == 404
    assert intel_client.get(reverse("imports:start_large", args=["nothing"])).status_code == 404


def test_a_file_on_disk_no_job_holds_is_swept(limits):
    import os
    import time

    limits.IMPORT_FILES_DIR.mkdir(parents=True)
    stray = limits.IMPORT_FILES_DIR / "0123.csv"
    fresh = limits.IMPORT_FILES_DIR / "4567.csv"
    stray.write_text(HEADER)
    fresh.write_text(HEADER)
    two_hours_ago = time.time() - 7200
    os.utime(stray, (two_hours_ago, two_hours_ago))

    assert import_files_sweep() == 1

    assert not stray.exists() and fresh.exists()  # an upload being stored is left alone


def test_the_proxy_lets_call_data_bodies_through_on_their_page_alone(settings):
    """deploy/nginx.conf: the call data page's location takes what the page reads, and
    not 1 MB more; everything else keeps the ordinary limit (test_upload_limits)."""
    config = (settings.BASE_DIR / "deploy" / "nginx.conf").read_text()
    location = re.search(r"location = (\S+) \{(.*?)\}", config, re.S)
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", location[2])[1])
    limit = body_limit_bytes(settings.IMPORT_MAX_LARGE_UPLOAD_BYTES)

    assert location[1] == LARGE
    assert settings.IMPORT_MAX_LARGE_UPLOAD_BYTES == 1024 * MB
    assert limit <= megabytes * MB < limit + MB
