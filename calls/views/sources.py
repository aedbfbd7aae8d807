"""The Sources screens: the disclosures of call data, recorded before their rows are
imported and kept (with what they held) after their rows are purged."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.access import capability_required
from accounts.http import AuthenticatedHttpRequest
from accounts.permissions import Capability, user_can
from audit.services import audit_form_shown, audit_view
from lines.phone import national_format
from records import held_search
from records.lists import ListScreen, back_link, only_what_is_set

from ..forms import SourceForm
from ..selectors.sources import (
    SOURCE_EXPORT_HEADER,
    get_source_for_user,
    source_export_rows,
)
from ..selectors.sources import (
    source_list as source_filterset,
)
from ..services.sources import source_create as source_record
from ..services.sources import source_update as source_change

SOURCES = ListScreen(
    filterset=source_filterset,
    template="calls/source_list.html",
    noun="source",
    object_type="calls.source",
    export_url_name="calls:source_export",
    export_header=SOURCE_EXPORT_HEADER,
    export_rows=lambda sources, user: source_export_rows(sources=sources),
    change_capability=Capability.CHANGE_CALL_DATA,
)


@capability_required(Capability.VIEW_CALL_DATA)
@only_what_is_set
def source_list(request: AuthenticatedHttpRequest):
    return SOURCES.page(request)


@capability_required(Capability.VIEW_CALL_DATA)
@only_what_is_set
def source_export(request: AuthenticatedHttpRequest):
    return SOURCES.export(request)


@capability_required(Capability.CHANGE_CALL_DATA)
def source_create(request: AuthenticatedHttpRequest):
    form = SourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            source = source_record(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Source {source.reference} recorded.")
            return redirect("calls:source_detail", pk=source.pk)
    return render(request, "calls/source_create.html", {"form": form})


@capability_required(Capability.VIEW_CALL_DATA)
def source_detail(request: AuthenticatedHttpRequest, pk: int):
    source = get_source_for_user(request.user, pk)
    # The numbers it covers are on the page: the event names them.
    audit_view(request=request, obj=source, numbers=list(source.numbers))
    # Each number covered links to its profile, the number held (never in the URL).
    numbers = [
        (
            national_format(number),
            f"{reverse('calls:number_profile')}?{held_search.held_query(request, number=number)}",
        )
        for number in source.numbers
    ]
    return render(
        request,
        "calls/source_detail.html",
        {
            "source": source,
            "numbers": numbers,
            "back_url": back_link(request, reverse("calls:source_list")),
            "can_change": user_can(request.user, Capability.CHANGE_CALL_DATA),
        },
    )


@capability_required(Capability.CHANGE_CALL_DATA)
def source_update(request: AuthenticatedHttpRequest, pk: int):
    source = get_source_for_user(request.user, pk, to_change=True)
    audit_form_shown(request=request, obj=source, form="change details")
    form = SourceForm(request.POST or None, source=source, initial=SourceForm.initial_for(source))
    if request.method == "POST" and form.is_valid():
        try:
            source_change(user=request.user, source=source, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Source {source.reference} updated.")
            return redirect("calls:source_detail", pk=source.pk)
    return render(request, "calls/source_update.html", {"form": form, "source": source})
