"""The filters and sort columns of the drug-related deaths list (server-side, records.lists)."""

import django_filters
from django.db.models import QuerySet

from records.lists import DateRangeFilterSet, SortableFilterSet, SortColumn
from reference.models import CommandArea, Drug


class DeathFilter(DateRangeFilterSet):
    date_field = "date_of_death"
    sort_columns = (
        SortColumn(
            "date",
            "Date of death",
            ("date_of_death", "reference_key"),
            ("-date_of_death", "reference_key"),
            True,
        ),
        SortColumn("reference", "Reference", ("reference_key",), ("-reference_key",)),
    )
    default_sort = "-date"
    command_area = django_filters.ModelChoiceFilter(
        label="Command area", queryset=CommandArea.objects.all(), empty_label="Any area"
    )
    substances = django_filters.ModelChoiceFilter(
        label="Substance implicated", queryset=Drug.objects.all(), empty_label="Any"
    )

    class Meta(DateRangeFilterSet.Meta):
        pass


class ReportFilter(SortableFilterSet):
    """The reports prepared for the panel, newest period first."""

    sort_columns = (
        SortColumn("end", "Period", ("end", "start", "as_at"), ("-end", "-start", "-as_at"), True),
        SortColumn("as_at", "Figures as at", ("as_at", "end"), ("-as_at", "-end"), True),
    )
    default_sort = "-end"
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=(("published", "Published"), ("draft", "Draft")),
        method="filter_status",
        empty_label="Any",
    )

    class Meta:
        fields: list[str] = []

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value in ("published", "draft"):
            return queryset.filter(published_at__isnull=value == "draft")
        return queryset
