"""Two-factor sign-in (django-otp, accounts/two_factor.py): enrolment with a QR code,
the code step after the password, recovery codes, and an administrator's reset."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import authenticator_start, recovery_codes_renew
from audit.models import AuditEvent
from tests.factories import PASSWORD

HOME = reverse("core:home")
VERIFY = reverse("accounts:two_factor_verify")
SETUP = reverse("accounts:two_factor_setup")


def code_of(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def password_only(user) -> Client:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


@pytest.fixture
def enrolled(intel):
    device = authenticator_start(intel)
    device.confirmed = True
    device.save()
    return device


def test_where_required_a_new_user_must_set_up_an_app_before_any_page(intel, settings):
    settings.TWO_FACTOR_REQUIRED = True
    client = password_only(intel)

    response = client.get(reverse("lines:line_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)

    page = client.get(response["Location"])
    content = page.content.decode()
    assert '<svg width="' in content and "QR code for your authenticator app" in content
    device = TOTPDevice.objects.get(user=intel, confirmed=False)
    key_text = page.context["key_text"].replace(" ", "")
    assert len(key_text) == 32  # 20 random bytes in base32

    done = client.post(SETUP, {"code": code_of(device), "next": HOME})

    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10
    for code in codes:
        assert code in done.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("lines:line_list")).status_code == 200
    assert AuditEvent.objects.filter(action="2fa_enrolled", object_id=str(intel.pk)).exists()


def test_a_wrong_code_at_set_up_confirms_nothing(intel, settings):
    settings.TWO_FACTOR_REQUIRED = True
    client = password_only(intel)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=intel)

    response = client.post(SETUP, {"code": "000000" if code_of(device) != "000000" else "111111"})

    assert "The code is not right" in response.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(HOME).status_code == 302


def test_a_user_with_an_app_enters_its_code_after_the_password(enrolled, intel):
    client = password_only(intel)  # not required by settings: asked because they have one

    response = client.get(reverse("lines:line_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)

    refused = client.post(VERIFY, {"code": "12345"})
    assert "The code is not right" in refused.content.decode()
    assert client.get(HOME).status_code == 302
    assert AuditEvent.objects.filter(action="2fa_failed", object_id=str(intel.pk)).count() == 1
    # django-otp refuses any code for a second after a wrong one (doubling each time).
    enrolled.refresh_from_db()
    assert enrolled.throttling_failure_count == 1
    enrolled.throttling_failure_timestamp -= timedelta(seconds=2)
    enrolled.save()

    accepted = client.post(
        VERIFY, {"code": code_of(enrolled)[:3] + " " + code_of(enrolled)[3:], "next": "/lines/"}
    )
    assert accepted.status_code == 302
    assert accepted["Location"] == "/lines/"
    assert client.get(reverse("lines:line_list")).status_code == 200
    assert AuditEvent.objects.filter(action="2fa_verified", object_id=str(intel.pk)).exists()


def test_the_code_step_does_not_send_anyone_to_another_site(enrolled, intel):
    client = password_only(intel)

    response = client.post(VERIFY, {"code": code_of(enrolled), "next": "https://evil.example/"})

    assert response["Location"] == HOME


def test_a_recovery_code_works_once(enrolled, intel):
    codes = recovery_codes_renew(intel)
    first = password_only(intel)
    assert first.post(VERIFY, {"code": codes[0]}).status_code == 302
    assert first.get(HOME).status_code == 200

    second = password_only(intel)
    response = second.post(VERIFY, {"code": codes[0]})
    assert response.status_code == 200
    assert second.get(HOME).status_code == 302
    assert StaticToken.objects.filter(device__user=intel).count() == 9


def test_the_password_alone_cannot_replace_the_app(enrolled, intel):
    client = password_only(intel)

    response = client.get(SETUP)

    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=intel).count() == 1


def test_new_recovery_codes_replace_the_old_ones(enrolled, intel):
    old = recovery_codes_renew(intel)
    client = password_only(intel)
    client.post(VERIFY, {"code": code_of(enrolled)})

    response = client.post(reverse("accounts:recovery_codes"))

    new = response.context["codes"]
    assert set(new).isdisjoint(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)
    assert AuditEvent.objects.filter(action="2fa_codes_renewed").exists()


def test_an_administrator_resets_a_users_second_factor_audited(
    enrolled, intel, administrator_client, administrator, settings
):
    settings.TWO_FACTOR_REQUIRED = True
    recovery_codes_renew(intel)
    signed_in = password_only(intel)

    response = administrator_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [intel.pk]},
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=intel).exists()
    assert not StaticToken.objects.filter(device__user=intel).exists()
    assert signed_in.get(HOME)["Location"].startswith(reverse("accounts:login"))
    reset = AuditEvent.objects.get(action="2fa_reset")
    assert reset.username == administrator.username
    assert reset.object_id == str(intel.pk)
    # Their next sign-in sets up an app again.
    assert password_only(intel).get(HOME)["Location"].startswith(SETUP)


def test_the_admin_list_says_who_has_an_app(enrolled, administrator_client):
    response = administrator_client.get(reverse("admin:accounts_user_changelist"))

    assert response.status_code == 200
    assert "Authenticator" in response.content.decode()
