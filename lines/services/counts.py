"""The numbers count each line keeps (`Line.numbers_count`), refreshed by every write that
attributes a number."""

from collections.abc import Iterable

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from ..models import Line, LineNumber


def numbers_counts_refresh(line_ids: Iterable[int]) -> None:
    """Sets these lines' `numbers_count` (the distinct numbers they used) from their
    attributions, in one statement whatever their number. Not an edit of the line: its
    version and `updated_at` stay as they are."""
    ids = list(set(line_ids))
    if not ids:
        return
    distinct_numbers = (
        LineNumber.objects.filter(line=OuterRef("pk"))
        .order_by()
        .values("line")
        .annotate(count=Count("number", distinct=True))
        .values("count")
    )
    Line.objects.filter(pk__any=ids).update(numbers_count=Coalesce(Subquery(distinct_numbers), 0))
