"""Rules every kind of record shares, worded once (each app's `rules` module builds on them)."""

import datetime

from django.utils.dateformat import format as format_date


def day_in_words(day: datetime.date) -> str:
    """`1 March 2021`, as messages quote a date."""
    return format_date(day, "j F Y")


def period_problems(
    *,
    start: datetime.date | None,
    end: datetime.date | None,
    end_field: str,
    start_label: str,
    end_label: str,
) -> dict[str, str]:
    """A period ends on or after its start: `The date last used must be on or after the
    date first used (1 March 2021)`. An open period (no end) always keeps the rule."""
    if start and end and end < start:
        return {
            end_field: f"The {end_label} must be on or after the {start_label} "
            f"({day_in_words(start)})"
        }
    return {}


# No record of the service is dated before this, nor more than this many years ahead (a
# review date): a year outside is a typing mistake (0201 for 2021), in a form or a file.
EARLIEST_DATE = datetime.date(1900, 1, 1)
YEARS_AHEAD = 30


def latest_date(today: datetime.date) -> datetime.date:
    return datetime.date(today.year + YEARS_AHEAD, 12, 31)


def future_problems(
    *, today: datetime.date, dates: dict[str, tuple[datetime.date | None, str]]
) -> dict[str, str]:
    """What has happened cannot be dated after today: `dates` maps each field to its
    value and its name in a sentence (`{"closed_on": (day, "date closed")}`)."""
    return {
        name: f"The {label} must be today or in the past"
        for name, (day, label) in dates.items()
        if day is not None and day > today
    }
