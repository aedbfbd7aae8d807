import functools
import ipaddress
import re

from django.conf import settings
from django.contrib import admin
from django.urls import reverse

from core.filtering import filters_in_use
from core.personal_terms import audited_query

from .context import RequestContext, new_request_id, reset_current_request, set_current_request
from .services import Action, audit_event_record

# An upstream proxy may pass its own id; anything else is replaced, never trusted blindly.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Gives every request an id (sent back in X-Request-ID) and makes the request's
    id, client address and path available to the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else new_request_id()
        context = RequestContext(
            request_id=request.request_id,
            ip_address=client_address(request),
            path=_audited_path(request)[:500],
        )
        token = set_current_request(context)
        try:
            response = self.get_response(request)
        finally:
            reset_current_request(token)
        response["X-Request-ID"] = request.request_id
        return response


def _audited_path(request) -> str:
    """The path and query the audit log records: a personal term typed into the URL (a
    link built by hand, before the page holds it) is left out (core.personal_terms).
    The admin site's search boxes search by URL, for staff accounts and reference data:
    its paths are kept as they are (AdminAuditMiddleware records their filters too)."""
    audited = None if request.path.startswith(_admin_prefix()) else audited_query(request.GET)
    if audited is None:
        return request.get_full_path()
    return f"{request.path}?{audited.urlencode()}"


@functools.cache
def _admin_prefix() -> str:
    return reverse("admin:index")


def client_address(request) -> str | None:
    """The address of the client: REMOTE_ADDR, unless that is one of the proxies named in
    AUDIT_TRUSTED_PROXIES, in which case the last address in X-Forwarded-For that is not
    one of them (each proxy appends the address it received from). Without the setting,
    or from anyone else, the header is written by the client and proves nothing."""
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = settings.AUDIT_TRUSTED_PROXIES
    if not remote or not _in(remote, trusted):
        return remote
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in forwarded if hop]):
        if not _valid(hop):
            break
        if not _in(hop, trusted):
            return hop
    return remote


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def _in(address: str, networks: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network, strict=False) for network in networks)


class AdminAuditMiddleware:
    """Every page of the admin site an administrator opens is audited, as the service's
    own pages are: a list as a search with its filters (searching the audit log, or the
    users, is consulting them), any other page as a view of its record (a change form,
    its history, a deletion's confirmation listing related records).
    Its changes are logged again by audit.signals. A visitor the site does not let in is
    audited by its sign-in page (accounts.views.admin_sign_in), not here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        match = request.resolver_match
        if match is None or match.namespace != admin.site.name:
            return None
        if not admin.site.has_permission(request):
            return None
        model = getattr(_model_admin_of(view), "model", None)
        detail = {"method": request.method}
        action = Action.VIEW
        # The admin's catch-all redirect (an old-style "<id>/" address) has no name.
        url_name = match.url_name or "redirect"
        if url_name.endswith("_changelist") and request.method == "GET":
            action = Action.SEARCH
            detail["filters"] = filters_in_use(request.GET)
        audit_event_record(
            action=action,
            request=request,
            object_type=model._meta.label_lower if model else "admin",
            # Pages a ModelAdmin adds itself may name it `id` (Django's UserAdmin did).
            object_id=kwargs.get("object_id") or kwargs.get("id") or "",
            object_label=f"Admin site: {url_name}",
            detail=detail,
        )
        return None


def _model_admin_of(view) -> admin.ModelAdmin | None:
    """The ModelAdmin serving `view`: ModelAdmin.get_urls marks its views; a page a
    ModelAdmin adds on its own is one of its methods."""
    marked = getattr(view, "model_admin", None)
    if marked is not None:
        return marked
    owner = getattr(getattr(view, "__wrapped__", None), "__self__", None)
    return owner if isinstance(owner, admin.ModelAdmin) else None
