"""Importing a large CSV file: checked and imported by the task while its page follows.
(A small file checked, its problems read, fixed and imported is test_journeys.py's.)"""

import datetime

import pytest
from playwright.sync_api import expect

from imports.models import ImportJob
from imports.tasks import import_job_run
from lines.models import Line
from tests.imports.utils import LINES_HEADER, line_rows

from .helpers import upload

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_console_errors")]


class HeldQueue:
    """The Celery queue with no worker yet: tasks wait until the test runs them."""

    def __init__(self) -> None:
        self.job_ids: list[int] = []

    def delay(self, job_id: int) -> None:
        self.job_ids.append(job_id)

    def run_the_queued_task(self) -> None:
        job_id = self.job_ids.pop(0)
        import_job_run.apply(args=[job_id])  # in this process, as an eager task runs


@pytest.fixture
def queue(settings, monkeypatch):
    settings.IMPORT_ASYNC_ROW_THRESHOLD = 10  # a 30-row file goes through the task
    held = HeldQueue()
    monkeypatch.setattr("imports.tasks.import_job_run", held)
    return held


def test_a_large_file_is_checked_and_imported_by_the_task_while_its_page_follows(
    page, sign_in_as, intel, queue
):
    # The page polls its job every 2 seconds; time stands still until the test moves it,
    # so that the browser never asks while the task is running.
    now = datetime.datetime.now()
    page.clock.install(time=now)
    page.clock.pause_at(now)
    sign_in_as(intel)
    page.goto("/imports/")
    progress = page.locator(".app-import-progress")

    upload(page, "Lines", "big.csv", LINES_HEADER, *line_rows(30))

    expect(progress).to_contain_text("Checking the file")
    expect(progress).to_contain_text("0 of 30 rows (0%)")
    queue.run_the_queued_task()
    page.clock.run_for(2000)  # the next poll sees the check done and reloads the page

    expect(page.get_by_test_id("import-summary")).to_have_text(
        "30 lines to create, 0 to update, 0 unchanged"
    )
    expect(progress).to_have_count(0)
    page.get_by_role("button", name="Confirm import").click()

    expect(progress).to_contain_text("Importing")
    queue.run_the_queued_task()
    page.clock.run_for(2000)

    expect(page.get_by_role("heading", name="Import complete")).to_be_visible()
    expect(page.get_by_test_id("import-status")).to_have_text("Imported")
    expect(progress).to_have_count(0)
    assert ImportJob.objects.get().created_count == Line.objects.count() == 30
    assert queue.job_ids == []
