"""The records an audit event is about, in users' words: their kind by name, a link to
their page for those who may open it, and what an update changed."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model

from accounts.permissions import RECORD_RULES, may_see_all
from audit.changes import describe
from audit.models import AuditEvent

# Not a model: the import of a file as a whole.
OTHER_TYPES = {"imports.file": "Imported file"}
# Each user's own records, which no rule opens to anyone else: what they watch and what
# they were told of it. Events name them (a watch started, the notifications read).
OWN_RECORDS = ("watches.watch", "watches.notification")


def record_kinds() -> list[type[Model]]:
    """The kinds of record an event may name: every kind `RECORD_RULES` declares, each
    user's own records, and every model the admin site shows (users, agencies, reference
    data: its pages are audited by model, audit.middleware)."""
    declared = [apps.get_model(label) for label in (*RECORD_RULES, *OWN_RECORDS)]
    on_the_admin_site = [model for model in apps.get_models() if admin.site.is_registered(model)]
    return list(dict.fromkeys(declared + on_the_admin_site))


def record_type_choices() -> list[tuple[str, str]]:
    """The kinds of record the log names, for the audit log's filter."""
    choices = [
        (model._meta.label_lower, str(model._meta.verbose_name).capitalize())
        for model in record_kinds()
    ]
    choices += list(OTHER_TYPES.items())
    return sorted(choices, key=lambda choice: choice[1])


def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError, ImproperlyConfigured):
        return None


@dataclass(frozen=True)
class EventRecord:
    type_name: str  # "County line"
    label: str
    url: str  # its page, when the reader may open it; "" otherwise
    changes: list[str]


def event_records(events: Iterable[AuditEvent], *, reader) -> None:
    """Sets `record` (event_record) on each of a page of `events`, for `reader`."""
    links: dict[type, str] = {}
    for event in events:
        event.record = event_record(event, reader=reader, links=links)


def event_record(
    event: AuditEvent, *, reader, links: dict[type, str] | None = None
) -> EventRecord | None:
    """What `event` is about, for `reader` (who reads the log). `links` keeps the link to
    each kind of record, with a placeholder for the id, for the other events of a page:
    a model instance and a reverse() an event were half the time of 50 rows."""
    if not event.object_type:
        return None
    model = _model(event.object_type)
    type_name = OTHER_TYPES.get(event.object_type, event.object_type)
    url = ""
    changes: list[str] = []
    if model is not None:
        type_name = str(model._meta.verbose_name).capitalize()
        if event.object_id and _may_open(reader, model):
            url = _link(model, event.object_id, links)
        changes = describe(model, (event.detail or {}).get("changes", {}))
    return EventRecord(type_name, event.object_label or event.object_id, url, changes)


def _may_open(reader, model: type[Model]) -> bool:
    """Whether `reader` may open the page of any record of `model` (a link costs no query:
    it is offered to those who see every record of the kind, by its rule)."""
    return (
        hasattr(model, "get_absolute_url")
        and model._meta.label_lower in RECORD_RULES
        and may_see_all(reader, model)
    )


_PLACEHOLDER = "999999999"


def _link(model, object_id: str, links: dict[type, str] | None) -> str:
    if links is None or not object_id.isdigit():
        return model(pk=object_id).get_absolute_url()
    if model not in links:
        links[model] = model(pk=int(_PLACEHOLDER)).get_absolute_url()
    return links[model].replace(_PLACEHOLDER, object_id)
