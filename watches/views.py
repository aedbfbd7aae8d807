"""Watching things, and the notifications of what came of it. Thin: the thing a user
asks to watch is checked here (they must be able to see it), the rest is the services'.
"""

import re

from django.apps import apps
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.access import get_object_in_scope, get_record_for_user, require_capability
from accounts.http import AuthenticatedHttpRequest
from accounts.permissions import Capability
from audit.services import audit_listed

from . import selectors, services
from .models import Watch
from .things import WATCHABLE_RECORDS, address_thing, number_thing

_E164 = re.compile(r"\+[1-9]\d{6,14}")
_SHOWN_NUMBER = re.compile(r"[0-9 +()-]{1,30}")
PER_PAGE = 50


def _next_url(request: AuthenticatedHttpRequest, default: str) -> str:
    wanted = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default


@require_POST
def watch_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Watch a line, a person or a referral the user may see (by its page), a number
    (police users), or an address (police users)."""
    kind, value = request.POST.get("kind", ""), request.POST.get("value", "")
    url = ""
    if kind in WATCHABLE_RECORDS:
        label, thing = WATCHABLE_RECORDS[kind]
        records = apps.get_model(label)._default_manager.all()
        if not value.isdigit():
            raise Http404("No such record.")
        record = get_record_for_user(request.user, records, value)
        key, shown, url = thing(record.pk), str(record), record.get_absolute_url()
    elif kind == "number":
        require_capability(request, Capability.VIEW_LINES)
        if not _E164.fullmatch(value):
            return HttpResponseBadRequest("Not a number.")
        shown = request.POST.get("label", "")
        key, shown = number_thing(value), shown if _SHOWN_NUMBER.fullmatch(shown) else value
    elif kind == "address":
        require_capability(request, Capability.VIEW_PERSONS)
        postcode = request.POST.get("postcode", "")
        found = address_thing(address=value, postcode=postcode)
        if found is None:
            return HttpResponseBadRequest("No address.")
        first_line = value.strip().splitlines()[0] if value.strip() else ""
        key, shown = found, ", ".join(part for part in (first_line, postcode.upper()) if part)
    else:
        return HttpResponseBadRequest("Nothing to watch.")
    services.watch_start(user=request.user, key=key, label=shown, url=url)
    messages.success(request, f"You are watching {shown}. You will be told when it comes back.")
    return redirect(_next_url(request, url or "watches:watch_list"))


def _own_watch(request: AuthenticatedHttpRequest, pk: int) -> Watch:
    """One of the user's own watches; another's is answered 404, and audited."""
    return get_object_in_scope(
        user=request.user, visible=selectors.watch_list(user=request.user), pk=pk
    )


@require_POST
def watch_stop(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    watch = _own_watch(request, pk)
    services.watch_stop(user=request.user, watch=watch)
    messages.success(request, f"You are no longer watching {watch.label}.")
    return redirect(_next_url(request, "watches:watch_list"))


@require_POST
def watch_email(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    watch = _own_watch(request, pk)
    email = request.POST.get("email") == "yes"
    services.watch_email_set(user=request.user, watch=watch, email=email)
    if email:
        messages.success(request, f"You will be e-mailed when {watch.label} has news.")
    else:
        messages.success(request, f"You will no longer be e-mailed about {watch.label}.")
    return redirect("watches:watch_list")


def watch_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What the user watches (numbers, addresses: personal data, so audited)."""
    watches = list(selectors.watch_list(user=request.user))
    audit_listed(
        request=request,
        object_type="watches.watch",
        label="Things you watch",
        count=len(watches),
        keys=[watch.key for watch in watches],
    )
    return render(request, "watches/watch_list.html", {"watches": watches})


def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's notifications they may see, newest first, 50 a page (audited: each
    names a record and the thing watched)."""
    page = Paginator(
        selectors.notifications_visible(user=request.user).select_related("watch"), PER_PAGE
    ).get_page(request.GET.get("page"))
    audit_listed(
        request=request,
        object_type="watches.notification",
        label="Your notifications",
        page=page.number,
        records=[f"{note.record_type}:{note.record_id}" for note in page],
    )
    return render(request, "watches/notification_list.html", {"page": page})


def notification_open(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Marks the notification read and opens the record's page, which checks, as
    always, that the user may see it."""
    notification = get_object_in_scope(
        user=request.user, visible=selectors.notifications_visible(user=request.user), pk=pk
    )
    services.notification_read(notification=notification)
    return redirect(notification.url)


@require_POST
def notifications_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.notifications_read_all(user=request.user)
    messages.success(request, "Every notification is marked as read.")
    return redirect("watches:notification_list")
