import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError


@pytest.mark.parametrize(
    ("password", "detail"),
    [
        ("intelintel12", "username"),
        ("1234INTEL-abcd", "username"),
        ("Ingrid-2026-secure", "first name"),
    ],
)
def test_a_password_holding_the_users_name_is_refused(intel, password, detail):
    with pytest.raises(ValidationError, match=f"must not contain your {detail}"):
        validate_password(password, user=intel)


def test_a_password_without_them_is_accepted(intel):
    validate_password("correct-horse-battery-staple", user=intel)


def test_common_breached_passwords_are_refused_once(intel):
    with pytest.raises(ValidationError, match="too common") as refused:
        validate_password("password1234", user=intel)
    assert len(refused.value.messages) == 1


@pytest.mark.parametrize("password", ["liverpoolfc1892", "starwars1977", "zaq12wsxcde3"])
def test_passwords_leaked_elsewhere_are_refused_though_not_among_the_commonest(intel, password):
    with pytest.raises(ValidationError, match="leaked from other services"):
        validate_password(password, user=intel)
