"""Writes to lines, numbers and intelligence. Views, imports and tasks all come here,
so every path validates, audits and keeps the same rules."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from audit.services import Action, audit_event_record
from reference.models import CommandArea, Force

from .models import ClosureType, IntelligenceEntry, Line, LineNumber, PhoneNumber
from .phone import normalise_number

LINE_FIELDS = (
    "name",
    "origin_force",
    "first_identified",
    "closed_on",
    "closure_type",
    "risk_level",
    "summary",
    "next_review_on",
)


@transaction.atomic
def line_create(
    *,
    user,
    reference: str,
    name: str,
    origin_force: Force,
    command_areas: Iterable[CommandArea],
    first_identified: datetime.date,
    closed_on: datetime.date | None = None,
    closure_type: str = "",
    risk_level: str = "",
    summary: str = "",
    next_review_on: datetime.date | None = None,
) -> Line:
    areas = list(command_areas)
    line = Line(
        reference=reference.strip(),
        name=name.strip(),
        origin_force=origin_force,
        first_identified=first_identified,
        closed_on=closed_on,
        closure_type=closure_type,
        risk_level=risk_level,
        summary=summary,
        next_review_on=next_review_on,
    )
    _require_command_areas(areas)
    # Line.clean() checks what the check constraints do, with clearer messages, and the
    # database enforces them on save; validating them again costs a query and a savepoint
    # each, and halves the speed of a large import.
    line.full_clean(validate_constraints=False)
    line.save()
    line.command_areas.set(areas)
    audit_event_record(action=Action.CREATE, user=user, obj=line)
    return line


@transaction.atomic
def line_update(
    *, line: Line, user, command_areas: Iterable[CommandArea] | None = None, **fields
) -> tuple[Line, bool]:
    """Changes the given fields; returns the line and whether anything changed."""
    unknown = set(fields) - set(LINE_FIELDS)
    if unknown:
        raise TypeError(f"line_update() got unexpected fields {sorted(unknown)}")
    changed = [name for name, value in fields.items() if getattr(line, name) != value]
    for name in changed:
        setattr(line, name, fields[name])
    areas_changed = False
    if command_areas is not None:
        areas = list(command_areas)
        _require_command_areas(areas)
        areas_changed = {a.pk for a in areas} != set(
            line.command_areas.values_list("pk", flat=True)
        )
    if not changed and not areas_changed:
        return line, False
    line.full_clean(validate_constraints=False)  # constraints: see line_create
    line.save()
    if areas_changed:
        line.command_areas.set(areas)
        changed.append("command_areas")
    audit_event_record(action=Action.UPDATE, user=user, obj=line, detail={"fields": changed})
    return line, True


def line_close(*, line: Line, user, closed_on: datetime.date, closure_type: ClosureType) -> Line:
    line, _ = line_update(line=line, user=user, closed_on=closed_on, closure_type=closure_type)
    return line


def _require_command_areas(areas: list[CommandArea]) -> None:
    if not areas:
        raise ValidationError({"command_areas": "Choose at least one destination command area."})


def phone_number_get_or_create(*, number: str) -> PhoneNumber:
    """The stored number for any spelling of it (ValidationError if it is not a number)."""
    phone_number, _ = PhoneNumber.objects.get_or_create(e164=normalise_number(number))
    return phone_number


def overlapping_attribution(
    *,
    line: Line,
    number: PhoneNumber,
    attributed_from: datetime.date,
    attributed_to: datetime.date | None,
    exclude_pk: int | None = None,
) -> LineNumber | None:
    """An attribution of `number` to `line` whose period overlaps the one given, if any."""
    existing = LineNumber.objects.filter(line=line, number=number).exclude(pk=exclude_pk)
    for attribution in existing:
        if attribution.overlaps(attributed_from, attributed_to):
            return attribution
    return None


def overlap_message(clash: LineNumber) -> str:
    """Why an attribution cannot be added: `clash` already covers part of its period."""
    return (
        f"{clash.number.national} is already attributed to {clash.line.reference} "
        f"for an overlapping period (from {clash.attributed_from:%d %B %Y})."
    )


@transaction.atomic
def line_number_attribute(
    *,
    user,
    line: Line,
    number: str,
    attributed_from: datetime.date,
    attributed_to: datetime.date | None = None,
) -> LineNumber:
    """Attributes a number (any spelling) to a line for a period."""
    phone_number = phone_number_get_or_create(number=number)
    # Serialise attributions to one line so two officers cannot add overlapping periods at once.
    Line.objects.select_for_update().filter(pk=line.pk).first()
    attribution = LineNumber(
        line=line,
        number=phone_number,
        attributed_from=attributed_from,
        attributed_to=attributed_to,
    )
    attribution.full_clean(validate_unique=False, validate_constraints=False)
    clash = overlapping_attribution(
        line=line, number=phone_number, attributed_from=attributed_from, attributed_to=attributed_to
    )
    if clash is not None:
        raise ValidationError({"attributed_from": overlap_message(clash)})
    attribution.save()
    audit_event_record(
        action=Action.CREATE,
        user=user,
        obj=attribution,
        detail={"line": line.reference, "number": phone_number.e164},
    )
    return attribution


@transaction.atomic
def line_number_end(
    *, user, attribution: LineNumber, attributed_to: datetime.date | None
) -> LineNumber:
    """Records the last day a line used a number (None: it is in use again, e.g. an import)."""
    attribution.attributed_to = attributed_to
    attribution.full_clean(validate_unique=False, validate_constraints=False)
    # Ending later than before must not run into a later period of the same number.
    clash = overlapping_attribution(
        line=attribution.line,
        number=attribution.number,
        attributed_from=attribution.attributed_from,
        attributed_to=attributed_to,
        exclude_pk=attribution.pk,
    )
    if clash is not None:
        raise ValidationError({"attributed_to": overlap_message(clash)})
    attribution.save(update_fields=["attributed_to"])
    audit_event_record(
        action=Action.UPDATE,
        user=user,
        obj=attribution,
        detail={
            "fields": ["attributed_to"],
            "attributed_to": attributed_to.isoformat() if attributed_to else None,
        },
    )
    return attribution


@transaction.atomic
def intelligence_entry_add(
    *,
    user,
    line: Line,
    text: str,
    source_evaluation: str,
    assessment: str,
    handling_code: str,
    handling_conditions: str = "",
) -> IntelligenceEntry:
    entry = IntelligenceEntry(
        line=line,
        text=text.strip(),
        source_evaluation=source_evaluation,
        assessment=assessment,
        handling_code=handling_code,
        handling_conditions=handling_conditions.strip(),
        recorded_by=user,
    )
    entry.full_clean()
    entry.save()
    audit_event_record(action=Action.CREATE, user=user, obj=entry, detail={"line": line.reference})
    return entry
