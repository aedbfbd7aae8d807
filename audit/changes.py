"""What an update changed, from what to what: the one way every service describes it.

DPA 2018 s.62 asks that alterations be logged. A service that updates a record takes
a snapshot of the fields it may change before and after (`snapshot`) and records
`changes(before, after)` in the audit event's detail under "changes":

    {"risk_level": ["high", "very_high"], "command_areas": [["York"], ["Selby", "York"]]}

Values are stored as people read them (related records by their reference or name, dates in ISO
form, several values sorted), so that the log reads the same after the related record
is renamed or deleted, and the timeline and audit pages can show it as it was.
"""

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import dateformat

Changes = dict[str, list]


def display_value(value: Any) -> Any:
    """`value` as a JSON value a person can read."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime.date):  # datetimes included
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        # A record people refer to by reference is named by it (as the batch imports do).
        return getattr(value, "reference", None) or str(value)
    if isinstance(value, Mapping):  # a JSON field: its values matter, not only its keys
        return {str(key): display_value(item) for key, item in value.items()}
    if isinstance(value, Iterable):
        return sorted(display_value(item) for item in value)
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The display values of `fields` of `obj` (a many-to-many field: its related records)."""
    values = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, models.Manager):
            value = list(value.all())
        values[name] = display_value(value)
    return values


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> Changes:
    """The fields of `after` whose display value differs from `before`'s: [old, new]."""
    changed = {}
    for name, new in after.items():
        new = display_value(new)
        old = display_value(before.get(name))
        if old != new:
            changed[name] = [old, new]
    return changed


def describe(model: type[models.Model], changed: Changes) -> list[str]:
    """Each change in words: `Risk raised from High to Very high`, `Brand name changed
    from Dolla to Dolla 2`, `Date closed set to 1 June 2021`. For the timeline of a
    record and the audit log; choices are shown by their labels, dates as people write
    them, ordered choices (a level) as raised or lowered. In the order of the model's
    fields (PostgreSQL's JSON keeps no order of keys), then fields since removed."""
    field_order = {field.name: index for index, field in enumerate(model._meta.get_fields())}
    names = sorted(changed, key=lambda name: (field_order.get(name, len(field_order)), name))
    return [_sentence(model, name, *changed[name]) for name in names]


def _sentence(model: type[models.Model], name: str, old: Any, new: Any) -> str:
    try:
        field = model._meta.get_field(name)
    except Exception:  # a field since removed: the log still says what it was called
        label, choices = name.replace("_", " "), {}
    else:
        label = str(getattr(field, "verbose_name", name))
        choices = {str(key): str(text) for key, text in getattr(field, "choices", None) or ()}
    label = label[:1].upper() + label[1:]
    before, after = _shown(old, choices), _shown(new, choices)
    if old in (None, "", [], {}):
        return f"{label} set to {after}"
    if new in (None, "", [], {}):
        return f"{label} cleared (was {before})"
    order = list(choices)
    if str(old) in order and str(new) in order:
        verb = "raised" if order.index(str(new)) > order.index(str(old)) else "lowered"
        return f"{label} {verb} from {before} to {after}"
    return f"{label} changed from {before} to {after}"


def _shown(value: Any, choices: dict[str, str]) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(_shown(item, choices) for item in value) or "none"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_shown(item, choices)}" for key, item in value.items())
    if value in (None, ""):
        return "none"
    if str(value) in choices:
        return choices[str(value)]
    try:
        return dateformat.format(datetime.date.fromisoformat(str(value)), "j F Y")
    except ValueError:
        return str(value)
