from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest

from .navigation import areas_for


def home(request: AuthenticatedHttpRequest):
    if getattr(request.user, "is_partner", False):
        # A partner's work is all safeguarding: their home is its overview.
        return redirect("safeguarding:home")
    return render(request, "core/home.html", {"areas": areas_for(request.user)})


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
