"""Search terms that are personal data never travel in a URL.

A name, a phone number, an address or a date of birth typed into a list's filter (or the
number search) would otherwise sit in the address bar, the browser's history, bookmarks,
links shared by e-mail and every proxy's log. Instead the term is held in the user's
session and the URL carries a reference to it: `/persons/?q=~Xc81fQk2` rather than
`/persons/?q=Jane+Doe`. Every other filter (a status, a command area, a sort order) stays
readable in the URL, so a list can still be bookmarked and its pages linked.

- A FilterSet names its personal filters in `personal_filters` (core/lists.py registers
  them here); another search names its parameter with `personal_parameters("number")`.
- `only_what_is_set` (core/lists.py) answers a submitted filter form (POST), or a URL
  holding a term itself, with a redirect to the URL holding references instead.
- `reveal(request)` is the query with the references replaced by their terms: what the
  FilterSet filters by and the audit log records. A reference the session does not hold
  (the session ended, or the link was someone else's) is dropped with a message saying
  to search again: terms are never shared between users through a link.
"""

import secrets

from django.contrib import messages
from django.http import HttpRequest, QueryDict

SESSION_KEY = "held_search_terms"
REFERENCE_PREFIX = "~"
# The newest terms kept per session: enough for any one piece of work, and a bound on
# the session's size.
HELD_TERMS = 100
# Parameters in several parts (a GOV.UK date input's `date_of_birth-day`, …) are one term each.
_PART_SEPARATORS = "-_"

_personal: set[str] = set()


def personal_parameters(*names: str) -> None:
    """Declare query parameters (and their parts) whose values are personal data."""
    _personal.update(names)


def is_personal(parameter: str) -> bool:
    return any(
        parameter == name
        or (parameter.startswith(name) and parameter[len(name)] in _PART_SEPARATORS)
        for name in _personal
    )


def is_reference(value: str) -> bool:
    return value.startswith(REFERENCE_PREFIX)


def hold(request: HttpRequest, query: QueryDict) -> QueryDict:
    """`query` with each personal value replaced by a reference to it in the session. The
    same term keeps the same reference, so searching again gives the same URL."""
    held = query.copy()
    for name, values in query.lists():
        if is_personal(name):
            held.setlist(
                name,
                [value if is_reference(value) else _reference(request, value) for value in values],
            )
    return held


def holds_terms(query: QueryDict) -> bool:
    """Whether `query` carries a personal term itself rather than a reference to it."""
    return any(
        is_personal(name) and not is_reference(value)
        for name, values in query.lists()
        for value in values
    )


def reveal(request: HttpRequest, query: QueryDict | None = None) -> QueryDict:
    """`query` (the request's query string) with the references replaced by their terms."""
    query = request.GET if query is None else query
    terms = request.session.get(SESSION_KEY, {})
    revealed = QueryDict(mutable=True)
    lost = False
    for name, values in query.lists():
        kept = []
        for value in values:
            if is_personal(name) and is_reference(value):
                if value in terms:
                    kept.append(terms[value])
                else:
                    lost = True
            else:
                kept.append(value)
        if kept:
            revealed.setlist(name, kept)
    if lost and not getattr(request, "_held_search_lost", False):
        request._held_search_lost = True  # one message however many times it is read
        messages.warning(
            request,
            "Part of this search is no longer held (it ends with your session and is never "
            "shared through a link): enter it again.",
        )
    return revealed


def _reference(request: HttpRequest, term: str) -> str:
    terms: dict[str, str] = request.session.get(SESSION_KEY, {})
    for reference, held_term in terms.items():
        if held_term == term:
            return reference  # held already: the session is not written again
    reference = REFERENCE_PREFIX + secrets.token_urlsafe(6)
    terms[reference] = term
    request.session[SESSION_KEY] = dict(list(terms.items())[-HELD_TERMS:])  # the newest
    return reference


def query(request: HttpRequest, **parameters: str) -> str:
    """The query string of `parameters`, personal values held: for a link to another page
    (`?number=~Xc81fQk2`) that reads them with `reveal`."""
    unheld = QueryDict(mutable=True)
    for name, value in parameters.items():
        unheld[name] = value
    return hold(request, unheld).urlencode()
