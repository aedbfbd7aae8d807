"""Device cookies: how the sign-in throttle tells apart the people behind one address.

OWASP's "device cookie" (Slow Down Online Guessing Attacks with Device Cookies): once
someone has signed in as a user in a browser (the password and, when asked, the second
factor), that browser is given a cookie naming the username, signed with the service's
secret key, HttpOnly, SameSite and, in production, Secure. A browser that presents one for
the username it tries is known to have proved that account before: the locks of its
address (accounts/lockout.py), which strangers sharing it (an office, a council's network)
can close, do not apply to it; a lock of its own does.

One cookie per browser: its own random id (which keys its lock) and the usernames signed
in there, the latest last (a shared computer), at most SIGN_IN_DEVICE_USERS of them. A
forged or altered cookie fails its signature and counts as none; so does one older than
SIGN_IN_DEVICE_COOKIE_AGE (a browser in use has it renewed daily).
"""

import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing

from .two_factor import SECOND_FACTOR_REQUIRED

SALT = "accounts.devices"
# A cookie in use is given again (its age restarting) once a day at most.
_RENEW_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class Device:
    id: str
    usernames: tuple[str, ...]
    issued_at: float  # a POSIX time


def device_of(request) -> Device | None:
    """The browser's device cookie, if it is one the service signed (and still valid)."""
    if not hasattr(request, "_sign_in_device"):
        request._sign_in_device = _read(request)
    return request._sign_in_device


def device_for(request, username: str) -> str | None:
    """The id of the browser's device cookie if it names `username`, else None."""
    device = device_of(request)
    if device is None or not username or username not in device.usernames:
        return None
    return device.id


def _read(request) -> Device | None:
    value = request.COOKIES.get(settings.SIGN_IN_DEVICE_COOKIE_NAME)
    if not value:
        return None
    max_age = settings.SIGN_IN_DEVICE_COOKIE_AGE
    try:
        content = signing.loads(value, salt=SALT, max_age=max_age)
        return Device(
            id=str(content["id"]),
            usernames=tuple(map(str, content["usernames"])),
            issued_at=float(content["at"]),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def _issue(response, device: Device | None, username: str) -> None:
    earlier = [name for name in (device.usernames if device else ()) if name != username]
    content = {
        "id": device.id if device else secrets.token_urlsafe(16),
        "usernames": [*earlier, username][-settings.SIGN_IN_DEVICE_USERS :],
        "at": int(time.time()),
    }
    response.set_cookie(
        settings.SIGN_IN_DEVICE_COOKIE_NAME,
        # Signed, with the time: URL-safe base64, so no browser mangles it.
        signing.dumps(content, salt=SALT, compress=True),
        max_age=int(settings.SIGN_IN_DEVICE_COOKIE_AGE.total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _signed_in_fully(request) -> bool:
    """The session has passed every step of signing in: the password, and the second
    factor when it was asked for (accounts.two_factor)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    # A user signed in by this very request is not yet wrapped by django-otp: not verified.
    is_verified = getattr(user, "is_verified", None)
    return not request.session.get(SECOND_FACTOR_REQUIRED) or bool(is_verified and is_verified())


class DeviceCookieMiddleware:
    """Gives the device cookie with the first response after a sign-in is complete, whichever
    page completes it (the sign-in form, the second step, setting up an authenticator), and
    again once a day while the user goes on using the service, so that its age restarts."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _signed_in_fully(request):
            username = request.user.get_username()
            device = device_of(request)
            renew_before = time.time() - _RENEW_AFTER.total_seconds()
            if device_for(request, username) is None or device.issued_at < renew_before:
                _issue(response, device, username)
        return response
