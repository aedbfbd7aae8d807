"""The call-data screens' forms: they check what a person typed (a number that is a
number, a date that is a date); the rules are the services' and the analyses'."""

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from core.dates import GovukDateField
from core.forms import GovukForm, ReferenceField
from lines.forms import NumberField
from lines.phone import normalise_number
from records.held_search import may_be_cut_short

from .models import Source

# Each line of a box of numbers, or each of them separated by commas.
NUMBERS_HINT = "One a line, in any form, for example 07712 345678 or +44 7712 345678"


def numbers_typed(text: str, *, what: str = "Numbers") -> list[str]:
    """The E.164 numbers typed one a line (or separated by commas), each once, in the order
    typed; a number that is not one is named with its line."""
    numbers: list[str] = []
    problems = []
    for position, line in enumerate(text.replace(",", "\n").splitlines(), start=1):
        typed = line.strip()
        if not typed:
            continue
        try:
            number = normalise_number(typed)
        except ValidationError as error:
            problems.append(f"{what}, “{typed[:40]}” (entry {position}): {error.messages[0]}")
            continue
        if number not in numbers:
            numbers.append(number)
    if problems:
        raise ValidationError(problems)
    return numbers


class SourceForm(GovukForm):
    """A disclosure of call data, recorded before its rows are imported; the same fields
    change one (its reference stays)."""

    reference = ReferenceField(
        max_length=Source._meta.get_field("reference").max_length,  # type: ignore[arg-type]
        help_text="The force's reference for the disclosure, named by each row of its file "
        "in the column `source`",
        error_messages={"required": "Enter the disclosure's reference"},
    )
    authorisation = forms.CharField(
        label="Authorisation",
        max_length=Source._meta.get_field("authorisation").max_length,
        help_text="The reference of the communications data authorisation it was obtained "
        "under (Investigatory Powers Act 2016)",
        error_messages={"required": "Enter the authorisation's reference"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-30", "spellcheck": "false"}),
    )
    description = forms.CharField(
        label="Description",
        required=False,
        help_text="What was asked for and from whom (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    numbers = forms.CharField(
        label="Numbers covered",
        required=False,
        help_text=NUMBERS_HINT,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocomplete": "off"}),
    )
    covers_from = GovukDateField(
        label="Covers from", what="the first day it covers", required=False
    )
    covers_to = GovukDateField(label="Covers to", what="the last day it covers", required=False)
    retain_until = GovukDateField(
        label="Retain until",
        what="the date its rows may be kept until",
        subject="The retention date",
        help_text="Its rows are purged after this date, for example 31 3 2028",
        max_date=datetime.date(9999, 12, 31),
    )

    def __init__(self, *args: Any, source: Source | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if source is not None:  # its reference names it in every row imported: kept
            del self.fields["reference"]

    @classmethod
    def initial_for(cls, source: Source) -> dict[str, Any]:
        return {
            "authorisation": source.authorisation,
            "description": source.description,
            "numbers": "\n".join(source.numbers),
            "covers_from": source.covers_from,
            "covers_to": source.covers_to,
            "retain_until": source.retain_until,
        }

    def clean_numbers(self) -> list[str]:
        return numbers_typed(self.cleaned_data.get("numbers", ""), what="Numbers covered")

    def clean(self) -> dict[str, Any]:
        super().clean()
        start, end = self.cleaned_data.get("covers_from"), self.cleaned_data.get("covers_to")
        if start and end and end < start:
            self.add_error("covers_to", "The last day it covers must be on or after the first")
        return self.cleaned_data


class PeriodForm(GovukForm):
    """An optional period: the analyses read every event held when it is left empty."""

    start = GovukDateField(label="From", what="the first day", required=False)
    end = GovukDateField(label="To", what="the last day", required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        start, end = self.cleaned_data.get("start"), self.cleaned_data.get("end")
        if start and end and end < start:
            self.add_error("end", "The last day must be on or after the first")
        return self.cleaned_data


class NumberProfileForm(PeriodForm):
    """The number to profile (held in the session, never in the URL)."""

    number = NumberField(
        label="Phone number",
        help_text="In any form, for example 07712 345678 or +44 7712 345678",
    )
    field_order = ["number", "start", "end"]


# The most numbers (or lines) compared at once: each adds its events to what is read.
MOST_COMPARED = 20


class CommonContactsForm(PeriodForm):
    """Two or more numbers, or two or more lines (all the numbers each used), to compare."""

    numbers = forms.CharField(
        label="Numbers",
        required=False,
        help_text=NUMBERS_HINT,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocomplete": "off"}),
    )
    lines = forms.CharField(
        label="Lines",
        required=False,
        help_text="Their references, one a line, for example CL-2024-017: all their numbers "
        "are compared",
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
    )
    field_order = ["numbers", "lines", "start", "end"]

    def __init__(self, *args: Any, find_line: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # find_line(reference) -> the line the user may see, or None
        self.find_line = find_line

    def clean_numbers(self) -> list[str]:
        text = self.cleaned_data.get("numbers", "")
        if may_be_cut_short(text):
            raise ValidationError(_too_many("numbers"))
        numbers = numbers_typed(text)
        if len(numbers) > MOST_COMPARED:
            raise ValidationError(_too_many("numbers", len(numbers)))
        return numbers

    def clean_lines(self) -> list[Any]:
        found, unknown = [], []
        text = self.cleaned_data.get("lines", "")
        entries = [part for part in text.replace(",", "\n").splitlines() if part.strip()]
        if len(entries) > MOST_COMPARED:  # before each is looked for
            raise ValidationError(_too_many("lines", len(entries)))
        for typed in (part.strip() for part in text.replace(",", "\n").splitlines()):
            if not typed:
                continue
            line = self.find_line(typed) if self.find_line else None
            if line is None:
                unknown.append(f"No line has the reference “{typed[:40]}”")
            elif line not in found:
                found.append(line)
        if unknown:
            raise ValidationError(unknown)
        return found

    def clean(self) -> dict[str, Any]:
        super().clean()
        if all(str(self.data.get(name, "")).strip() for name in ("numbers", "lines")):
            self.errors.pop("lines", None)  # whatever is wrong with them, this first
            self.add_error("lines", "Compare numbers or lines, not both: leave one box empty")
            return self.cleaned_data
        numbers = self.cleaned_data.get("numbers")
        lines = self.cleaned_data.get("lines")
        if numbers is None or lines is None:
            return self.cleaned_data
        if len(numbers) < 2 and len(lines) < 2:
            field = "lines" if lines else "numbers"
            self.add_error(field, f"Enter two or more different {field} to compare")
        return self.cleaned_data


def _too_many(what: str, count: int | None = None) -> str:
    entered = f"{count:,} were entered" if count else "far more were entered"
    return f"Compare at most {MOST_COMPARED} {what} at a time ({entered})"


LONGEST_SCAN_DAYS = 92


class PossibleNewLinesForm(PeriodForm):
    """The bursts that mark a deal line's "marketing" texts, and the period scanned."""

    recipients = forms.IntegerField(
        label="Distinct recipients in a burst",
        min_value=2,
        max_value=10_000,
        help_text="At least this many different numbers texted within the burst's minutes",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
    )
    minutes = forms.IntegerField(
        label="Minutes a burst lasts at most",
        min_value=1,
        max_value=24 * 60,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
    )
    days = forms.IntegerField(
        label="Days with a burst",
        min_value=1,
        max_value=366,
        help_text="On at least this many different days",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
    )
    field_order = ["recipients", "minutes", "days", "start", "end"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A scan reads every message of its period: it always has one (a month, usually).
        for name in ("start", "end"):
            self.fields[name].required = True

    def clean(self) -> dict[str, Any]:
        super().clean()
        start, end = self.cleaned_data.get("start"), self.cleaned_data.get("end")
        # Every message of the period is read: a page answers a month in seconds, and a
        # longer period is scanned in parts rather than holding the server for minutes.
        if start and end and (end - start).days >= LONGEST_SCAN_DAYS:
            self.add_error(
                "end",
                f"Scan at most {LONGEST_SCAN_DAYS} days at a time (about three months): "
                "scan a longer period in parts",
            )
        return self.cleaned_data


class HandsetContinuityForm(PeriodForm):
    """The number (held in the session, never in the URL), or the line, whose handsets
    are followed."""

    number = NumberField(
        label="Phone number",
        required=False,
        help_text="In any form: every handset it was used in, and the numbers each carried",
    )
    line = forms.CharField(
        label="Or a line",
        required=False,
        max_length=40,
        help_text="Its reference, for example CL-2024-017: the handsets of all its numbers",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
    )
    field_order = ["number", "line", "start", "end"]

    def __init__(self, *args: Any, find_line: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.find_line = find_line  # find_line(reference) -> the line the user may see, or None

    def clean_line(self) -> Any:
        typed = self.cleaned_data.get("line", "").strip()
        if not typed:
            return None
        line = self.find_line(typed) if self.find_line else None
        if line is None:
            raise ValidationError(f"No line has the reference “{typed[:40]}”")
        return line

    def clean(self) -> dict[str, Any]:
        super().clean()
        if "number" in self.errors or "line" in self.errors:
            return self.cleaned_data
        number, line = self.cleaned_data.get("number"), self.cleaned_data.get("line")
        if number and line:
            self.add_error("line", "Enter a number or a line, not both")
        elif not number and not line:
            self.add_error("number", "Enter a phone number, or a line's reference")
        return self.cleaned_data
