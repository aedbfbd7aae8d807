"""The people list's filters and the columns it sorts by (server-side, records.lists)."""

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from core.dates import GovukDateFilter
from core.forms import GovukForm
from core.references import reference_key
from lines.filters import used_number
from records.lists import SortableFilterSet, SortColumn

from .models import LineRole, LineRoleKind, Person, PersonNumber
from .names import name_key

PERSON_SORT_COLUMNS = (
    SortColumn("reference", "Reference", ("reference_key",), ("-reference_key",)),
    SortColumn(
        "name",
        "Name",
        ("surname", "forenames", "reference_key"),
        ("-surname", "-forenames", "reference_key"),
    ),
    SortColumn(
        "born",
        "Date of birth",
        (F("date_of_birth").asc(nulls_last=True), "reference_key"),
        (F("date_of_birth").desc(nulls_last=True), "reference_key"),
    ),
)

_YES_NO = [("yes", "Yes"), ("no", "No")]


class PersonFilter(SortableFilterSet):
    sort_columns = PERSON_SORT_COLUMNS
    default_sort = "name"
    personal_filters = ("q", "date_of_birth")

    q = django_filters.CharFilter(
        label="Name, alias, reference or number",
        method="filter_text",
        help_text="Part of a name is enough; accents, case and spaces do not matter",
    )
    date_of_birth = GovukDateFilter(
        field_name="date_of_birth", label="Date of birth", subject="The date of birth"
    )
    role = django_filters.ChoiceFilter(
        label="Role on a line",
        choices=LineRoleKind.choices,
        method="filter_role",
        empty_label="Any",
    )
    vulnerable_adult = django_filters.ChoiceFilter(
        label="Vulnerable adult",
        choices=_YES_NO,
        method="filter_flag",
        empty_label="Any",
        widget=forms.RadioSelect,
    )
    exploited = django_filters.ChoiceFilter(
        label="Exploited",
        choices=_YES_NO,
        method="filter_flag",
        empty_label="Any",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Person
        fields = ["q", "date_of_birth", "role", "vulnerable_adult", "exploited"]
        form = GovukForm

    def filter_text(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        text = value.strip()
        if not text:
            return queryset
        matches = Q(reference_key__contains=reference_key(text))
        if key := name_key(text):
            matches |= Q(names_key__contains=key)
        return queryset.filter(matches | used_number(text, PersonNumber.objects, "person"))

    def filter_role(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        if not value:
            return queryset
        return queryset.filter(Exists(LineRole.objects.filter(person=OuterRef("pk"), role=value)))

    def filter_flag(self, queryset: QuerySet[Person], name: str, value) -> QuerySet[Person]:
        if not value:
            return queryset
        return queryset.filter(**{name: value == "yes"})
