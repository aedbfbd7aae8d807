"""Lists of records: filtering, sorting, pages and the CSV export of exactly what is listed.

Every list in the service is built from these pieces, so that each one filters, sorts,
pages, exports, links back and is audited in the same way:

- `SortableFilterSet`: a django-filter FilterSet that also sorts, server-side, by the
  columns it declares in `sort_columns` (each ending with the primary key, so that
  pages never overlap or skip a record), with `sort_links()` for the column headers;
- `filtered_list(request, filterset, noun=...)`: the page of results, its GOV.UK
  pagination and "Showing 1 to 50 of 67 lines", and the audit event saying who looked
  for what (the filters are what was searched for);
- `filtered_export(request, filterset, ...)`: the same rows as CSV, streamed, audited;
- `list_query(request)` and `back_link()`: a detail page links back to the very page
  of the list it was opened from.

A view is then a few lines (lines/views.py `line_list`); the template extends
`layouts/filtered_list.html`.
"""

import datetime
import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Concatenate, ParamSpec, TypeVar
from urllib.parse import urlencode

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db.models import Field, Model, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse

from accounts.permissions import Capability, user_can
from audit.services import Action, audit_event_record, audit_listed
from core.csv_export import csv_response, marked_filename
from core.dates import GovukDateFilter
from core.filtering import PAGE_PARAMETER, filters_in_use
from core.forms import GovukForm

from . import held_search

_Request = TypeVar("_Request", bound=HttpRequest)
_P = ParamSpec("_P")
_R = TypeVar("_R")

PAGE_SIZE = 50
SORT_PARAMETER = "sort"
# A detail page opened from a list carries the list's query in this parameter.
LIST_PARAMETER = "list"
CSRF_FIELD = "csrfmiddlewaretoken"


@dataclass(frozen=True)
class SortColumn:
    """A column a list may be sorted by: its key in the query string, and the orderings."""

    key: str
    label: str
    ascending: tuple
    descending: tuple
    # Dates and counts are first sorted newest or largest first.
    descending_first: bool = False


class SortableFilterSet(django_filters.FilterSet):
    """A FilterSet that sorts too: subclasses declare `sort_columns` and `default_sort`
    (a key, `-` first for descending)."""

    sort_columns: ClassVar[Sequence[SortColumn]] = ()
    default_sort: ClassVar[str] = ""
    # Filters whose values are personal data (a name, a number, an address, a date of
    # birth): held in the session, never written in the URL (records/held_search.py).
    personal_filters: ClassVar[Sequence[str]] = ()
    # A selector builds it on the records the user may see, bound to the list's query
    # string (personal terms revealed: records.lists.bound_filterset).
    queryset: QuerySet[Any]
    data: QueryDict

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        held_search.personal_parameters(*cls.personal_filters)

    # How its pages are read: keys first, unless its rows are not one table's.
    paginator_class: ClassVar[type["KeysFirstPaginator"]]

    # Kept in the filter form (hidden) so that applying filters keeps the chosen order.
    sort = django_filters.CharFilter(method="filter_sort", widget=forms.HiddenInput)

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # applied in filter_queryset, whatever the other filters do

    @classmethod
    def columns(cls) -> dict[str, SortColumn]:
        return {column.key: column for column in cls.sort_columns}

    def parse_sort(self, value: str | None) -> tuple[str, bool]:
        """`-identified` -> ("identified", descending=True); unknown values: the default."""
        value = (value or "").strip()
        key = value.lstrip("-")
        if key not in self.columns():
            value = self.default_sort
            key = value.lstrip("-")
        return key, value.startswith("-")

    @property
    def current_sort(self) -> tuple[str, bool]:
        """The column sorted on and whether descending."""
        if not self.is_bound:
            return self.parse_sort(None)
        self.form.is_valid()  # validates once; cleaned_data then holds the valid fields
        return self.parse_sort(self.form.cleaned_data.get(SORT_PARAMETER))

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        self._unsorted_qs = super().filter_queryset(queryset)
        return self.sort_queryset(self._unsorted_qs)

    def sort_queryset(self, queryset: QuerySet) -> QuerySet:
        """`queryset` in the order asked for. Subclasses add what a column sorts on (a
        count, say) here, so that counting the list does not compute it."""
        key, descending = self.current_sort
        column = self.columns()[key]
        return queryset.order_by(*(column.descending if descending else column.ascending), "pk")

    @property
    def unsorted_qs(self) -> QuerySet:
        """The filtered rows without their order or what sorting adds: what a list counts."""
        sorted_qs = self.qs  # filters on first use
        return getattr(self, "_unsorted_qs", sorted_qs)

    def sort_links(self, params: QueryDict) -> dict[str, dict[str, str]]:
        """For each sortable column: the link that sorts on it and its aria-sort state. A
        second click on the sorted column reverses it."""
        current_key, descending = self.current_sort
        base = _without(params, SORT_PARAMETER, PAGE_PARAMETER)
        headers = {}
        for key, column in self.columns().items():
            is_current = key == current_key
            if is_current:
                next_sort = key if descending else f"-{key}"
            else:
                next_sort = f"-{key}" if column.descending_first else key
            query = base.copy()
            query[SORT_PARAMETER] = next_sort
            headers[key] = {
                "url": f"?{query.urlencode()}",
                "aria_sort": ("descending" if descending else "ascending")
                if is_current
                else "none",
            }
        return headers


class _DateRangeForm(GovukForm):
    def clean(self) -> dict[str, Any]:
        super().clean()
        start, end = self.cleaned_data.get("date_from"), self.cleaned_data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end of the date range must be on or after its start.")
        return self.cleaned_data


class DateRangeFilterSet(SortableFilterSet):
    """A list of records with a date (`date_field`): `From` and `To` filters, GOV.UK date
    inputs, a range that ends before it starts refused."""

    date_field: ClassVar[str] = ""

    date_from = GovukDateFilter(
        method="filter_date_from", label="From", subject="The start of the date range"
    )
    date_to = GovukDateFilter(
        method="filter_date_to", label="To", subject="The end of the date range"
    )

    class Meta:
        form = _DateRangeForm
        fields: list[str] = []

    def filter_date_from(
        self, queryset: QuerySet, name: str, value: datetime.date | None
    ) -> QuerySet:
        return queryset.filter(**{f"{self.date_field}__gte": value}) if value else queryset

    def filter_date_to(
        self, queryset: QuerySet, name: str, value: datetime.date | None
    ) -> QuerySet:
        return queryset.filter(**{f"{self.date_field}__lte": value}) if value else queryset


# --- Pages -------------------------------------------------------------------------------------


class KeysFirstPaginator(Paginator):
    """Reads a page's keys first, then its rows by key: the database skips the rows before
    a deep page in an index alone (page 400 of the lines list: 5 ms, against 22 ms reading
    and sorting every row)."""

    object_list: QuerySet[Any]

    def __init__(
        self,
        object_list: QuerySet[Any],
        per_page: int,
        orphans: int = 0,
        *,
        counted: QuerySet[Any] | None = None,
    ) -> None:
        super().__init__(object_list, per_page, orphans)
        self.counted = object_list if counted is None else counted

    @functools.cached_property
    def count(self) -> int:
        return self.counted.count()

    def page(self, number: int | str) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(
            self.object_list.prefetch_related(None).values_list("pk", flat=True)[bottom:top]
        )
        rows = {row.pk: row for row in self.object_list.order_by().filter(pk__in=keys)}
        # A row deleted between the two reads is left out.
        return Page([rows[key] for key in keys if key in rows], number, self)


class RowsPaginator(KeysFirstPaginator):
    """Reads a page's rows at once: for a list that is not one table's records (the
    union of several kinds, `records.reviews`), whose keys name no row of one table."""

    def page(self, number: int | str) -> Page:
        return Paginator.page(self, number)


class CappedPaginator(KeysFirstPaginator):
    """Counts at most `limit` rows (then `capped` is true): pages past it are not offered."""

    limit = 10_000

    @functools.cached_property
    def count(self) -> int:
        counted = self.counted[: self.limit + 1].count()
        self.capped = counted > self.limit
        return min(counted, self.limit)

    capped = False


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: an ellipsis
    url: str = ""
    current: bool = False


@dataclass
class ListPage:
    """What a list template shows: the filter, one page of rows, how to get to others."""

    filterset: SortableFilterSet
    page: Page
    noun: str  # "line": "Showing 1 to 50 of 67 lines"
    query: str  # the query string less the page number
    sort_headers: dict[str, dict[str, str]]
    page_links: list[PageLink]
    export_url: str = ""  # the CSV of the same rows, when the list has one

    @property
    def export_link(self) -> str:
        """The export of exactly what is listed: the same filters and order."""
        return f"{self.export_url}?{self.query}" if self.query else self.export_url

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @property
    def showing(self) -> str:
        """`Showing 1 to 50 of 67 lines`, or `1 line`."""
        noun = self.noun if self.count == 1 else f"{self.noun}s"
        of = (
            f"more than {self.count:,}"
            if getattr(self.page.paginator, "capped", False)
            else (f"{self.count:,}")
        )
        if self.page.paginator.num_pages == 1:
            return f"{of} {noun}"
        return f"Showing {self.page.start_index():,} to {self.page.end_index():,} of {of} {noun}"

    @property
    def previous_url(self) -> str:
        return page_url(self.query, self.page.previous_page_number())

    @property
    def next_url(self) -> str:
        return page_url(self.query, self.page.next_page_number())

    @property
    def list_parameter(self) -> str:
        """`list=…` for the links to each record: its back link returns to this page."""
        query = self.query
        if self.page.number > 1:
            query = f"{query}&page={self.page.number}" if query else f"page={self.page.number}"
        return urlencode({LIST_PARAMETER: query}) if query else ""


def page_links(page: Page, query: str) -> list[PageLink]:
    """GOV.UK pagination: the first and last pages, the current one and its neighbours,
    ellipses for the gaps (`1 … 4 5 6 … 10`)."""
    last = page.paginator.num_pages
    around = {1, last, page.number - 1, page.number, page.number + 1}
    wanted = sorted(number for number in around if 1 <= number <= last)
    links: list[PageLink] = []
    previous = 0
    for number in wanted:
        if number - previous > 1:
            links.append(PageLink(None))
        links.append(PageLink(number, page_url(query, number), number == page.number))
        previous = number
    return links


def page_url(query: str, number: int) -> str:
    if number == 1:
        return f"?{query}" if query else "?"
    return f"?{query}&page={number}" if query else f"?page={number}"


def only_what_is_set(
    view: Callable[Concatenate[_Request, _P], _R],
) -> Callable[Concatenate[_Request, _P], _R | HttpResponseRedirect]:
    """List and search views: a submitted filter form (POST) or a query with empty
    parameters is answered with a redirect to the same page with only what is set, so
    URLs say only that; a personal search term in either is held in the session and the
    URL carries a reference to it instead (records/held_search.py)."""

    @functools.wraps(view)
    def wrapped(
        request: _Request, *args: _P.args, **kwargs: _P.kwargs
    ) -> _R | HttpResponseRedirect:
        if request.method == "POST":
            submitted = _without_empty(_without(request.POST, CSRF_FIELD))
            return _redirect_to_same_page(request, held_search.hold(request, submitted, typed=True))
        return url_cleaned(request) or view(request, *args, **kwargs)

    return wrapped


def url_cleaned(request: HttpRequest) -> HttpResponseRedirect | None:
    """A redirect to the request's URL without empty parameters and with personal terms
    held, if that is another URL; None if the URL is as it should be."""
    wanted = held_search.hold(request, _without_empty(request.GET))
    if wanted.urlencode() == request.GET.urlencode():
        return None
    return _redirect_to_same_page(request, wanted)


def _redirect_to_same_page(request: HttpRequest, query: QueryDict) -> HttpResponseRedirect:
    """A redirect (303 See Other) to the page asked for, with `query` as its query."""
    encoded = query.urlencode()
    response = HttpResponseRedirect(f"{request.path}?{encoded}" if encoded else request.path)
    response.status_code = 303  # the browser asks with GET, whatever it sent
    return response


def bound_filterset(
    request: HttpRequest, selector: Callable[..., SortableFilterSet]
) -> SortableFilterSet:
    """`selector`'s FilterSet of what the user may see, bound to the request's query with
    the personal terms revealed. A term the session no longer holds is an error on its
    field, and nothing is listed or exported until it is entered again."""
    revealed = held_search.reveal(request)
    filterset = selector(user=request.user, filters=revealed.query)
    if revealed.lost:
        filterset.queryset = filterset.queryset.none()
        held_search.refuse_lost(filterset.form, revealed.lost)
    return filterset


def filtered_list(
    request: HttpRequest,
    filterset: SortableFilterSet,
    *,
    noun: str,
    object_type: str,
    per_page: int = PAGE_SIZE,
    prepare_rows: Callable[[list[Any]], None] | None = None,
    count_limit: int | None = None,
    export_url: str = "",
) -> ListPage:
    """The page of `filterset`'s rows the request asks for, audited as a search.

    `prepare_rows` adds to the page's rows what costs too much to compute for every row
    of the list (a count, say) in a query or two. With `count_limit`, the list is counted
    only that far ("more than 10,000 events"): counting millions of rows costs more than
    showing a page of them."""
    if filterset.is_valid():
        rows, counted = filterset.qs, filterset.unsorted_qs
    else:
        # A filter that is not valid (an impossible date, a value typed into a link) lists
        # nothing, as a search term no longer held does: never the list as though it
        # were filtered, nor the rows of the filters that happen to be valid.
        rows = counted = filterset.queryset.none()
    if count_limit:
        capped = CappedPaginator(rows, per_page, counted=counted)
        capped.limit = count_limit
        paginator: KeysFirstPaginator = capped
    else:
        paginator_class = getattr(filterset, "paginator_class", KeysFirstPaginator)
        paginator = paginator_class(rows, per_page, counted=counted)
    page = paginator.get_page(request.GET.get(PAGE_PARAMETER))
    # Read the page now: the audit event written next is a row of the audit log's own list.
    page.object_list = list(page.object_list)
    if prepare_rows is not None:
        prepare_rows(page.object_list)
    query = _without(request.GET, PAGE_PARAMETER).urlencode()
    if filterset.is_valid():
        audit_listed(
            request=request,
            object_type=object_type,
            label=f"{noun.capitalize()}s list",
            filters=filters_in_use(filterset.data),
            results=paginator.count,
            page=page.number,
        )
    return ListPage(
        filterset=filterset,
        page=page,
        noun=noun,
        query=query,
        sort_headers=filterset.sort_links(request.GET),
        page_links=page_links(page, query),
        export_url=export_url,
    )


def filtered_export(
    request: HttpRequest,
    filterset: SortableFilterSet,
    *,
    noun: str,
    object_type: str,
    header: Sequence[str],
    rows: Callable[[QuerySet], Iterable[Sequence[Any]]],
    lookups: Sequence[str] = (),
) -> StreamingHttpResponse:
    """The filtered rows as a CSV download, streamed, in the list's order; audited with
    the filters and the number of rows. The caller checks `filterset.is_valid()` first.

    A column whose field (its `lookups`' entry, by default its name in `header`) has
    choices is written in their words ("Very high", not "very_high"): the imports read
    either, so an export can still be imported again. The file is named with the list,
    the protective marking and the day (`lines-OFFICIAL-SENSITIVE-2026-12-07.csv`)."""
    queryset = filterset.qs
    count = queryset.count()
    audit_event_record(
        action=Action.EXPORT,
        request=request,
        object_type=object_type,
        object_label=f"{noun.capitalize()}s export",
        detail={"filters": filters_in_use(filterset.data), "rows": count},
    )
    words = choice_words(queryset.model, lookups or header)
    return csv_response(
        filename=marked_filename(f"{noun.replace(' ', '-')}s"),
        header=header,
        rows=_in_words(rows(queryset), words) if words else rows(queryset),
    )


def choice_words(model: type[Model], lookups: Sequence[str]) -> dict[int, dict[str, str]]:
    """For each column whose lookup (`risk_level`, `person__gender`) ends on a field with
    choices, by the column's position: each code's words."""
    words = {}
    for position, lookup in enumerate(lookups):
        field = _field_of(model, lookup)
        if field is not None and field.choices:
            words[position] = {str(code): str(label) for code, label in field.flatchoices}
    return words


def _field_of(model: type[Model], lookup: str) -> Field | None:
    """The field `lookup` ends on, following relations; None if it names no field."""
    field: Field | None = None
    current: Any = model
    for part in lookup.split(LOOKUP_SEP):
        if current is None:
            return None
        try:
            found = current._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        field = found if isinstance(found, Field) else None
        current = found.related_model if found.is_relation else None
    return field


def _in_words(
    rows: Iterable[Sequence[Any]], words: dict[int, dict[str, str]]
) -> Iterator[list[Any]]:
    for row in rows:
        cells = list(row)
        for position, labels in words.items():
            cell = cells[position]
            if isinstance(cell, str) and cell in labels:
                cells[position] = labels[cell]
        yield cells


@dataclass(frozen=True)
class ListScreen:
    """A list page and its CSV export, for a view each to return (`lines/views.py`):

        LINES = ListScreen(filterset=selectors.line_list, template="lines/line_list.html", ...)

        @capability_required(Capability.VIEW_LINES)
        @only_what_is_set
        def line_list(request):
            return LINES.page(request)

    `filterset(user=..., filters=...)` is the app's selector of the FilterSet of what the
    user may see; `export_rows(queryset, user)` the CSV's rows (what the user may see
    of each record); `change_capability` says
    whether the page offers to add records (`can_change` in the template)."""

    filterset: Callable[..., SortableFilterSet]
    template: str
    noun: str
    object_type: str
    export_url_name: str
    export_header: Sequence[str]
    export_rows: Callable[[QuerySet, Any], Iterable[Sequence[Any]]]
    change_capability: Capability
    # Each column's lookup, when its name in the header is not its field's.
    export_lookups: Sequence[str] = ()

    def page(self, request: HttpRequest, **context: Any) -> HttpResponse:
        listing = filtered_list(
            request,
            bound_filterset(request, self.filterset),
            noun=self.noun,
            object_type=self.object_type,
            export_url=reverse(self.export_url_name),
        )
        can_change = user_can(request.user, self.change_capability)
        return render(
            request, self.template, {"list": listing, "can_change": can_change, **context}
        )

    def export(self, request: HttpRequest, **context: Any) -> HttpResponse | StreamingHttpResponse:
        """The CSV of the filtered rows; the list with the filters' errors if they are wrong."""
        filterset = bound_filterset(request, self.filterset)
        if not filterset.is_valid():
            return self.page(request, **context)
        return filtered_export(
            request,
            filterset,
            noun=self.noun,
            object_type=self.object_type,
            header=self.export_header,
            rows=lambda queryset: self.export_rows(queryset, request.user),
            lookups=self.export_lookups,
        )


# --- Back links -----------------------------------------------------------------------------


def back_link(request: HttpRequest, list_url: str) -> str:
    """The list a detail page was opened from, on the same page, filtered and sorted the
    same way: `list_url` with the query the list passed in `?list=`. Only a query string
    is taken from the request, never a place, so the link cannot lead elsewhere."""
    query = request.GET.get(LIST_PARAMETER, "")
    cleaned = _without_empty(QueryDict(query)).urlencode()
    return f"{list_url}?{cleaned}" if cleaned else list_url


def _without(params: QueryDict, *names: str) -> QueryDict:
    query = params.copy()
    for name in names:
        query.pop(name, None)
    return query


def _without_empty(params: QueryDict) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, values in params.lists():
        kept = [value for value in values if value.strip()]
        if kept:
            query.setlist(name, kept)
    return query
