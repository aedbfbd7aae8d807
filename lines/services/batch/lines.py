"""Lines by the block: created, updated or left alone by their reference, through the
engine every kind keyed by reference shares (`records.upserts`)."""

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from accounts.models import User
from core.batch import BatchResult
from records.upserts import KeyedRecords, LinksTo, Values, upsert_by_reference

from ...models import Line
from ...rules import COMMAND_AREAS_REQUIRED, line_problems

Row = Mapping[str, Any]


def _closure_type_kept(values: Values) -> None:
    """A reopened line loses its closure type (a file holds the date, never the type)."""
    if not values["closed_on"]:
        values["closure_type"] = ""


def _line_rules(values: Values, today: datetime.date) -> dict[str, str]:
    problems = line_problems(
        name=values["name"],
        first_identified=values["first_identified"],
        closed_on=values["closed_on"],
        closure_type=values["closure_type"],
        today=today,
    )
    if not values["command_areas"]:
        problems["command_areas"] = COMMAND_AREAS_REQUIRED
    return problems


LINES = KeyedRecords(
    Line,
    # What a file sets, and the closure type its `closed_on` may clear; the rest of a
    # line (risk, summary…) is the screens', and a new line takes its defaults.
    fields=("name", "origin_force", "first_identified", "closed_on", "closure_type"),
    links=(LinksTo("command_areas", "command_areas"),),
    implied=_closure_type_kept,
    rules=_line_rules,
    label=lambda reference, values: f"{reference} {values['name']}",
    plural="lines",
)


def line_upsert_many(
    *, user: User | None, rows: Sequence[Row], audit_detail: Mapping[str, Any] | None = None
) -> BatchResult:
    """Create or update the lines of `rows`, keyed by reference.

    Each row holds `reference`, `name`, `origin_force` (a Force), `command_areas` (a list
    of CommandArea), `first_identified` and, when the file has the column, `closed_on`
    (None reopens the line, and a reopened line loses its closure type).
    """
    return upsert_by_reference(LINES, user=user, rows=rows, audit_detail=audit_detail)
