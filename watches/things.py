"""The things a user may watch, each named by a key every app computes the same way
without importing the others: `number:+447700900664`, `person:12`, `line:7`,
`referral:31`, `address:YO17HH|12 high street`.

A kind of record says which things it mentions with a class method
`watched_in(pk, values)` (its field values by attribute name: `person_id`, `line_id`),
so that a record written on a screen (`records.single`) and a block of records written
by an import (`records.upserts`) name the same things. `watch_page(pk, values)` names
the record whose page shows it (an attribution is shown on its line's page), when it is
not the record itself.
"""

import re
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def number_thing(e164: str) -> str:
    return f"number:{e164}"


def person_thing(pk: int) -> str:
    return f"person:{pk}"


def line_thing(pk: int) -> str:
    return f"line:{pk}"


def referral_thing(pk: int) -> str:
    return f"referral:{pk}"


def address_thing(*, address: str, postcode: str) -> str | None:
    """An address by its postcode and first line, whatever their spelling (`12, High St.`
    and `12 high st` are one address); None for an address with neither."""
    first_line = (address or "").strip().splitlines()[0] if (address or "").strip() else ""
    street = _NOT_WORD.sub(" ", first_line.lower()).strip()
    code = "".join((postcode or "").upper().split())
    if not street and not code:
        return None
    return f"address:{code}|{street}"


def things(*keys: str | None) -> list[str]:
    """The keys that are set, for a `watched_in` that names optional things."""
    return [key for key in keys if key]


# The records a user may watch from their page, by what the watch buttons call them:
# the kind of record (its rule says who may see it, so who may watch it) and its key.
WATCHABLE_RECORDS = {
    "line": ("lines.line", line_thing),
    "person": ("persons.person", person_thing),
    "referral": ("safeguarding.referral", referral_thing),
}


def thing_key(kind: str, value: str, postcode: str = "") -> str | None:
    """The key of what a watch button names: a record by kind and id, a number by its
    E.164 form, an address by its lines and postcode."""
    if kind in WATCHABLE_RECORDS:
        return WATCHABLE_RECORDS[kind][1](int(value)) if str(value).isdigit() else None
    if kind == "number":
        return number_thing(value) if value else None
    if kind == "address":
        return address_thing(address=value, postcode=postcode)
    return None


class Watchable(Protocol):
    """A kind of record that says which watched things it mentions."""

    @classmethod
    def watched_in(cls, pk: int, values: Mapping[str, Any]) -> Iterable[str]: ...
