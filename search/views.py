"""The search box: one text, every kind of record the user may see.

The text is personal data (a name, a number, an address): it is posted and held in the
session, the URL carries a reference to it (records/held_search.py), the page's title
never names it, and each search is a `search` event on the audit log with the text and
what was found."""

from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.access import deny
from accounts.http import AuthenticatedHttpRequest
from audit.services import audit_listed
from records import held_search
from records.lists import url_cleaned

from . import selectors
from .forms import SearchForm

held_search.personal_parameters("q")


def search(request: AuthenticatedHttpRequest):
    if not selectors.sources_for(request.user):
        raise deny(request, reason="may see no kind of record the search looks through")
    if request.method == "POST":
        form = SearchForm(request.POST)
        if form.is_valid():
            query = held_search.held_query(request, q=form.cleaned_data["q"])
            return redirect(f"{request.path}?{query}")
    elif moved := url_cleaned(request):
        return moved
    else:
        revealed = held_search.reveal(request)
        asked = "q" in revealed.query or revealed.lost
        form = SearchForm(revealed.query if asked else None)
        held_search.refuse_lost(form, revealed.lost)
    outcome = None
    if form.is_bound and form.is_valid():
        outcome = selectors.search_everything(user=request.user, text=form.cleaned_data["q"])
        audit_listed(
            request=request,
            object_type="search",
            label="Search",
            filters={"q": outcome.terms.text},
            results={
                kind.source.kind: [found.title for found in kind.found] for kind in outcome.kinds
            },
        )
    return render(
        request,
        "search/search.html",
        {"form": form, "outcome": outcome, **_links(request, outcome)},
    )


def _links(request: AuthenticatedHttpRequest, outcome: selectors.SearchOutcome | None) -> dict:
    """`groups`: each kind with where its "more" leads (its list, filtered by the same
    text, held); `number_url`: the number search, for a whole number typed."""
    if outcome is None:
        return {}
    groups = []
    for kind in outcome.kinds:
        source, more_url = kind.source, ""
        if kind.more and source.list_url:
            query = held_search.held_query(request, **{source.list_parameter: outcome.terms.text})
            more_url = f"{reverse(source.list_url)}?{query}"
        groups.append((kind, more_url))
    number_url = ""
    if outcome.whole_number and any(kind.source.kind == "numbers" for kind in outcome.kinds):
        query = held_search.held_query(request, number=outcome.whole_number)
        number_url = f"{reverse('lines:number_search')}?{query}"
    return {"groups": groups, "number_url": number_url}
