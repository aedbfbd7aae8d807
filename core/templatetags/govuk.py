from django import forms, template
from django.utils.html import escape
from django.utils.safestring import mark_safe

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
    through a template each, the 46 police forces cost more than the rest of a list page.
    Every value and label is escaped."""
    html = []
    for group_name, options, _index in optgroups:
        if group_name:
            html.append(f'<optgroup label="{escape(group_name)}">')
        for option in options:
            selected = " selected" if option["selected"] else ""
            value, label = escape(option["value"]), escape(option["label"])
            html.append(f'<option value="{value}"{selected}>{label}</option>')
        if group_name:
            html.append("</optgroup>")
    return mark_safe("".join(html))  # noqa: S308  (every value and label escaped)
