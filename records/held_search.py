"""Search terms that are personal data never travel in a URL.

A name, a phone number, an address or a date of birth typed into a list's filter (or the
number search) would otherwise sit in the address bar, the browser's history, bookmarks,
links shared by e-mail and every proxy's log. Instead the term is held in the user's
session and the URL carries a reference to it: `/people/?q=~Xc81fQk2` rather than
`/people/?q=Jane+Doe`. Every other filter (a status, a command area, a sort order) stays
readable in the URL, so a list can still be bookmarked and its pages linked.

- A FilterSet names its personal filters in `personal_filters` (records/lists.py registers
  them here); another search names its parameter with `personal_parameters("number")`
  (core.personal_terms, where the audit log reads them too: a term typed into a URL is
  never in an event's path).
- `only_what_is_set` (records/lists.py) answers a submitted filter form (POST), or a URL
  holding a term itself, with a redirect to the URL holding references instead.
- `reveal(request)` is the query with the references replaced by their terms: what the
  FilterSet filters by and the audit log records. A reference the session does not hold
  (the session ended, or the link was someone else's) is `lost`: its field says to
  search again and nothing is listed or exported, so that a list is never taken to be
  filtered when it is not. Terms are never shared between users through a link.
"""

import secrets
from dataclasses import dataclass, field

from django import forms
from django.http import HttpRequest, QueryDict

from core.filtering import is_part_of
from core.personal_terms import is_personal, is_reference
from core.personal_terms import personal_parameters as personal_parameters  # declared there

SESSION_KEY = "held_search_terms"
# The newest terms kept per session: enough for any one piece of work, and a bound on
# the session's size, as is the length of a term (no name or address is longer, nor a
# box of the numbers a comparison takes: calls.forms.MOST_COMPARED). A longer term is
# cut short: a form holding one refuses a value of this length (`may_be_cut_short`).
HELD_TERMS = 100
LONGEST_TERM = 1000
LOST = (
    "This search is no longer held (a search ends with your session, and is never shared "
    "through a link): enter it again"
)


def hold(request: HttpRequest, query: QueryDict, *, typed: bool = False) -> QueryDict:
    """`query` with each personal value replaced by a reference to it in the session. The
    same term keeps the same reference, so searching again gives the same URL. With
    `typed` (a submitted form) every value is a term, even one that looks like a reference."""
    held = query.copy()
    for name, values in query.lists():
        if is_personal(name):
            held.setlist(
                name,
                [
                    value if is_reference(value) and not typed else _reference(request, value)
                    for value in values
                ],
            )
    return held


@dataclass
class Revealed:
    query: QueryDict  # the terms in place of their references
    lost: list[str] = field(default_factory=list)  # parameters whose reference is not held


def reveal(request: HttpRequest) -> Revealed:
    """The request's query string with the references replaced by their terms."""
    terms = request.session.get(SESSION_KEY, {})
    revealed = Revealed(QueryDict(mutable=True))
    for name, values in request.GET.lists():
        kept = []
        for value in values:
            if not (is_personal(name) and is_reference(value)):
                kept.append(value)
            elif value in terms:
                kept.append(terms[value])
            elif name not in revealed.lost:
                revealed.lost.append(name)
        if kept:
            revealed.query.setlist(name, kept)
    return revealed


def refuse_lost(form: forms.Form, lost: list[str]) -> None:
    """Each field of the bound `form` whose search is no longer held says so, instead of
    what it would say of its emptiness (the error summary links to it)."""
    for name in {_field_of(form, parameter) for parameter in lost}:
        if name is not None:  # a field's own message gives way; the form's are kept
            form.errors.pop(name, None)
        form.add_error(name, LOST)


def held_query(request: HttpRequest, **parameters: str) -> str:
    """The query string of `parameters`, personal values held: for a link to another page
    (`?number=~Xc81fQk2`) that reads them with `reveal`."""
    unheld = QueryDict(mutable=True)
    for name, value in parameters.items():
        unheld[name] = value
    return hold(request, unheld, typed=True).urlencode()


def _field_of(form: forms.Form, parameter: str) -> str | None:
    for name in form.fields:
        if is_part_of(parameter, name):
            return name
    return None  # a search of the whole form


def may_be_cut_short(term: str) -> bool:
    """Whether a revealed `term` may have been cut short when it was held (it was as long
    as a term is kept, or longer): what it says is not all that was typed."""
    return len(term) >= LONGEST_TERM


def _reference(request: HttpRequest, term: str) -> str:
    term = term[:LONGEST_TERM]
    terms: dict[str, str] = request.session.get(SESSION_KEY, {})
    for position, (reference, held_term) in enumerate(terms.items()):
        if held_term == term:
            # In use again: kept among the newest, so that its pages' links keep working.
            # Moved only from the older half, so that re-reading a page writes nothing.
            if position < len(terms) - HELD_TERMS // 2:
                terms[reference] = terms.pop(reference)
                request.session[SESSION_KEY] = terms
            return reference
    reference = "~" + secrets.token_urlsafe(6)
    terms[reference] = term
    request.session[SESSION_KEY] = dict(list(terms.items())[-HELD_TERMS:])  # the newest
    return reference
