"""The upload page: who may use it, the check, the confirmation, the job page and its status."""

import csv
import io
import re

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.permissions import Capability
from audit.models import AuditEvent
from imports import kinds
from imports.kinds import Column, ImportKind
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
        for name in ("job_detail", "job_status", "job_problems", "job_confirm", "job_cancel")
    }


@pytest.fixture
def intel_job(intel):
    return ImportJob.objects.create(
        kind="lines", file_name="theirs.csv", uploaded_by=intel, status=ImportJob.Status.DONE
    )


# --- Access -------------------------------------------------------------------------------


def test_intelligence_officers_may_import(intel_client):
    response = intel_client.get(START)

    assert response.status_code == 200
    assert b'enctype="multipart/form-data"' in response.content


@pytest.mark.parametrize(
    ("role", "username"),
    [
        ("manager_client", "manager"),
        ("partner_client", "partner"),
        ("partner2_client", "partner2"),
        # Administrators see no intelligence, so they may not write it either.
        ("administrator_client", "admin"),
    ],
)
def test_others_are_refused_and_the_refusal_audited(request, role, username, intel_job):
    client = request.getfixturevalue(role)

    for url in [START, *job_urls(intel_job).values()]:
        method = client.post if url.endswith(("confirm/", "cancel/")) else client.get
        assert method(url).status_code == 403, url

    assert denials_of(username).count() == 6


def test_anonymous_users_are_sent_to_sign_in(intel_job):
    client = Client()
    for url in [START, *job_urls(intel_job).values()]:
        assert redirects_to_sign_in(client.get(url)), url


@pytest.fixture
def other_officer(django_user_model):
    client = Client()
    client.force_login(
        django_user_model.objects.create(username="other", role="intelligence_officer")
    )
    return client


def test_a_check_report_is_seen_by_whoever_may_import_its_kind_but_only_the_uploader_acts(
    intel_client, other_officer
):
    upload(intel_client, LINES_HEADER, *line_rows(2), name="theirs.csv")
    job = ImportJob.objects.get()

    page = other_officer.get(job_urls(job)["job_detail"]).content.decode()
    assert "theirs.csv" in page
    assert "Confirm import" not in page and "Do not import it" not in page
    confirmed = other_officer.post(job_urls(job)["job_confirm"], follow=True)
    cancelled = other_officer.post(job_urls(job)["job_cancel"], follow=True)

    assert "Only the person who uploaded this file can import it." in confirmed.content.decode()
    assert "Only the person who uploaded this file can cancel it." in cancelled.content.decode()
    assert ImportJob.objects.get().status == ImportJob.Status.VALIDATED
    assert not Line.objects.exists()


class SafeguardingOnlyImport(ImportKind):
    """A kind an intelligence officer may not import (made up for the test)."""

    name = "test_audit_only"
    title = "Audit only"
    key = ("reference",)
    capability = Capability.VIEW_AUDIT_LOG
    columns = (Column("reference", required=True),)


def test_a_job_of_a_kind_the_user_may_not_import_is_not_found(monkeypatch, manager, other_officer):
    monkeypatch.setitem(kinds._REGISTRY, SafeguardingOnlyImport.name, SafeguardingOnlyImport)
    job = ImportJob.objects.create(
        kind=SafeguardingOnlyImport.name, file_name="x.csv", uploaded_by=manager
    )

    for url in job_urls(job).values():
        method = other_officer.post if url.endswith(("confirm/", "cancel/")) else other_officer.get
        assert method(url).status_code == 404, url
    assert denials_of("other").filter(object_id=str(job.pk)).count() == 5
    assert SafeguardingOnlyImport.title not in other_officer.get(START).content.decode()


def test_only_the_kinds_the_user_may_import_are_offered_or_accepted(monkeypatch, intel_client):
    monkeypatch.setitem(kinds._REGISTRY, SafeguardingOnlyImport.name, SafeguardingOnlyImport)

    form = intel_client.get(START).context["form"]
    response = upload(intel_client, "reference", "R1", kind=SafeguardingOnlyImport.name)

    assert [name for name, _title in form.fields["kind"].choices] == [
        "lines",
        "line_numbers",
        "calls",
        "persons",
        "arrests",
        "charges",
        "sentences",
        "seizures",
        "referrals",
        "police-uk",
        "deaths",
    ]
    assert "Select a valid choice" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_import_jobs_cannot_be_deleted_in_the_admin_site(intel_job, rf):
    request = rf.get("/")
    request.user = type(
        "Superuser", (), {"is_active": True, "is_staff": True, "is_superuser": True}
    )()
    job_admin = admin.site._registry[ImportJob]

    assert not job_admin.has_delete_permission(request, intel_job)
    assert not job_admin.has_change_permission(request, intel_job)


# --- Cancelling ---------------------------------------------------------------------------


def test_the_uploader_cancels_a_checked_file_and_it_is_forgotten(intel_client):
    upload(intel_client, LINES_HEADER, *line_rows(2))
    job = ImportJob.objects.get()

    response = intel_client.post(job_urls(job)["job_cancel"], follow=True)

    job.refresh_from_db()
    assert (job.status, job.content) == (ImportJob.Status.CANCELLED, None)
    assert "The import was cancelled. Nothing was imported." in response.content.decode()
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE, object_type="imports.importjob")
    assert event.detail == {"changes": {"status": ["validated", "cancelled"]}}
    assert intel_client.post(job_urls(job)["job_confirm"]).status_code == 302
    assert not Line.objects.exists()


def test_a_finished_import_cannot_be_cancelled(intel_client, intel_job):
    response = intel_client.post(job_urls(intel_job)["job_cancel"], follow=True)

    assert "This import has already finished, so it cannot be cancelled." in (
        response.content.decode()
    )
    intel_job.refresh_from_db()
    assert intel_job.status == ImportJob.Status.DONE


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
    assert "3 lines to create, 0 to update, 0 unchanged" in page
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
    done = intel_client.get(response.url).content.decode()
    assert "Import complete" in done
    assert done.count("3 lines created, 0 updated, 0 unchanged") == 1  # said once
    assert 'href="/lines/" data-testid="imported-records"' in done


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
    assert '<a href="#problems">2 problems, row by row</a>' in page
    rows = re.findall(
        r'<td class="govuk-table__cell govuk-table__cell--numeric">(\d+)</td>\s*'
        r"<td class=\"govuk-table__cell\"><code>([^<]+)</code></td>\s*"
        r'<td class="govuk-table__cell app-break-words">([^<]+)</td>',
        page,
    )
    assert [(line, column) for line, column, _message in rows] == [
        ("2", "origin_force"),
        ("3", "first_identified"),
    ]
    assert rows[1][2] == "“2021-02-30” is not a real date."
    assert "Confirm import" not in page
    assert job_urls(job)["job_problems"] in page


def test_the_problems_download_as_csv_row_column_message_and_the_download_is_audited(
    intel_client, other_officer
):
    upload(
        intel_client,
        LINES_HEADER,
        "L1,Dolla,Nowhere,York,2021-03-01,",
        "L2,Blade,Merseyside,York,2021-02-30,2021-01-01",
        name="april.csv",
    )
    job = ImportJob.objects.get()

    # Whoever may see the check report may download it (another officer may import lines).
    response = other_officer.get(job_urls(job)["job_problems"])

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="problems-april-OFFICIAL-SENSITIVE-' in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["row", "column", "message"]
    assert [row[:2] for row in rows[1:]] == [["2", "origin_force"], ["3", "first_identified"]]
    assert rows[1][2].startswith("Unknown force “Nowhere”.")
    assert rows[2][2] == "“2021-02-30” is not a real date."
    event = AuditEvent.objects.get(action="export", object_id=str(job.pk))
    assert event.username == "other"
    assert event.object_type == "imports.importjob"
    assert event.detail["problems"] == 2


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
