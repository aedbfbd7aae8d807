"""The filters and sort columns of the operations, arrests, charges, sentences and
seizures lists (server-side, records.lists)."""

import django_filters
from django.db.models import F, Q, QuerySet

from core.forms import GovukForm
from core.references import reference_key
from persons.names import name_key
from records.lists import DateRangeFilterSet, SortableFilterSet, SortColumn
from reference.models import CommandArea, Drug

from .models import Arrest, Charge, DrugTest, Operation, OperationKind, Seizure, Sentence


def _by_date(field: str, label: str) -> tuple[SortColumn, SortColumn]:
    return (
        SortColumn("date", label, (field, "reference_key"), (f"-{field}", "reference_key"), True),
        SortColumn("reference", "Reference", ("reference_key",), ("-reference_key",)),
    )


class EnforcementFilter(DateRangeFilterSet):
    """A list of records with a date, a line and (most of them) a person: the filters
    they share. Subclasses name their date field (`date_field`)."""

    default_sort = "-date"
    personal_filters = ("person",)  # a name or a person's reference

    line = django_filters.CharFilter(
        label="Line reference", method="filter_line", help_text="For example CL-2024-017"
    )

    class Meta(DateRangeFilterSet.Meta):
        pass

    def filter_line(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value.strip():
            return queryset
        return queryset.filter(line__reference_key=reference_key(value))

    def filter_person(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        if not text:
            return queryset
        matches = Q(person__reference_key=reference_key(text))
        if key := name_key(text):
            matches |= Q(person__names_key__contains=key)
        return queryset.filter(matches)

    def filter_operation(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(operation=value) if value else queryset


def _person_filter():
    return django_filters.CharFilter(
        label="Person", method="filter_person", help_text="Name or reference"
    )


def _operation_filter():
    return django_filters.ModelChoiceFilter(
        label="Operation",
        queryset=Operation.objects.all(),
        method="filter_operation",
        empty_label="Any operation",
    )


class ArrestFilter(EnforcementFilter):
    date_field = "arrested_on"
    sort_columns = (
        *_by_date("arrested_on", "Date of arrest"),
        SortColumn(
            "area",
            "Command area",
            ("command_area__name", "reference_key"),
            ("-command_area__name", "reference_key"),
        ),
    )
    person = _person_filter()
    operation = _operation_filter()
    command_area = django_filters.ModelChoiceFilter(
        label="Command area", queryset=CommandArea.objects.all(), empty_label="Any area"
    )
    drug_test = django_filters.ChoiceFilter(
        label="Drug test on arrest", choices=DrugTest.choices, empty_label="Any"
    )

    class Meta(EnforcementFilter.Meta):
        model = Arrest


class ChargeFilter(EnforcementFilter):
    date_field = "charged_on"
    sort_columns = _by_date("charged_on", "Date charged")
    person = _person_filter()

    class Meta(EnforcementFilter.Meta):
        model = Charge


class SentenceFilter(EnforcementFilter):
    date_field = "sentenced_on"
    sort_columns = (
        *_by_date("sentenced_on", "Date sentenced"),
        SortColumn(
            "custody",
            "Custody",
            ("custody_months", "reference_key"),
            ("-custody_months", "reference_key"),
            True,
        ),
    )
    person = _person_filter()

    class Meta(EnforcementFilter.Meta):
        model = Sentence


class SeizureFilter(EnforcementFilter):
    date_field = "seized_on"
    sort_columns = (
        *_by_date("seized_on", "Date seized"),
        SortColumn(
            "cash",
            "Cash",
            (F("cash_gbp").asc(nulls_first=True), "reference_key"),
            (F("cash_gbp").desc(nulls_last=True), "reference_key"),
            True,
        ),
    )
    operation = _operation_filter()
    drug = django_filters.ModelChoiceFilter(
        label="Drug", queryset=Drug.objects.all(), empty_label="Any drug"
    )

    class Meta(EnforcementFilter.Meta):
        model = Seizure


class OperationFilter(SortableFilterSet):
    sort_columns = (
        SortColumn(
            "started",
            "Start date",
            ("started_on", "reference_key"),
            ("-started_on", "reference_key"),
            True,
        ),
        SortColumn("reference", "Reference", ("reference_key",), ("-reference_key",)),
        SortColumn("name", "Name", ("name", "reference_key"), ("-name", "reference_key")),
    )
    default_sort = "-started"
    kind = django_filters.ChoiceFilter(
        label="Kind", choices=OperationKind.choices, empty_label="Any"
    )
    command_areas = django_filters.ModelChoiceFilter(
        label="Command area", queryset=CommandArea.objects.all(), empty_label="Any area"
    )

    class Meta:
        model = Operation
        fields = ["kind", "command_areas"]
        form = GovukForm
