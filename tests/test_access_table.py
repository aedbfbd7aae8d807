"""Every URL of the service answers every role as tests/access_table.py says.

A URL pattern added without an entry in the table fails here, naming what to add.
Each role's test signs in once, builds the records once and requests every URL of
the table; each request is rolled back afterwards, so a POST that an allowed role
makes (or a refused one slipped through) changes nothing for the next. Every refusal
of a signed-in user (403, and 404 for a record that exists) must be on the audit log,
and every refusal must hold for a POST as for a GET.
"""

import pytest
from django.urls import resolve

from audit.models import AuditEvent

from .access_table import (
    ADMIN,
    FORBIDDEN,
    LOGIN,
    MISSING,
    ROLES,
    TABLE,
    missing_entry_message,
    table_key,
    url_patterns,
)
from .access_walk import ADMIN_SIGN_IN, answer, client_of, url_of
from .helpers import next_param, sign_in_url

PATTERNS = url_patterns()
REFUSALS = {LOGIN, FORBIDDEN, MISSING}


def test_every_url_pattern_has_an_entry_in_the_access_table():
    missing = [missing_entry_message(p) for p in PATTERNS if table_key(p) not in TABLE]

    assert not missing, "\n\n".join(missing)


def test_every_entry_of_the_access_table_is_a_url_pattern():
    keys = {table_key(pattern) for pattern in PATTERNS}

    assert set(TABLE) - keys == set(), "entries of TABLE for URL patterns that are gone"


def test_every_admin_url_sends_anonymous_visitors_to_sign_in_and_back(client, db):
    """The admin site is one entry of the table; each of its URLs is still tried."""
    admin_urls = [p.url for p in PATTERNS if table_key(p) == ADMIN and p.url != ADMIN_SIGN_IN]
    assert len(admin_urls) > 20
    for url in admin_urls:
        response = client.get(url, follow=True)
        assert response.request["PATH_INFO"] == sign_in_url(), url
        assert next_param(response.redirect_chain[-1][0]) == url, url


def test_every_named_url_reaches_its_view():
    for pattern in PATTERNS:
        assert resolve(pattern.url).func is pattern.callback, pattern.url


def denied(got) -> bool:
    return AuditEvent.Action.ACCESS_DENIED in got.audited


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_the_access_table_says(request, role, records):
    client = client_of(request, role)
    column = ROLES.index(role)
    wrong = []
    for name, entry in TABLE.items():
        url = url_of(name, records)
        expected = entry.expected[column]
        got = answer(client, entry.method, url)
        if got.status != expected:
            wrong.append(f"{name} {entry.method} {url}: expected {expected}, got {got.status}")
        elif got.status in (FORBIDDEN, MISSING) and role != "anonymous" and not denied(got):
            wrong.append(
                f"{name} {entry.method} {url}: {got.status} without an access_denied event"
            )
        if expected in REFUSALS and entry.method == "GET":
            posted = answer(client, "POST", url).status
            if posted != expected:
                wrong.append(f"{name} POST {url}: refused a GET ({expected}), got {posted}")

    assert not wrong, f"{role}:\n" + "\n".join(wrong)
