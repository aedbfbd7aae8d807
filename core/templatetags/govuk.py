from django import forms, template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.filter
def error_anchor(bound_field) -> str:
    """The id an error summary links to: the field's first input for radios and checkboxes."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


@register.filter
def select_options(optgroups) -> str:
    """A select's options (Django's `widget.optgroups`) as HTML, written here in one go:
    through a template each, the 46 police forces cost more than the rest of a list page."""
    html = []
    for group_name, options, _index in optgroups:
        written = format_html_join("", "{}", ((_option(option),) for option in options))
        if group_name:
            written = format_html('<optgroup label="{}">{}</optgroup>', group_name, written)
        html.append(written)
    return format_html_join("", "{}", ((part,) for part in html))


def _option(option: dict) -> str:
    if option["selected"]:
        return format_html(
            '<option value="{}" selected>{}</option>', option["value"], option["label"]
        )
    return format_html('<option value="{}">{}</option>', option["value"], option["label"])
