"""Forms for the lines screens. They check what a person typed (a real date, a phone
number) and say how to fix it; the rules that must hold whatever the path (screen or
import) live in `lines.rules`, the models and the services, whose ValidationErrors
`GovukForm.add_service_errors` shows on the form in the same words as a check report."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.dates import GovukDateField, date_hint
from core.forms import REFERENCE_INPUT, GovukForm, NameField, ReferenceField
from records.versions import VersionedFormMixin
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
from .phone import NOT_A_NUMBER, normalise_number, number_search_term
from .rules import BRAND_NAME
from .selectors import line_choice_for_reference


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
        return normalise_number(text)  # its ValidationError says what is wrong, in words


class LineForm(GovukForm):
    """A new line; `LineUpdateForm` changes one (its reference stays)."""

    reference = ReferenceField(
        help_text="The force's reference for the line",
        error_messages={"required": "Enter the line's reference"},
    )
    name = NameField(
        name=BRAND_NAME,
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

    # A new line's first number, in the same form: optional.
    number = NumberField(
        label="Phone number (optional)",
        required=False,
        help_text="The first number the line is known to use, in any form, for example "
        "07712 345678. Add more numbers from the line's page",
    )
    number_from = GovukDateField(
        label="Number used from",
        what="the date the line started using the number",
        subject="Date the number was first used",
        required=False,
        max_date=timezone.localdate,
        help_text=date_hint("Leave empty for the date the line was first identified."),
    )

    def __init__(self, *args, line: Line | None = None, suggested_reference: str = "", **kwargs):
        self.line = line
        super().__init__(*args, **kwargs)
        if suggested_reference:
            self.fields["reference"].initial = suggested_reference
            self.fields["reference"].help_text = (
                f"The next free reference in the force's numbering is {suggested_reference}. "
                "Change it if the line already has one"
            )
        if line is not None:
            # An area retired from the reference data stays on the lines that have it.
            self.fields["command_areas"].queryset = CommandArea.objects.filter(
                pk__in=[area.pk for area in line.command_areas.all()]
            ) | CommandArea.objects.filter(is_active=True)


class LineUpdateForm(VersionedFormMixin, LineForm):
    # A start date after the closure is the closure's rule, shown on the start date here.
    service_error_fields = {"closed_on": "first_identified"}

    def __init__(self, *args, line: Line, **kwargs):
        super().__init__(*args, line=line, **kwargs)
        for name in ("reference", "number", "number_from"):  # a new line's only
            del self.fields[name]

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
            "version": line.version,
        }


class LineCloseForm(VersionedFormMixin, GovukForm):
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

    end_numbers = forms.BooleanField(
        label="End these numbers on the day before the closing date",
        required=False,
        initial=True,
    )

    def __init__(self, *args, line: Line, numbers_in_use: list[LineNumber], **kwargs):
        self.line = line
        super().__init__(*args, **kwargs)
        if numbers_in_use:
            listed = ", ".join(use.number.national for use in numbers_in_use)
            self.fields["end_numbers"].help_text = (
                f"Still in use: {listed}. A line closed because its number was deactivated "
                "(Type 2) no longer uses it."
            )
        else:
            del self.fields["end_numbers"]


def number_use_fields(*, who: str, still_uses: str) -> tuple[forms.Field, ...]:
    """A number and the period of its use, by a line (`who="the line"`, `still_uses="still
    uses"`) or a person (`"they"`, `"still use"`): the same fields and words for both."""
    example = datetime.date(2024, 3, 27)
    number = NumberField(
        label="Phone number",
        help_text="In any form, for example 07712 345678, +44 7712 345678 or 0044 7712 345678",
    )
    start = GovukDateField(
        label="Used from",
        what=f"the date {who} started using the number",
        subject="Date first used",
        max_date=timezone.localdate,
        help_text=date_hint(example=example),
    )
    end = GovukDateField(
        label="Used until",
        what=f"the last date {who} used the number",
        subject="Date last used",
        required=False,
        max_date=timezone.localdate,
        help_text=date_hint(f"Leave empty while {who} {still_uses} it.", example=example),
    )
    return number, start, end


class LineNumberAttributeForm(GovukForm):
    number, attributed_from, attributed_to = number_use_fields(
        who="the line", still_uses="still uses"
    )
    # Set once the officer has been told the number is or was another line's, so that
    # the warning is shown again if the number is changed.
    confirmed_number = forms.CharField(required=False, widget=forms.HiddenInput)
    # Offered with that warning when another line still uses the number.
    end_in_use_elsewhere = forms.BooleanField(
        required=False,
        help_text="The day before this line started using it. Leave unticked if both lines "
        "used it at the same time",
    )

    def offer_to_end(self, uses: list[LineNumber]) -> None:
        """Offer to end these other lines' use of the number; without any, no such field."""
        if not uses:
            self.fields.pop("end_in_use_elsewhere", None)
            return
        lines = " and ".join(f"{use.line.reference} {use.line.name}" for use in uses)
        label = f"End its use by {lines}"
        self.fields["end_in_use_elsewhere"].label = label
        self["end_in_use_elsewhere"].label = label  # the bound field, made when it was cleaned

    @property
    def is_confirmed(self) -> bool:
        number = self.cleaned_data.get("number")
        return bool(number) and self.cleaned_data.get("confirmed_number") == number


class LineNumberEndForm(VersionedFormMixin, GovukForm):
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


def handling_fields() -> tuple[forms.Field, forms.Field]:
    """The handling code (P or C) of what is recorded or shared, and C's conditions: the
    same fields for intelligence and for a safeguarding exchange."""
    code = forms.ChoiceField(
        label="Handling code",
        choices=HandlingCode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the handling code"},
    )
    conditions = forms.CharField(
        label="Handling conditions",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The conditions that apply to sharing it",
    )
    return code, conditions


# Handling conditions are asked for under code C only.
HANDLING_REVEALED = {"handling_conditions": ("handling_code", HandlingCode.CONDITIONS.value)}


class IntelligenceEntryForm(GovukForm):
    revealed_under = HANDLING_REVEALED

    text = forms.CharField(
        label="Intelligence",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What is known about the line. Do not identify the source",
        error_messages={"required": "Enter the intelligence"},
    )
    intelligence_date = GovukDateField(
        label="Date of the intelligence",
        what="the date of the intelligence",
        max_date=timezone.localdate,
        help_text=date_hint("When what it tells was seen or learnt."),
    )
    source_reference = ReferenceField(
        label="Source document reference (URN)",
        required=False,
        help_text="The unique reference number of the intelligence report it comes from",
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
    handling_code, handling_conditions = handling_fields()


class NumberSearchForm(GovukForm):
    """A whole number (any spelling), or at least 6 of its digits."""

    number = forms.CharField(
        label="Phone number",
        max_length=40,
        help_text="In any form, for example 07712 345678 or +44 7712 345678, or at least "
        "6 digits of it",
        error_messages={"required": "Enter a phone number, or at least 6 of its digits"},
        widget=NumberField().widget,
    )

    def clean_number(self) -> tuple[str, str]:
        """("number", E.164) for a whole number, ("part", digits) for part of one."""
        text = self.cleaned_data["number"]
        term = number_search_term(text)
        if term is None:
            raise ValidationError(
                f"{NOT_A_NUMBER % {'value': text.strip()}}, or at least 6 of its digits"
            )
        return term


class NumberRecordForm(GovukForm):
    """Which line to attribute a number to, by its reference."""

    number = NumberField(label="Phone number", widget=forms.HiddenInput)
    line_reference = forms.CharField(
        label="Line reference",
        max_length=40,
        help_text="The reference of the line that uses the number, for example CL-2024-017",
        error_messages={"required": "Enter the reference of the line"},
        widget=REFERENCE_INPUT,
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
