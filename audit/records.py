"""The records an audit event is about, in users' words: their kind by name, a link to
their page for those who may open it, and what an update changed."""

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from accounts.permissions import Capability, user_can

from .changes import describe
from .models import AuditEvent

# Not a model: the import of a file as a whole.
OTHER_TYPES = {"imports.file": "Imported file"}
_SERVICE_APPS = {"accounts", "audit", "imports", "lines", "persons", "operations", "safeguarding"}


def record_type_choices() -> list[tuple[str, str]]:
    """The kinds of record the log names, for the audit log's filter."""
    choices = [
        (model._meta.label_lower, str(model._meta.verbose_name).capitalize())
        for model in apps.get_models()
        if model._meta.app_label in _SERVICE_APPS
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


def event_record(event: AuditEvent, *, reader) -> EventRecord | None:
    """What `event` is about, for `reader` (who reads the log)."""
    if not event.object_type:
        return None
    model = _model(event.object_type)
    type_name = OTHER_TYPES.get(event.object_type, event.object_type)
    url = ""
    changes: list[str] = []
    if model is not None:
        type_name = str(model._meta.verbose_name).capitalize()
        capability = getattr(model, "view_capability", None)
        if (
            event.object_id
            and hasattr(model, "get_absolute_url")
            and capability
            and user_can(reader, Capability(capability))
        ):
            url = model(pk=event.object_id).get_absolute_url()
        changes = describe(model, (event.detail or {}).get("changes", {}))
    return EventRecord(type_name, event.object_label or event.object_id, url, changes)
