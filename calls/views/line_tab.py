"""The line page's "Call data" tab: the numbers that may have taken over from the line's
numbers that went quiet, each with its evidence, and a button to attribute one to the
line (through the lines' attribution service, audited there)."""

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import capability_required
from accounts.http import AuthenticatedHttpRequest
from accounts.permissions import Capability, user_can
from lines.models import Line
from lines.page_tabs import LineTab
from lines.phone import national_format
from lines.selectors import get_line_for_user
from lines.services import line_number_attribute

from .. import selectors
from ..consultation import call_data_consulted
from .analyses import profile_url

TAB_ID = "call-data"
# The candidates a line's tab lists: the best few are what an analyst acts on.
CANDIDATES_SHOWN = 10


def call_data_tab(request: HttpRequest, line: Line) -> LineTab | None:
    """The tab, for those who may see call data (nobody else learns it exists): the
    successor candidates are computed and the consultation audited on each line page."""
    user = getattr(request, "user", None)
    if user is None or not user_can(user, Capability.VIEW_CALL_DATA):
        return None
    # Whoever may see call data is signed in (user_can says no to anyone else).
    signed_in = cast(AuthenticatedHttpRequest, request)
    found = selectors.successor_candidates_cached(line, limit=CANDIDATES_SHOWN)
    call_data_consulted(
        user=user,
        analysis="successor candidates",
        numbers=[*found.numbers, *(candidate.number for candidate in found.candidates)],
        detail={"line": line.reference, "candidates": len(found.candidates)},
    )
    return LineTab(
        id=TAB_ID,
        label="Call data",
        template="calls/includes/line_call_data.html",
        context={
            "found": found,
            # Each candidate links to its profile, the number held (never in the URL).
            "candidates": [
                (candidate, profile_url(signed_in, candidate.number))
                for candidate in found.candidates
            ],
            "can_attribute": user_can(user, Capability.CHANGE_LINES),
        },
    )


@capability_required(Capability.VIEW_CALL_DATA)
@capability_required(Capability.CHANGE_LINES)
@require_POST
def successor_attribute(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Attributes one of the line's successor candidates to it from the day the number was
    first seen (UK time). Only a number that is a candidate now is attributed: the
    button's form names the number, and a number posted by hand is refused."""
    line = get_line_for_user(request.user, pk, to_change=True)
    then = redirect(f"{line.get_absolute_url()}#{TAB_ID}")
    number = request.POST.get("number", "")
    candidates = selectors.successor_candidates(line, limit=CANDIDATES_SHOWN).candidates
    candidate = next((found for found in candidates if found.number == number), None)
    if candidate is None:
        messages.error(request, "That number is not a successor candidate of this line.")
        return then
    first_seen = timezone.localtime(candidate.evidence.first_seen).date()
    try:
        line_number_attribute(
            user=request.user, line=line, number=number, attributed_from=first_seen
        )
    except ValidationError as error:
        messages.error(
            request, f"{national_format(number)} was not attributed: {' '.join(error.messages)}"
        )
        return then
    messages.success(
        request,
        f"{national_format(number)} attributed to {line.reference} from {first_seen:%-d %B %Y}.",
    )
    return then
