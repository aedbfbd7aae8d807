"""Forms for the people screens: they check what a person typed; the rules that hold
whatever the path live in `persons.rules` and the models (shown through
`GovukForm.add_service_errors`, in the same words as an import's check report)."""

import datetime

from django import forms
from django.utils import timezone

from core.dates import GovukDateField, date_hint
from core.forms import REFERENCE_INPUT, GovukForm, NameField, ReferenceField, resolve_reference
from lines.forms import number_use_fields
from lines.models import HandlingCode, IntelligenceAssessment, SourceEvaluation
from lines.selectors import line_choice_for_reference
from records.versions import VersionedFormMixin

from .models import Gender, LineRoleKind, NrmStage, Person
from .rules import ALIASES, FORENAMES, SURNAME

_NAME = forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"})


class PersonForm(GovukForm):
    """A new person; `PersonUpdateForm` changes one (their reference stays)."""

    reference = ReferenceField(
        help_text="The force's nominal reference, for example NYP/P/2021/0142",
        error_messages={"required": "Enter the person's reference"},
    )
    surname = NameField(
        name=SURNAME,
        label="Surname",
        max_length=80,
        error_messages={"required": "Enter the person's surname"},
        widget=_NAME,
    )
    forenames = NameField(
        name=FORENAMES, label="Forenames", max_length=120, required=False, widget=_NAME
    )
    aliases = NameField(
        name=ALIASES,
        label="Aliases and nicknames",
        required=False,
        help_text="One per line",
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )
    date_of_birth = GovukDateField(
        label="Date of birth",
        what="the date of birth",
        required=False,
        max_date=timezone.localdate,
        help_text=date_hint(example=datetime.date(2004, 3, 27)),
    )
    gender = forms.ChoiceField(
        label="Gender",
        choices=[("", "Not recorded"), *Gender.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    vulnerable_adult = forms.BooleanField(
        label="Vulnerable adult",
        required=False,
        help_text="An adult who may be unable to protect themselves from exploitation",
    )
    exploited = forms.BooleanField(
        label="Criminally exploited",
        required=False,
        help_text="Exploited by a line: a victim as well as a possible offender",
    )
    nrm_referred_on = GovukDateField(
        label="Date of NRM referral",
        what="the date of the NRM referral",
        subject="Date of the NRM referral",
        required=False,
        max_date=timezone.localdate,
        help_text=date_hint("Leave empty if no National Referral Mechanism referral was made."),
    )
    nrm_stage = forms.ChoiceField(
        label="NRM stage",
        choices=[("", "No referral"), *NrmStage.choices],
        required=False,
        widget=forms.RadioSelect,
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
    retention_reason = forms.CharField(
        label="Reason the record is kept",
        required=False,
        help_text="The policing purpose the record serves",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PersonUpdateForm(VersionedFormMixin, PersonForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["reference"]

    @classmethod
    def initial_for(cls, person: Person) -> dict:
        names = [name for name in cls.base_fields if name not in ("reference", "version")]
        return {**{name: getattr(person, name) for name in names}, "version": person.version}


class PersonNumberForm(GovukForm):
    number, used_from, used_to = number_use_fields(who="they", still_uses="still use")


class PersonAddressForm(GovukForm):
    address = forms.CharField(
        label="Address",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the address"},
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )
    lived_from = GovukDateField(
        label="From", what="the date they moved in", subject="Date moved in", required=False
    )
    lived_to = GovukDateField(
        label="To", what="the date they left", subject="Date left", required=False
    )


class LineRoleForm(GovukForm):
    """The part a person played on a line, with the intelligence grading behind it."""

    line_reference = forms.CharField(
        label="Line reference",
        max_length=40,
        error_messages={"required": "Enter the line's reference"},
        widget=REFERENCE_INPUT,
    )
    role = forms.ChoiceField(
        label="Role",
        choices=LineRoleKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the person's role on the line"},
    )
    started_on = GovukDateField(
        label="From", what="the date the role started", subject="Start of the role"
    )
    ended_on = GovukDateField(
        label="To", what="the date the role ended", subject="End of the role", required=False
    )
    source_evaluation = forms.ChoiceField(
        label="Source evaluation", choices=SourceEvaluation.choices, widget=forms.RadioSelect
    )
    assessment = forms.ChoiceField(
        label="Intelligence assessment",
        choices=IntelligenceAssessment.choices,
        widget=forms.RadioSelect,
    )
    handling_code = forms.ChoiceField(
        label="Handling code", choices=HandlingCode.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_line_reference(self):
        return resolve_reference(self, "line_reference", line_choice_for_reference, "county line")


class PersonNumberChangeForm(VersionedFormMixin, PersonNumberForm):
    """When they used the number (the number itself stays: a new one is added)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["number"]


class PersonAddressChangeForm(VersionedFormMixin, PersonAddressForm):
    pass


class LineRoleChangeForm(VersionedFormMixin, LineRoleForm):
    """The role, its period and grading (the line stays: a role on another is added)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["line_reference"]
