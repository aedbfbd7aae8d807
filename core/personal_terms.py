"""Which query parameters hold personal data (a name, a number, an address), and what a
held reference to one looks like (records/held_search.py holds the terms in the session).

Declared here, beneath the audit log, so that an event's path never carries a term typed
into a URL (`audited_query`), whatever the page does with it afterwards (a refusal is
audited before any redirect holds the term).
"""

import re

from django.http import QueryDict

from .filtering import is_part_of

# `~` and 8 URL-safe characters (6 random bytes): what a typed term never looks like.
_REFERENCE = re.compile(r"~[A-Za-z0-9_-]{8}")
# What an event's path says in place of a term typed into the URL.
LEFT_OUT = "(left out)"

_personal: set[str] = set()


def personal_parameters(*names: str) -> None:
    """Declare query parameters (and their parts) whose values are personal data."""
    _personal.update(names)


def is_personal(parameter: str) -> bool:
    return any(is_part_of(parameter, name) for name in _personal)


def is_reference(value: str) -> bool:
    return _REFERENCE.fullmatch(value) is not None


def audited_query(query: QueryDict) -> QueryDict | None:
    """`query` with each personal term that is not a held reference left out; None when
    it holds none."""
    audited, left_out = query.copy(), False
    for name, values in query.lists():
        if is_personal(name) and not all(is_reference(value) for value in values):
            audited.setlist(name, [v if is_reference(v) else LEFT_OUT for v in values])
            left_out = True
    return audited if left_out else None
