import datetime
import importlib
import os

import pytest
from django.apps import apps
from playwright.sync_api import expect

from accounts.models import Agency
from panel.models import RecordedDrugOffence
from reference.models import Force
from tests.lines.factories import LineFactory, command_area

from .helpers import sign_in_by_cookie

# live_server + Playwright's sync API: Playwright runs an event loop in the main thread,
# which makes Django refuse database access from test code without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # The system's Chromium: Playwright never downloads a browser here.
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(autouse=True)
def agencies(transactional_db):
    """The reference data of the data migrations (agencies, forces, command areas, drugs),
    loaded again: live-server tests commit, so each ends with a flush that empties every
    table. (serialized_rollback would do this, but Playwright's greenlets hide the
    connection that holds the serialized data.)"""
    agencies = importlib.import_module("accounts.migrations.0002_agencies").AGENCIES
    codes = importlib.import_module("accounts.migrations.0004_agency_code").CODES
    for name, kind in agencies:  # as 0002 made them, with the codes 0004 gave them
        Agency.objects.get_or_create(name=name, defaults={"kind": kind, "code": codes[name]})
    importlib.import_module("reference.migrations.0002_reference_data").create_reference_data(
        apps, None
    )


@pytest.fixture(scope="session")
def base_url(live_server):
    # Replaces pytest-playwright's fallback fixture (an instance method, which pytest 9
    # deprecates with a warning, an error here), and points pages at the live server.
    return live_server.url


@pytest.fixture
def console_errors(page):
    """Errors the page reports: JavaScript exceptions, CSP violations, failed loads."""
    errors = []

    def on_console(message):
        if message.type == "error":
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.fixture
def no_console_errors(page, console_errors):
    """Fails the test if any page it visited reported an error (JavaScript exception, CSP
    violation, failed load). Modules opt in with `pytest.mark.usefixtures`; a test that
    expects an error removes it from `console_errors`."""
    yield
    page.wait_for_load_state()  # the last page's scripts have run, its messages arrived
    assert console_errors == [], "\n".join(console_errors)


@pytest.fixture
def sign_in_as(page, live_server):
    """`sign_in_as(user)`: signs the page's browser in (helpers.sign_in_by_cookie) and
    opens the home page, which names the user."""

    def sign_in_as(user) -> None:
        sign_in_by_cookie(page.context, user, live_server.url)
        page.goto("/")
        expect(page.get_by_test_id("signed-in-user")).to_contain_text(user.get_full_name())

    return sign_in_as


@pytest.fixture
def figures(db):
    """2021's drug offences (n in month n) and three lines, one per command area."""
    force = Force.objects.get(name="North Yorkshire Police")
    for month in range(1, 13):
        for n in range(month):
            RecordedDrugOffence.objects.create(
                reference=f"C-{month}-{n}",
                month=datetime.date(2021, month, 1),
                reported_by=force,
                falls_within=force,
            )
    for n, area in enumerate(["York", "Harrogate", "Scarborough"]):
        LineFactory(
            first_identified=datetime.date(2021, 2 + n, 1), command_areas=[command_area(area)]
        )
