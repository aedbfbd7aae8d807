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
