from django import template
from django.utils.html import format_html

from audit.printing import PRINT_PARAMETER

register = template.Library()


@register.simple_tag(takes_context=True)
def print_button(context, label: str = "Print this page"):
    """`{% print_button "Print this line" %}`: opens the page's print view, which records
    the printing (audit/printing.py). The view's context comes from `audit_record_page`."""
    return format_html(
        '<a href="{}?{}=1" role="button" draggable="false" '
        'class="govuk-button govuk-button--secondary" data-module="govuk-button">{}</a>',
        context["request"].path,
        PRINT_PARAMETER,
        label,
    )
