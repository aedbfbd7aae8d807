import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .two_factor import SECOND_FACTOR_REQUIRED, second_factor_set_up

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


class SecondFactorMiddleware:
    """A session that must pass the second step (accounts.two_factor) reaches nothing but
    that step, signing out and the health check until it has: every other page sends it
    to enter a code, or to set up an authenticator first, then back where it was going."""

    OPEN_TO_UNVERIFIED = {
        "accounts:two_factor_verify",
        "accounts:two_factor_setup",
        "accounts:password_confirm",  # asked by the set-up page when the sign-in is old
        "accounts:logout",
        "core:health",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            request.user.is_authenticated
            and _second_step_pending(request)
            and request.resolver_match.view_name not in self.OPEN_TO_UNVERIFIED
        ):
            step = "verify" if second_factor_set_up(request.user) else "setup"
            target = reverse(f"accounts:two_factor_{step}")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return None


class PasswordChangeRequiredMiddleware:
    """A user an administrator asked to choose a new password (User.password_change_required)
    reaches nothing but the change-password page, signing out and the health check until
    they have. The second step comes first: while a session still has to pass it, this
    leaves it to SecondFactorMiddleware (which runs before)."""

    OPEN_TO_USERS_WHO_MUST_CHANGE = {
        "accounts:password_change",
        "accounts:logout",
        "core:health",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            request.user.is_authenticated
            and request.user.password_change_required
            and not _second_step_pending(request)
            and request.resolver_match.view_name not in self.OPEN_TO_USERS_WHO_MUST_CHANGE
        ):
            return redirect("accounts:password_change")
        return None


def _second_step_pending(request) -> bool:
    return bool(request.session.get(SECOND_FACTOR_REQUIRED)) and not request.user.is_verified()
