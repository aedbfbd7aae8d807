"""Recording a disclosure of call data (a `Source`) and changing what is recorded of it.

The command `call_source_create` and the Sources screens both call these, so a source
made either way obeys the same rules and is audited the same way: one `create` event,
or one `update` event naming each changed field from what to what (`audit.changes`).
A source's reference is matched without regard to case, as the calls import matches
it (`source_by_reference`).
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone

from accounts.models import User
from audit.changes import changes, snapshot
from audit.services import Action, audit_event_record
from core.references import normalise_reference, reference_taken

from ..models import SOURCE_FIELDS, Source
from .call_rows import SourceCounts


def source_by_reference(*, reference: str) -> Source | None:
    """The source with this reference, in any case; None when there is none."""
    return Source.objects.filter(reference__iexact=reference.strip()).first()


@transaction.atomic
def source_create(
    *,
    user: User | None,
    reference: str,
    authorisation: str,
    retain_until: datetime.date,
    description: str = "",
    numbers: list[str] | None = None,
    covers_from: datetime.date | None = None,
    covers_to: datetime.date | None = None,
    audit_detail: dict[str, Any] | None = None,
) -> Source:
    """A new source, validated and audited. `user` is who records it (None: the command,
    which names itself and the operating-system user in `audit_detail`).

    Raises ValidationError (by field) for a taken reference or a value the model refuses.
    """
    try:
        reference = normalise_reference(reference)
    except ValidationError as error:
        raise ValidationError({"reference": error.messages}) from None
    if source_by_reference(reference=reference) is not None:
        raise ValidationError({"reference": reference_taken(reference, "source")})
    source = Source(
        reference=reference,
        authorisation=authorisation.strip(),
        description=description.strip(),
        numbers=list(numbers or []),
        covers_from=covers_from,
        covers_to=covers_to,
        retain_until=retain_until,
        recorded_by=user,
    )
    _check(source)
    _retention_check(source.retain_until)
    source.save()
    audit_event_record(action=Action.CREATE, user=user, obj=source, detail=audit_detail)
    return source


@transaction.atomic
def source_update(
    *,
    source: Source,
    user: User | None,
    audit_detail: dict[str, Any] | None = None,
    **fields: Any,
) -> dict[str, list]:
    """Sets `fields` (of SOURCE_FIELDS) on `source`; returns what changed ({} when nothing
    did: then nothing is written or audited)."""
    unknown = set(fields) - set(SOURCE_FIELDS)
    if unknown:
        raise TypeError(f"A source has no changeable fields {sorted(unknown)}")
    for name in ("authorisation", "description"):
        if isinstance(fields.get(name), str):
            fields[name] = fields[name].strip()
    before = snapshot(source, fields)
    for name, value in fields.items():
        setattr(source, name, value)
    changed = changes(before, fields)
    if not changed:
        return changed
    _check(source)
    if "retain_until" in changed:
        _retention_check(source.retain_until)
    source.save(update_fields=[*changed, "updated_at"])
    audit_event_record(
        action=Action.UPDATE,
        user=user,
        obj=source,
        detail={**(audit_detail or {}), "changes": changed},
    )
    return changed


def source_counts_add(*, source_id: int, counts: SourceCounts) -> None:
    """An import created `counts.created` rows of the source, between `counts.first_at`
    and `counts.last_at`: its count and period widened to take them in (one statement)."""
    if not counts.created:
        return
    period = {}
    for name, pick in (("first_at", Least), ("last_at", Greatest)):
        value = getattr(counts, name)
        if value is not None:
            period[name] = Coalesce(pick(F(name), Value(value)), Value(value))
    Source.objects.filter(pk=source_id).update(events=F("events") + counts.created, **period)


def source_differences(*, source: Source, **fields: Any) -> dict[str, list]:
    """What `fields` would change on `source` ([held, given] by field): none when a
    source being recorded again is the one already held."""
    return changes(snapshot(source, fields), fields)


def _retention_check(retain_until: datetime.date) -> None:
    """A retention date given is today or later: one already past would have the rows
    purged the next night (calls.services.purge), before anyone had read them."""
    today = timezone.localdate()
    if retain_until < today:
        raise ValidationError(
            {
                "retain_until": f"The retention date must be today or later, not "
                f"{retain_until:%-d %B %Y}: rows kept until a past date are purged at once"
            }
        )


def _check(source: Source) -> None:
    source.full_clean(validate_unique=False, validate_constraints=False)
    if source.covers_from and source.covers_to and source.covers_to < source.covers_from:
        raise ValidationError({"covers_to": "The end of what it covers is before its start"})
