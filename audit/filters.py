"""The audit log's filters and sort order (core.lists)."""

import django_filters
from django.db.models import Q, QuerySet

from core.dates import GovukDateFilter
from core.forms import GovukForm
from core.lists import SortableFilterSet, SortColumn

from .models import AuditEvent
from .records import record_type_choices


class AuditEventFilter(SortableFilterSet):
    sort_columns = (
        SortColumn("when", "When", ("occurred_at", "id"), ("-occurred_at", "-id"), True),
        SortColumn("user", "Who", ("username", "-occurred_at"), ("-username", "-occurred_at")),
        SortColumn("action", "Action", ("action", "-occurred_at"), ("-action", "-occurred_at")),
    )
    default_sort = "-when"

    username = django_filters.CharFilter(
        label="User", method="filter_user", help_text="Part of their name or username"
    )
    action = django_filters.ChoiceFilter(choices=AuditEvent.Action.choices, empty_label="Any")
    object_type = django_filters.ChoiceFilter(
        label="Record type", choices=record_type_choices, empty_label="Any"
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

    def filter_user(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Every word must be part of the username or of the user's first or last name."""
        for word in value.split():
            queryset = queryset.filter(
                Q(username__icontains=word)
                | Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
            )
        return queryset
