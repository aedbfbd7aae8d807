"""Two-factor authentication (django-otp): an authenticator app's code after the password,
single-use recovery codes for a lost phone, and an administrator's reset.

Whether a session must pass the second step is decided once, at sign-in, and kept in the
session (SECOND_FACTOR_REQUIRED), so pages do not ask the database on every request.

Secrets are shown to their user once and to nobody else: a new authenticator's key only
on the set-up page, before it is confirmed, and written nowhere until a correct code
comes back (it travels in the page's form, signed); recovery codes only as they are
made, and stored as digests (accounts.models.RecoveryCodeDevice).
"""

import secrets
import time
from base64 import b32encode

import segno
from django.conf import settings
from django.core import signing
from django.db import transaction
from django_otp import devices_for_user, user_has_device, verify_token
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from audit.models import AuditEvent
from audit.services import audit_event_record

from .models import RecoveryCode, RecoveryCodeDevice, User, recovery_code_digest
from .reauthentication import password_proof
from .services import user_sessions_end

SECOND_FACTOR_REQUIRED = "second_factor_required"
AUTHENTICATOR_APP = "Authenticator app"
RECOVERY_CODES = "Recovery codes"
# Its own salt: no other signed value of the service can pass for an offered key.
_OFFER_SALT = "accounts.two_factor.authenticator_offer"


def second_factor_set_up(user: User) -> bool:
    return user_has_device(user)


def second_factor_required(user: User) -> bool:
    return settings.TWO_FACTOR_REQUIRED or second_factor_set_up(user)


def authenticator_offer(request) -> tuple[TOTPDevice, str]:
    """A new key for the signed-in user to scan: an unsaved device, and the key signed for
    the page's form. Nothing is written: a set-up page opened and left costs nothing and
    replaces nothing. The signature binds the key to this user and to this session's
    latest proof of the password (accounts.reauthentication)."""
    device = TOTPDevice(user=request.user, name=AUTHENTICATOR_APP, key=random_hex(20))
    signed = signing.dumps(
        {"user": request.user.pk, "key": device.key, "proof": password_proof(request)},
        salt=_OFFER_SALT,
    )
    return device, signed


def authenticator_offered(request, signed: str) -> TOTPDevice | None:
    """The unsaved device of a key `authenticator_offer` signed for this user and session
    within AUTHENTICATOR_SETUP_TIMEOUT; None, audited, for any other (another user's, an
    older session's, a stale or forged one)."""
    try:
        offer = signing.loads(
            signed, salt=_OFFER_SALT, max_age=settings.AUTHENTICATOR_SETUP_TIMEOUT
        )
    except signing.BadSignature:  # SignatureExpired too
        offer = {}
    if offer.get("user") != request.user.pk or offer.get("proof") != password_proof(request):
        _audit_refused(request, "authenticator set-up: a key not offered to this session")
        return None
    return TOTPDevice(user=request.user, name=AUTHENTICATOR_APP, key=offer["key"])


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


def _time_step_of(device: TOTPDevice, code: str) -> int | None:
    """The time step at which `code` is the device's code (give or take its tolerance),
    or None. As TOTPDevice.verify_token does, without writing to the device."""
    try:
        token = int(code)
    except ValueError:
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return totp.t() if totp.verify(token, device.tolerance) else None


@transaction.atomic
def authenticator_confirm(request, device: TOTPDevice, code: str) -> list[str] | None:
    """Saves the offered `device` if `code` is its current one: any earlier authenticator
    is replaced, the session is verified, and new recovery codes are returned (to be shown
    once). None if the code is wrong (audited)."""
    step = _time_step_of(device, code)
    if step is None:
        _audit_refused(request, "authenticator set-up")
        return None
    TOTPDevice.objects.filter(user=device.user).delete()
    device.confirmed = True
    device.last_t = step  # the code just used cannot sign in again
    device.save()
    codes = recovery_codes_renew(device.user, audited=False)
    otp_login(request, device)
    request.session[SECOND_FACTOR_REQUIRED] = True
    audit_event_record(
        action=AuditEvent.Action.SECOND_FACTOR_ENROLLED, request=request, obj=device.user
    )
    return codes


def recovery_code_new() -> str:
    """80 random bits as 16 base32 characters, shown in four groups of four."""
    code = b32encode(secrets.token_bytes(10)).decode()
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


@transaction.atomic
def recovery_codes_renew(user: User, *, audited: bool = True, request=None) -> list[str]:
    """New single-use recovery codes for `user`, returned to be shown once (only their
    digests are kept); the old ones stop working."""
    device, _ = RecoveryCodeDevice.objects.get_or_create(user=user, name=RECOVERY_CODES)
    device.codes.all().delete()
    codes = [recovery_code_new() for _ in range(settings.RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, digest=recovery_code_digest(code)) for code in codes
    )
    if audited:
        audit_event_record(
            action=AuditEvent.Action.RECOVERY_CODES_RENEWED, request=request, obj=user
        )
    return codes


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(device__user=user, device__confirmed=True).count()


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
    user_sessions_end(user=user, reason="second factor reset", by=by)
    audit_event_record(
        action=AuditEvent.Action.SECOND_FACTOR_RESET,
        user=by,
        obj=user,
        detail={"devices_removed": removed},
    )
    return removed
