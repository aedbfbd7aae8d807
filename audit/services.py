"""Recording audit events: the one call every feature uses."""

from typing import Any

from django.db import models

from .context import get_current_request
from .models import AuditEvent

Action = AuditEvent.Action


def audit_event_record(
    *,
    action: str,
    user=None,
    request=None,
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


def audit_view(request, obj: models.Model, **detail: Any) -> AuditEvent:
    """Record that the signed-in user consulted `obj` (a detail page, a printout...)."""
    return audit_event_record(action=Action.VIEW, request=request, obj=obj, detail=detail or None)
