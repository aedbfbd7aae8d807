"""Two-factor authentication (django-otp): an authenticator app's code after the password,
single-use recovery codes for a lost phone, and an administrator's reset.

Whether a session must pass the second step is decided once, at sign-in, and kept in the
session (SECOND_FACTOR_REQUIRED), so pages do not ask the database on every request.
"""

from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user, user_has_device, verify_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from audit.services import audit_event_record

from .models import User
from .services import user_sessions_end

SECOND_FACTOR_REQUIRED = "second_factor_required"
AUTHENTICATOR_APP = "Authenticator app"
RECOVERY_CODES = "Recovery codes"


def second_factor_set_up(user: User) -> bool:
    return user_has_device(user)


def second_factor_required(user: User) -> bool:
    return settings.TWO_FACTOR_REQUIRED or second_factor_set_up(user)


def authenticator_start(user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator for `user` to scan (any earlier unconfirmed one is
    dropped: only the QR code last shown can be confirmed)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_APP, confirmed=False)


def authenticator_pending(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def authenticator_qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code (no script, no image file)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5,
        dark="#0b0c0c",
        light="#ffffff",
        title="QR code for your authenticator app",
        svgclass="app-qr-code",
        lineclass=None,
    )


def authenticator_key_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app without a camera."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@transaction.atomic
def authenticator_confirm(request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirms the device if `code` is its current one: the session is verified, any older
    authenticator is replaced, and new recovery codes are returned (to be shown once).
    None if the code is wrong."""
    if not device.verify_token(code):
        _audit_refused(request, "authenticator set-up")
        return None
    TOTPDevice.objects.filter(user=device.user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_renew(device.user, audited=False)
    otp_login(request, device)
    request.session[SECOND_FACTOR_REQUIRED] = True
    audit_event_record(
        action=AuditEvent.Action.SECOND_FACTOR_ENROLLED, request=request, obj=device.user
    )
    return codes


def recovery_codes_renew(user: User, *, audited: bool = True, request=None) -> list[str]:
    """New single-use recovery codes for `user`; the old ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_CODES)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    if audited:
        audit_event_record(
            action=AuditEvent.Action.RECOVERY_CODES_RENEWED, request=request, obj=user
        )
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def second_factor_verify(request, code: str) -> bool:
    """Checks `code` against the user's authenticator, then their recovery codes (each
    works once); on a match the session is verified. Both outcomes are audited. django-otp
    slows down repeated wrong codes on each device (throttling)."""
    user = request.user
    for device in devices_for_user(user):
        if verify_token(user, device.persistent_id, code) is not None:
            otp_login(request, device)
            audit_event_record(
                action=AuditEvent.Action.SECOND_FACTOR_VERIFIED,
                request=request,
                obj=user,
                detail={"with": device.name},
            )
            return True
    _audit_refused(request, "sign-in")
    return False


def _audit_refused(request, step: str) -> None:
    audit_event_record(
        action=AuditEvent.Action.SECOND_FACTOR_FAILED,
        request=request,
        obj=request.user,
        detail={"step": step},
    )


@transaction.atomic
def second_factor_reset(user: User, *, by) -> int:
    """An administrator removes `user`'s authenticator and recovery codes (a lost phone):
    their sessions end and they set up a new one at their next sign-in. Audited."""
    removed = 0
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        removed += 1
    user_sessions_end(user, reason="second factor reset", by=by)
    audit_event_record(
        action=AuditEvent.Action.SECOND_FACTOR_RESET,
        user=by,
        obj=user,
        detail={"devices_removed": removed},
    )
    return removed
