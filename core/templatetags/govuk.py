from django import forms, template

register = template.Library()


@register.filter
def error_anchor(bound_field) -> str:
    """The id an error summary links to: the field's first input for radios and checkboxes."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id
