import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect

SIGNED_IN_AT = "signed_in_at"


class SessionLifetimeMiddleware:
    """Ends a session 10 hours (SESSION_ABSOLUTE_LIFETIME) after sign-in, however busy.

    The 30-minute idle limit is the session cookie's own age, renewed on each request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT)
            limit = settings.SESSION_ABSOLUTE_LIFETIME.total_seconds()
            if signed_in_at is None or time.time() - signed_in_at > limit:
                logout(request)
                messages.info(request, "Your session has ended. Sign in again to continue.")
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)
