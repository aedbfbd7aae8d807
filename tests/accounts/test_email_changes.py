"""An email address an administrator changes is held until its owner, signed in, confirms
it (accounts.email_changes): until then password-reset links go to the old address, which
is told of the change. So an administrator cannot point someone's resets at a mailbox of
their own."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from audit.models import AuditEvent
from tests.factories import PASSWORD
from tests.helpers import denials_of, next_param, redirects_to_sign_in

Action = AuditEvent.Action
MALLORY = "mallory@example.invalid"  # a mailbox the administrator reads


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def change_email(client, user, email: str):
    url = reverse("admin:accounts_user_change", args=[user.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(email=email, agency=user.agency_id or "")
    for name in ("last_login", "date_joined", "groups", "user_permissions"):
        data.pop(name, None)
    return client.post(url, data)


def mail_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def confirmation_link(address: str) -> str:
    (message,) = mail_to(address)
    return re.search(r"http://testserver(/accounts/email/confirm/\S+/)", message.body)[1]


def ask_for_reset(email: str) -> None:
    Client().post(reverse("accounts:password_reset"), {"email": email})


def signed_in(user) -> Client:
    client = Client()
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    return client


def test_an_administrator_cannot_send_a_users_password_reset_to_their_own_mailbox(
    intel, administrator_client, after_commit
):
    old_email = intel.email
    with after_commit():
        change_email(administrator_client, intel, MALLORY)
        ask_for_reset(MALLORY)

    # The administrator's mailbox received the confirmation link, but no reset link.
    assert [message.subject for message in mail_to(MALLORY)] == [
        "Confirm your new email address for County Lines case management"
    ]
    intel.refresh_from_db()
    assert (intel.email, intel.pending_email) == (old_email, MALLORY)
    # Nor can they confirm the address: the link works only for intel, signed in.
    refused = administrator_client.get(confirmation_link(MALLORY))
    assert refused.status_code == 403
    administrator_client.post(confirmation_link(MALLORY))
    intel.refresh_from_db()
    assert intel.email == old_email
    assert denials_of("admin").count() == 2


def test_once_its_owner_confirms_it_resets_go_to_the_new_address(
    intel, administrator_client, after_commit
):
    with after_commit():
        change_email(administrator_client, intel, "ingrid.new@example.invalid")
    client = signed_in(intel)
    link = confirmation_link("ingrid.new@example.invalid")
    page = client.get(link)
    assert "Confirm your new email address" in page.content.decode()
    intel.refresh_from_db()
    assert intel.email != "ingrid.new@example.invalid"  # opening it is not confirming

    response = client.post(link)
    mail.outbox.clear()
    with after_commit():
        ask_for_reset("ingrid.new@example.invalid")

    assert response.status_code == 302
    intel.refresh_from_db()
    assert (intel.email, intel.pending_email) == ("ingrid.new@example.invalid", "")
    assert len(mail_to("ingrid.new@example.invalid")) == 1
    assert "/accounts/password/reset/" in mail.outbox[0].body
    confirmed = AuditEvent.objects.get(action=Action.EMAIL_CONFIRMED)
    assert (confirmed.user, confirmed.object_id) == (intel, str(intel.pk))
    # Used once.
    assert "This link has expired" in client.get(link).content.decode()


def test_the_old_address_is_told_what_changed_when_and_by_whom_without_a_link(
    intel, administrator, administrator_client, after_commit
):
    old_email = intel.email
    with after_commit():
        change_email(administrator_client, intel, MALLORY)

    (notice,) = mail_to(old_email)
    assert MALLORY in notice.body
    assert "Ada Mills (admin)" in notice.body
    assert re.search(r"On \d{1,2} \w+ \d{4} at \d\d:\d\d", notice.body)
    assert "http" not in notice.body
    asked = AuditEvent.objects.get(action=Action.EMAIL_CHANGE_REQUESTED)
    assert (asked.user, asked.object_id) == (administrator, str(intel.pk))
    assert asked.detail == {"from": old_email, "to": MALLORY, "held until confirmed": True}


def test_the_link_sends_a_visitor_to_sign_in_first(intel, administrator_client, after_commit):
    with after_commit():
        change_email(administrator_client, intel, "ingrid.new@example.invalid")
    link = confirmation_link("ingrid.new@example.invalid")

    response = Client().get(link)

    assert redirects_to_sign_in(response)
    assert next_param(response.url) == link


def test_a_later_change_ends_the_earlier_link(intel, administrator_client, after_commit):
    with after_commit():
        change_email(administrator_client, intel, "first@example.invalid")
        change_email(administrator_client, intel, "second@example.invalid")
    client = signed_in(intel)

    client.post(confirmation_link("first@example.invalid"))
    intel.refresh_from_db()
    assert intel.pending_email == "second@example.invalid"
    assert intel.email == "intel@example.invalid"
    client.post(confirmation_link("second@example.invalid"))
    intel.refresh_from_db()
    assert intel.email == "second@example.invalid"


def test_a_link_expires(intel, administrator_client, after_commit, settings):
    with after_commit():
        change_email(administrator_client, intel, "ingrid.new@example.invalid")
    settings.EMAIL_CONFIRMATION_TIMEOUT = timedelta(seconds=-1)
    client = signed_in(intel)

    client.post(confirmation_link("ingrid.new@example.invalid"))

    intel.refresh_from_db()
    assert intel.email == "intel@example.invalid"


def test_an_address_can_be_changed_but_not_removed(intel, administrator_client):
    response = change_email(administrator_client, intel, "")

    assert response.status_code == 200
    assert "can be changed, not removed" in response.content.decode()


def test_an_invited_account_has_its_address_replaced_and_its_invitation_sent_again(
    administrator_client, after_commit
):
    invitation = {
        "username": "newstarter",
        "first_name": "Nia",
        "last_name": "Starter",
        "email": "typo@example.invalid",
        "role": "intelligence_officer",
        "_save": "Save",
    }
    with after_commit():
        administrator_client.post(reverse("admin:accounts_user_add"), invitation)
    user = User.objects.get(username="newstarter")
    with after_commit():
        change_email(administrator_client, user, "nia.starter@example.invalid")

    user.refresh_from_db()
    assert (user.email, user.pending_email) == ("nia.starter@example.invalid", "")
    (first, notice) = mail_to("typo@example.invalid")
    (second,) = mail_to("nia.starter@example.invalid")
    assert "invitation" in notice.body and "http" not in notice.body
    path = re.compile(r"http://testserver(/accounts/invitation/\S+/)")
    assert not Client().get(path.search(first.body)[1], follow=True).context["validlink"]
    assert Client().get(path.search(second.body)[1], follow=True).context["validlink"]
