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


class _ConfiningMiddleware:
    """A signed-in user to whom `confines(request)` applies reaches nothing but the views
    of `OPEN`, signing out and the health check: every other page sends them to
    `destination(request)`."""

    OPEN: frozenset[str] = frozenset()
    ALWAYS_OPEN = frozenset({"accounts:logout", "web:health"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_name = request.resolver_match.view_name
        if (
            request.user.is_authenticated
            and self.confines(request)
            and view_name not in self.OPEN
            and view_name not in self.ALWAYS_OPEN
        ):
            return redirect(self.destination(request))
        return None

    def confines(self, request) -> bool:
        raise NotImplementedError

    def destination(self, request) -> str:
        raise NotImplementedError


class SecondFactorMiddleware(_ConfiningMiddleware):
    """A session that must pass the second step (accounts.two_factor) reaches nothing but
    that step, signing out and the health check until it has: every other page sends it
    to enter a code, or to set up an authenticator first, then back where it was going."""

    OPEN = frozenset(
        {
            "accounts:two_factor_verify",
            "accounts:two_factor_setup",
            "accounts:password_confirm",  # asked by the set-up page when the sign-in is old
        }
    )

    def confines(self, request) -> bool:
        return _second_step_pending(request)

    def destination(self, request) -> str:
        step = "verify" if second_factor_set_up(request.user) else "setup"
        target = reverse(f"accounts:two_factor_{step}")
        return f"{target}?{urlencode({'next': request.get_full_path()})}"


class PasswordChangeRequiredMiddleware(_ConfiningMiddleware):
    """A user an administrator asked to choose a new password (User.password_change_required)
    reaches nothing but the change-password page, signing out and the health check until
    they have. The second step comes first: while a session still has to pass it, this
    leaves it to SecondFactorMiddleware (which runs before)."""

    OPEN = frozenset({"accounts:password_change"})

    def confines(self, request) -> bool:
        return request.user.password_change_required and not _second_step_pending(request)

    def destination(self, request) -> str:
        return reverse("accounts:password_change")


def _second_step_pending(request) -> bool:
    return bool(request.session.get(SECOND_FACTOR_REQUIRED)) and not request.user.is_verified()
