"""The lines list's filters and its server-side sorting (the list is paginated, so the
MOJ sortable table's client-side sorting would only sort one page)."""

import re
from dataclasses import dataclass

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.http import QueryDict
from django.utils import timezone

from core.dates import GovukDateFilter
from core.forms import GovukForm
from reference.models import CommandArea, Force

from .models import ClosureType, Line, LineNumber, LineStatus, RiskLevel
from .phone import normalise_number


@dataclass(frozen=True)
class SortColumn:
    key: str
    label: str
    ascending: tuple
    descending: tuple


# Every ordering ends with the primary key so that pages never overlap or skip a line.
SORT_COLUMNS: dict[str, SortColumn] = {
    column.key: column
    for column in (
        SortColumn("reference", "Reference", ("reference",), ("-reference",)),
        SortColumn(
            "name",
            "Brand name",
            (Lower("name").asc(), "reference"),
            (Lower("name").desc(), "reference"),
        ),
        SortColumn(
            "origin",
            "Origin force",
            ("origin_force__name", "reference"),
            ("-origin_force__name", "reference"),
        ),
        SortColumn(
            "identified",
            "First identified",
            ("first_identified", "reference"),
            ("-first_identified", "reference"),
        ),
        SortColumn(
            "closed",
            "Status",
            # Descending: active lines, then the most recently closed; ascending the reverse.
            (F("closed_on").asc(nulls_last=True), "reference"),
            (F("closed_on").desc(nulls_first=True), "reference"),
        ),
        SortColumn(
            "numbers", "Numbers", ("numbers_count", "reference"), ("-numbers_count", "reference")
        ),
    )
}
DEFAULT_SORT = "-identified"

# Characters people type in phone numbers besides digits.
_NUMBER_PUNCTUATION = re.compile(r"[\s\-().+/]")
_PARTIAL_NUMBER_MIN_DIGITS = 6


def parse_sort(value: str | None) -> tuple[str, bool]:
    """`-identified` -> ("identified", descending=True); unknown values give the default."""
    value = (value or "").strip()
    key = value.lstrip("-")
    if key not in SORT_COLUMNS:
        return parse_sort(DEFAULT_SORT)
    return key, value.startswith("-")


def sort_links(params: QueryDict, current: tuple[str, bool]) -> dict[str, dict]:
    """For each sortable column: the link that sorts on it and its aria-sort state."""
    current_key, descending = current
    base = params.copy()
    base.pop("sort", None)
    base.pop("page", None)
    headers = {}
    for key in SORT_COLUMNS:
        is_current = key == current_key
        # A second click on the sorted column reverses it; dates and counts start newest/largest.
        if is_current:
            next_sort = key if descending else f"-{key}"
        else:
            next_sort = f"-{key}" if key in {"identified", "closed", "numbers"} else key
        query = base.copy()
        query["sort"] = next_sort
        headers[key] = {
            "url": f"?{query.urlencode()}",
            "aria_sort": ("descending" if descending else "ascending") if is_current else "none",
        }
    return headers


class LineFilterForm(GovukForm):
    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("identified_from"), cleaned_data.get("identified_to")
        if start and end and end < start:
            self.add_error(
                "identified_to",
                "The end of the identified date range must be on or after its start.",
            )
        return cleaned_data


class LineFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Reference, brand name or number",
        method="filter_text",
        help_text="Numbers in any form, like 07712 345678",
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[(LineStatus.ACTIVE, "Active"), (LineStatus.CLOSED, "Closed")],
        method="filter_status",
        empty_label="Any",
        widget=forms.RadioSelect,
    )
    origin_force = django_filters.ModelChoiceFilter(
        label="Origin force",
        queryset=Force.objects.all(),
        empty_label="Any force",
    )
    command_areas = django_filters.ModelMultipleChoiceFilter(
        label="Destination command area",
        queryset=CommandArea.objects.all(),
        method="filter_command_areas",
        widget=forms.CheckboxSelectMultiple,
    )
    identified_from = GovukDateFilter(
        field_name="first_identified",
        lookup_expr="gte",
        label="First identified from",
        subject="The start of the identified date range",
    )
    identified_to = GovukDateFilter(
        field_name="first_identified",
        lookup_expr="lte",
        label="First identified to",
        subject="The end of the identified date range",
    )
    closure_type = django_filters.ChoiceFilter(
        label="Closure type", choices=ClosureType.choices, empty_label="Any"
    )
    risk_level = django_filters.ChoiceFilter(
        label="Risk", choices=RiskLevel.choices, empty_label="Any"
    )
    # Kept in the filter form (hidden) so that applying filters keeps the chosen order.
    sort = django_filters.CharFilter(method="filter_sort", widget=forms.HiddenInput)

    class Meta:
        model = Line
        fields = ["q", "status", "origin_force", "command_areas", "closure_type", "risk_level"]
        form = LineFilterForm

    def filter_text(self, queryset: QuerySet[Line], name: str, value: str) -> QuerySet[Line]:
        text = value.strip()
        if not text:
            return queryset
        matches = Q(reference__icontains=text) | Q(name__icontains=text)
        try:
            e164 = normalise_number(text)
        except ValidationError:
            digits = _NUMBER_PUNCTUATION.sub("", text)
            if digits.isdigit() and len(digits) >= _PARTIAL_NUMBER_MIN_DIGITS:
                # Part of a number: match it wherever it falls, a leading 0 being "+44".
                part = digits.removeprefix("0")
                matches |= Q(
                    Exists(
                        LineNumber.objects.filter(line=OuterRef("pk"), number__e164__contains=part)
                    )
                )
        else:
            matches |= Q(Exists(LineNumber.objects.filter(line=OuterRef("pk"), number__e164=e164)))
        return queryset.filter(matches)

    def filter_status(self, queryset: QuerySet[Line], name: str, value: str) -> QuerySet[Line]:
        if not value:
            return queryset
        return queryset.with_status_on(LineStatus(value), timezone.localdate())

    def filter_command_areas(self, queryset: QuerySet[Line], name: str, value) -> QuerySet[Line]:
        if not value:
            return queryset
        # Exists rather than a join: a line into two chosen areas is listed once.
        through = Line.command_areas.through
        return queryset.filter(
            Exists(through.objects.filter(line_id=OuterRef("pk"), commandarea__in=value))
        )

    def filter_sort(self, queryset: QuerySet[Line], name: str, value: str) -> QuerySet[Line]:
        return queryset  # applied in filter_queryset, whatever the other filters do

    @property
    def current_sort(self) -> tuple[str, bool]:
        """The column sorted on and whether descending."""
        if not self.is_bound:
            return parse_sort(None)
        self.form.is_valid()  # validates once; cleaned_data then holds the valid fields
        return parse_sort(self.form.cleaned_data.get("sort"))

    def filter_queryset(self, queryset: QuerySet[Line]) -> QuerySet[Line]:
        queryset = super().filter_queryset(queryset)
        key, descending = self.current_sort
        column = SORT_COLUMNS[key]
        return queryset.order_by(*(column.descending if descending else column.ascending), "pk")
