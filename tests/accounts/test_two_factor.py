"""Two-factor sign-in (django-otp, accounts/two_factor.py): enrolment with a QR code,
the code step after the password, recovery codes, and an administrator's reset."""

import re
from datetime import timedelta

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import RecoveryCode
from accounts.two_factor import recovery_codes_renew
from audit.models import AuditEvent
from tests.factories import PASSWORD

HOME = reverse("web:home")
VERIFY = reverse("accounts:two_factor_verify")
SETUP = reverse("accounts:two_factor_setup")
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def code_of(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def password_only(user) -> Client:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def offered(page) -> tuple[str, TOTPDevice]:
    """The signed key of a set-up page's form, and an app holding that key."""
    signed = re.search(r'name="key" value="([^"]+)"', page.content.decode())[1]
    key = signing.loads(signed, salt="accounts.two_factor.authenticator_offer")["key"]
    return signed, TOTPDevice(key=key)


def another_code(code: str) -> str:
    return "000000" if code != "000000" else "111111"


@pytest.fixture
def enrolled(intel):
    return TOTPDevice.objects.create(user=intel, name="Authenticator app", confirmed=True)


def test_where_required_a_new_user_must_set_up_an_app_before_any_page(intel, settings):
    settings.TWO_FACTOR_REQUIRED = True
    client = password_only(intel)

    response = client.get(reverse("lines:line_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)

    page = client.get(response["Location"])
    content = page.content.decode()
    assert '<svg width="' in content and "QR code for your authenticator app" in content
    key_text = page.context["key_text"].replace(" ", "")
    assert len(key_text) == 32  # 20 random bytes in base32
    signed, app = offered(page)
    assert not TOTPDevice.objects.filter(user=intel).exists()

    done = client.post(SETUP, {"code": code_of(app), "key": signed, "next": HOME})

    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10
    for code in codes:
        assert code in done.content.decode()
    device = TOTPDevice.objects.get(user=intel)
    assert device.confirmed and device.key == app.key
    assert client.get(reverse("lines:line_list")).status_code == 200
    assert AuditEvent.objects.filter(action="2fa_enrolled", object_id=str(intel.pk)).exists()


def test_opening_the_set_up_page_writes_nothing(enrolled, intel):
    client = password_only(intel)
    client.post(VERIFY, {"code": code_of(enrolled)})

    with CaptureQueriesContext(connection) as queries:
        page = client.get(SETUP)

    assert page.status_code == 200
    writes = [q["sql"] for q in queries if WRITES.match(q["sql"])]
    assert [sql for sql in writes if "audit_auditevent" not in sql] == []
    # The app in use is untouched until a new one is confirmed.
    assert list(TOTPDevice.objects.filter(user=intel)) == [enrolled]


def test_the_code_of_the_app_just_set_up_cannot_sign_in_again(intel, settings):
    settings.TWO_FACTOR_REQUIRED = True
    client = password_only(intel)
    signed, app = offered(client.get(SETUP))
    code = code_of(app)
    client.post(SETUP, {"code": code, "key": signed})

    again = password_only(intel)
    response = again.post(VERIFY, {"code": code})

    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()


def test_a_key_signed_for_another_user_is_refused(intel, manager, settings):
    settings.TWO_FACTOR_REQUIRED = True
    theirs = password_only(manager)
    signed, app = offered(theirs.get(SETUP))
    client = password_only(intel)
    client.get(SETUP)

    response = client.post(SETUP, {"code": code_of(app), "key": signed})

    assert response.status_code == 200
    assert "This page has expired" in response.content.decode()
    assert not TOTPDevice.objects.exists()
    assert client.get(HOME).status_code == 302
    refused = AuditEvent.objects.get(action="2fa_failed", username="intel")
    assert "not offered to this session" in refused.detail["step"]


def test_a_forged_key_is_refused(intel, settings):
    settings.TWO_FACTOR_REQUIRED = True
    client = password_only(intel)
    signed, app = offered(client.get(SETUP))
    forged = signed.replace(signed.split(":")[0], signed.split(":")[0][::-1])

    client.post(SETUP, {"code": code_of(app), "key": forged})

    assert not TOTPDevice.objects.exists()


def test_a_set_up_page_older_than_its_time_limit_is_refused(intel, settings):
    settings.TWO_FACTOR_REQUIRED = True
    client = password_only(intel)
    signed, app = offered(client.get(SETUP))
    settings.AUTHENTICATOR_SETUP_TIMEOUT = timedelta(seconds=-1)

    response = client.post(SETUP, {"code": code_of(app), "key": signed})

    assert "This page has expired" in response.content.decode()
    assert not TOTPDevice.objects.exists()


def test_a_wrong_code_at_set_up_confirms_nothing(intel, settings):
    settings.TWO_FACTOR_REQUIRED = True
    client = password_only(intel)
    signed, app = offered(client.get(SETUP))

    response = client.post(SETUP, {"code": another_code(code_of(app)), "key": signed})

    assert "The code is not right" in response.content.decode()
    assert not TOTPDevice.objects.exists()
    assert client.get(HOME).status_code == 302
    # The same key is offered again: the user need not scan a new QR code.
    assert offered(response)[1].key == app.key


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
    assert RecoveryCode.objects.filter(device__user=intel).count() == 9


def test_the_password_alone_cannot_replace_the_app(enrolled, intel):
    client = password_only(intel)

    response = client.get(SETUP)

    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=intel).count() == 1


def test_a_new_app_replaces_the_old_one(enrolled, intel):
    client = password_only(intel)
    client.post(VERIFY, {"code": code_of(enrolled)})
    signed, app = offered(client.get(SETUP))

    client.post(SETUP, {"code": code_of(app), "key": signed})

    assert list(TOTPDevice.objects.filter(user=intel).values_list("key", flat=True)) == [app.key]


def test_new_recovery_codes_replace_the_old_ones(enrolled, intel):
    old = recovery_codes_renew(intel)
    client = password_only(intel)
    client.post(VERIFY, {"code": code_of(enrolled)})

    response = client.post(reverse("accounts:recovery_codes"))

    new = response.context["codes"]
    assert set(new).isdisjoint(old)
    assert RecoveryCode.objects.filter(device__user=intel).count() == 10
    assert AuditEvent.objects.filter(action="2fa_codes_renewed").exists()
    refused = password_only(intel).post(VERIFY, {"code": old[0]})
    assert "The code is not right" in refused.content.decode()


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
    assert not RecoveryCode.objects.filter(device__user=intel).exists()
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
