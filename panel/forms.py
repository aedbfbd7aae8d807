"""Forms of the panel screens: the period and title block of a report, a section's
sentences, managers' paragraphs, a death, a chart annotation."""

import datetime

from django import forms
from django.utils import timezone

from core.dates import GovukDateField, date_hint
from core.forms import GovukForm, NameField, ReferenceField, govuk_class_for
from records.versions import VersionedFormMixin
from reference.models import CommandArea, Drug

from .drafts import DraftSentence, written_fingerprint
from .models import ANNOTATION_NAME, DeathSource, Marking
from .periods import Kind, Period, financial_year_of, month_of, quarter_of, year_of
from .report import SECTIONS

QUARTERS = [
    (1, "January to March"),
    (2, "April to June"),
    (3, "July to September"),
    (4, "October to December"),
]
MONTHS = [(n, datetime.date(2000, n, 1).strftime("%B")) for n in range(1, 13)]


class PeriodForm(GovukForm):
    """Which period a report covers, and as at which date."""

    # The year is asked for with every kind but a custom period, so it stays in view.
    revealed_under = {
        "quarter": ("kind", Kind.QUARTER),
        "month": ("kind", Kind.MONTH),
        "start": ("kind", Kind.CUSTOM),
        "end": ("kind", Kind.CUSTOM),
    }

    kind = forms.ChoiceField(label="Period", choices=Kind.CHOICES, widget=forms.RadioSelect)
    year = forms.IntegerField(
        label="Year",
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="For a financial year, the year it starts: 2021 for 2021/22. Not needed "
        "for a custom period",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={"invalid": "Enter the year as 4 numbers, like 2021"},
    )
    quarter = forms.TypedChoiceField(
        label="Quarter", choices=[("", "Choose a quarter"), *QUARTERS], coerce=int, required=False
    )
    month = forms.TypedChoiceField(
        label="Month", choices=[("", "Choose a month"), *MONTHS], coerce=int, required=False
    )
    start = GovukDateField(label="From", what="the first day", subject="First day", required=False)
    end = GovukDateField(label="To", what="the last day", subject="Last day", required=False)
    as_at = GovukDateField(
        label="Figures as at",
        what="the date the figures are as at",
        required=False,
        help_text=date_hint(
            "Which lines are still active, on this date. Leave empty for the period's end "
            "(or today, if later)."
        ),
    )

    def clean(self):
        data = super().clean()
        kind, year = data.get("kind"), data.get("year")
        if kind in (Kind.YEAR, Kind.FINANCIAL_YEAR, Kind.QUARTER, Kind.MONTH) and not year:
            self.add_error("year", "Enter the year")
            return data
        if kind == Kind.YEAR:
            period = year_of(datetime.date(year, 1, 1))
        elif kind == Kind.FINANCIAL_YEAR:
            period = financial_year_of(datetime.date(year, 4, 1))
        elif kind == Kind.QUARTER:
            if not data.get("quarter"):
                self.add_error("quarter", "Choose the quarter")
                return data
            period = quarter_of(datetime.date(year, data["quarter"] * 3, 1))
        elif kind == Kind.MONTH:
            if not data.get("month"):
                self.add_error("month", "Choose the month")
                return data
            period = month_of(datetime.date(year, data["month"], 1))
        else:
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                self.add_error("start" if not start else "end", "Enter the first and last days")
                return data
            if end < start:
                self.add_error("end", "The last day must be on or after the first")
                return data
            period = Period(Kind.CUSTOM, start, end)
        as_at = data.get("as_at") or max(period.end, timezone.localdate())
        if as_at < period.end:
            self.add_error("as_at", "The figures cannot be as at a date before the period ends")
        data["period"], data["as_at"] = period, as_at
        return data


def _styled(fields: dict[str, forms.Field]) -> dict[str, forms.Field]:
    """Fields added once the form is made, with the GOV.UK classes the others have."""
    for field in fields.values():
        existing = field.widget.attrs.get("class", "")
        field.widget.attrs["class"] = f"{govuk_class_for(field.widget)} {existing}".strip()
    return fields


def title_block_fields() -> dict[str, forms.Field]:
    """The fields of a report's title block, as the first page of the paper shows them."""
    return _styled(
        {
            "panel_name": forms.CharField(
                label="Panel",
                max_length=200,
                required=False,
                help_text="For example, North Yorkshire Police, Fire and Crime Panel",
            ),
            "meeting_date": GovukDateField(
                label="Meeting date", what="the date of the meeting", required=False
            ),
            "agenda_item": forms.CharField(
                label="Agenda item",
                max_length=20,
                required=False,
                widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
            ),
            "title": forms.CharField(
                label="Title",
                max_length=200,
                error_messages={"required": "Enter the report's title"},
            ),
            "force_name": forms.CharField(
                label="Force", max_length=200, error_messages={"required": "Enter the force"}
            ),
            "author_name": forms.CharField(label="Author", max_length=200, required=False),
            "author_role": forms.CharField(
                label="Author's role",
                max_length=200,
                required=False,
                help_text="For example, Detective Superintendent, Serious and Organised Crime",
            ),
            "marking": forms.ChoiceField(
                label="Marking", choices=Marking.choices, widget=forms.RadioSelect
            ),
        }
    )


class PrepareForm(PeriodForm):
    """A new report: its period, and its title block (offered as the last report's)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(title_block_fields())
        for name in ("title", "force_name", "marking"):  # left empty: as on every report
            self.fields[name].required = False

    def title_block(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in title_block_fields()}


class TitleBlockForm(VersionedFormMixin, GovukForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        version = self.fields.pop("version")
        self.fields.update(title_block_fields())
        self.fields["version"] = version


class SectionForm(VersionedFormMixin, GovukForm):
    """A section's sentences, one box each (empty: left out), a tick for each sentence
    whose figures changed under the manager's text, and their own paragraphs."""

    written = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, sentences: list[DraftSentence], **kwargs):
        super().__init__(*args, **kwargs)
        self.sentences = sentences
        self.initial.setdefault("written", written_fingerprint(sentences))
        for index, sentence in enumerate(sentences):
            self.fields[f"sentence_{index}"] = forms.CharField(
                label=f"Sentence {index + 1}",
                required=False,
                help_text=_sentence_hint(sentence),
                widget=forms.Textarea(attrs={"rows": 3, "class": "govuk-textarea"}),
            )
            self.initial.setdefault(f"sentence_{index}", str(sentence))
            if sentence.changes:
                changes = "; ".join(str(change) for change in sentence.changes)
                self.fields[f"accept_{index}"] = forms.BooleanField(
                    label=f"My sentence {index + 1} is right with the new figures ({changes})",
                    required=False,
                    widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
                )
        self.fields["own_text"] = forms.CharField(
            label="Your own paragraphs",
            required=False,
            help_text="Shown after the sentences",
            widget=forms.Textarea(attrs={"rows": 5, "class": "govuk-textarea"}),
        )

    def show_sentences_as_now(self) -> None:
        """Shown again (an error, a conflict): saving it again is made from the sentences
        it now shows, whatever they were when it was first opened."""
        self.data = self.data.copy()
        self.data[self.add_prefix("written")] = written_fingerprint(self.sentences)

    def texts(self) -> list[str]:
        return [self.cleaned_data.get(f"sentence_{i}", "") for i in range(len(self.sentences))]

    def accepted(self) -> set[int]:
        return {i for i in range(len(self.sentences)) if self.cleaned_data.get(f"accept_{i}")}


def _sentence_hint(sentence: DraftSentence) -> str:
    if sentence.orphaned:
        return "Your sentence: the figures no longer give the sentence it was written from."
    if sentence.changes:
        changes = "; ".join(str(change) for change in sentence.changes)
        return f"Figures changed: {changes}. Written from the figures now: “{sentence.written}”"
    if sentence.edited or sentence.left_out:
        what = "Left out. " if sentence.left_out else ""
        return f"{what}Written from the figures: “{sentence.written}”"
    return "Written from the figures. Leave it empty to leave it out."


class ParagraphsForm(VersionedFormMixin, GovukForm):
    """The managers' own paragraphs, one box per section of the report."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, title in SECTIONS:
            self.fields[key] = forms.CharField(
                label=title,
                required=False,
                help_text="Shown after the sentences written from the figures",
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def paragraphs(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key, "") for key, _title in SECTIONS}


class DeathForm(GovukForm):
    reference = ReferenceField(error_messages={"required": "Enter the reference"})
    date_of_death = GovukDateField(
        label="Date of death", what="the date of death", max_date=timezone.localdate
    )
    command_area = forms.ModelChoiceField(
        label="Command area",
        queryset=CommandArea.objects.all(),
        required=False,
        empty_label="Not known",
    )
    substances = forms.ModelMultipleChoiceField(
        label="Substances implicated",
        queryset=Drug.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    source = forms.ChoiceField(
        label="Source",
        choices=[("", "Not recorded"), *DeathSource.choices],
        required=False,
        widget=forms.RadioSelect,
    )


class DeathChangeForm(VersionedFormMixin, DeathForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["reference"]


class AnnotationForm(GovukForm):
    name = NameField(name=ANNOTATION_NAME, label="Name", max_length=100)
    starts_on = GovukDateField(label="First day", what="the first day")
    ends_on = GovukDateField(label="Last day", what="the last day")
    note = forms.CharField(
        label="Where the dates come from", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The last day must be on or after the first")
        return data


class AnnotationChangeForm(VersionedFormMixin, AnnotationForm):
    pass
