from django import template
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html

from audit.printing import print_token

register = template.Library()


@register.simple_tag(takes_context=True)
def print_button(context, obj, label: str = "Print this page"):
    """`{% print_button line "Print this line" %}`: a button that prints the page; the
    printing (by it or by the browser's menu) is audited. Hidden without JavaScript."""
    request = context["request"]
    return format_html(
        '<button type="button" class="govuk-button govuk-button--secondary app-print-button" '
        'data-module="govuk-button" data-print-url="{}" data-print-token="{}" '
        'data-csrf-token="{}" hidden>{}</button>',
        reverse("audit:record_print"),
        print_token(user=request.user, obj=obj),
        get_token(request),
        label,
    )
