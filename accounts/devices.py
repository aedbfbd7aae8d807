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

A cookie also carries, for each username, a stamp of the password the user signed in with
(an HMAC of its hash, never the hash): once the password changes (reset after a theft, or
by the user), every browser signed in before answers to the address's locks again, like a
stranger's, until someone signs in there with the new password.
"""

import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from .two_factor import SECOND_FACTOR_REQUIRED

SALT = "accounts.devices"
# A cookie in use is given again (its age restarting) once a day at most.
_RENEW_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class Device:
    id: str
    usernames: tuple[str, ...]
    issued_at: float  # a POSIX time
    # Each username's stamp of the password it signed in with (`password_stamp`).
    stamps: dict[str, str]


def device_of(request) -> Device | None:
    """The browser's device cookie, if it is one the service signed (and still valid)."""
    if not hasattr(request, "_sign_in_device"):
        request._sign_in_device = _read(request)
    return request._sign_in_device


def password_stamp(password_hash: str) -> str:
    """What a cookie keeps of a user's password: it changes when the password does, and
    tells nothing of it (a keyed HMAC of the stored hash)."""
    return salted_hmac(SALT, password_hash, algorithm="sha256").hexdigest()[:20]


def device_for(request, username: str) -> str | None:
    """The id of the browser's device cookie if it names `username` and the user's password
    is still the one signed in with there, else None."""
    device = device_of(request)
    if device is None or not username or username not in device.usernames:
        return None
    stamp = device.stamps.get(username)
    if not stamp:
        return None
    user_model = get_user_model()
    password = (
        user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username})
        .values_list("password", flat=True)
        .first()
    )
    if password is None or not constant_time_compare(stamp, password_stamp(password)):
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
            stamps={str(name): str(stamp) for name, stamp in content.get("stamps", {}).items()},
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def _issue(response, device: Device | None, username: str, stamp: str) -> None:
    earlier = [name for name in (device.usernames if device else ()) if name != username]
    usernames = [*earlier, username][-settings.SIGN_IN_DEVICE_USERS :]
    stamps = {**(device.stamps if device else {}), username: stamp}
    content = {
        "id": device.id if device else secrets.token_urlsafe(16),
        "usernames": usernames,
        "stamps": {name: stamps[name] for name in usernames if name in stamps},
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
            # The signed-in user is loaded already: no query on every request.
            stamp = password_stamp(request.user.password)
            device = device_of(request)
            renew_before = time.time() - _RENEW_AFTER.total_seconds()
            if (
                device is None
                or not constant_time_compare(device.stamps.get(username, ""), stamp)
                or device.issued_at < renew_before
            ):
                _issue(response, device, username, stamp)
        return response
