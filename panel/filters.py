"""The filters and sort columns of the drug-related deaths list (server-side, core.lists)."""

import django_filters

from core.lists import DateRangeFilterSet, SortColumn
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
