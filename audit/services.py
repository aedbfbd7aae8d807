"""Recording audit events: the one call every feature uses, and its bulk form for imports."""

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from core.bulk import JSONText, insert_rows
from core.limits import window_count

from .context import get_current_request
from .models import AuditEvent

if TYPE_CHECKING:
    # The model of AUTH_USER_MODEL, as django-stubs' plugin reads it: audit lies beneath
    # accounts, and names no user model of its own.
    from django.contrib.auth.models import _User

Action = AuditEvent.Action

_LABEL_MAX = AuditEvent._meta.get_field("object_label").max_length


def audit_event_record(
    *,
    action: str,
    user: "_User | AnonymousUser | None" = None,
    request: HttpRequest | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    object_label: str = "",
    username: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit log.

    `user` defaults to the request's user; `obj` fills the object type, id and label.
    The request id, client address and path come from the request being served.
    """
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_label = object_label or str(obj)
    agency = getattr(user, "agency", None)
    context = get_current_request()
    return AuditEvent.objects.create(
        action=action,
        user=user,
        username=(user.get_username() if user is not None else username)[:150],
        agency_name=agency.name if agency is not None else "",
        object_type=object_type,
        object_id=str(object_id)[:64],
        object_label=object_label[:200],
        ip_address=context.ip_address,
        request_id=context.request_id,
        path=context.path,
        detail=detail or {},
    )


def audit_event_record_capped(*, per_minute: int, **event: Any) -> AuditEvent | None:
    """audit_event_record for what a client can repeat at will (failed sign-ins, refused
    password resets): at most `per_minute` events of the action from one client address
    a minute, then one saying the rest were not recorded (they are counted where they are
    refused), so that a flood cannot fill the log."""
    address = get_current_request().ip_address
    written = window_count(f"audit:{event['action']}:{address}", timedelta(minutes=1)).count
    if written > per_minute + 1:
        return None
    if written > per_minute:
        event["detail"] = {"further failures this minute not recorded": True}
    return audit_event_record(**event)


def audit_view(*, request: HttpRequest, obj: models.Model, **detail: Any) -> AuditEvent:
    """Record that the signed-in user consulted `obj` (a detail page, a printout...)."""
    return audit_event_record(action=Action.VIEW, request=request, obj=obj, detail=detail or None)


def audit_form_shown(*, request: HttpRequest, obj: models.Model, form: str) -> None:
    """An edit form shows the record's fields: opening it is consulting the record."""
    if request.method == "GET":
        audit_view(request=request, obj=obj, form=form)


def audit_listed(
    *, request: HttpRequest, object_type: str, label: str, **detail: Any
) -> AuditEvent:
    """Record that the user was shown a list of records (a list screen's page, an overview,
    the likely duplicates, the records a form offers): a `search`, with what was asked
    and shown in `detail` (the filters, how many, their references)."""
    return audit_event_record(
        action=Action.SEARCH,
        request=request,
        object_type=object_type,
        object_label=label,
        detail=detail or None,
    )


@dataclass(frozen=True)
class AuditEntry:
    """One event of a bulk write: what was done to which record."""

    action: str
    object_type: str
    object_id: str | int
    object_label: str
    detail: dict[str, Any] = field(default_factory=dict)


# The columns of an event as bulk writers give them, in this order (the scale data and
# the page benchmark write millions of events the same way).
EVENT_COLUMNS = (
    "occurred_at",
    "action",
    "user",
    "username",
    "agency_name",
    "object_type",
    "object_id",
    "object_label",
    "ip_address",
    "request_id",
    "path",
    "detail",
)


def audit_events_record_many(
    *,
    user: "_User | AnonymousUser | None",
    entries: Iterable[AuditEntry],
    shared_detail: Mapping[str, Any] | None = None,
) -> int:
    """Append one event per entry, all by `user` in the current request (or task), in a
    few statements whatever their number. `shared_detail` is added to every entry's
    detail (an import's id, say). Returns how many were written.

    For imports: the law wants each record's collection and alteration logged, and a
    file of 100,000 rows must not cost 100,000 round trips to say so.
    """
    shared = dict(shared_detail or {})
    shared_json = JSONText(json.dumps(shared, cls=DjangoJSONEncoder))
    if user is not None and not user.is_authenticated:
        user = None
    agency = getattr(user, "agency", None)
    context = get_current_request()
    now = timezone.now()
    who = (
        user.pk if user is not None else None,
        user.get_username()[:150] if user is not None else "",
        agency.name if agency is not None else "",
    )
    rows = [
        (
            now,
            entry.action,
            *who,
            entry.object_type,
            str(entry.object_id)[:64],
            entry.object_label[:_LABEL_MAX],
            context.ip_address,
            context.request_id,
            context.path,
            # Most entries of an import have no detail of their own: their JSON is written once.
            {**entry.detail, **shared} if entry.detail else shared_json,
        )
        for entry in entries
    ]
    insert_rows(AuditEvent, EVENT_COLUMNS, rows)
    return len(rows)
