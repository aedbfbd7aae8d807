import django_filters
from django import forms

from core.forms import GovukForm

from .models import AuditEvent


class AuditEventFilter(django_filters.FilterSet):
    username = django_filters.CharFilter(
        label="User", lookup_expr="iexact", help_text="Username, exactly"
    )
    action = django_filters.ChoiceFilter(choices=AuditEvent.Action.choices, empty_label="Any")
    object_type = django_filters.CharFilter(
        label="Record type", lookup_expr="iexact", help_text="For example lines.line"
    )
    object_id = django_filters.CharFilter(label="Record id", lookup_expr="exact")
    occurred_from = django_filters.DateFilter(
        field_name="occurred_at",
        lookup_expr="date__gte",
        label="From",
        help_text="For example 2026-01-31",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    occurred_to = django_filters.DateFilter(
        field_name="occurred_at",
        lookup_expr="date__lte",
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEvent
        fields = ["username", "action", "object_type", "object_id"]
        form = GovukForm
