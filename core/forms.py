"""GOV.UK Design System rendering for Django forms.

Forms render with `{{ form }}` through the project's templates in
`templates/govuk/forms/`; `GovukFormMixin` gives each widget its GOV.UK class.
"""

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting

from .references import normalise_reference, reference_unknown
from .rules import Name

_WIDGET_CLASSES = (
    (forms.CheckboxSelectMultiple, "govuk-checkboxes__input"),
    (forms.RadioSelect, "govuk-radios__input"),
    (forms.CheckboxInput, "govuk-checkboxes__input"),
    (forms.Textarea, "govuk-textarea"),
    (forms.Select, "govuk-select"),
    (forms.ClearableFileInput, "govuk-file-upload"),
    (forms.FileInput, "govuk-file-upload"),
    (forms.widgets.Input, "govuk-input"),
)
_ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-select": "govuk-select--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"


def govuk_class_for(widget: forms.Widget) -> str:
    for widget_type, css_class in _WIDGET_CLASSES:
        if isinstance(widget, widget_type):
            return css_class
    return ""


# The largest id a database holds (PostgreSQL's bigint, SQLite's INTEGER).
LARGEST_ID = 2**63 - 1


def _refusing_ids_no_table_holds(field: forms.Field) -> None:
    """A choice of records typed as an id too large for any table (`?command_areas=
    99999999999999999999999`) is an invalid choice, not a database error."""
    clean = field.clean

    def guarded(value: Any) -> Any:
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            text = str(item).strip()
            if text.isdigit() and int(text) > LARGEST_ID:
                raise ValidationError(
                    field.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": text[:20]},
                )
        return clean(value)

    # This field's own clean, wrapped: the refusal comes before the query of to_python.
    field.clean = guarded  # type: ignore[method-assign]


class GovukFormMixin(forms.BaseForm):
    """Adds GOV.UK classes to widgets, and error classes to the fields that failed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css_class = govuk_class_for(field.widget)
            existing = field.widget.attrs.get("class", "")
            field.widget.attrs["class"] = f"{css_class} {existing}".strip()
            if isinstance(field, forms.ModelChoiceField):  # the multiple one too
                _refusing_ids_no_table_holds(field)

    # Fields shown only under one option of a radios field (GOV.UK's conditional reveal):
    # {"handling_conditions": ("handling_code", "C")}. Rendered inside that option
    # (`core.templatetags.govuk.choice_items`); under another option, what they hold is
    # neither kept nor checked.
    revealed_under: dict[str, tuple[str, str]] = {}

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and hasattr(self, "cleaned_data"):
            self._forget_unrevealed()
        for name in self.errors:
            field = self.fields.get(name)
            if field is None:
                continue
            error_class = _ERROR_CLASSES.get(govuk_class_for(field.widget))
            if error_class and error_class not in field.widget.attrs["class"]:
                field.widget.attrs["class"] += f" {error_class}"

    def _forget_unrevealed(self) -> None:
        for name, (controlling, value) in self.revealed_under.items():
            if name not in self.fields or controlling not in self.fields:
                continue
            if str(self[controlling].value() or "") == value:
                continue
            field = self.fields[name]
            self.cleaned_data[name] = "" if isinstance(field, forms.CharField) else None
            self.errors.pop(name, None)

    def revealed_by(self, controlling: str, value: str) -> list[forms.BoundField]:
        """The fields shown under option `value` of the radios field `controlling`."""
        return [
            self[name]
            for name, shown_under in self.revealed_under.items()
            if shown_under == (controlling, value) and name in self.fields
        ]


class GovukForm(GovukFormMixin, forms.Form):
    # Where a service's error on a field the form does not have is shown instead, e.g.
    # {"closed_on": "first_identified"} for a form that changes only the start date.
    service_error_fields: dict[str, str] = {}

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's ValidationError here, each message on the field it concerns.

        The rules and their words live in the models and services; forms check only
        what a person typed (a date that is a date), so no rule is stated twice.
        """
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.add_error(None, message)
            return
        for name, errors in error.error_dict.items():
            field = self.service_error_fields.get(name, name)
            for message in ValidationError(errors).messages:
                self.add_error(field if field in self.fields else None, message)


# A reference as people type one (`CL-2024-017`, `NYP/P/2021/0142`): no spell-checking.
REFERENCE_INPUT = forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"})


class ReferenceField(forms.CharField):
    """A record's own reference, typed by a person: cleaned to the form every path stores
    (`core.references.normalise_reference`, which refuses a hidden character, in the
    import's words). Whether it is taken, the service says."""

    widget = REFERENCE_INPUT

    def __init__(self, *, label: str = "Reference", max_length: int = 40, **kwargs: Any) -> None:
        super().__init__(label=label, max_length=max_length, **kwargs)

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        return normalise_reference(text) if text else ""  # an optional one left empty


class NameField(forms.CharField):
    """A name or alias a person types (a surname, a line's brand name), its spaces made
    one and refused when it holds a hidden character, by its `core.rules.Name` (in the
    words the model and the import use), before anything is done with it (a person's
    likely duplicates)."""

    def __init__(self, *, name: Name, **kwargs: Any) -> None:
        self.rule = name
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return self.rule.normal(super().to_python(value) or "")

    def validate(self, value: str) -> None:
        super().validate(value)
        problem = self.rule.problem(value)
        if problem:
            raise ValidationError(problem, code="hidden_character")


class FormOfAUser(Protocol):
    """A form made for one user (its `user`), as every form that takes references is."""

    user: Any
    cleaned_data: dict[str, Any]


_Record = TypeVar("_Record")


def resolve_reference(
    form: FormOfAUser, name: str, find: Callable[..., _Record | None], what: str
) -> _Record | None:
    """The record whose reference was typed in field `name` (None when left empty), found
    by `find(user=form.user, reference=...)` among those the user may see; else the same
    error an import gives (`No person has the reference “P-404”`, or that it holds a
    hidden character). For `clean_<name>`."""
    text = (form.cleaned_data.get(name) or "").strip()
    if not text:
        return None
    text = normalise_reference(text)
    found = find(user=form.user, reference=text)
    if found is None:
        raise ValidationError(reference_unknown(text, what))
    return found
