"""The MOJ filter's selected-filter tags, built from any bound FilterSet (core.filtering)."""

import datetime
from urllib.parse import parse_qs, urlsplit

import django_filters
import pytest
from django import forms
from django.http import QueryDict

from core.filtering import SelectedFilter, clear_filters_url, selected_filters
from lines.filters import LineFilter
from lines.models import Line, RiskLevel
from reference.models import CommandArea, Force
from tests.lines.factories import command_area, force

PATH = "/things/"


class DatePartsWidget(forms.MultiWidget):
    """A GOV.UK-style date input: `name-day`, `name-month` and `name-year`."""

    def __init__(self):
        super().__init__(widgets=[forms.TextInput, forms.TextInput, forms.TextInput])
        self.widgets_names = ["-day", "-month", "-year"]  # a dict's keys would get a "_"

    def decompress(self, value):
        return [value.day, value.month, value.year] if value else [None, None, None]


class DatePartsField(forms.MultiValueField):
    widget = DatePartsWidget

    def __init__(self, **kwargs):
        kwargs.pop("widget", None)
        super().__init__(
            fields=[forms.IntegerField(), forms.IntegerField(), forms.IntegerField()],
            require_all_fields=True,
            **kwargs,
        )

    def compress(self, data_list):
        if not data_list:
            return None
        day, month, year = data_list
        try:
            return datetime.date(year, month, day)
        except ValueError:
            raise forms.ValidationError("Enter a real date") from None


class DatePartsFilter(django_filters.DateFilter):
    field_class = DatePartsField


class ThingFilter(django_filters.FilterSet):
    """One filter of each kind the lists use."""

    q = django_filters.CharFilter(label="Reference or name", method="ignore")
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[("active", "Active"), ("closed", "Closed")],
        empty_label="Any",
        widget=forms.RadioSelect,
        method="ignore",
    )
    risk_level = django_filters.ChoiceFilter(
        label="Risk", choices=RiskLevel.choices, empty_label="Any"
    )
    origin_force = django_filters.ModelChoiceFilter(
        label="Origin force", queryset=Force.objects.all(), empty_label="Any force"
    )
    command_areas = django_filters.ModelMultipleChoiceFilter(
        label="Destination command area",
        queryset=CommandArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    identified_from = django_filters.DateFilter(
        field_name="first_identified", lookup_expr="gte", label="First identified from"
    )
    identified_to = DatePartsFilter(
        field_name="first_identified", lookup_expr="lte", label="First identified to"
    )
    sort = django_filters.CharFilter(method="ignore", widget=forms.HiddenInput)

    class Meta:
        model = Line
        fields = []

    def ignore(self, queryset, name, value):
        return queryset


def tags_for(query: str, filterset_class=ThingFilter) -> list[SelectedFilter]:
    params = QueryDict(query)
    return selected_filters(filterset_class(params, queryset=Line.objects.all()), params, PATH)


def as_text(tags: list[SelectedFilter]) -> list[str]:
    return [f"{tag.label}: {tag.value}" for tag in tags]


def query_of(url: str) -> dict[str, list[str]]:
    parts = urlsplit(url)
    assert parts.path == PATH
    return parse_qs(parts.query)


@pytest.fixture
def york(db):
    return command_area("York")


@pytest.fixture
def selby(db):
    return command_area("Selby")


def test_no_tags_without_filters(db):
    assert tags_for("") == []
    assert tags_for("sort=-identified&page=2") == []  # hidden fields are never tags
    assert tags_for("q=&status=&risk_level=&identified_from=") == []


def test_an_unbound_filterset_has_no_tags(db):
    assert selected_filters(ThingFilter(queryset=Line.objects.all()), QueryDict(), PATH) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=Dolla", ["Reference or name: Dolla"]),  # text
        ("status=active", ["Status: Active"]),  # radios
        ("risk_level=high", ["Risk: High"]),  # a select
        ("identified_from=2021-01-01", ["First identified from: 1 Jan 2021"]),  # a date
        (  # a date in three parts
            "identified_to-day=9&identified_to-month=3&identified_to-year=2024",
            ["First identified to: 9 Mar 2024"],
        ),
    ],
)
def test_a_tag_names_the_filter_and_its_value(db, query, expected):
    tags = tags_for(query)

    assert as_text(tags) == expected
    assert tags[0].url == PATH  # removing the only filter leaves the whole list


def test_a_tag_for_each_ticked_box_and_model_choice(york, selby):
    merseyside = force("Merseyside Police")
    tags = tags_for(
        f"origin_force={merseyside.pk}&command_areas={york.pk}&command_areas={selby.pk}"
    )

    assert as_text(tags) == [  # in the form's order
        "Origin force: Merseyside Police",
        "Destination command area: Selby",
        "Destination command area: York",
    ]
    assert [tag.name for tag in tags] == ["origin_force", "command_areas", "command_areas"]


def test_removing_one_box_keeps_the_others_and_the_sort_and_drops_the_page(york, selby):
    tags = tags_for(
        f"command_areas={york.pk}&command_areas={selby.pk}&status=closed&sort=reference&page=3"
    )
    york_tag = next(tag for tag in tags if tag.value == "York")
    status_tag = next(tag for tag in tags if tag.label == "Status")

    assert query_of(york_tag.url) == {
        "command_areas": [str(selby.pk)],
        "status": ["closed"],
        "sort": ["reference"],
    }
    assert query_of(status_tag.url) == {
        "command_areas": [str(york.pk), str(selby.pk)],
        "sort": ["reference"],
    }


def test_removing_a_date_in_parts_removes_every_part(db):
    (tag,) = tags_for(
        "identified_to-day=9&identified_to-month=3&identified_to-year=2024&sort=-identified"
    )

    assert query_of(tag.url) == {"sort": ["-identified"]}


def test_an_invalid_filter_has_no_tag_but_the_others_do(db):
    tags = tags_for("status=active&identified_from=not-a-date")

    assert as_text(tags) == ["Status: Active"]
    # The invalid value stays in the other tags' links, for the person to correct.
    assert query_of(tags[0].url) == {"identified_from": ["not-a-date"]}


def test_parameters_of_a_longer_named_field_are_not_a_part_of_a_shorter(db):
    class RecordFilter(django_filters.FilterSet):
        object = django_filters.CharFilter(field_name="reference")
        object_type = django_filters.CharFilter(field_name="name")

        class Meta:
            model = Line
            fields = []

    tags = tags_for("object=CL-1&object_type=lines.line", RecordFilter)

    assert [query_of(tag.url) for tag in tags] == [
        {"object_type": ["lines.line"]},
        {"object": ["CL-1"]},
    ]


def test_clear_filters_keeps_the_sort_only(york):
    params = QueryDict(
        f"q=x&command_areas={york.pk}&identified_to-day=1&identified_to-month=2"
        "&identified_to-year=2024&identified_from=nonsense&sort=name&page=2"
    )
    filterset = ThingFilter(params, queryset=Line.objects.all())

    assert clear_filters_url(filterset, params, PATH) == f"{PATH}?sort=name"
    assert clear_filters_url(filterset, QueryDict("page=2"), PATH) == PATH


def test_the_lines_list_filters(york, selby):
    params = QueryDict(
        f"status=active&command_areas={york.pk}&command_areas={selby.pk}&sort=-numbers&page=2"
    )
    tags = selected_filters(LineFilter(params, queryset=Line.objects.all()), params, "/lines/")

    assert as_text(tags) == [
        "Status: Active",
        "Destination command area: Selby",
        "Destination command area: York",
    ]
    assert tags[2].url == f"/lines/?status=active&command_areas={selby.pk}&sort=-numbers"


def test_links_leave_out_the_empty_values_of_a_submitted_form(york):
    (tag,) = tags_for(f"sort=name&q=&status=&command_areas={york.pk}&identified_to-day=")

    assert tag.url == f"{PATH}?sort=name"
