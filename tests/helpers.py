"""Small helpers shared by the tests."""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

from audit.models import AuditEvent

# The role fixtures of tests/conftest.py; each has a signed-in `<role>_client` too.
ROLES = ["intel", "manager", "partner", "partner2", "administrator"]


def sign_in_url() -> str:
    return reverse("accounts:login")


def redirects_to_sign_in(response) -> bool:
    return response.status_code == 302 and urlsplit(response.url).path == sign_in_url()


def next_param(url: str) -> str | None:
    return parse_qs(urlsplit(url).query).get("next", [None])[0]


def denials_of(username: str):
    return AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS_DENIED, username=username)


def script_tags(html: str) -> list[str]:
    return re.findall(r"<script\b[^>]*>", html, flags=re.IGNORECASE)


def text(response) -> str:
    return response.content.decode()


def stored_values(event: AuditEvent) -> dict:
    """Every column of an audit event (model_to_dict skips them: they are not editable)."""
    return {field.attname: getattr(event, field.attname) for field in event._meta.concrete_fields}


DATE_PARTS = ("day", "month", "year")


def date_parts(value: datetime.date | str | tuple | None) -> tuple[str, str, str]:
    """What is typed in a GOV.UK date input's day, month and year boxes: from a date, an
    ISO date ("2024-03-01" -> "1", "3", "2024"), the three texts as they are, or None
    (all empty)."""
    if value is None or value == "":
        return ("", "", "")
    if isinstance(value, tuple):
        return value
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return (str(value.day), str(value.month), str(value.year))


def date_fields(name: str, value: datetime.date | str | tuple | None) -> dict[str, str]:
    """The form data of the date input `name`: {"<name>-day": …, "-month": …, "-year": …}."""
    return {
        f"{name}-{part}": text for part, text in zip(DATE_PARTS, date_parts(value), strict=True)
    }


def fill_date(scope, legend: str, value: datetime.date | str | tuple) -> None:
    """Types a date into the three boxes of the date input whose legend is `legend`
    (Playwright; `scope` is the page or a locator)."""
    group = scope.get_by_role("group", name=legend)
    for label, text in zip(("Day", "Month", "Year"), date_parts(value), strict=True):
        group.get_by_label(label, exact=True).fill(text)


def run_python(args: list[str], *, environment: dict[str, str]):
    """This interpreter run with `args` in the project's folder and `environment` (a
    subprocess.CompletedProcess, its output captured as text): a server or worker started
    as the deployment starts it."""
    import subprocess
    import sys

    from django.conf import settings

    return subprocess.run(  # noqa: S603  (our own interpreter, fixed arguments)
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
