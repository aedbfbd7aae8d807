import datetime
from collections.abc import Iterable
from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

from core.dates import format_date_range

register = template.Library()


@register.filter
def date_range(start: datetime.date | None, end: datetime.date | None) -> str:
    """`{{ started_on|date_range:ended_on }}`: `8 to 21 November 2021` (core.dates)."""
    return format_date_range(start, end) if start else ""


@register.filter
def error_anchor(bound_field: BoundField) -> str:
    """The id an error summary links to: the field's first input for radios and checkboxes."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


@register.filter
def select_options(optgroups: Iterable[tuple[str | None, list[dict[str, Any]], int]]) -> str:
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


# Inputs and the items of radios and checkboxes are written here rather than through a
# template each (and Django's text.html includes input.html): an input through templates
# costs about 0.2 ms, and a list's filters have two dozen. The markup is Django's.


@register.filter
def attributes(attrs: dict[str, Any]) -> str:
    """A widget's attributes as Django's templates write them: True as a bare name,
    False left out, every name and value escaped."""
    html = "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )
    return mark_safe(html)  # noqa: S308  (every name and value escaped)


@register.filter
def input_tag(widget: dict[str, Any]) -> str:
    """The `<input>` of a widget's context (`widget` in Django's widget templates)."""
    value = widget["value"]
    value = "" if value is None else f' value="{conditional_escape(value)}"'
    name = conditional_escape(widget["name"])
    return mark_safe(  # noqa: S308  (every value escaped)
        f'<input type="{conditional_escape(widget["type"])}" name="{name}"{value}'
        f"{attributes(widget['attrs'])}>"
    )


@register.filter
def choice_items(bound_field: BoundField, widget_class: str) -> str:
    """The GOV.UK items of a radios or checkboxes field: each option's input and label."""
    kind = "radios" if "radios" in widget_class else "checkboxes"
    revealed_by = getattr(bound_field.form, "revealed_by", None)
    items = []
    for option in bound_field:
        label_for = conditional_escape(option.id_for_label)
        revealed = revealed_by(bound_field.name, str(option.data["value"])) if revealed_by else []
        conditional = f"conditional-{option.id_for_label}"
        data = option.data
        if revealed:  # GOV.UK Frontend's radios show and hide it (`data-aria-controls`)
            data = {**data, "attrs": {**data["attrs"], "data-aria-controls": conditional}}
        items.append(
            f'<div class="govuk-{kind}__item">{input_tag(data)}'
            f'<label class="govuk-label govuk-{kind}__label" for="{label_for}">'
            f"{conditional_escape(option.choice_label)}</label></div>"
        )
        if revealed:
            hidden = "" if data["selected"] else f" govuk-{kind}__conditional--hidden"
            fields = "".join(str(field.as_field_group()) for field in revealed)  # escaped there
            items.append(
                f'<div class="govuk-{kind}__conditional{hidden}" '
                f'id="{conditional_escape(conditional)}">{fields}</div>'
            )
    return mark_safe("".join(items))  # noqa: S308  (every value and label escaped)
