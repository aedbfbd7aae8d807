"""Security settings: response headers, CSP without inline script, passwords."""

import importlib

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.helpers import script_tags, text


@pytest.fixture
def signed_in_page(intel_client):
    return intel_client.get(reverse("web:home"))


def csp_directives(response) -> dict[str, list[str]]:
    directives = {}
    for directive in response["Content-Security-Policy"].split(";"):
        name, *values = directive.split()
        directives[name] = values
    return directives


def test_pages_are_never_stored_by_browsers_or_proxies(signed_in_page):
    cache_control = signed_in_page["Cache-Control"]
    assert "no-store" in cache_control
    assert "private" in cache_control


def test_content_security_policy_allows_only_own_scripts(signed_in_page):
    directives = csp_directives(signed_in_page)

    assert directives["script-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in signed_in_page["Content-Security-Policy"]
    assert "'unsafe-eval'" not in signed_in_page["Content-Security-Policy"]


def test_framing_sniffing_and_referrer_are_locked_down(signed_in_page):
    assert signed_in_page["X-Frame-Options"] == "DENY"
    assert signed_in_page["X-Content-Type-Options"] == "nosniff"
    assert signed_in_page["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("url_name", ["web:home", "accounts:login"])
def test_pages_have_no_inline_script(db, request, url_name):
    if url_name == "web:home":
        response = request.getfixturevalue("intel_client").get(reverse("web:home"))
    else:
        response = request.getfixturevalue("client").get(reverse("accounts:login"))

    tags = script_tags(text(response))

    assert tags, "the page should load the GOV.UK and MOJ Frontend scripts"
    assert all(' src="' in tag for tag in tags), tags
    assert "onclick=" not in text(response).lower()


def test_session_and_csrf_cookies_are_http_only_and_same_site(settings):
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


@pytest.mark.parametrize(
    "password",
    [
        "Xq7#vLp2!mZ",  # 11 characters
        "password1234",  # common
        "483920571639",  # numeric only
    ],
)
def test_weak_passwords_are_rejected(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted():
    validate_password("Xq7#vLp2!mZw")  # 12 characters: raises if not


def test_a_password_like_the_username_is_rejected(intel):
    with pytest.raises(ValidationError):
        validate_password("ingridtelford", user=intel)


def test_argon2_hashes_passwords_outside_tests():
    base = importlib.import_module("config.settings.base")

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
