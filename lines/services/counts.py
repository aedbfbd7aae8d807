"""The numbers count each line keeps (`Line.numbers_count`), refreshed by every write that
attributes a number."""

from collections.abc import Iterable

from django.db.models import Count

from core.bulk import update_rows

from ..models import Line, LineNumber


def numbers_counts_refresh(*, line_ids: Iterable[int]) -> None:
    """Sets these lines' `numbers_count` (the distinct numbers they used) from their
    attributions: one aggregate and one bulk update, whatever their number (a correlated
    subquery per line took 5 ms a line on PostgreSQL). Not an edit of the line: its
    version and `updated_at` stay as they are."""
    ids = list(set(line_ids))
    if not ids:
        return
    counts = dict.fromkeys(ids, 0)
    counts.update(
        LineNumber.objects.filter(line_id__any=ids)
        .order_by()
        .values("line_id")
        .annotate(count=Count("number", distinct=True))
        .values_list("line_id", "count")
    )
    update_rows(
        Line, ("numbers_count",), [(pk, count) for pk, count in counts.items()], touch=False
    )
