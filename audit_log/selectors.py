from accounts.models import User
from accounts.permissions import Capability, user_can
from audit.models import AuditEvent

from .filters import AuditEventFilter


def audit_event_list(*, user: User, filters: dict) -> AuditEventFilter:
    """The filtered audit log, for those allowed to read it (an empty list for anyone
    else): the FilterSet, whose `qs` lists the events."""
    events = (
        AuditEvent.objects.all()
        if user_can(user, Capability.VIEW_AUDIT_LOG)
        else AuditEvent.objects.none()
    )
    return AuditEventFilter(filters, queryset=events)
