"""Importing a CSV file: check it, see what it would do, confirm; or see its problems."""

import datetime

import pytest
from playwright.sync_api import expect

from imports.models import ImportJob
from imports.tasks import import_job_run
from lines.models import Line
from tests.imports.utils import LINES_HEADER, line_rows

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_console_errors")]


def upload(page, name: str, *lines: str) -> None:
    """Chooses "Lines", attaches the file `name` made of `lines` and asks for the check."""
    page.get_by_label("Lines", exact=True).check()
    page.get_by_label("Upload a CSV file").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": ("\n".join(lines) + "\n").encode()}
    )
    page.get_by_role("button", name="Check file").click()


def test_a_checked_file_is_imported_once_confirmed(page, sign_in_as, intel):
    sign_in_as(intel)
    navigation = page.get_by_role("navigation", name="Primary navigation")
    navigation.get_by_role("link", name="Import data").click()

    upload(
        page,
        "lines.csv",
        LINES_HEADER,
        "CL-2024-201,Dolla,Merseyside Police,York;Selby,2024-01-15,",
        "CL-2024-202,Bando,West Midlands,Harrogate,2024-02-01,",
        "CL-2024-203,Tiny,Liverpool,York,2024-02-20,2024-03-01",
    )

    expect(page.get_by_role("heading", name="lines.csv")).to_be_visible()
    expect(page.get_by_test_id("import-status")).to_have_text("Checked, waiting for confirmation")
    expect(page.get_by_test_id("import-summary")).to_have_text(
        "3 lines to create, 0 to update, 0 unchanged"
    )
    expect(page.get_by_text("Nothing has been written yet.")).to_be_visible()
    assert not Line.objects.exists()

    page.get_by_role("button", name="Confirm import").click()

    expect(page.get_by_role("heading", name="Import complete")).to_be_visible()
    expect(page.get_by_test_id("import-summary")).to_have_text(
        "3 lines created, 0 updated, 0 unchanged"
    )
    navigation.get_by_role("link", name="County lines").click()
    expect(page.get_by_test_id("list-count")).to_have_text("3 lines")


def test_an_invalid_file_lists_its_problems_and_nothing_is_written(page, sign_in_as, intel):
    sign_in_as(intel)
    page.goto("/imports/")

    upload(
        page,
        "lines.csv",
        LINES_HEADER,
        "CL-2024-201,Dolla,Nowhere,York,2024-01-15,",
        "CL-2024-202,Bando,Merseyside Police,York,2024-02-30,",
        "CL-2024-203,Tiny,Merseyside Police,York,2024-02-20,",
    )

    problems = page.get_by_test_id("import-errors")
    expect(problems).to_be_focused()  # a GOV.UK error summary
    expect(problems).to_contain_text("There are problems with lines.csv")
    expect(problems).to_contain_text("Nothing was imported.")
    expect(problems.get_by_role("listitem")).to_have_text(["2 problems, row by row"])
    table = page.get_by_test_id("import-problems")
    expect(table.get_by_role("row")).to_have_count(3)  # the header and two problems
    expect(table).to_contain_text("Unknown force “Nowhere”.")
    expect(table).to_contain_text("“2024-02-30” is not a real date.")
    expect(page.get_by_test_id("import-status")).to_have_text("Problems found")
    expect(page.get_by_role("button", name="Confirm import")).to_have_count(0)
    assert not Line.objects.exists()


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

    upload(page, "big.csv", LINES_HEADER, *line_rows(30))

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
