"""An upload over IMPORT_MAX_UPLOAD_BYTES is refused before its body is written to disk:
unread when its length says so, stopped at the limit otherwise; the page says why.
Only .csv files are taken, and the CSRF check still holds."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http.multipartparser import MultiPartParser
from django.test import Client
from django.urls import reverse

from imports.models import ImportJob
from imports.uploads import FORM_OVERHEAD_BYTES, body_limit_bytes

from .utils import LINES_HEADER, csv_upload, line_rows

pytestmark = pytest.mark.django_db
START = reverse("imports:start")
KB = 1024
MB = 1024 * KB


def a_file_of(size: int, name: str = "lines.csv") -> SimpleUploadedFile:
    header = LINES_HEADER + "\n"
    return SimpleUploadedFile(name, (header + "x" * (size - len(header))).encode(), "text/csv")


def assert_refused_for_its_size(response, limit_text: str) -> None:
    page = response.content.decode()
    assert response.status_code == 413
    assert "govuk-error-summary" in page
    assert f"The selected file must be smaller than {limit_text}" in page
    assert "Select what the file contains" not in page
    assert not ImportJob.objects.exists()


def test_a_body_declared_too_large_is_refused_without_being_read(
    intel_client, settings, monkeypatch
):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100 * KB

    def parse(self):
        raise AssertionError("the body of a refused upload was read")

    monkeypatch.setattr(MultiPartParser, "parse", parse)
    file = a_file_of(100 * KB + FORM_OVERHEAD_BYTES + 1)

    response = intel_client.post(START, {"kind": "lines", "file": file})

    assert_refused_for_its_size(response, "100.0\xa0KB")


def test_a_file_over_the_limit_is_stopped_before_more_than_the_limit_is_stored(
    intel_client, settings, monkeypatch
):
    """Its length is within what the form may take, so it is read: the chunks beyond the
    limit never reach the handler that writes the temporary file."""
    settings.IMPORT_MAX_UPLOAD_BYTES = 100 * KB
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every upload to a temporary file
    stored = []
    receive = TemporaryFileUploadHandler.receive_data_chunk

    def spy(self, raw_data, start):
        stored.append(len(raw_data))
        return receive(self, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", spy)

    response = intel_client.post(START, {"kind": "lines", "file": a_file_of(150 * KB)})

    assert_refused_for_its_size(response, "100.0\xa0KB")
    assert 0 < sum(stored) <= 100 * KB


def test_a_file_at_the_limit_is_taken(intel_client, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100 * KB
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0

    response = intel_client.post(START, {"kind": "lines", "file": a_file_of(100 * KB)})

    assert response.status_code == 302
    assert ImportJob.objects.get().file_size == 100 * KB


def test_the_limit_shown_and_enforced_by_default_is_20_mb(intel_client):
    page = intel_client.get(START).content.decode()

    assert "smaller than 20.0\xa0MB" in page


@pytest.mark.parametrize("name", ["lines.txt", "lines.xlsx", "lines", "lines.csv.exe"])
def test_a_file_that_is_not_a_csv_is_refused(intel_client, name):
    upload = csv_upload(LINES_HEADER, *line_rows(1), name=name)

    response = intel_client.post(START, {"kind": "lines", "file": upload})

    assert response.status_code == 200
    assert "The selected file must be a CSV" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_upload_still_demands_the_csrf_token(intel):
    client = Client(enforce_csrf_checks=True)
    client.force_login(intel)
    client.get(START)
    token = client.cookies["csrftoken"].value

    def upload(**extra):
        file = csv_upload(LINES_HEADER, *line_rows(1))
        return client.post(START, {"kind": "lines", "file": file, **extra})

    assert upload().status_code == 403
    assert not ImportJob.objects.exists()
    assert upload(csrfmiddlewaretoken=token).status_code == 302
    assert ImportJob.objects.count() == 1


def test_the_proxy_refuses_bodies_over_what_the_upload_page_takes(settings):
    """deploy/nginx.conf lets through the biggest body the page reads, and not 1 MB more."""
    config = (settings.BASE_DIR / "deploy" / "nginx.conf").read_text()
    megabytes = int(re.search(r"^\s*client_max_body_size (\d+)m;$", config, re.M)[1])

    assert body_limit_bytes() <= megabytes * MB < body_limit_bytes() + MB
