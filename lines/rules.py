"""The rules a line or an attribution must keep, stated once.

Each rule is a plain function of the values, returning the problems it finds as
`{field: message}` (empty when there are none), so that the models' `clean()` (and so
every form), the single-record services and the batch services behind the CSV
imports all refuse the same things with the same words.
"""

import datetime

from core.rules import Name, day_in_words, future_problems, name_problems, period_problems

BRAND_NAME = Name("the brand name")
COMMAND_AREAS_REQUIRED = "Select at least one destination command area"
HANDLING_CONDITIONS_REQUIRED = "Enter the conditions that apply to handling code C"
# The database's own guard on overlaps (lines/migrations/0002), and what its refusal means.
OVERLAP_CONSTRAINT = "line_number_no_overlap"
OVERLAP_JUST_RECORDED = (
    "The number has just been attributed to this line for an overlapping period, by an import "
    "or another officer. Look at the line again before you change it."
)


def line_problems(
    *,
    name: str = "",
    first_identified: datetime.date | None,
    closed_on: datetime.date | None,
    closure_type: str,
    today: datetime.date,
) -> dict[str, str]:
    problems = name_problems({"name": (BRAND_NAME, name)}) | future_problems(
        today=today,
        dates={
            "first_identified": (first_identified, "date first identified"),
            "closed_on": (closed_on, "date closed"),
        },
    )
    if closed_on and first_identified and closed_on < first_identified:
        problems["closed_on"] = (
            "The date closed must be on or after the date first identified "
            f"({day_in_words(first_identified)})"
        )
    if closure_type and not closed_on:
        problems["closure_type"] = "Only a closed line has a closure type"
    return problems


def intelligence_problems(
    *,
    intelligence_date: datetime.date | None,
    handling_code: str,
    handling_conditions: str,
    today: datetime.date,
) -> dict[str, str]:
    problems = future_problems(
        today=today, dates={"intelligence_date": (intelligence_date, "date of the intelligence")}
    )
    if handling_code == "C" and not handling_conditions.strip():
        problems["handling_conditions"] = HANDLING_CONDITIONS_REQUIRED
    return problems


def attribution_problems(
    *,
    attributed_from: datetime.date | None,
    attributed_to: datetime.date | None,
    today: datetime.date,
) -> dict[str, str]:
    problems = future_problems(
        today=today,
        dates={
            "attributed_from": (attributed_from, "date first used"),
            "attributed_to": (attributed_to, "date last used"),
        },
    )
    return (
        period_problems(
            start=attributed_from,
            end=attributed_to,
            end_field="attributed_to",
            start_label="date first used",
            end_label="date last used",
        )
        | problems
    )


def periods_overlap(
    start: datetime.date,
    end: datetime.date | None,
    other_start: datetime.date,
    other_end: datetime.date | None,
) -> bool:
    """Whether [start, end] and [other_start, other_end] share a day (an end of None: open)."""
    return (end is None or other_start <= end) and (other_end is None or other_end >= start)


def overlap_message(*, national: str, line_reference: str, attributed_from: datetime.date) -> str:
    """Why an attribution cannot be added: the number already covers part of its period."""
    return (
        f"{national} is already attributed to {line_reference} "
        f"for an overlapping period (from {day_in_words(attributed_from)})"
    )
