"""The upload page: who may use it, the check, the confirmation, the job page and its status."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from imports.models import ImportJob
from lines.models import Line
from tests.helpers import denials_of, redirects_to_sign_in, script_tags

from .utils import LINES_HEADER, csv_upload, line_rows

pytestmark = pytest.mark.django_db

START = reverse("imports:start")


def upload(client, *lines: str, kind: str = "lines", name: str = "lines.csv"):
    return client.post(START, {"kind": kind, "file": csv_upload(*lines, name=name)})


def job_urls(job: ImportJob) -> dict[str, str]:
    return {
        name: reverse(f"imports:{name}", args=[job.pk])
        for name in ("job_detail", "job_status", "job_confirm")
    }


@pytest.fixture
def intel_job(intel):
    return ImportJob.objects.create(
        kind="lines", file_name="theirs.csv", uploaded_by=intel, status=ImportJob.Status.DONE
    )


# --- Access -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["intel_client", "administrator_client"])
def test_officers_and_administrators_may_import(request, role):
    response = request.getfixturevalue(role).get(START)

    assert response.status_code == 200
    assert b'enctype="multipart/form-data"' in response.content


@pytest.mark.parametrize(
    ("role", "username"),
    [("manager_client", "manager"), ("partner_client", "partner"), ("partner2_client", "partner2")],
)
def test_others_are_refused_and_the_refusal_audited(request, role, username, intel_job):
    client = request.getfixturevalue(role)

    for url in [START, *job_urls(intel_job).values()]:
        method = client.post if url.endswith("confirm/") else client.get
        assert method(url).status_code == 403, url

    assert denials_of(username).count() == 4


def test_anonymous_users_are_sent_to_sign_in(intel_job):
    client = Client()
    for url in [START, *job_urls(intel_job).values()]:
        assert redirects_to_sign_in(client.get(url)), url


def test_another_officers_job_is_not_found(intel_job, django_user_model):
    other = Client()
    other.force_login(
        django_user_model.objects.create(username="other", role="intelligence_officer")
    )

    for url in job_urls(intel_job).values():
        method = other.post if url.endswith("confirm/") else other.get
        assert method(url).status_code == 404, url
    assert denials_of("other").filter(object_id=str(intel_job.pk)).count() == 3


def test_administrators_see_every_job_but_only_the_uploader_confirms(
    administrator_client, intel_client
):
    upload(intel_client, LINES_HEADER, *line_rows(2), name="theirs.csv")
    job = ImportJob.objects.get()

    page = administrator_client.get(job_urls(job)["job_detail"]).content.decode()
    assert "theirs.csv" in page
    assert "Confirm import" not in page
    response = administrator_client.post(job_urls(job)["job_confirm"], follow=True)

    assert "Only the person who uploaded this file can import it." in response.content.decode()
    assert ImportJob.objects.get().status == ImportJob.Status.VALIDATED
    assert not Line.objects.exists()


# --- Upload, check, confirm ---------------------------------------------------------------


def test_upload_is_checked_and_waits_for_confirmation(intel_client, intel):
    response = upload(intel_client, LINES_HEADER, *line_rows(3))

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == job_urls(job)["job_detail"]
    assert (job.status, job.uploaded_by, job.total_rows) == ("validated", intel, 3)
    assert job.content is not None
    assert not Line.objects.exists()

    page = intel_client.get(response.url).content.decode()
    assert "created 3, updated 0, unchanged 0, skipped 0" in page
    assert "Confirm import" in page


def test_confirm_imports_the_file_and_deletes_the_upload(intel_client, intel):
    upload(intel_client, LINES_HEADER, *line_rows(3))
    job = ImportJob.objects.get()

    response = intel_client.post(job_urls(job)["job_confirm"])

    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert (job.created_count, job.rows_processed) == (3, 3)
    assert job.content is None and job.content_discarded_at is not None
    assert Line.objects.count() == 3
    event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert event.user == intel
    assert event.detail["import_job"] == job.pk and event.detail["created"] == 3
    assert "Import complete" in intel_client.get(response.url).content.decode()


def test_a_job_is_confirmed_only_once(intel_client):
    upload(intel_client, LINES_HEADER, *line_rows(2))
    job = ImportJob.objects.get()
    intel_client.post(job_urls(job)["job_confirm"])

    response = intel_client.post(job_urls(job)["job_confirm"], follow=True)

    assert "This file is not waiting for confirmation." in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).count() == 1


def test_problems_are_listed_in_an_error_summary_and_nothing_is_kept(intel_client):
    upload(
        intel_client,
        LINES_HEADER,
        "L1,Dolla,Nowhere,York,2021-03-01,",
        "L2,Blade,Merseyside,York,2021-02-30,",
        name="april.csv",
    )

    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.INVALID
    assert job.content is None
    page = intel_client.get(job_urls(job)["job_detail"]).content.decode()
    assert "govuk-error-summary" in page
    assert "There are problems with april.csv" in page
    assert "april.csv:2: origin_force: Unknown force “Nowhere”." in page
    assert "april.csv:3: first_identified: “2021-02-30” is not a real date." in page
    assert "Confirm import" not in page


def test_a_file_that_is_not_utf8_is_reported(intel_client):
    intel_client.post(
        START,
        {"kind": "lines", "file": SimpleUploadedFile("x.csv", "réf\n".encode("latin-1"))},
    )

    job = ImportJob.objects.get()
    assert job.error_lines()[0].startswith("x.csv:1: (file): The file is not UTF-8")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select what the file contains"),
        ({"kind": "lines"}, "Select a CSV file"),
        ({"kind": "lines", "file": SimpleUploadedFile("e.csv", b"")}, "The selected file is empty"),
        ({"kind": "nonsense", "file": SimpleUploadedFile("e.csv", b"a")}, "Select a valid choice"),
    ],
)
def test_form_errors(intel_client, data, message):
    response = intel_client.post(START, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_file_over_the_size_limit_is_refused(intel_client, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100

    response = upload(intel_client, LINES_HEADER, *line_rows(5))

    assert "The selected file must be smaller than 100" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_start_page_lists_each_kinds_columns_and_recent_jobs(intel_client, intel_job):
    page = intel_client.get(START).content.decode()

    assert "<strong>origin_force</strong>" in page
    assert "<strong>attributed_from</strong>" in page
    assert "theirs.csv" in page


# --- Big files: the background task, progress and status ------------------------------------


@pytest.fixture
def small_threshold(settings):
    settings.IMPORT_ASYNC_ROW_THRESHOLD = 2


def test_a_big_file_is_checked_and_imported_by_the_task(
    intel_client, small_threshold, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        upload(intel_client, LINES_HEADER, *line_rows(5))
    job = ImportJob.objects.get()
    assert (job.status, job.total_rows, len(queued)) == ("pending", 5, 1)

    page = intel_client.get(job_urls(job)["job_detail"]).content.decode()
    assert "<progress" in page and "0 of 5 rows" in page
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert any("js/import-progress.js" in tag for tag in script_tags(page))
    assert all("src=" in tag for tag in script_tags(page)), "no inline scripts (CSP)"

    queued[0]()  # the eager Celery task
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATED

    with django_capture_on_commit_callbacks(execute=True):
        intel_client.post(job_urls(job)["job_confirm"])
    job.refresh_from_db()
    assert (job.status, job.created_count, job.rows_processed) == ("done", 5, 5)
    assert Line.objects.count() == 5


def test_status_endpoint(intel_client, intel):
    job = ImportJob.objects.create(
        kind="lines",
        file_name="big.csv",
        uploaded_by=intel,
        status=ImportJob.Status.IMPORTING,
        total_rows=4000,
        rows_processed=1000,
    )

    response = intel_client.get(job_urls(job)["job_status"])

    assert response.status_code == 200
    assert response.json() == {
        "status": "importing",
        "status_label": "Importing",
        "running": True,
        "rows_processed": 1000,
        "total_rows": 4000,
        "percent": 25,
        "url": job_urls(job)["job_detail"],
    }


def test_finished_job_page_has_no_polling(intel_client, intel_job):
    page = intel_client.get(job_urls(intel_job)["job_detail"]).content.decode()

    assert "import-progress.js" not in page
    assert "http-equiv" not in page
