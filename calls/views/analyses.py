"""The analyses' pages: a number's profile, common contacts, possible new lines and
handset continuity. Each is a GET form: a number typed is posted, held in the session
and the page redirected to a URL carrying a reference to it (records/held_search.py),
so no number is ever in a URL, a title, the browser's history or an audited path. Every
analysis shown is audited with the numbers looked at (`call_data_consulted`)."""

from typing import Any

from django.shortcuts import render
from django.urls import reverse

from accounts.access import capability_required
from accounts.http import AuthenticatedHttpRequest
from accounts.permissions import Capability
from core.heat_map import week_heat_map
from core.personal_terms import personal_parameters
from lines.phone import national_format
from lines.selectors import line_choice_for_reference
from records import held_search
from records.lists import only_what_is_set

from .. import selectors
from ..consultation import call_data_consulted
from ..forms import (
    CommonContactsForm,
    HandsetContinuityForm,
    NumberProfileForm,
    PossibleNewLinesForm,
)

# The numbers typed into these pages' forms are personal data ("number" is the number
# search's, declared by lines).
personal_parameters("number", "numbers")

BURST_DEFAULTS = {"recipients": 20, "minutes": 10, "days": 3}


@capability_required(Capability.VIEW_CALL_DATA)
def home(request: AuthenticatedHttpRequest):
    """What the call data offers: the sources and each analysis's page."""
    return render(request, "calls/home.html", {"burst_defaults": BURST_DEFAULTS})


def _bound(request: AuthenticatedHttpRequest, form_class: type, **kwargs: Any):
    """The page's form bound to the query (its numbers revealed), or unbound when nothing
    was asked; a number no longer held is an error on its field."""
    revealed = held_search.reveal(request)
    asked = bool(revealed.query) or bool(revealed.lost)
    form = form_class(revealed.query if asked else None, **kwargs)
    held_search.refuse_lost(form, revealed.lost)
    return form


def profile_url(request: AuthenticatedHttpRequest, number: str) -> str:
    """A link to `number`'s profile, the number held."""
    return f"{reverse('calls:number_profile')}?{held_search.held_query(request, number=number)}"


def _period(form) -> dict[str, Any]:
    return {"start": form.cleaned_data.get("start"), "end": form.cleaned_data.get("end")}


def _period_detail(form) -> dict[str, str]:
    return {key: day.isoformat() for key, day in _period(form).items() if day}


@capability_required(Capability.VIEW_CALL_DATA)
@only_what_is_set
def number_profile(request: AuthenticatedHttpRequest):
    form = _bound(request, NumberProfileForm)
    profile = heat_map = None
    contacts: list[tuple[Any, str]] = []
    if form.is_bound and form.is_valid():
        number = form.cleaned_data["number"]
        profile = selectors.number_profile(number=number, **_period(form))
        call_data_consulted(
            user=request.user,
            analysis="number_profile",
            numbers=[number],
            detail=_period_detail(form) or None,
        )
        heat_map = week_heat_map(
            profile.heat_map,
            title="Events by hour and day of the week, UK time",
            description=f"{sum(map(sum, profile.heat_map)):,} events: the darker a cell, the "
            "more events in that hour of that day. The table below gives each figure.",
        )
        contacts = [
            (contact, profile_url(request, contact.number)) for contact in profile.top_contacts
        ]
    return render(
        request,
        "calls/number_profile.html",
        {"form": form, "profile": profile, "heat_map": heat_map, "top_contacts": contacts},
    )


@capability_required(Capability.VIEW_CALL_DATA)
@only_what_is_set
def common_contacts(request: AuthenticatedHttpRequest):
    form = _bound(
        request,
        CommonContactsForm,
        find_line=lambda reference: line_choice_for_reference(
            user=request.user, reference=reference
        ),
    )
    result = None
    rows: list[tuple[Any, str]] = []
    if form.is_bound and form.is_valid():
        result = selectors.common_contacts(
            numbers=form.cleaned_data["numbers"], lines=form.cleaned_data["lines"], **_period(form)
        )
        call_data_consulted(
            user=request.user,
            analysis="common_contacts",
            numbers=[*result.numbers, *(row.number for row in result.contacts)],
            detail={
                "lines": [line.reference for line in form.cleaned_data["lines"]],
                **_period_detail(form),
            },
        )
        rows = [(row, profile_url(request, row.number)) for row in result.contacts]
    return render(
        request, "calls/common_contacts.html", {"form": form, "result": result, "rows": rows}
    )


@capability_required(Capability.VIEW_CALL_DATA)
@only_what_is_set
def possible_new_lines(request: AuthenticatedHttpRequest):
    form = _bound(request, PossibleNewLinesForm, initial=BURST_DEFAULTS)
    found = None
    rows: list[tuple[Any, str]] = []
    if form.is_bound and form.is_valid():
        settings = {key: form.cleaned_data[key] for key in BURST_DEFAULTS}
        found = selectors.possible_new_lines(**settings, **_period(form))
        call_data_consulted(
            user=request.user,
            analysis="possible_new_lines",
            numbers=[row.number for row in found.numbers],
            detail={**settings, **_period_detail(form)},
        )
        rows = [(row, profile_url(request, row.number)) for row in found.numbers]
    return render(
        request, "calls/possible_new_lines.html", {"form": form, "found": found, "rows": rows}
    )


@capability_required(Capability.VIEW_CALL_DATA)
@only_what_is_set
def handset_continuity(request: AuthenticatedHttpRequest):
    form = _bound(request, HandsetContinuityForm)
    continuity = None
    if form.is_bound and form.is_valid():
        number = form.cleaned_data["number"]
        continuity = selectors.handset_continuity(number=number, **_period(form))
        call_data_consulted(
            user=request.user,
            analysis="handset_continuity",
            numbers=sorted(
                {use.number for handset in continuity.handsets for use in handset.numbers}
                | {number}
            ),
            detail={
                "handsets": [handset.imei for handset in continuity.handsets],
                **_period_detail(form),
            },
        )
    return render(
        request,
        "calls/handset_continuity.html",
        {"form": form, "continuity": continuity, "national_format": national_format},
    )
