"""What the analysis commands share (number_profile, common_contacts,
successor_candidates, interfaces.md §6): reading their arguments with a clear message
naming what is wrong, printing JSON, and the consultation on the audit log naming the
command and the operating-system user."""

import datetime
import json
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, OutputWrapper
from django.utils import timezone

from core.rules import EARLIEST_DATE, latest_date
from lines.phone import normalise_number

from ..consultation import call_data_consulted


def date_argument(option: str, text: str | None) -> datetime.date | None:
    if text is None:
        return None
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option}: “{text}” is not a date in the form YYYY-MM-DD.") from None
    # The screens' bounds on any date (core.rules): a day beyond them is a typing mistake,
    # and the day after 9999-12-31 could not be reckoned.
    latest = latest_date(timezone.localdate())
    if not EARLIEST_DATE <= day <= latest:
        raise CommandError(f"{option}: {day} is not between {EARLIEST_DATE} and {latest}.")
    return day


def period_arguments(
    start: str | None, end: str | None
) -> tuple[datetime.date | None, datetime.date | None]:
    first, last = date_argument("--start", start), date_argument("--end", end)
    if first is not None and last is not None and last < first:
        raise CommandError(f"--end: {last} is before --start {first}.")
    return first, last


def number_argument(where: str, text: str) -> str:
    """The subscriber number `text` in E.164, or a CommandError naming the argument."""
    try:
        return normalise_number(text)
    except ValidationError as error:
        raise CommandError(f"{where}: {error.messages[0]}") from None


def utc_iso(moment: datetime.datetime | None) -> str | None:
    """ISO 8601 in UTC with `Z`."""
    if moment is None:
        return None
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def json_write(stdout: OutputWrapper, value: Any) -> None:
    stdout.write(json.dumps(value, ensure_ascii=False, indent=2))


def consulted(command: str, analysis: str, numbers: Sequence[str], **detail: Any) -> None:
    call_data_consulted(
        user=None,
        analysis=analysis,
        numbers=numbers,
        detail={name: value for name, value in detail.items() if value is not None},
        via=f"manage.py {command}",
    )
