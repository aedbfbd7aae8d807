from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from accounts.access import capability_required
from accounts.permissions import Capability
from core.csv_export import csv_response
from core.filtering import filters_in_use, query_without_page

from .selectors import audit_event_list
from .services import Action, audit_event_record

PAGE_SIZE = 50
EXPORT_HEADER = [
    "occurred_at",
    "username",
    "agency",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "ip_address",
    "request_id",
    "path",
]


@capability_required(Capability.VIEW_AUDIT_LOG)
def event_list(request):
    filterset, events = audit_event_list(user=request.user, filters=request.GET)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/event_list.html",
        {"filter": filterset, "page": page, "query": query_without_page(request.GET)},
    )


@capability_required(Capability.VIEW_AUDIT_LOG)
def event_export(request):
    filterset, events = audit_event_list(user=request.user, filters=request.GET)
    if not filterset.is_valid():
        return event_list(request)
    audit_event_record(
        action=Action.EXPORT,
        request=request,
        object_type="audit.auditevent",
        object_label="Audit log export",
        detail={"filters": filters_in_use(request.GET)},
    )
    rows = (
        [
            timezone.localtime(event.occurred_at).isoformat(),
            event.username,
            event.agency_name,
            event.action,
            event.object_type,
            event.object_id,
            event.object_label,
            event.ip_address or "",
            event.request_id,
            event.path,
        ]
        for event in events.iterator(chunk_size=2000)
    )
    filename = f"audit-log-{timezone.localdate():%Y-%m-%d}.csv"
    return csv_response(filename=filename, header=EXPORT_HEADER, rows=rows)
