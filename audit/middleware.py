import re

from .context import RequestContext, new_request_id, reset_current_request, set_current_request

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
        # REMOTE_ADDR only: a forwarded-for header is written by the client and proves nothing.
        context = RequestContext(
            request_id=request.request_id,
            ip_address=request.META.get("REMOTE_ADDR") or None,
            path=request.get_full_path()[:500],
        )
        token = set_current_request(context)
        try:
            response = self.get_response(request)
        finally:
            reset_current_request(token)
        response["X-Request-ID"] = request.request_id
        return response
