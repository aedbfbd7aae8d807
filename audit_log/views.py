from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from accounts.access import capability_required
from accounts.http import AuthenticatedHttpRequest
from accounts.permissions import Capability
from records.lists import bound_filterset, filtered_export, filtered_list, only_what_is_set

from .records import event_records
from .selectors import audit_event_list

EVENT_TYPE = "audit.auditevent"
# Counting millions of events costs more than showing a page of them: "more than 10,000".
EVENT_COUNT_LIMIT = 10_000
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
@only_what_is_set
def event_list(request: AuthenticatedHttpRequest):
    return _event_list_page(request)


def _event_list_page(request: AuthenticatedHttpRequest):
    listing = filtered_list(
        request,
        bound_filterset(request, audit_event_list),
        noun="event",
        object_type=EVENT_TYPE,
        count_limit=EVENT_COUNT_LIMIT,
        export_url=reverse("audit:event_export"),
    )
    event_records(listing.page, reader=request.user)
    return render(request, "audit/event_list.html", {"list": listing})


@capability_required(Capability.VIEW_AUDIT_LOG)
@only_what_is_set
def event_export(request: AuthenticatedHttpRequest):
    filterset = bound_filterset(request, audit_event_list)
    if not filterset.is_valid():
        return _event_list_page(request)  # the list, with the filters' errors

    def rows(events):
        for event in events.iterator(chunk_size=2000):
            yield [
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

    return filtered_export(
        request,
        filterset,
        noun="audit log event",
        object_type=EVENT_TYPE,
        header=EXPORT_HEADER,
        rows=rows,
    )
