"""Forms for operations and enforcement records. They check what a person typed (a real
date, an amount of money) and resolve references; the rules that hold whatever the path
live in `operations.rules` and the models, shown through `add_service_errors` in the
same words as an import's check report."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.dates import GovukDateField, date_hint
from core.forms import REFERENCE_INPUT, GovukForm, NameField, ReferenceField, resolve_reference
from imports.parsers import decimal_number
from lines.selectors import line_choice_for_reference
from persons.selectors import person_for_reference
from records.versions import VersionedFormMixin
from reference.models import CommandArea, Drug

from .models import DrugTest, FundingSource, Operation, OperationKind
from .rules import OPERATION_NAME, sentence_problems

_parse_money = decimal_number(places=2, what="amount of money")
_parse_grams = decimal_number(places=2, what="weight in grams")


def _date(label: str, what: str, *, required: bool = True, future: bool = False) -> GovukDateField:
    return GovukDateField(
        label=label,
        what=what,
        required=required,
        max_date=None if future else timezone.localdate,
        help_text=date_hint(example=datetime.date(2021, 10, 4)),
    )


class MoneyField(forms.CharField):
    """Pounds and pence, typed as people write them (`1,250.50`), never through a float."""

    prefix = "£"

    def __init__(self, *, parse=_parse_money, **kwargs):
        self.parse = parse
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "class": "govuk-input--width-10",
                    "inputmode": "decimal",
                    "spellcheck": "false",
                }
            ),
        )
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        text = super().to_python(value).strip()
        return self.parse(text) if text else None

    def prepare_value(self, value):
        return "" if value is None else str(value)


class GramsField(MoneyField):
    prefix = ""

    def __init__(self, **kwargs):
        super().__init__(parse=_parse_grams, **kwargs)


class RecordForm(VersionedFormMixin, GovukForm):
    """A form that adds a record (with its reference) or, given `record`, changes it.

    `record_fields()` is what the service takes: the person and line the references
    name, without the version."""

    reference = ReferenceField(error_messages={"required": "Enter the reference"})

    def __init__(self, *args, user, record=None, **kwargs):
        self.user, self.record = user, record
        super().__init__(*args, **kwargs)
        if record is not None:
            del self.fields["reference"]

    def clean_person_reference(self):
        return resolve_reference(self, "person_reference", person_for_reference, "person")

    def clean_line_reference(self):
        return resolve_reference(self, "line_reference", line_choice_for_reference, "county line")

    def record_fields(self) -> dict:
        fields = dict(self.cleaned_data)
        fields.pop("version", None)
        for name in ("person", "line"):
            if f"{name}_reference" in fields:
                fields[name] = fields.pop(f"{name}_reference")
        return fields

    @classmethod
    def initial_for(cls, record) -> dict:
        initial = {"version": record.version}
        for name in cls.base_fields:
            if name in ("reference", "version"):
                continue
            if name.endswith("_reference"):
                related = getattr(record, name.removesuffix("_reference"))
                initial[name] = related.reference if related else ""
            elif name == "command_areas":
                initial[name] = [area.pk for area in record.command_areas.all()]
            else:
                initial[name] = getattr(record, name)
        return initial


def _person_reference():
    return forms.CharField(
        label="Person's reference",
        max_length=40,
        error_messages={"required": "Enter the reference of the person"},
        widget=REFERENCE_INPUT,
    )


def _line_reference():
    return forms.CharField(
        label="Line reference",
        max_length=40,
        required=False,
        help_text="Leave empty if no line is known",
        widget=REFERENCE_INPUT,
    )


def _operation():
    return forms.ModelChoiceField(
        label="Operation", queryset=Operation.objects.all(), required=False, empty_label="None"
    )


class OperationForm(RecordForm):
    name = NameField(
        name=OPERATION_NAME,
        label="Name",
        max_length=100,
        error_messages={"required": "Enter the operation's name"},
    )
    kind = forms.ChoiceField(
        label="Kind",
        choices=OperationKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of operation"},
    )
    started_on = _date("Start date", "the start date", future=True)
    ended_on = _date("End date", "the end date", required=False, future=True)
    command_areas = forms.ModelMultipleChoiceField(
        label="Command areas",
        queryset=CommandArea.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    funding_source = forms.ChoiceField(
        label="Funding source",
        choices=[("", "Not recorded"), *FundingSource.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    funding_amount = MoneyField(label="Funding amount")


class ArrestForm(RecordForm):
    person_reference = _person_reference()
    arrested_on = _date("Date of arrest", "the date of arrest")
    command_area = forms.ModelChoiceField(
        label="Command area",
        queryset=CommandArea.objects.all(),
        empty_label="Choose an area",
        error_messages={
            "required": "Select the command area",
            "invalid_choice": "Select a command area from the list",
        },
    )
    line_reference = _line_reference()
    operation = _operation()
    drug_test = forms.ChoiceField(
        label="Drug test on arrest",
        choices=DrugTest.choices,
        widget=forms.RadioSelect,
        initial=DrugTest.NOT_TESTED,
    )
    treatment_referral = forms.BooleanField(label="Referred for treatment", required=False)


class ChargeForm(RecordForm):
    person_reference = _person_reference()
    charged_on = _date("Date charged", "the date charged")
    offence = forms.CharField(
        label="Offence", max_length=200, error_messages={"required": "Enter the offence"}
    )
    line_reference = _line_reference()


class SentenceForm(RecordForm):
    person_reference = _person_reference()
    sentenced_on = _date("Date sentenced", "the date sentenced")
    custody_months = forms.IntegerField(
        label="Custody, in months",
        help_text="0 for a sentence without custody",
        error_messages={
            "required": "Enter the months of custody",
            "invalid": "Enter the months of custody as a whole number",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
    )
    line_reference = _line_reference()

    def clean_custody_months(self):
        months = self.cleaned_data["custody_months"]
        problems = sentence_problems(custody_months=months)
        if problems:
            raise ValidationError(problems["custody_months"])
        return months


class SeizureForm(RecordForm):
    seized_on = _date("Date seized", "the date seized")
    cash_gbp = MoneyField(label="Cash seized")
    drug = forms.ModelChoiceField(
        label="Drug",
        queryset=Drug.objects.all(),
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Select a drug from the list"},
    )
    grams = GramsField(label="Weight of the drug, in grams")
    other_items = forms.CharField(
        label="Other items",
        required=False,
        help_text="Phones, weapons and anything else seized",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    line_reference = _line_reference()
    operation = _operation()
