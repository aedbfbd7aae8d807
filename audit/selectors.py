from django.db.models import QuerySet

from accounts.permissions import Capability, user_can

from .filters import AuditEventFilter
from .models import AuditEvent


def audit_event_list(*, user, filters: dict) -> tuple[AuditEventFilter, QuerySet[AuditEvent]]:
    """The filtered audit log, for those allowed to read it (an empty list for anyone else)."""
    events = (
        AuditEvent.objects.all()
        if user_can(user, Capability.VIEW_AUDIT_LOG)
        else AuditEvent.objects.none()
    )
    filterset = AuditEventFilter(filters, queryset=events)
    return filterset, filterset.qs
