"""Forms for the safeguarding screens: they check what a person typed; the rules that
hold whatever the path live in `safeguarding.rules` and the models (shown through
`GovukForm.add_service_errors`, in the same words as an import's check report).

A form built for a partner has none of the fields the ownership rule keeps from them
(`accounts.permissions.RECORD_RULES`: suspected lines, an occupant's person, MoPI review
and retention), nor those that choose an agency other than their own or a reference (the
service numbers a partner's referrals): they can be neither seen nor posted.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from localflavor.gb.forms import GBPostcodeField

from accounts.models import Agency
from accounts.permissions import is_police, police_only_fields, visible_to
from core.dates import GovukDateField, date_hint
from core.forms import REFERENCE_INPUT, GovukForm, NameField, ReferenceField, resolve_reference
from core.references import normalise_reference, reference_unknown
from imports.parsers import split_values
from lines.forms import HANDLING_REVEALED, handling_fields
from lines.selectors import line_choice_for_reference
from persons.selectors import person_for_reference
from records.versions import VersionedFormMixin
from reference.models import CommandArea

from .models import (
    ActionKind,
    ClosureReason,
    LawfulBasis,
    Occupant,
    Referral,
    RiskLevel,
    Vulnerability,
)
from .rules import OCCUPANT_NAME, exchange_agency_problems, exchange_problems

_EXAMPLE = datetime.date(2024, 3, 27)


def partner_agencies():
    """The agencies a referral may be shared with: the police see every referral."""
    return Agency.objects.filter(is_active=True).exclude(kind=Agency.Kind.POLICE)


class _UserForm(GovukForm):
    """A form that knows who fills it in, and has none of the fields they may not see or
    set: those of its `model` the ownership rule keeps from them (`police_only_fields`,
    named as this form names them in `form_names`) and, unless they act for every agency
    (the police), those of `for_every_agency`."""

    model: type | None = None
    form_names: dict[str, str] = {}
    for_every_agency: tuple[str, ...] = ()

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        hidden = police_only_fields(user, self.model) if self.model else ()
        removed = [self.form_names.get(name, name) for name in hidden]
        if not is_police(user):
            removed += self.for_every_agency
        for name in removed:
            self.fields.pop(name, None)


class ReferralForm(_UserForm):
    model = Referral
    form_names = {"suspected_lines": "line_references"}
    for_every_agency = ("reference", "referring_agency", "shared_with")

    reference = ReferenceField(
        help_text="The partnership's referral reference, for example BG/2021/0042",
        error_messages={"required": "Enter the referral's reference"},
    )
    address = forms.CharField(
        label="Address",
        help_text="Building and street, one line each",
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        error_messages={"required": "Enter the address"},
    )
    town = forms.CharField(
        label="Town or city",
        max_length=80,
        widget=forms.TextInput(attrs={"class": "govuk-!-width-two-thirds"}),
        error_messages={"required": "Enter the town or city"},
    )
    postcode = GBPostcodeField(
        label="Postcode",
        error_messages={
            "required": "Enter the postcode",
            "invalid": "Enter a real postcode, like YO1 7HH",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )
    command_area = forms.ModelChoiceField(
        label="Command area",
        queryset=CommandArea.objects.all(),
        empty_label="Choose an area",
        error_messages={
            "required": "Select the command area",
            "invalid_choice": "Select a command area from the list",
        },
    )
    referred_on = GovukDateField(
        label="Date of the referral",
        what="the date of the referral",
        max_date=timezone.localdate,
        help_text=date_hint(example=_EXAMPLE),
    )
    referring_agency = forms.ModelChoiceField(
        label="Referring agency",
        queryset=Agency.objects.filter(is_active=True),
        empty_label="Choose an agency",
        error_messages={"required": "Select the agency that made the referral"},
    )
    risk_level = forms.ChoiceField(
        label="Risk to the occupants",
        choices=[("", "Not yet assessed"), *RiskLevel.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    summary = forms.CharField(
        label="What is known of the take-over",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    line_references = forms.CharField(
        label="Suspected county lines",
        required=False,
        help_text="Line references, separated by ; (partners see only that a line is linked)",
        widget=REFERENCE_INPUT,
    )
    shared_with = forms.ModelMultipleChoiceField(
        label="Share with",
        queryset=partner_agencies(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The referring agency always sees it. Police users see every referral.",
    )
    next_review_on = GovukDateField(
        label="Next MoPI review",
        what="the date of the next review",
        subject="Date of the next review",
        required=False,
        help_text=date_hint("When keeping this record is next reviewed.", example=_EXAMPLE),
    )
    retention_reason = forms.CharField(
        label="Reason the record is kept",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_line_references(self) -> list:
        return resolve_lines(self, "line_references")

    def referral_fields(self) -> dict:
        """What the service takes: the lines as `suspected_lines`."""
        fields = dict(self.cleaned_data)
        fields.pop("version", None)
        if "line_references" in fields:
            fields["suspected_lines"] = fields.pop("line_references")
        return fields


def resolve_lines(form: _UserForm, name: str) -> list:
    """The lines whose references were typed in field `name` (separated by `;`), each
    refused by name if unknown, as an import says it: `No county line has the
    reference “CL-404”`."""
    lines, problems = [], []
    for text in split_values(form.cleaned_data.get(name) or ""):
        text = normalise_reference(text)  # hidden characters refused, as the import does
        line = line_choice_for_reference(user=form.user, reference=text)
        if line is None:
            problems.append(reference_unknown(text, "county line"))
        elif line not in lines:
            lines.append(line)
    if problems:
        raise ValidationError(problems)
    return lines


class ReferralUpdateForm(VersionedFormMixin, ReferralForm):
    """A referral's details; its reference stays, its lines and shares have their own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("reference", "line_references", "shared_with"):
            self.fields.pop(name, None)


class ReferralCloseForm(VersionedFormMixin, GovukForm):
    closed_on = GovukDateField(
        label="Date closed",
        what="the date the referral was closed",
        max_date=timezone.localdate,
        help_text=date_hint(example=_EXAMPLE),
    )
    closure_reason = forms.ChoiceField(
        label="Why it is closed",
        choices=ClosureReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the referral is closed"},
    )
    closure_note = forms.CharField(
        label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReferralLinesForm(VersionedFormMixin, _UserForm):
    model = Referral
    form_names = {"suspected_lines": "line_references"}
    line_references = ReferralForm.base_fields["line_references"]

    def clean_line_references(self) -> list:
        return resolve_lines(self, "line_references")


class OccupantForm(_UserForm):
    model = Occupant
    form_names = {"person": "person_reference"}

    name = NameField(
        name=OCCUPANT_NAME,
        label="Full name",
        max_length=200,
        error_messages={"required": "Enter their name"},
    )
    date_of_birth = GovukDateField(
        label="Date of birth",
        what="their date of birth",
        required=False,
        max_date=timezone.localdate,
        help_text=date_hint("Leave empty if it is not known.", example=datetime.date(1968, 3, 27)),
    )
    age = forms.IntegerField(
        label="Age, if the date of birth is not known",
        required=False,
        min_value=0,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the age as a whole number of years",
            "min_value": "The age must be 0 or more",
        },
    )
    vulnerabilities = forms.MultipleChoiceField(
        label="Vulnerabilities",
        choices=Vulnerability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    vulnerability_notes = forms.CharField(
        label="About their vulnerabilities",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    person_reference = forms.CharField(
        label="Person's reference (police only)",
        max_length=40,
        required=False,
        help_text="Links the occupant to a person of the force's records; partners never see it",
        widget=REFERENCE_INPUT,
    )

    def clean_person_reference(self):
        return resolve_reference(self, "person_reference", person_for_reference, "person")

    def occupant_fields(self) -> dict:
        fields = dict(self.cleaned_data)
        fields.pop("version", None)
        if "person_reference" in fields:
            fields["person"] = fields.pop("person_reference")
        return fields


class OccupantChangeForm(VersionedFormMixin, OccupantForm):
    pass


class ExchangeForm(_UserForm):
    """One sharing event, between the agencies the referral is shared with (`parties`)."""

    for_every_agency = ("from_agency",)
    revealed_under = HANDLING_REVEALED

    from_agency = forms.ModelChoiceField(
        label="Shared by",
        queryset=Agency.objects.none(),
        empty_label="Choose an agency",
        error_messages={"required": "Select the agency that shared the information"},
    )
    to_agencies = forms.ModelMultipleChoiceField(
        label="Shared with",
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select the agencies the information was shared with",
            "invalid_choice": "Select only agencies from the list: the agencies the referral "
            "is shared with, other than your own",
        },
    )
    shared_on = GovukDateField(
        label="Date shared",
        what="the date the information was shared",
        max_date=timezone.localdate,
        help_text=date_hint(example=_EXAMPLE),
    )
    summary = forms.CharField(
        label="What was shared",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what was shared"},
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis",
        choices=LawfulBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the lawful basis for sharing"},
    )
    handling_code, handling_conditions = handling_fields()

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.parties = list(parties)
        ids = [agency.pk for agency in self.parties]
        self.fields["to_agencies"].queryset = Agency.objects.filter(pk__in=ids)
        if "from_agency" in self.fields:
            self.fields["from_agency"].queryset = Agency.objects.filter(pk__in=ids)
        else:
            # A partner records what their own agency shared: it is no recipient.
            self.fields["to_agencies"].queryset = self.fields["to_agencies"].queryset.exclude(
                pk=self.user.agency_id
            )

    def clean(self):
        """The exchange's rules too, so that every problem is shown at once rather than
        a second round of them once the fields are put right."""
        data = super().clean()
        from_agency = data.get("from_agency") if "from_agency" in self.fields else self.user.agency
        problems = exchange_problems(
            handling_code=data.get("handling_code") or "",
            handling_conditions=data.get("handling_conditions") or "",
        )
        if "to_agencies" in data:
            problems |= exchange_agency_problems(
                from_agency=from_agency, to_agencies=data["to_agencies"], parties=self.parties
            )
        for name, message in problems.items():
            if name not in self.errors:
                self.add_error(name, message)
        return data


class ActionForm(GovukForm):
    # Seen by every agency the referral is shared with only when agreed with them all:
    # the narrower choice is the default.
    SEEN_BY_INVOLVED = "False"
    SEEN_BY_PARTNERSHIP = "True"

    kind = forms.ChoiceField(
        label="Action",
        choices=ActionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the action agreed"},
    )
    description = forms.CharField(
        label="Details", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner_agency = forms.ModelChoiceField(
        label="Agency that does it",
        queryset=Agency.objects.none(),
        empty_label="Choose an agency",
        error_messages={"required": "Select the agency that does it"},
    )
    agreed_on = GovukDateField(
        label="Date agreed",
        what="the date the action was agreed",
        max_date=timezone.localdate,
        help_text=date_hint(example=_EXAMPLE),
    )
    due_on = GovukDateField(
        label="Due date", what="the date it is due", help_text=date_hint(example=_EXAMPLE)
    )
    done_on = GovukDateField(
        label="Date done",
        what="the date it was done",
        required=False,
        max_date=timezone.localdate,
        help_text=date_hint("Leave empty until it is done.", example=_EXAMPLE),
    )
    outcome = forms.CharField(
        label="Outcome", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    shared_with_partnership = forms.TypedChoiceField(
        label="Who sees this action",
        choices=(
            (
                SEEN_BY_INVOLVED,
                "Only the police, the agency doing it and the agency recording it",
            ),
            (SEEN_BY_PARTNERSHIP, "Every agency the referral is shared with"),
        ),
        coerce=lambda value: value == ActionForm.SEEN_BY_PARTNERSHIP,
        required=False,
        empty_value=False,  # not said: the narrower choice
        initial=SEEN_BY_INVOLVED,
        widget=forms.RadioSelect,
        help_text="Choose every agency only when the action was agreed with all of them",
    )

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = Agency.objects.filter(
            pk__in=[agency.pk for agency in parties]
        )
        if not self.is_bound and "agreed_on" not in self.initial:
            self.initial["agreed_on"] = timezone.localdate()


class ActionChangeForm(VersionedFormMixin, ActionForm):
    pass


class ShareForm(GovukForm):
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        empty_label="Choose an agency",
        error_messages={"required": "Select the agency to share the referral with"},
    )

    def __init__(self, *args, referral, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Left out: the agencies it is shared with, or proposed to, as far as the user
        # knows (another partner's proposal is not theirs to know of).
        shares = visible_to(user, referral.shares.all())
        self.fields["agency"].queryset = partner_agencies().exclude(pk__in=shares.values("agency"))
