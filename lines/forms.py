"""Forms for the lines screens. They check what a person typed and say how to fix it;
the rules that must hold whatever the path (web, import) live in the model and
services, whose ValidationErrors `add_service_errors` shows on the form."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.dates import GovukDateField, date_hint, format_date
from core.forms import GovukForm
from reference.models import CommandArea, Force

from .models import (
    ClosureType,
    HandlingCode,
    IntelligenceAssessment,
    Line,
    LineNumber,
    RiskLevel,
    SourceEvaluation,
)
from .phone import normalise_number
from .selectors import line_choice_for_reference


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on `form`: on its field when the form has one."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            field = name if name in form.fields else None
            for message in ValidationError(errors).messages:
                form.add_error(field, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class LineForm(GovukForm):
    """A new line; `LineUpdateForm` changes one (its reference stays)."""

    reference = forms.CharField(
        label="Reference",
        max_length=40,
        help_text="The force's reference for the line, for example CL-2024-017",
        error_messages={"required": "Enter the line's reference"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
    )
    name = forms.CharField(
        label="Brand name",
        max_length=100,
        help_text="The name customers know the deal line by, for example Dolla",
        error_messages={"required": "Enter the line's brand name"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )
    origin_force = forms.ModelChoiceField(
        label="Origin force",
        queryset=Force.objects.all(),
        empty_label="Choose a force",
        help_text="The force area the line is run from",
        error_messages={"required": "Select the origin force"},
    )
    command_areas = forms.ModelMultipleChoiceField(
        label="Destination command areas",
        queryset=CommandArea.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all the areas the line deals into",
        error_messages={"required": "Select at least one destination command area"},
    )
    first_identified = GovukDateField(
        label="Date first identified",
        what="the date first identified",
        max_date=timezone.localdate,
    )
    risk_level = forms.ChoiceField(
        label="Risk",
        choices=[("", "Not assessed"), *RiskLevel.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    summary = forms.CharField(
        label="Summary",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What is known about the line, its holders and how it operates",
    )
    next_review_on = GovukDateField(
        label="Next MoPI review",
        what="the date of the next review",
        subject="Date of the next review",
        required=False,
        help_text=date_hint(
            "When the retention of this record is next reviewed.",
            example=datetime.date(2029, 3, 27),
        ),
    )

    def __init__(self, *args, line: Line | None = None, **kwargs):
        self.line = line
        super().__init__(*args, **kwargs)
        if line is not None:
            # An area retired from the reference data stays on the lines that have it.
            self.fields["command_areas"].queryset = CommandArea.objects.filter(
                pk__in=[area.pk for area in line.command_areas.all()]
            ) | CommandArea.objects.filter(is_active=True)

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"].strip()
        if Line.objects.filter(reference__iexact=reference).exists():
            raise ValidationError("A line with this reference already exists")
        return reference

    def clean_first_identified(self) -> datetime.date:
        value = self.cleaned_data["first_identified"]
        if self.line is not None and self.line.closed_on and value > self.line.closed_on:
            raise ValidationError(
                "The date first identified must be on or before the date the line was closed "
                f"({format_date(self.line.closed_on)})"
            )
        return value


class LineUpdateForm(LineForm):
    def __init__(self, *args, line: Line, **kwargs):
        super().__init__(*args, line=line, **kwargs)
        del self.fields["reference"]

    @classmethod
    def initial_for(cls, line: Line) -> dict:
        return {
            "name": line.name,
            "origin_force": line.origin_force_id,
            "command_areas": [area.pk for area in line.command_areas.all()],
            "first_identified": line.first_identified,
            "risk_level": line.risk_level,
            "summary": line.summary,
            "next_review_on": line.next_review_on,
        }


class LineCloseForm(GovukForm):
    closed_on = GovukDateField(
        label="Date closed",
        what="the date the line was closed",
        max_date=timezone.localdate,
        help_text=date_hint(
            "The first day the group could no longer use the line.",
            example=datetime.date(2024, 3, 27),
        ),
    )
    closure_type = forms.ChoiceField(
        label="Type of closure",
        choices=ClosureType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of closure"},
    )

    def __init__(self, *args, line: Line, **kwargs):
        self.line = line
        super().__init__(*args, **kwargs)

    def clean_closed_on(self) -> datetime.date:
        value = self.cleaned_data["closed_on"]
        if value < self.line.first_identified:
            raise ValidationError(
                "The date closed must be on or after the date the line was first identified "
                f"({format_date(self.line.first_identified)})"
            )
        return value


class NumberField(forms.CharField):
    """A phone number in any common spelling, cleaned to E.164."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("error_messages", {"required": "Enter a phone number"})
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "class": "govuk-input--width-20",
                    "inputmode": "tel",
                    "autocomplete": "off",
                    "spellcheck": "false",
                }
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value) -> str:
        text = super().clean(value)
        if not text:
            return ""
        try:
            return normalise_number(text)
        except ValidationError:
            raise ValidationError(
                f"“{text}” is not a valid phone number. Enter it like 07712 345678 "
                "or +44 7712 345678",
                code="invalid",
            ) from None


class LineNumberAttributeForm(GovukForm):
    number = NumberField(
        label="Phone number",
        help_text="In any form, for example 07712 345678, +44 7712 345678 or 0044 7712 345678",
    )
    attributed_from = GovukDateField(
        label="Used from",
        what="the date the line started using the number",
        subject="Date first used",
        max_date=timezone.localdate,
        help_text=date_hint(example=datetime.date(2024, 3, 27)),
    )
    attributed_to = GovukDateField(
        label="Used until",
        what="the last date the line used the number",
        subject="Date last used",
        required=False,
        max_date=timezone.localdate,
        help_text=date_hint(
            "Leave empty while the line still uses it.", example=datetime.date(2024, 3, 27)
        ),
    )
    # Set once the officer has been told the number is or was another line's, so that
    # the warning is shown again if the number is changed.
    confirmed_number = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("attributed_from"), cleaned_data.get("attributed_to")
        if start and end and end < start:
            self.add_error(
                "attributed_to",
                "The date the line stopped using the number must be on or "
                "after the date it started",
            )
        return cleaned_data

    @property
    def is_confirmed(self) -> bool:
        number = self.cleaned_data.get("number")
        return bool(number) and self.cleaned_data.get("confirmed_number") == number


class LineNumberEndForm(GovukForm):
    attributed_to = GovukDateField(
        label="Last used on",
        what="the last date the line used the number",
        subject="Date last used",
        max_date=timezone.localdate,
        help_text=date_hint(
            "The last day the line used the number.", example=datetime.date(2024, 3, 27)
        ),
    )

    def __init__(self, *args, attribution: LineNumber, **kwargs):
        self.attribution = attribution
        super().__init__(*args, **kwargs)

    def clean_attributed_to(self) -> datetime.date:
        value = self.cleaned_data["attributed_to"]
        if value < self.attribution.attributed_from:
            raise ValidationError(
                "The last date used must be on or after the date the line started using the "
                f"number ({format_date(self.attribution.attributed_from)})"
            )
        return value


class IntelligenceEntryForm(GovukForm):
    text = forms.CharField(
        label="Intelligence",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What is known about the line. Do not identify the source",
        error_messages={"required": "Enter the intelligence"},
    )
    source_evaluation = forms.ChoiceField(
        label="Source evaluation",
        choices=SourceEvaluation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the source evaluation"},
    )
    assessment = forms.ChoiceField(
        label="Intelligence assessment",
        choices=IntelligenceAssessment.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the intelligence assessment"},
    )
    handling_code = forms.ChoiceField(
        label="Handling code",
        choices=HandlingCode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the handling code"},
    )
    handling_conditions = forms.CharField(
        label="Handling conditions",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required for handling code C: the conditions that apply to sharing it",
    )

    def clean(self):
        cleaned_data = super().clean()
        conditions = cleaned_data.get("handling_conditions", "").strip()
        if cleaned_data.get("handling_code") == HandlingCode.CONDITIONS and not conditions:
            self.add_error(
                "handling_conditions", "Enter the conditions that apply to handling code C"
            )
        return cleaned_data


class NumberSearchForm(GovukForm):
    number = NumberField(
        label="Phone number",
        help_text="In any form, for example 07712 345678 or +44 7712 345678",
    )


class NumberRecordForm(GovukForm):
    """Which line to attribute a number to, by its reference."""

    number = NumberField(label="Phone number", widget=forms.HiddenInput)
    line_reference = forms.CharField(
        label="Line reference",
        max_length=40,
        help_text="The reference of the line that uses the number, for example CL-2024-017",
        error_messages={"required": "Enter the reference of the line"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_line_reference(self) -> Line:
        reference = self.cleaned_data["line_reference"]
        line = line_choice_for_reference(user=self.user, reference=reference)
        if line is None:
            raise ValidationError(f"There is no line with the reference “{reference.strip()}”")
        return line
