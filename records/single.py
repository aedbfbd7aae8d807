"""Creating and updating one record: what every app's single-record services do the same.

`record_create` and `record_update` run a model's rules (its `clean()`, which calls
the app's rule functions), keep references unique without regard to case, raise the
version and audit the write with what changed, from what to what (`audit.changes`),
and tell the watchers of the things the record mentions (`watches.notify`). An app's
service adds what is its own (a line's command areas, a person's name key) and calls
them, so that no app writes its own version check, change history or notifications.
"""

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models

from accounts.models import User
from audit.changes import Changes, changes, snapshot
from audit.services import Action, audit_event_record
from core.references import normalise_reference, reference_key, reference_taken
from watches.notify import instance_mentions, watchers_notify

from .models import VersionedRecord
from .versions import check_version, hidden_fields

_M = TypeVar("_M", bound=models.Model)


def reference_in_use(model: type[models.Model], reference: str) -> bool:
    """Whether any record of `model` has this reference, in any case (whoever may see
    it: a reference is taken even by a record the user may not see)."""
    return model._default_manager.filter(reference_key=reference_key(reference)).exists()


def record_create(
    model: type[_M],
    *,
    user: User,
    reference: str | None = None,
    noun: str = "",
    many_to_many: Mapping[str, Iterable[models.Model]] | None = None,
    **fields: Any,
) -> _M:
    """A new record of `model` with `fields` (and, for a ReferencedRecord, `reference`,
    normalised and refused when taken, in messages called `noun` or the model's verbose
    name), validated by its `clean()`, saved and audited.
    Call it inside the service's transaction."""
    if reference is not None:
        try:
            reference = normalise_reference(reference)
        except ValidationError as error:
            raise ValidationError({"reference": error.messages}) from None
        if reference_in_use(model, reference):
            raise ValidationError(
                {"reference": reference_taken(reference, noun or str(model._meta.verbose_name))}
            )
        fields["reference"] = reference
    obj = model(**fields)
    # clean() checks what the check constraints do, with clearer messages, and the
    # database enforces them on save; validating them again would only cost queries.
    obj.full_clean(validate_constraints=False, validate_unique=False)
    obj.save()
    for name, related in (many_to_many or {}).items():
        getattr(obj, name).set(related)
    audit_event_record(action=Action.CREATE, user=user, obj=obj)
    record_watchers_notify(obj, user=user, created=True)
    return obj


def record_update(
    obj: VersionedRecord,
    *,
    user: User,
    fields: Mapping[str, Any],
    allowed: Iterable[str],
    expected_version: int | None = None,
    many_to_many: Mapping[str, Iterable[models.Model]] | None = None,
    detail: Mapping[str, Any] | None = None,
    even_unchanged: bool = False,
) -> Changes:
    """Set `fields` (and `many_to_many` relations) of `obj`; returns what changed, empty
    when nothing did (then nothing is written or audited, unless `even_unchanged`: an
    update that is an event in itself, a retention review that keeps what was set).
    `detail` adds to the audit event's (the review, records.reviews).

    With `expected_version` (the version an edit form was opened on), raises
    EditConflict if someone else has changed the record since. Only changed fields are
    saved, so a field someone else changed meanwhile is never put back. Call it inside
    the service's transaction (the version check locks the row until it ends).
    """
    unknown = (set(fields) | set(many_to_many or {})) - set(allowed)
    if unknown:
        raise TypeError(f"{type(obj).__name__} has no changeable fields {sorted(unknown)}")
    check_version(obj, expected_version, hidden=hidden_fields(obj, user))
    related = {name: list(values) for name, values in (many_to_many or {}).items()}
    before = snapshot(obj, [*fields, *related])
    for name, value in fields.items():
        setattr(obj, name, value)
    changed = changes(before, {**{name: getattr(obj, name) for name in fields}, **related})
    if not changed and not even_unchanged:
        return changed
    obj.full_clean(validate_constraints=False, validate_unique=False)  # see record_create
    obj.version += 1
    saved = [name for name in changed if name not in related]
    extra = [field.name for field in obj._meta.concrete_fields if getattr(field, "auto_now", False)]
    obj.save(update_fields=[*saved, "version", *extra, *_derived_fields(obj)])
    for name in changed.keys() & related.keys():
        getattr(obj, name).set(related[name])
    audit_event_record(
        action=Action.UPDATE,
        user=user,
        obj=obj,
        detail={**(detail or {}), "changes": changed, "version": obj.version},
    )
    # Saved unchanged (a review keeping a record as it was): what it was asked to write.
    written = changed.keys() or {*fields, *related}
    record_watchers_notify(obj, user=user, created=False, changed=written)
    return changed


def record_watchers_notify(
    obj: models.Model, *, user: User, created: bool, changed: Iterable[str] = ()
) -> None:
    """Tell the watchers of what `obj` mentions (its kind's `watched_in`, watches.things)
    that it was created or changed (its fields `changed`): what `record_create` and
    `record_update` do, for the services that write a record otherwise."""
    watchers_notify(user=user, mentions=instance_mentions(obj, created=created, changed=changed))


def _derived_fields(obj: models.Model) -> list[str]:
    """Fields the model's save() computes from the others (a search key): saved with them."""
    return list(getattr(obj, "derived_fields", ()))
