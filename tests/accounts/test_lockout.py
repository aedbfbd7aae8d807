from django.urls import reverse

from audit.models import AuditEvent


def sign_in(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_five_failed_sign_ins_lock_the_account_even_with_the_right_password(client, intel):
    intel.set_password("the-right-password-42")
    intel.save()
    for _ in range(5):
        sign_in(client, "intel", "wrong-password-000")

    response = sign_in(client, "intel", "the-right-password-42")

    assert response.status_code == 200
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login_failed", username="intel").count() == 6


def test_fewer_failures_do_not_lock(client, intel):
    intel.set_password("the-right-password-42")
    intel.save()
    for _ in range(4):
        sign_in(client, "intel", "wrong-password-000")

    response = sign_in(client, "intel", "the-right-password-42")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(intel.pk)


def test_lockout_is_per_username(client, intel, manager):
    manager.set_password("the-right-password-42")
    manager.save()
    for _ in range(5):
        sign_in(client, "intel", "wrong-password-000")

    response = sign_in(client, "manager", "the-right-password-42")

    assert response.status_code == 302
