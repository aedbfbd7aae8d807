"""Writes of one line, attribution or piece of intelligence: what the screens call."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from audit.changes import changes, snapshot
from audit.services import Action, audit_event_record
from core.rules import day_in_words
from records.single import record_create, record_update, record_watchers_notify
from records.versions import check_version
from reference.models import CommandArea, Force

from ..models import ClosureType, IntelligenceEntry, Line, LineNumber, PhoneNumber
from ..phone import parse_number
from ..rules import (
    COMMAND_AREAS_REQUIRED,
    OVERLAP_CONSTRAINT,
    OVERLAP_JUST_RECORDED,
    attribution_problems,
    overlap_message,
)
from ..selectors import number_in_use_elsewhere, numbers_in_use, overlapping_attribution
from .counts import numbers_counts_refresh

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
    user: User,
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
    _require_command_areas(areas)
    return record_create(
        Line,
        user=user,
        reference=reference,
        noun="line",
        many_to_many={"command_areas": areas},
        name=name.strip(),
        origin_force=origin_force,
        first_identified=first_identified,
        closed_on=closed_on,
        closure_type=closure_type,
        risk_level=risk_level,
        summary=summary,
        next_review_on=next_review_on,
    )


@transaction.atomic
def line_update(
    *,
    line: Line,
    user: User,
    command_areas: Iterable[CommandArea] | None = None,
    expected_version: int | None = None,
    **fields: Any,
) -> tuple[Line, bool]:
    """Changes the given fields; returns the line and whether anything changed.

    With `expected_version` (the version an edit form was opened on), raises
    EditConflict if someone else has changed the line since. The audit event records
    each changed field with its old and new value, and the version the update made.
    """
    many_to_many = {}
    if command_areas is not None:
        many_to_many["command_areas"] = areas = list(command_areas)
        _require_command_areas(areas)
    changed = record_update(
        line,
        user=user,
        fields=fields,
        allowed=(*LINE_FIELDS, "command_areas"),
        expected_version=expected_version,
        many_to_many=many_to_many,
    )
    return line, bool(changed)


@transaction.atomic
def line_close(
    *,
    line: Line,
    user: User,
    closed_on: datetime.date,
    closure_type: ClosureType,
    expected_version: int | None = None,
    end_numbers: bool = False,
) -> Line:
    """Closes the line; with `end_numbers`, the numbers it still uses end the day before
    (it is active until `closed_on`, exclusive), all in one step."""
    line, _ = line_update(
        line=line,
        user=user,
        closed_on=closed_on,
        closure_type=closure_type,
        expected_version=expected_version,
    )
    if end_numbers:
        last_day = closed_on - datetime.timedelta(days=1)
        for attribution in numbers_in_use(line=line):
            line_number_end(
                user=user,
                attribution=attribution,
                attributed_to=max(last_day, attribution.attributed_from),
            )
    return line


def _require_command_areas(areas: list[CommandArea]) -> None:
    if not areas:
        raise ValidationError({"command_areas": COMMAND_AREAS_REQUIRED})


def phone_number_get_or_create(*, number: str) -> PhoneNumber:
    """The stored number for any spelling of it (ValidationError if it is not a number)."""
    parsed = parse_number(number)
    phone_number, _ = PhoneNumber.objects.get_or_create(
        e164=parsed.e164, defaults={"national": parsed.national}
    )
    return phone_number


def attribution_clash_message(*, clash: LineNumber) -> str:
    return overlap_message(
        national=clash.number.national,
        line_reference=clash.line.reference,
        attributed_from=clash.attributed_from,
    )


@transaction.atomic
def line_create_with_number(
    *,
    user: User,
    number: str = "",
    number_from: datetime.date | None = None,
    **fields: Any,
) -> Line:
    """A new line (`line_create`'s `fields`) and, when given, the first number it used,
    from `number_from` (by default the day the line was first identified): both or
    neither. Every problem of either is raised at once, the number's on `number` and
    `number_from`, so that a form shows them together."""
    problems: dict[str, list[str]] = {}
    line = None
    try:
        with transaction.atomic():
            line = line_create(user=user, **fields)
    except ValidationError as error:
        problems |= error.message_dict
    if number:
        start = number_from or fields["first_identified"]
        if line is None:  # what can be checked without the line
            checked = attribution_problems(
                attributed_from=start, attributed_to=None, today=timezone.localdate()
            )
            problems |= {field: [message] for field, message in checked.items()}
        else:
            try:
                line_number_attribute(user=user, line=line, number=number, attributed_from=start)
            except ValidationError as error:
                problems |= error.message_dict
    if problems:
        renamed = {"attributed_from": "number_from", "attributed_to": "number_from"}
        raise ValidationError({renamed.get(name, name): texts for name, texts in problems.items()})
    if line is None:
        raise RuntimeError("line_create returned no line")
    return line


@transaction.atomic
def line_number_attribute(
    *,
    user: User,
    line: Line,
    number: str,
    attributed_from: datetime.date,
    attributed_to: datetime.date | None = None,
    end_in_use_elsewhere: bool = False,
) -> LineNumber:
    """Attributes a number (any spelling) to a line for a period. With
    `end_in_use_elsewhere`, the number's use by other lines still using it then ends the
    day before (each audited as `line_number_end` does), in the same transaction."""
    phone_number = phone_number_get_or_create(number=number)
    # Serialise attributions to one line so two officers cannot add overlapping periods at
    # once (the imports lock the same way; the database refuses an overlap in any case).
    Line.objects.select_for_update().filter(pk=line.pk).first()
    ended_elsewhere = []
    if end_in_use_elsewhere:
        ended_elsewhere = number_in_use_elsewhere(
            user=user, line=line, number=phone_number, since=attributed_from
        )
        _refuse_ending_before_it_began(ended_elsewhere, attributed_from)
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
        raise ValidationError({"attributed_from": attribution_clash_message(clash=clash)})
    _save_refusing_overlap(attribution, field="attributed_from")
    numbers_counts_refresh(line_ids=[line.pk])
    audit_event_record(
        action=Action.CREATE,
        user=user,
        obj=attribution,
        detail={"line": line.reference, "number": phone_number.e164},
    )
    record_watchers_notify(attribution, user=user, created=True)
    for other in ended_elsewhere:
        line_number_end(
            user=user, attribution=other, attributed_to=attributed_from - datetime.timedelta(1)
        )
    return attribution


def _refuse_ending_before_it_began(uses: list[LineNumber], attributed_from: datetime.date) -> None:
    """Ending another line's use the day before this one starts must not end it before
    it began: said in words, rather than as that attribution's own period rule."""
    day_before = attributed_from - datetime.timedelta(1)
    late = [use for use in uses if use.attributed_from > day_before]
    if late:
        use = late[0]
        raise ValidationError(
            {
                "end_in_use_elsewhere": (
                    f"{use.line.reference} started using {use.number.national} on "
                    f"{day_in_words(use.attributed_from)}, so its use cannot end the day "
                    f"before {day_in_words(attributed_from)}: it would end before it began. "
                    f"Leave its use as it is, or correct the dates"
                )
            }
        )


def _save_refusing_overlap(attribution: LineNumber, *, field: str, **options: Any) -> None:
    """Save; if an import wrote an overlapping period since it was checked (imports lock
    nothing), the database refuses it, and so does this, in words."""
    try:
        with transaction.atomic():
            attribution.save(**options)
    except IntegrityError as error:
        if OVERLAP_CONSTRAINT not in str(error):
            raise
        raise ValidationError({field: OVERLAP_JUST_RECORDED}) from None


@transaction.atomic
def line_number_end(
    *,
    user: User,
    attribution: LineNumber,
    attributed_to: datetime.date | None,
    expected_version: int | None = None,
) -> LineNumber:
    """Records the last day a line used a number (None: it is in use again)."""
    Line.objects.select_for_update().filter(pk=attribution.line_id).first()
    check_version(attribution, expected_version)
    before = snapshot(attribution, ["attributed_to"])
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
        raise ValidationError({"attributed_to": attribution_clash_message(clash=clash)})
    attribution.version += 1
    _save_refusing_overlap(
        attribution, field="attributed_to", update_fields=["attributed_to", "version"]
    )
    audit_event_record(
        action=Action.UPDATE,
        user=user,
        obj=attribution,
        detail={
            "changes": changes(before, {"attributed_to": attributed_to}),
            "version": attribution.version,
            "line": attribution.line.reference,
            "number": attribution.number.e164,
        },
    )
    record_watchers_notify(attribution, user=user, created=False)
    return attribution


@transaction.atomic
def intelligence_entry_add(
    *,
    user: User,
    line: Line,
    text: str,
    source_evaluation: str,
    assessment: str,
    handling_code: str,
    handling_conditions: str = "",
    intelligence_date: datetime.date | None = None,
    source_reference: str = "",
) -> IntelligenceEntry:
    entry = IntelligenceEntry(
        line=line,
        text=text.strip(),
        intelligence_date=intelligence_date,
        source_reference=source_reference.strip(),
        source_evaluation=source_evaluation,
        assessment=assessment,
        handling_code=handling_code,
        handling_conditions=handling_conditions.strip(),
        recorded_by=user,
    )
    entry.full_clean()
    entry.save()
    audit_event_record(action=Action.CREATE, user=user, obj=entry, detail={"line": line.reference})
    record_watchers_notify(entry, user=user, created=True)
    return entry
