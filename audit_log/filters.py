"""The audit log's filters and sort order (records.lists)."""

import datetime

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from audit.models import AuditEvent
from core.dates import GovukDateFilter
from core.forms import GovukForm
from records.lists import SortableFilterSet, SortColumn

from .records import record_type_choices

User = get_user_model()


class AuditEventFilter(SortableFilterSet):
    sort_columns = (
        SortColumn("when", "When", ("occurred_at", "id"), ("-occurred_at", "-id"), True),
        SortColumn("user", "Who", ("username", "-occurred_at"), ("-username", "-occurred_at")),
        SortColumn("action", "Action", ("action", "-occurred_at"), ("-action", "-occurred_at")),
    )
    default_sort = "-when"
    personal_filters = ("username",)

    username = django_filters.CharFilter(
        label="User", method="filter_user", help_text="Part of their name or username"
    )
    action = django_filters.ChoiceFilter(choices=AuditEvent.Action.choices, empty_label="Any")
    object_type = django_filters.ChoiceFilter(
        label="Record type", choices=record_type_choices, empty_label="Any"
    )
    object_id = django_filters.CharFilter(label="Record id", lookup_expr="exact")
    # Ranges of the time itself, not of its date: `occurred_at::date` cannot use an index.
    occurred_from = GovukDateFilter(
        method="filter_from", label="From", subject="The start of the date range"
    )
    occurred_to = GovukDateFilter(
        method="filter_to", label="To", subject="The end of the date range"
    )

    class Meta:
        model = AuditEvent
        fields = ["username", "action", "object_type", "object_id"]
        form = GovukForm

    def filter_user(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """The events of the users whose username or name has every word typed (looked
        up among the users, a small table), or of exactly the username typed (a failed
        sign-in may name nobody): then found through the log's index on the username."""
        users = User.objects.all()
        for word in value.split():
            users = users.filter(
                Q(username__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
            )
        usernames = {*users.values_list("username", flat=True)[:MATCHING_USERS], value.strip()}
        return queryset.filter(username__in=usernames)

    def filter_from(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.filter(occurred_at__gte=_start_of(value))

    def filter_to(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.filter(occurred_at__lt=_start_of(value + datetime.timedelta(days=1)))


MATCHING_USERS = 200


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day`, in the service's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
