"""Every URL of the service demands sign-in, except a short, explicit list.

The URLconf is walked, so a view added tomorrow without login protection fails here
even if nobody remembers to write a test for it.
"""

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from tests.helpers import next_param, redirects_to_sign_in, sign_in_url

# name -> (reverse kwargs, what an anonymous GET gets)
PUBLIC = {
    "accounts:login": ({}, 200),
    "accounts:password_reset": ({}, 200),
    "accounts:password_reset_done": ({}, 200),
    "accounts:password_reset_confirm": ({"uidb64": "x", "token": "x"}, 200),
    "accounts:password_reset_complete": ({}, 200),
    "core:health": ({}, 200),
    "admin:login": ({}, "sign-in"),
}

# Values tried, in order, for each path converter or regex group.
SAMPLES = ["1", "x", str(uuid.UUID(int=1)), "2024-01-31"]


def _sample(regex: str) -> str:
    for candidate in [*SAMPLES, regex.split("|")[0]]:
        if re.fullmatch(regex, candidate):
            return candidate
    raise AssertionError(f"No sample value matches {regex!r}: add one to SAMPLES.")


def _fill_regex_groups(regex: str) -> str:
    """Replace each (?P<name>...) group with a value it matches."""
    parts, position = [], 0
    while (start := regex.find("(?P<", position)) != -1:
        parts.append(regex[position:start])
        body_start = regex.index(">", start) + 1
        depth, end = 1, body_start
        while depth:
            if regex[end - 1] != "\\":
                depth += {"(": 1, ")": -1}.get(regex[end], 0)
            end += 1
        parts.append(_sample(regex[body_start : end - 1]))
        position = end
    parts.append(regex[position:])
    return "".join(parts).replace("\\", "")


def _concrete(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return re.sub(
            r"<(?:\w+:)?(\w+)>",
            lambda match: _sample(pattern.converters[match[1]].regex),
            str(pattern),
        )
    if isinstance(pattern, RegexPattern):
        return _fill_regex_groups(str(pattern).removeprefix("^").removesuffix("$"))
    raise AssertionError(f"Unknown kind of URL pattern: {pattern!r}")


def _walk(patterns, prefix="/", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + _concrete(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            yield name, prefix + _concrete(entry.pattern), entry.callback


ALL_URLS = list(_walk(get_resolver().url_patterns))
PROTECTED = [(name, url, callback) for name, url, callback in ALL_URLS if name not in PUBLIC]


def test_the_walk_finds_the_service_and_admin_urls():
    names = {name for name, _, _ in ALL_URLS}
    assert {"core:home", "audit:event_list", "admin:index", *PUBLIC} <= names


@pytest.mark.parametrize(("name", "url", "callback"), PROTECTED, ids=[u for _, u, _ in PROTECTED])
def test_anonymous_request_is_sent_to_sign_in(client, db, name, url, callback):
    assert resolve(url).func is callback, f"{url} does not reach the view of {name}"

    response = client.get(url, follow=True)

    assert response.redirect_chain, f"{url} answered {response.status_code} without sign-in"
    last_hop = response.redirect_chain[-1][0]
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == sign_in_url()
    assert next_param(last_hop) == url  # signing in goes back to the page asked for


@pytest.mark.parametrize("name", PUBLIC)
def test_public_page_is_reachable_anonymously(client, db, name):
    kwargs, expected = PUBLIC[name]

    response = client.get(reverse(name, kwargs=kwargs))

    if expected == "sign-in":
        assert redirects_to_sign_in(response)
    else:
        assert response.status_code == expected
