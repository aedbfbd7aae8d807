"""The lines list's filters and the columns it sorts by, server-side (the list is
paginated, so the MOJ sortable table's client-side sorting would only sort one page)."""

import django_filters
from django import forms
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Lower
from django.utils import timezone

from core.dates import GovukDateFilter
from core.forms import GovukForm
from records.lists import SortableFilterSet, SortColumn
from reference.models import CommandArea, Force

from .models import ClosureType, Line, LineNumber, LineStatus, RiskLevel
from .phone import number_search_term

_RISK_ORDER = Case(
    *(When(risk_level=level, then=Value(rank)) for rank, level in enumerate(RiskLevel.values)),
    default=Value(None),
    output_field=IntegerField(),
)

# Every ordering ends with the primary key (SortableFilterSet adds it).
LINE_SORT_COLUMNS = (
    SortColumn("reference", "Reference", ("reference_key",), ("-reference_key",)),
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
        descending_first=True,
    ),
    SortColumn(
        "closed",
        "Status",
        # Descending: active lines, then the most recently closed; ascending the reverse.
        (F("closed_on").asc(nulls_last=True), "reference"),
        (F("closed_on").desc(nulls_first=True), "reference"),
        descending_first=True,
    ),
    SortColumn(
        "numbers",
        "Numbers",
        ("numbers_count", "reference"),
        ("-numbers_count", "reference"),
        descending_first=True,
    ),
    SortColumn(
        "risk",
        "Risk",
        # Highest first when descending; lines not assessed come last either way.
        (_RISK_ORDER.asc(nulls_last=True), "reference"),
        (_RISK_ORDER.desc(nulls_last=True), "reference"),
        descending_first=True,
    ),
)


def used_number(text: str, uses: QuerySet, owner: str) -> Q:
    """The records (lines, people) with a use among `uses` of the number `text` (any
    spelling) or, for 6 digits or more that are not a whole number, of any number
    containing them; no condition (nothing matches) for other text. `owner` is the
    field of a use naming its record."""
    term = number_search_term(text)
    if term is None:
        return Q(pk__in=[])
    kind, value = term
    number = Q(number__e164=value) if kind == "number" else Q(number__e164__contains=value)
    return Q(Exists(uses.filter(number, **{owner: OuterRef("pk")})))


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


class LineFilter(SortableFilterSet):
    sort_columns = LINE_SORT_COLUMNS
    default_sort = "-identified"
    personal_filters = ("q",)  # numbers are personal data

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

    class Meta:
        model = Line
        fields = ["q", "status", "origin_force", "command_areas", "closure_type", "risk_level"]
        form = LineFilterForm

    def filter_text(self, queryset: QuerySet[Line], name: str, value: str) -> QuerySet[Line]:
        text = value.strip()
        if not text:
            return queryset
        matches = Q(reference__icontains=text) | Q(name__icontains=text)
        return queryset.filter(matches | used_number(text, LineNumber.objects, "line"))

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
