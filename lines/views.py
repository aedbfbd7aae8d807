"""The lines screens. Intelligence officers write, managers read, partners never.

Views check the capability, read through `selectors`, write through `services`
and render; the rules live in those modules.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.access import capability_required
from accounts.http import AuthenticatedHttpRequest
from accounts.permissions import Capability, user_can
from audit.printing import audit_record_page
from audit.services import Action, audit_event_record, audit_form_shown, audit_listed
from records import held_search
from records.lists import ListScreen, back_link, only_what_is_set, url_cleaned
from records.versions import save_change

from . import selectors, services
from .forms import (
    IntelligenceEntryForm,
    LineCloseForm,
    LineForm,
    LineNumberAttributeForm,
    LineNumberEndForm,
    LineUpdateForm,
    NumberRecordForm,
    NumberSearchForm,
)
from .page_tabs import line_page_tabs
from .phone import national_format, normalise_number
from .rules import attribution_problems

LINE_TYPE = "lines.line"
REFERRAL_TYPE = "safeguarding.referral"
EXPORT_HEADER = [
    "reference",
    "name",
    "status",
    "origin_force",
    "command_areas",
    "first_identified",
    "closed_on",
    "closure_type",
    "risk_level",
    "numbers_count",
    "numbers",
]


held_search.personal_parameters("number")


def _as_typed_or_national(text: str) -> str:
    try:
        return national_format(normalise_number(text))
    except ValidationError:
        return text


LINES = ListScreen(
    filterset=selectors.line_list,
    template="lines/line_list.html",
    noun="line",
    object_type=LINE_TYPE,
    export_url_name="lines:line_export",
    export_header=EXPORT_HEADER,
    export_rows=lambda lines, user: selectors.line_export_rows(
        lines=lines, day=timezone.localdate()
    ),
    change_capability=Capability.CHANGE_LINES,
)


@capability_required(Capability.VIEW_LINES)
@only_what_is_set
def line_list(request: AuthenticatedHttpRequest):
    return LINES.page(request)


@capability_required(Capability.VIEW_LINES)
@only_what_is_set
def line_export(request: AuthenticatedHttpRequest):
    return LINES.export(request)


@capability_required(Capability.VIEW_LINES)
def line_detail(request: AuthenticatedHttpRequest, pk: int):
    line = selectors.get_line_for_user(request.user, pk)
    printing = audit_record_page(request, line)
    # Each read once, and used by its tab, the related lines and the timeline.
    attributions = selectors.line_attributions(line=line)
    intelligence = selectors.line_intelligence(line=line)
    recorded = selectors.line_people_and_enforcement(line=line)
    referrals = selectors.line_referrals(line=line, user=request.user)
    if referrals:
        audit_listed(
            request=request,
            object_type=REFERRAL_TYPE,
            label=f"Referrals suspecting line {line.reference}",
            referrals=[referral.reference for referral in referrals],
        )
    return render(
        request,
        "lines/line_detail.html",
        {
            "line": line,
            "back_url": back_link(request, reverse("lines:line_list")),
            "can_read_audit_log": user_can(request.user, Capability.VIEW_AUDIT_LOG),
            "attributions": attributions,
            "intelligence": intelligence,
            "recorded": recorded,
            "related": selectors.related_lines(line=line, attributions=attributions),
            "timeline": selectors.line_timeline(
                line=line,
                user=request.user,
                attributions=attributions,
                intelligence=intelligence,
                recorded=recorded,
                referrals=referrals,
            ),
            "can_change": user_can(request.user, Capability.CHANGE_LINES),
            # Tabs the apps above add (the call data's), after the line's own.
            "added_tabs": line_page_tabs(request, line),
            **printing,
        },
    )


@capability_required(Capability.CHANGE_LINES)
def line_create(request: AuthenticatedHttpRequest):
    suggested = selectors.next_line_reference(today=timezone.localdate())
    form = LineForm(request.POST or None, suggested_reference=suggested)
    if request.method == "POST" and form.is_valid():
        try:
            line = services.line_create_with_number(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Line {line.reference} {line.name} created.")
            return redirect("lines:line_detail", pk=line.pk)
    return render(request, "lines/line_create.html", {"form": form})


@capability_required(Capability.CHANGE_LINES)
def line_update(request: AuthenticatedHttpRequest, pk: int):
    line = selectors.get_line_for_user(request.user, pk, to_change=True)
    audit_form_shown(request=request, obj=line, form="change details")
    form = LineUpdateForm(request.POST or None, line=line, initial=LineUpdateForm.initial_for(line))

    def save(expected_version, fields):
        _, changed = services.line_update(
            line=line, user=request.user, expected_version=expected_version, **fields
        )
        return changed

    saved = save_change(
        request, form, save, done=f"Line {line.reference} updated.", then=line.get_absolute_url()
    )
    return saved or render(request, "lines/line_update.html", {"form": form, "line": line})


@capability_required(Capability.CHANGE_LINES)
def line_close(request: AuthenticatedHttpRequest, pk: int):
    line = selectors.get_line_for_user(request.user, pk, to_change=True)
    audit_form_shown(request=request, obj=line, form="close")
    initial = {
        "closed_on": line.closed_on,
        "closure_type": line.closure_type,
        "version": line.version,
    }
    in_use = selectors.numbers_in_use(line=line)
    form = LineCloseForm(request.POST or None, line=line, numbers_in_use=in_use, initial=initial)

    def close(expected_version, fields):
        services.line_close(
            line=line,
            user=request.user,
            closed_on=fields["closed_on"],
            closure_type=fields["closure_type"],
            expected_version=expected_version,
            end_numbers=fields.get("end_numbers", False),
        )
        return True

    saved = save_change(
        request, form, close, done=f"Line {line.reference} closed.", then=line.get_absolute_url()
    )
    return saved or render(request, "lines/line_close.html", {"form": form, "line": line})


@capability_required(Capability.CHANGE_LINES)
def line_number_attribute(request: AuthenticatedHttpRequest, pk: int):
    """Attributes a number; when another line has or had it, asks the officer to confirm."""
    line = selectors.get_line_for_user(request.user, pk, to_change=True)
    audit_form_shown(request=request, obj=line, form="attribute a number")
    typed = held_search.reveal(request).query.get("number", "")
    initial = {"number": _as_typed_or_national(typed)}
    form = LineNumberAttributeForm(request.POST or None, initial=initial)
    elsewhere = []
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["number"]
        period = {
            "attributed_from": form.cleaned_data["attributed_from"],
            "attributed_to": form.cleaned_data["attributed_to"],
        }
        elsewhere = selectors.number_uses_elsewhere(user=request.user, line=line, e164=number)
        clash = selectors.overlapping_use(line=line, e164=number, **period)
        problems = attribution_problems(**period, today=timezone.localdate())
        if problems:  # said before any question about other lines
            form.add_service_errors(ValidationError(problems))
            elsewhere = []
        elif clash is not None:
            form.add_error("attributed_from", services.attribution_clash_message(clash=clash))
            elsewhere = []
        elif elsewhere and not form.is_confirmed:
            # Not a refusal: numbers do pass from one line to the next. Say so, then let
            # the officer confirm with the same number. Naming those lines answers a
            # search for the number: audited as the number search is.
            audit_event_record(
                action=Action.SEARCH,
                request=request,
                object_type="lines.phonenumber",
                object_id=elsewhere[0].number.pk,
                object_label=number,
                detail={"number": number, "lines": [use.line.reference for use in elsewhere]},
            )
            data = request.POST.copy()
            data["confirmed_number"] = number
            form = LineNumberAttributeForm(data)
            form.is_valid()
        else:
            try:
                attribution = services.line_number_attribute(
                    user=request.user,
                    line=line,
                    number=number,
                    end_in_use_elsewhere=form.cleaned_data.get("end_in_use_elsewhere", False),
                    **period,
                )
            except ValidationError as error:
                form.add_service_errors(error)
                if "end_in_use_elsewhere" not in getattr(error, "error_dict", {}):
                    elsewhere = []
            else:
                messages.success(
                    request, f"{attribution.number.national} attributed to {line.reference}."
                )
                return redirect("lines:line_detail", pk=line.pk)
    start = form.cleaned_data.get("attributed_from") if form.is_bound else None
    form.offer_to_end(
        [
            use
            for use in elsewhere
            if start and (use.attributed_to is None or use.attributed_to >= start)
        ]
    )
    return render(
        request,
        "lines/line_number_attribute.html",
        {"form": form, "line": line, "elsewhere": elsewhere},
    )


@capability_required(Capability.CHANGE_LINES)
def line_number_end(request: AuthenticatedHttpRequest, pk: int, attribution_pk: int):
    line = selectors.get_line_for_user(request.user, pk, to_change=True)
    attribution = selectors.get_attribution_for_user(
        request.user, line, attribution_pk, to_change=True
    )
    audit_form_shown(request=request, obj=attribution, form="end the attribution")
    form = LineNumberEndForm(
        request.POST or None,
        attribution=attribution,
        initial={"attributed_to": attribution.attributed_to, "version": attribution.version},
    )

    def end(expected_version, fields):
        services.line_number_end(
            user=request.user,
            attribution=attribution,
            attributed_to=fields["attributed_to"],
            expected_version=expected_version,
        )
        return True

    saved = save_change(
        request,
        form,
        end,
        done=f"{attribution.number.national} no longer attributed to {line.reference}.",
        then=line.get_absolute_url(),
    )
    return saved or render(
        request,
        "lines/line_number_end.html",
        {"form": form, "line": line, "attribution": attribution},
    )


@capability_required(Capability.CHANGE_LINES)
def intelligence_entry_add(request: AuthenticatedHttpRequest, pk: int):
    line = selectors.get_line_for_user(request.user, pk, to_change=True)
    audit_form_shown(request=request, obj=line, form="add intelligence")
    form = IntelligenceEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.intelligence_entry_add(
                user=request.user, line=line, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Intelligence graded {entry.grading} added.")
            return redirect("lines:line_detail", pk=line.pk)
    return render(request, "lines/intelligence_entry_add.html", {"form": form, "line": line})


@capability_required(Capability.VIEW_LINES)
def number_search(request: AuthenticatedHttpRequest):
    """Is this number known to us? Every line that used it and when, or "not known".

    The number searched for is held in the session, never in the URL (records/held_search.py):
    the search form is posted, and a number written in a link is swapped for a reference."""
    if request.method == "POST":
        form = NumberSearchForm(request.POST)
        if form.is_valid():
            return redirect(f"{request.path}?{_number_query(request, form.data['number'])}")
        searched: QueryDict = request.POST
    elif moved := url_cleaned(request):
        return moved
    else:
        revealed = held_search.reveal(request)
        searched = revealed.query
        form = NumberSearchForm(searched if "number" in searched or revealed.lost else None)
        held_search.refuse_lost(form, revealed.lost)
    lookup = part = None
    if form.is_valid() and form.cleaned_data["number"][0] == "part":
        part = selectors.number_part_lookup(
            user=request.user, digits=form.cleaned_data["number"][1]
        )
        audit_event_record(
            action=Action.SEARCH,
            request=request,
            object_type="lines.phonenumber",
            object_label=f"Numbers containing {part.digits}",
            detail={
                "digits": part.digits,
                "numbers": [number.e164 for number, _uses in part.numbers],
            },
        )
    elif form.is_valid():
        lookup = selectors.number_lookup(user=request.user, text=form.cleaned_data["number"][1])
        audit_event_record(
            action=Action.SEARCH,
            request=request,
            object_type="lines.phonenumber",
            object_id=lookup.number.pk if lookup.number else "",
            object_label=lookup.e164,
            detail={
                "number": lookup.e164,
                "typed": searched.get("number", "")[:40],
                "lines": [use.line.reference for use in lookup.uses],
                "persons": [use.person.reference for use in lookup.person_uses],
            },
        )
    record_url = ""
    if lookup is not None and user_can(request.user, Capability.CHANGE_LINES):
        record_url = f"{reverse('lines:number_record')}?{_number_query(request, lookup.e164)}"
    return render(
        request,
        "lines/number_search.html",
        {
            "form": form,
            "lookup": lookup,
            "part": part,
            "record_url": record_url,
            "can_change": user_can(request.user, Capability.CHANGE_LINES),
        },
    )


@capability_required(Capability.VIEW_LINES)
def number_search_for(request: AuthenticatedHttpRequest, pk: int):
    """The number search for a number the service holds, linked by its id from the pages
    that list numbers: the number itself is then held, never written in a URL."""
    number = selectors.get_number_for_user(request.user, pk)
    return redirect(f"{reverse('lines:number_search')}?{_number_query(request, number.e164)}")


@capability_required(Capability.CHANGE_LINES)
def number_record(request: AuthenticatedHttpRequest):
    """Records an unknown number: choose the line, then attribute the number there."""
    if request.method == "POST":
        typed = request.POST.get("number", "")
        form = NumberRecordForm(request.POST, user=request.user)
        if form.is_valid():
            line = form.cleaned_data["line_reference"]
            query = _number_query(request, form.cleaned_data["number"])
            return redirect(f"{reverse('lines:line_number_attribute', args=[line.pk])}?{query}")
    else:
        typed = held_search.reveal(request).query.get("number", "")
        form = NumberRecordForm(user=request.user, initial={"number": typed})
        if typed:  # the page names the number, which may be one the service holds
            audit_event_record(
                action=Action.VIEW,
                request=request,
                object_type="lines.phonenumber",
                object_label=_as_typed_or_national(typed),
                detail={"form": "record a number"},
            )
    back_url = reverse("lines:number_search")
    if typed:
        back_url = f"{back_url}?{_number_query(request, typed)}"
    return render(
        request,
        "lines/number_record.html",
        {"form": form, "number": _as_typed_or_national(typed), "back_url": back_url},
    )


def _number_query(request: AuthenticatedHttpRequest, number: str) -> str:
    """`number=…` for a link to another page about the number, the number held."""
    return held_search.held_query(request, number=number)
