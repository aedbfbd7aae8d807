"""The audit log's filters and sort order (core.lists)."""

import django_filters

from core.dates import GovukDateFilter
from core.forms import GovukForm
from core.lists import SortableFilterSet, SortColumn

from .models import AuditEvent


class AuditEventFilter(SortableFilterSet):
    sort_columns = (
        SortColumn("when", "When", ("occurred_at", "id"), ("-occurred_at", "-id"), True),
        SortColumn("user", "Who", ("username", "-occurred_at"), ("-username", "-occurred_at")),
        SortColumn("action", "Action", ("action", "-occurred_at"), ("-action", "-occurred_at")),
    )
    default_sort = "-when"

    username = django_filters.CharFilter(
        label="User", lookup_expr="iexact", help_text="Username, exactly"
    )
    action = django_filters.ChoiceFilter(choices=AuditEvent.Action.choices, empty_label="Any")
    object_type = django_filters.CharFilter(
        label="Record type", lookup_expr="iexact", help_text="For example lines.line"
    )
    object_id = django_filters.CharFilter(label="Record id", lookup_expr="exact")
    occurred_from = GovukDateFilter(
        field_name="occurred_at",
        lookup_expr="date__gte",
        label="From",
        subject="The start of the date range",
    )
    occurred_to = GovukDateFilter(
        field_name="occurred_at",
        lookup_expr="date__lte",
        label="To",
        subject="The end of the date range",
    )

    class Meta:
        model = AuditEvent
        fields = ["username", "action", "object_type", "object_id"]
        form = GovukForm
