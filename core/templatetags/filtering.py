"""The MOJ filter's selected filters, for `layouts/filtered_list.html`: views pass the
bound FilterSet as `filter` and the tags read the query string from the request."""

from django import template
from django.template import Context
from django_filters import FilterSet

from core import filtering

register = template.Library()


@register.simple_tag(takes_context=True)
def selected_filters(context: Context, filterset: FilterSet) -> list[filtering.SelectedFilter]:
    """`{% selected_filters filter as selected %}`: a removable tag per value in use."""
    request = context["request"]
    return filtering.selected_filters(filterset, request.GET, path=request.path)


@register.simple_tag(takes_context=True)
def clear_filters_url(context: Context, filterset: FilterSet) -> str:
    """`{% clear_filters_url filter as clear_url %}`: the list unfiltered, in the same order."""
    request = context["request"]
    return filtering.clear_filters_url(filterset, request.GET, path=request.path)
