from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from audit.services import Action, AuditEntry, audit_events_record_many

from .home import home_sections
from .navigation import areas_for


def home(request: AuthenticatedHttpRequest):
    """The sections of the user's role (web/home.py), each audited as the list it is,
    then the areas they may use."""
    if getattr(request.user, "is_partner", False):
        # A partner's work is all safeguarding: their home is its overview.
        return redirect("safeguarding:home")
    sections = home_sections(user=request.user)
    # Each section is the list it is (a `search` event, as audit_listed writes), all in
    # one statement: an INSERT apiece cost a round trip each, a few ms on PostgreSQL.
    audit_events_record_many(
        user=request.user,
        entries=[
            AuditEntry(
                action=Action.SEARCH,
                object_type=shown.object_type,
                object_id="",
                object_label=shown.label,
                detail=shown.listed,
            )
            for _section, shown in sections
            if shown.listed is not None
        ],
    )
    return render(
        request,
        "core/home.html",
        {"sections": sections, "areas": areas_for(request.user)},
    )


@login_not_required
@require_GET
def health(request):
    """For load balancers and container health checks: is the app up and its database reachable?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@login_not_required
def csrf_failure(request, reason=""):
    """A form posted from a page opened before the user last signed in (the form's token
    changes at sign-in), or from another site: refused, with a way to carry on."""
    return render(request, "403_csrf.html", status=403)
