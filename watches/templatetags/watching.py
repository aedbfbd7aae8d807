"""`{% watch_button kind value noun %}`: watch, or stop watching, what a page shows.

    {% watch_button "line" line.pk "this line" %}
    {% watch_button "number" lookup.e164 "this number" label=lookup.national %}
    {% watch_button "address" referral.address "this address" postcode=referral.postcode %}

Shown only to users who may watch such a thing: a record's to those who see its page,
a number to those who see lines, an address to those who see people (the police).
"""

from typing import Any

from django import template

from accounts.permissions import Capability, user_can

from ..selectors import watch_for
from ..things import WATCHABLE_RECORDS, thing_key

register = template.Library()

_NEEDS = {"number": Capability.VIEW_LINES, "address": Capability.VIEW_PERSONS}


@register.inclusion_tag("watches/includes/watch_button.html", takes_context=True)
def watch_button(
    context: template.Context,
    kind: str,
    value: Any,
    noun: str,
    *,
    label: str = "",
    postcode: str = "",
) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    shown = kind in WATCHABLE_RECORDS or (kind in _NEEDS and user_can(user, _NEEDS[kind]))
    key = thing_key(kind, str(value or ""), postcode or "") if shown else None
    if key is None:
        return {"hidden": True}
    return {
        "watch": watch_for(user=user, key=key),
        "kind": kind,
        "value": value,
        "noun": noun,
        "label": label,
        "postcode": postcode,
        "next": request.get_full_path(),
    }
