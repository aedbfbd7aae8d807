import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect

SIGNED_IN_AT = "signed_in_at"
RENEWED_AT = "renewed_at"


class SessionLifetimeMiddleware:
    """Ends a session 10 hours (SESSION_ABSOLUTE_LIFETIME) after sign-in, however busy,
    and renews its 30-minute idle expiry (SESSION_COOKIE_AGE) while it is in use.

    The expiry is renewed once every SESSION_RENEW_INTERVAL rather than on every request:
    saving the session is a database write, and most requests come minutes apart or
    less. So a session ends between 25 and 30 minutes after its last request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            signed_in_at = request.session.get(SIGNED_IN_AT)
            limit = settings.SESSION_ABSOLUTE_LIFETIME.total_seconds()
            if signed_in_at is None or now - signed_in_at > limit:
                logout(request)
                messages.info(request, "Your session has ended. Sign in again to continue.")
                return redirect(settings.LOGIN_URL)
            renewed_at = request.session.get(RENEWED_AT, signed_in_at)
            if now - renewed_at >= settings.SESSION_RENEW_INTERVAL.total_seconds():
                request.session[RENEWED_AT] = now  # saved, with a new expiry, after the view
        return self.get_response(request)
