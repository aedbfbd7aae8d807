"""The analyses' pages: a number's profile, common contacts, possible new lines and
handset continuity. Each is a GET form: a number typed is posted, held in the session
and the page redirected to a URL carrying a reference to it (records/held_search.py),
so no number is ever in a URL, a title, the browser's history or an audited path. Every
analysis shown is audited with the numbers looked at (`call_data_consulted`)."""

import datetime
from dataclasses import asdict
from typing import Any

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from accounts.access import capability_required
from accounts.http import AuthenticatedHttpRequest
from accounts.permissions import Capability
from core.heat_map import week_heat_map
from core.personal_terms import personal_parameters
from lines.selectors import line_choice_for_reference, lines_numbers
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


def _burst_defaults() -> dict[str, int]:
    """The settings' bursts (what the page starts with and the home page states)."""
    return asdict(selectors.burst_settings())


def _last_month(today: datetime.date) -> dict[str, datetime.date]:
    """The last whole month: the period the scan is first offered (a month is what it is
    built to scan)."""
    end = today.replace(day=1) - datetime.timedelta(days=1)
    return {"start": end.replace(day=1), "end": end}


@capability_required(Capability.VIEW_CALL_DATA)
def home(request: AuthenticatedHttpRequest):
    """What the call data offers: the sources and each analysis's page."""
    return render(request, "calls/home.html", {"burst_defaults": _burst_defaults()})


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
        profile = selectors.number_profile(number, user=request.user, **_period(form))
        call_data_consulted(
            user=request.user,
            analysis="number profile",
            numbers=[number],
            detail=_period_detail(form) or None,
        )
        heat_map = week_heat_map(
            profile.activity,
            title="Events by hour and day of the week, UK time",
            description=f"{sum(map(sum, profile.activity)):,} events: the darker a cell, the "
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
    rows: list[tuple[Any, str, list[int]]] = []
    if form.is_bound and form.is_valid():
        numbers, lines = form.cleaned_data["numbers"], form.cleaned_data["lines"]
        if lines:
            result = selectors.common_contacts_of_lines(lines, **_period(form))
            compared = lines_numbers(lines=lines)
        else:
            result = selectors.common_contacts(numbers, **_period(form))
            compared = list(numbers)
        call_data_consulted(
            user=request.user,
            analysis="common contacts",
            numbers=[*compared, *(row.number for row in result.contacts)],
            detail={"lines": [line.reference for line in lines], **_period_detail(form)},
        )
        rows = [
            (row, profile_url(request, row.number), [row.events[label] for label in result.numbers])
            for row in result.contacts
        ]
    return render(
        request, "calls/common_contacts.html", {"form": form, "result": result, "rows": rows}
    )


@capability_required(Capability.VIEW_CALL_DATA)
@only_what_is_set
def possible_new_lines(request: AuthenticatedHttpRequest):
    initial = _burst_defaults() | _last_month(timezone.localdate())
    form = _bound(request, PossibleNewLinesForm, initial=initial)
    found = None
    rows: list[tuple[Any, str]] = []
    if form.is_bound and form.is_valid():
        try:
            found = selectors.possible_new_lines(**form.cleaned_data)
        except selectors.TooManySenders as too_many:
            form.add_error("recipients", str(too_many))
    if found is not None:
        call_data_consulted(
            user=request.user,
            analysis="possible new lines",
            numbers=[row.number for row in found.numbers],
            detail={
                **asdict(found.settings),
                "start": found.start.isoformat(),
                "end": found.end.isoformat(),
            },
        )
        rows = [(row, profile_url(request, row.number)) for row in found.numbers]
    return render(
        request, "calls/possible_new_lines.html", {"form": form, "found": found, "rows": rows}
    )


@capability_required(Capability.VIEW_CALL_DATA)
@only_what_is_set
def handset_continuity(request: AuthenticatedHttpRequest):
    form = _bound(
        request,
        HandsetContinuityForm,
        find_line=lambda reference: line_choice_for_reference(
            user=request.user, reference=reference
        ),
    )
    continuity = None
    if form.is_bound and form.is_valid():
        line = form.cleaned_data["line"]
        continuity = selectors.handset_continuity(
            number=form.cleaned_data["number"] or None, line=line, **_period(form)
        )
        carried = {use.number for handset in continuity.handsets for use in handset.uses}
        call_data_consulted(
            user=request.user,
            analysis="handset continuity",
            numbers=[*continuity.numbers, *sorted(carried - set(continuity.numbers))],
            detail={
                "line": line.reference if line else None,
                "handsets": [handset.imei for handset in continuity.handsets],
                **_period_detail(form),
            },
        )
    return render(
        request,
        "calls/handset_continuity.html",
        {"form": form, "continuity": continuity},
    )
