"""An administrator cannot obtain another user's credentials on the admin site: no page
shows a second factor's key, QR code or recovery codes, none sets a password; new
accounts are invited to choose their own; the actions send a reset link to the user's
confirmed address or require a new password, which only the user then chooses."""

import re
from base64 import b32encode
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp import device_classes
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.invitations import invitation_token_generator
from accounts.models import Role, User
from accounts.two_factor import recovery_codes_renew
from audit.models import AuditEvent
from tests.factories import PASSWORD, UserFactory

Action = AuditEvent.Action
USERS = reverse("admin:accounts_user_changelist")
ADD_USER = reverse("admin:accounts_user_add")
HOME = reverse("web:home")
NEW_PASSWORD = "a-long-new-pass-phrase"


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """E-mails leave once the transaction commits: inside a test's, when this says so."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def link_in(message, name: str) -> str:
    """The path of the link to `name` (a URL name's first part) in an e-mail."""
    return re.search(rf"http://testserver(/accounts/{name}/\S+)", message.body)[1]


def sign_in(user, password: str = PASSWORD) -> Client:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": password}
    )
    assert response.status_code == 302, "the sign-in was refused"
    return client


def act(client, action: str, *users) -> None:
    response = client.post(
        USERS, {"action": action, "_selected_action": [user.pk for user in users]}
    )
    assert response.status_code == 302


def choose_password(client, path: str, password: str = NEW_PASSWORD):
    """Opens a password link (invitation or reset) and, if it is good, saves `password`."""
    form = client.get(path, follow=True)
    if not form.context.get("validlink"):
        return form
    return client.post(
        form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )


# --- Second-factor secrets ----------------------------------------------------------------


def test_no_django_otp_page_is_on_the_admin_site(intel, administrator_client):
    device = TOTPDevice.objects.create(user=intel, name="Authenticator app")

    assert [model for model in device_classes() if admin.site.is_registered(model)] == []
    for path in [
        f"/admin/otp_totp/totpdevice/{device.pk}/change/",
        f"/admin/otp_totp/totpdevice/{device.pk}/config/",
        f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/",
        "/admin/otp_static/staticdevice/",
        "/admin/accounts/recoverycodedevice/",
    ]:
        assert administrator_client.get(path).status_code == 404, path


def test_no_admin_page_shows_a_key_a_qr_code_or_a_recovery_code(intel, administrator_client):
    device = TOTPDevice.objects.create(user=intel, name="Authenticator app")
    codes = recovery_codes_renew(intel)
    secrets = [device.key, b32encode(device.bin_key).decode()[:16], *codes]
    secrets += [code.replace("-", "") for code in codes]
    pages = [reverse("admin:index"), reverse("admin:accounts_user_change", args=[intel.pk])]
    pages += [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]

    for page in pages:
        content = administrator_client.get(page).content.decode()
        assert [secret for secret in secrets if secret in content] == [], page
        assert not re.search(r"qr ?code|otpauth", content, re.IGNORECASE), page


# --- Passwords ------------------------------------------------------------------------------


def test_the_admin_site_has_no_page_to_set_a_users_password(intel, administrator_client):
    with pytest.raises(NoReverseMatch):
        reverse("admin:auth_user_password_change", args=[intel.pk])
    path = f"/admin/accounts/user/{intel.pk}/password/"

    form = administrator_client.get(path, follow=True)
    administrator_client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert 'name="password1"' not in form.content.decode()
    intel.refresh_from_db()
    assert intel.check_password(PASSWORD)


def test_the_change_form_shows_no_password_and_ignores_one_posted(intel, administrator_client):
    url = reverse("admin:accounts_user_change", args=[intel.pk])
    page = administrator_client.get(url)
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(agency=intel.agency_id, password=NEW_PASSWORD, first_name="Ingrid")
    for name in ("last_login", "date_joined", "groups", "user_permissions"):
        data.pop(name, None)

    response = administrator_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert "password" not in form.fields
    assert "password/" not in page.content.decode()
    intel.refresh_from_db()
    assert intel.check_password(PASSWORD)


def test_an_administrator_sends_a_reset_link_to_the_users_confirmed_address(
    intel, administrator, administrator_client, after_commit
):
    with after_commit():
        act(administrator_client, "send_password_reset", intel)

    assert [message.to for message in mail.outbox] == [[intel.email]]
    assert "Ada Mills" in mail.outbox[0].body
    assert choose_password(Client(), link_in(mail.outbox[0], "password/reset")).status_code == 302
    intel.refresh_from_db()
    assert intel.check_password(NEW_PASSWORD)
    asked = AuditEvent.objects.get(action=Action.PASSWORD_RESET_REQUESTED)
    assert (asked.user, asked.object_id) == (administrator, str(intel.pk))


def test_a_reset_link_is_not_sent_to_an_account_that_has_no_password_yet(
    administrator_client, after_commit
):
    invited = UserFactory(username="newstarter", password=None)
    invited.set_unusable_password()
    invited.save()

    with after_commit():
        act(administrator_client, "send_password_reset", invited)

    assert mail.outbox == []


def test_a_required_new_password_comes_before_anything_else(
    intel, administrator, administrator_client
):
    open_session = sign_in(intel)

    act(administrator_client, "require_new_password", intel)

    for client in (open_session, sign_in(intel)):
        assert client.get(HOME)["Location"] == reverse("accounts:password_change")
        assert client.get(reverse("lines:line_list"))["Location"] == reverse(
            "accounts:password_change"
        )
    page = open_session.get(reverse("accounts:password_change"))
    assert "An administrator has asked you to choose a new password" in page.content.decode()
    same = open_session.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert "must differ from your old one" in same.content.decode()
    changed = open_session.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert open_session.get(HOME).status_code == 200
    required = AuditEvent.objects.get(action=Action.PASSWORD_CHANGE_REQUIRED)
    assert (required.user, required.object_id) == (administrator, str(intel.pk))
    assert AuditEvent.objects.get(action=Action.PASSWORD_CHANGED).user == intel


def test_a_required_new_password_comes_after_the_second_factor(intel, administrator_client):
    device = TOTPDevice.objects.create(user=intel, name="Authenticator app")
    act(administrator_client, "require_new_password", intel)
    client = sign_in(intel)

    first = client.get(HOME, follow=True)
    code = f"{totp(device.bin_key):06d}"
    then = client.post(first.redirect_chain[-1][0], {"code": code}, follow=True)

    assert first.redirect_chain[-1][0].startswith(reverse("accounts:two_factor_verify"))
    assert then.redirect_chain[-1][0] == reverse("accounts:password_change")
    assert then.status_code == 200


def test_a_required_new_password_comes_after_setting_up_the_second_factor(
    intel, administrator_client, settings
):
    settings.TWO_FACTOR_REQUIRED = True
    act(administrator_client, "require_new_password", intel)
    client = sign_in(intel)

    page = client.get(HOME, follow=True)

    assert page.redirect_chain[-1][0].startswith(reverse("accounts:two_factor_setup"))
    assert page.status_code == 200


def test_a_password_reset_by_link_meets_the_requirement_too(intel, administrator_client):
    act(administrator_client, "require_new_password", intel)
    uid = urlsafe_base64_encode(force_bytes(intel.pk))
    token = default_token_generator.make_token(intel)
    choose_password(Client(), reverse("accounts:password_reset_confirm", args=[uid, token]))

    intel.refresh_from_db()
    assert not intel.password_change_required
    assert sign_in(intel, NEW_PASSWORD).get(HOME).status_code == 200


# --- Invitations ----------------------------------------------------------------------------


def invite(client, **fields):
    data = {
        "username": "newstarter",
        "first_name": "Nia",
        "last_name": "Starter",
        "email": "nia.starter@example.invalid",
        "role": Role.INTELLIGENCE_OFFICER,
        "agency": "",
        "_save": "Save",
        **fields,
    }
    return client.post(ADD_USER, data)


def test_a_new_account_chooses_its_own_password_through_an_invitation(
    administrator, administrator_client, after_commit, settings
):
    settings.TWO_FACTOR_REQUIRED = True
    page = administrator_client.get(ADD_USER)
    assert "password" not in page.context["adminform"].form.fields

    with after_commit():
        response = invite(
            administrator_client, password1="chosen-by-admin-1", password2="chosen-by-admin-1"
        )

    assert response.status_code == 302
    user = User.objects.get(username="newstarter")
    assert not user.has_usable_password()
    assert [message.to for message in mail.outbox] == [["nia.starter@example.invalid"]]
    path = link_in(mail.outbox[0], "invitation")
    assert choose_password(Client(), path).status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # Good once; then, at the first sign-in, the user sets up their own authenticator.
    assert not choose_password(Client(), path).context["validlink"]
    first = sign_in(user, NEW_PASSWORD).get(HOME)
    assert first["Location"].startswith(reverse("accounts:two_factor_setup"))
    sent = AuditEvent.objects.get(action=Action.INVITATION_SENT)
    assert (sent.user, sent.object_id) == (administrator, str(user.pk))
    assert AuditEvent.objects.get(action=Action.INVITATION_ACCEPTED).user == user


def test_a_new_account_needs_an_email_address_for_its_invitation(administrator_client):
    response = invite(administrator_client, email="")

    assert response.status_code == 200
    assert "Enter the email address the invitation is to be sent to" in response.content.decode()
    assert not User.objects.filter(username="newstarter").exists()


def test_an_invitation_expires(administrator_client, after_commit, settings):
    with after_commit():
        invite(administrator_client)
    settings.INVITATION_TIMEOUT = timedelta(seconds=-1)

    response = choose_password(Client(), link_in(mail.outbox[0], "invitation"))

    assert "This invitation has expired" in response.content.decode()


def test_sending_the_invitation_again_ends_the_earlier_link(administrator_client, after_commit):
    with after_commit():
        invite(administrator_client)
        act(administrator_client, "send_invitation_again", User.objects.get(username="newstarter"))

    first, second = (link_in(message, "invitation") for message in mail.outbox)
    assert not choose_password(Client(), first).context["validlink"]
    assert choose_password(Client(), second).status_code == 302


def test_no_invitation_is_sent_for_an_account_that_has_chosen_its_password(
    intel, administrator_client, after_commit
):
    with after_commit():
        act(administrator_client, "send_invitation_again", intel)

    assert mail.outbox == []
    intel.refresh_from_db()
    assert intel.check_password(PASSWORD)
    # Nor does an invitation's token, made anyhow, open a form for it.
    uid = urlsafe_base64_encode(force_bytes(intel.pk))
    token = invitation_token_generator.make_token(intel)
    path = reverse("accounts:invitation_accept", args=[uid, token])
    assert not choose_password(Client(), path).context["validlink"]


def test_a_password_reset_token_cannot_accept_an_invitation(administrator_client, after_commit):
    with after_commit():
        invite(administrator_client)
    user = User.objects.get(username="newstarter")
    path = reverse(
        "accounts:invitation_accept",
        args=[
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ],
    )

    assert not choose_password(Client(), path).context["validlink"]


def test_server_operators_still_make_accounts_with_a_password(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", NEW_PASSWORD)

    call_command(
        "createsuperuser", username="operator", email="ops@example.invalid", interactive=False
    )

    assert sign_in(User.objects.get(username="operator"), NEW_PASSWORD)
    assert mail.outbox == []
