"""The disclosures of call data (sources), as their screens list and show them."""

from collections.abc import Iterator
from typing import Any, ClassVar

import django_filters
from django.db.models import QuerySet

from accounts.access import get_record_for_user
from accounts.models import User
from accounts.permissions import visible_to
from records.lists import SortableFilterSet, SortColumn

from ..models import SOURCE_FIELDS, Source


class SourceFilter(SortableFilterSet):
    """The sources recorded, newest first; held or purged."""

    sort_columns: ClassVar = (
        SortColumn("recorded", "Recorded", ("created_at",), ("-created_at",), True),
        SortColumn("reference", "Reference", ("reference",), ("-reference",)),
        SortColumn("retain_until", "Retain until", ("retain_until",), ("-retain_until",)),
        SortColumn("events", "Events held", ("events",), ("-events",), True),
    )
    default_sort = "-recorded"
    status = django_filters.ChoiceFilter(
        label="Rows",
        choices=(("held", "Held"), ("purged", "Purged")),
        method="filter_status",
        empty_label="Held or purged",
    )

    class Meta:
        model = Source
        fields: list[str] = []

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value in ("held", "purged"):
            return queryset.filter(purged_at__isnull=value == "held")
        return queryset


def source_list(*, user: User, filters: dict[str, Any]) -> SourceFilter:
    """The sources `user` may see (intelligence officers: all of them): the FilterSet."""
    sources = visible_to(user, Source.objects.select_related("recorded_by"))
    return SourceFilter(filters, queryset=sources)


def get_source_for_user(user: User, pk: int | str, *, to_change: bool = False) -> Source:
    """The source `pk` if `user` may see it, else 404; with `to_change`, 403 if they may see
    but not change it (both audited when it exists)."""
    sources = Source.objects.select_related("recorded_by")
    return get_record_for_user(user, sources, pk, to_change=to_change)


SOURCE_EXPORT_HEADER = ["reference", *SOURCE_FIELDS, "events", "first_at", "last_at", "purged_at"]


def source_export_rows(*, sources: QuerySet[Source]) -> Iterator[list[Any]]:
    """The sources' CSV rows: the columns `call_source_create` takes, then what is held."""
    for source in sources.iterator(chunk_size=2000):
        values = [
            " ".join(source.numbers) if column == "numbers" else getattr(source, column)
            for column in SOURCE_EXPORT_HEADER
        ]
        yield [
            "" if value is None else value.isoformat() if hasattr(value, "isoformat") else value
            for value in values
        ]
