"""Lines by the block: created, updated or left alone by their reference."""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from audit.changes import changes
from audit.services import Action, AuditEntry, audit_events_record_many
from core.batch import BatchResult, Outcome, RecordsChanged
from core.bulk import insert_rows, update_rows
from core.references import reference_key

from ...models import Line
from ...rules import (
    COMMAND_AREAS_REQUIRED,
    line_problems,
)

Row = Mapping[str, Any]
LINE_TYPE = Line._meta.label_lower


@dataclass(eq=False)
class _LineState:
    """A line as the block leaves it: loaded from the database or created by a row."""

    pk: int | None
    reference: str
    name: str
    origin_force_id: int
    origin_force_name: str
    first_identified: datetime.date
    closed_on: datetime.date | None
    closure_type: str
    area_ids: frozenset[int]
    area_names: tuple[str, ...]
    version: int = 1  # as read, for the optimistic update (records.versions)

    @property
    def values(self) -> tuple:
        return (
            self.name,
            self.origin_force_id,
            self.first_identified,
            self.closed_on,
            self.closure_type,
        )

    def display(self) -> dict[str, Any]:
        """Its fields as the audit log records them (audit.changes)."""
        return {
            "name": self.name,
            "origin_force": self.origin_force_name,
            "command_areas": self.area_names,
            "first_identified": self.first_identified,
            "closed_on": self.closed_on,
            "closure_type": self.closure_type,
        }

    @property
    def label(self) -> str:
        return f"{self.reference} {self.name}"


_LINE_UPDATED_FIELDS = ("name", "origin_force", "first_identified", "closed_on", "closure_type")


def line_upsert_many(
    *, user, rows: Sequence[Row], audit_detail: Mapping[str, Any] | None = None
) -> BatchResult:
    """Create or update the lines of `rows`, keyed by reference.

    Each row holds `reference`, `name`, `origin_force` (a Force), `command_areas` (a list
    of CommandArea), `first_identified` and, when the file has the column, `closed_on`
    (None reopens the line, and a reopened line loses its closure type).
    """
    result = BatchResult(size=len(rows))
    today = timezone.localdate()  # once a block, not a row
    states = _lines_by_key({reference_key(row["reference"]) for row in rows})
    created: list[_LineState] = []
    changed: dict[int, _LineState] = {}  # by pk: existing lines whose fields changed
    areas_changed: dict[int, _LineState] = {}
    audits: list[tuple[str, _LineState, dict]] = []

    for index, row in enumerate(rows):
        key = reference_key(row["reference"])
        state = states.get(key)
        if "closed_on" in row:
            closed_on = row["closed_on"]
        else:
            closed_on = state.closed_on if state is not None else None
        closure_type = state.closure_type if state is not None and closed_on else ""
        problems = line_problems(
            name=row["name"],
            first_identified=row["first_identified"],
            closed_on=closed_on,
            closure_type=closure_type,
            today=today,
        )
        if not row["command_areas"]:
            problems["command_areas"] = COMMAND_AREAS_REQUIRED
        if problems:
            result.refuse_all(index, problems)
            continue
        force, areas = row["origin_force"], row["command_areas"]
        proposed = _LineState(
            pk=None,
            reference=row["reference"],
            name=row["name"],
            origin_force_id=force.pk,
            origin_force_name=force.name,
            first_identified=row["first_identified"],
            closed_on=closed_on,
            closure_type=closure_type,
            area_ids=frozenset(area.pk for area in areas),
            area_names=tuple(sorted(area.name for area in areas)),
        )
        if state is None:
            states[key] = proposed
            created.append(proposed)
            audits.append((Action.CREATE, proposed, {}))
            result.record(index, Outcome.CREATED)
            continue
        if proposed.values == state.values and proposed.area_ids == state.area_ids:
            result.record(index, Outcome.UNCHANGED)
            continue
        difference = changes(state.display(), proposed.display())
        if state.pk is not None:
            changed[state.pk] = state  # its version goes up, whatever changed
            if proposed.area_ids != state.area_ids:
                areas_changed[state.pk] = state
        for name in ("name", "origin_force_id", "origin_force_name", "first_identified"):
            setattr(state, name, getattr(proposed, name))
        state.closed_on, state.closure_type = proposed.closed_on, proposed.closure_type
        state.area_ids, state.area_names = proposed.area_ids, proposed.area_names
        audits.append((Action.UPDATE, state, {"changes": difference}))
        result.record(index, Outcome.UPDATED)

    _write_lines(created, list(changed.values()), list(areas_changed.values()))
    for action, state, extra in audits:
        if action == Action.UPDATE:
            extra["version"] = state.version
    audit_events_record_many(
        user=user,
        shared_detail=audit_detail,
        entries=(
            AuditEntry(action, LINE_TYPE, state.pk, state.label, extra)
            for action, state, extra in audits
        ),
    )
    return result


def _lines_by_key(keys: set[str]) -> dict[str, _LineState]:
    """The stored lines with these reference keys, with their command areas, by key."""
    lines = (
        Line.objects.filter(reference_key__any=keys)
        .order_by()
        .values_list(
            "pk",
            "reference",
            "name",
            "origin_force_id",
            "origin_force__name",
            "first_identified",
            "closed_on",
            "closure_type",
            "version",
        )
    )
    states = {
        reference_key(reference): _LineState(
            pk,
            reference,
            name,
            force_id,
            force_name,
            identified,
            closed,
            closure,
            frozenset(),
            (),
            version,
        )
        for pk, reference, name, force_id, force_name, identified, closed, closure, version in lines
    }
    if not states:
        return states
    by_pk = {state.pk: state for state in states.values()}
    areas: dict[int, list[tuple[int, str]]] = {}
    through = Line.command_areas.through.objects.filter(line_id__any=by_pk)
    for line_id, area_id, area_name in through.values_list(
        "line_id", "commandarea_id", "commandarea__name"
    ):
        areas.setdefault(line_id, []).append((area_id, area_name))
    for line_id, line_areas in areas.items():
        state = by_pk[line_id]
        state.area_ids = frozenset(area_id for area_id, _name in line_areas)
        state.area_names = tuple(sorted(name for _id, name in line_areas))
    return states


def _write_lines(
    created: list[_LineState], changed: list[_LineState], areas_changed: list[_LineState]
) -> None:
    # The fields a file does not hold (risk, summary...) take their defaults.
    ids = insert_rows(
        Line,
        ("reference", "reference_key", *_LINE_UPDATED_FIELDS),
        [(state.reference, reference_key(state.reference), *state.values) for state in created],
        returning_ids=True,
    )
    for state, pk in zip(created, ids, strict=True):
        state.pk = pk
    updated = update_rows(
        Line,
        (*_LINE_UPDATED_FIELDS, "version"),
        [(state.pk, state.version, *state.values, state.version + 1) for state in changed],
        expected=("version",),
    )
    if updated != len(changed):
        raise RecordsChanged(
            "Some of these lines were changed by someone else while the file was being imported."
        )
    for state in changed:
        state.version += 1
    through = Line.command_areas.through
    if areas_changed:
        through.objects.filter(line_id__any=[state.pk for state in areas_changed]).delete()
    insert_rows(
        through,
        ("line", "commandarea"),
        [(state.pk, area) for state in (*created, *areas_changed) for area in state.area_ids],
    )
