"""Small helpers shared by the tests."""

import re
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

from audit.models import AuditEvent

# The role fixtures of tests/conftest.py; each has a signed-in `<role>_client` too.
ROLES = ["intel", "manager", "partner", "partner2", "administrator"]


def sign_in_url() -> str:
    return reverse("accounts:login")


def redirects_to_sign_in(response) -> bool:
    return response.status_code == 302 and urlsplit(response.url).path == sign_in_url()


def next_param(url: str) -> str | None:
    return parse_qs(urlsplit(url).query).get("next", [None])[0]


def denials_of(username: str):
    return AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS_DENIED, username=username)


def script_tags(html: str) -> list[str]:
    return re.findall(r"<script\b[^>]*>", html, flags=re.IGNORECASE)


def text(response) -> str:
    return response.content.decode()


def stored_values(event: AuditEvent) -> dict:
    """Every column of an audit event (model_to_dict skips them: they are not editable)."""
    return {field.attname: getattr(event, field.attname) for field in event._meta.concrete_fields}
