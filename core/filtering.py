"""The MOJ filter's "Selected filters": a removable tag for each value a list is filtered by.

Built from any bound django-filter FilterSet: each visible field of its form that cleaned
to a value gives one tag per value (a ticked box, a chosen option, a date, some text),
labelled from the field and its choices, and linking to the same list without that value.
Hidden fields (the sort order) are never tags and, like any other query parameter, are
kept; the page number is dropped, as the list without that filter is a different length.
A field that failed validation gives no tag (its error is shown instead).
"""

import datetime
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models
from django.forms import BoundField
from django.http import QueryDict
from django.utils import dateformat, timezone
from django_filters import BooleanFilter, FilterSet
from django_filters.widgets import BooleanWidget

PAGE_PARAMETER = "page"
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
# A field in several parts reads one query parameter per part: `identified_from-day`, …
_PART_SEPARATORS = "-_"


class AnyYesNoWidget(BooleanWidget):
    """A yes-or-no filter's select in a list's words: "Any", "Yes", "No" (django-filter's
    own says "Unknown" for no filter at all)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices = [("", "Any"), ("true", "Yes"), ("false", "No")]


class AnyYesNoFilter(BooleanFilter):
    """Every yes-or-no filter of a list: "Any / Yes / No"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", AnyYesNoWidget)
        super().__init__(*args, **kwargs)


def filters_in_use(query_dict: QueryDict) -> dict[str, list[str] | str]:
    """The non-empty query parameters but the page number, for an export's audit event."""
    in_use = {}
    for name in query_dict:
        if name == PAGE_PARAMETER:
            continue
        values = [value for value in query_dict.getlist(name) if value]
        if values:
            in_use[name] = values if len(values) > 1 else values[0]
    return in_use


@dataclass(frozen=True)
class SelectedFilter:
    name: str  # the filter's form field
    label: str  # the field's label: "Destination command area"
    value: str  # the value's label: "York"
    url: str  # the list filtered by everything else


def selected_filters(
    filterset: FilterSet, query_dict: QueryDict, path: str = ""
) -> list[SelectedFilter]:
    """A tag for each value of each visible filter in use, in the form's order.

    `query_dict` is the query string the filterset was bound to, `path` the list's path
    (the links are relative to the page without it)."""
    form = filterset.form
    if not form.is_bound:
        return []
    form.is_valid()  # validates once; cleaned_data then holds the fields that are valid
    tags = []
    for bound_field in form.visible_fields():
        if bound_field.name not in form.cleaned_data:
            continue
        field, value = bound_field.field, form.cleaned_data[bound_field.name]
        label = str(bound_field.label)
        if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            # One tag per ticked box; removing it keeps the others.
            for item in value or ():
                key = _as_parameter(field, item)
                tags.append(
                    SelectedFilter(
                        name=bound_field.name,
                        label=label,
                        value=_value_label(field, item),
                        url=_url(path, query_dict, value=(bound_field.html_name, key)),
                    )
                )
        elif not _is_empty(field, value):
            parameters = field_parameters(bound_field, query_dict)
            tags.append(
                SelectedFilter(
                    name=bound_field.name,
                    label=label,
                    value=_value_label(field, value),
                    url=_url(path, query_dict, parameters=parameters),
                )
            )
    return tags


def clear_filters_url(filterset: FilterSet, query_dict: QueryDict, path: str = "") -> str:
    """The list without any visible filter (valid or not), keeping the sort order."""
    form = filterset.form
    parameters = set()
    for bound_field in form.visible_fields():
        parameters |= field_parameters(bound_field, query_dict)
    return _url(path, query_dict, parameters=parameters)


def field_parameters(bound_field: BoundField, query_dict: QueryDict) -> set[str]:
    """The query parameters in `query_dict` that `bound_field` reads: its name, and for a
    field in several parts (a GOV.UK date input's `-day`, `-month` and `-year`) each part's.
    A parameter that is another field's (`object_type` is not a part of `object`) is not."""
    own = bound_field.html_name
    names = {own}
    widget = bound_field.field.widget
    if isinstance(widget, forms.MultiWidget):
        # Django sets widgets_names in MultiWidget.__init__; django-stubs 6.1 omits it.
        names |= {f"{own}{suffix}" for suffix in widget.widgets_names}  # type: ignore[attr-defined]
    longer = [
        other.html_name
        for other in bound_field.form
        if other.html_name != own and other.html_name.startswith(own)
    ]
    return {
        parameter
        for parameter in query_dict
        if parameter in names
        or (
            is_part_of(parameter, own) and not any(is_part_of(parameter, other) for other in longer)
        )
    }


def is_part_of(parameter: str, name: str) -> bool:
    return parameter == name or (
        parameter.startswith(name) and parameter[len(name)] in _PART_SEPARATORS
    )


def _url(
    path: str,
    query_dict: QueryDict,
    *,
    parameters: Collection[str] = (),
    value: tuple[str, str] | None = None,
) -> str:
    """`path` with `query_dict` less its page number, the `parameters`, the one
    `(name, value)` pair `value` and the empty values a submitted form is full of."""
    query = QueryDict(mutable=True)
    for name, values in query_dict.lists():
        if name == PAGE_PARAMETER or name in parameters:
            continue
        kept = [raw for raw in values if raw and (name, raw) != value]
        if kept:
            query.setlist(name, kept)
    encoded = query.urlencode()
    if encoded:
        return f"{path}?{encoded}"
    return path or "?"


def _is_empty(field: forms.Field, value: Any) -> bool:
    if isinstance(field, forms.BooleanField) and not isinstance(field, forms.NullBooleanField):
        return not value  # an unticked box
    return value in field.empty_values


def _as_parameter(field: forms.Field, item: Any) -> str:
    """How `item`, one of a field's cleaned values, is written in the query string."""
    return str(field.prepare_value(item))


def _value_label(field: forms.Field, value: Any) -> str:
    if isinstance(value, models.Model) and hasattr(field, "label_from_instance"):
        return str(field.label_from_instance(value))
    # A choice field's choices, once set, are pairs or a lazy iterator of them (Django
    # normalises what it is given), never the callable or mapping they may be given as.
    if isinstance(field, forms.ChoiceField) and isinstance(field.choices, Iterable):
        for key, label in _flat_choices(field.choices):
            if str(key) == str(value):
                return str(label)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return dateformat.format(value, DATETIME_FORMAT)
    if isinstance(value, datetime.date):
        return dateformat.format(value, DATE_FORMAT)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _flat_choices(choices: Iterable[Any]) -> Iterator[tuple[Any, Any]]:
    for key, label in choices:
        if isinstance(label, list | tuple):  # an optgroup: (group name, choices)
            yield from _flat_choices(label)
        else:
            yield key, label
