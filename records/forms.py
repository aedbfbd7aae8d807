"""The form of a retention review (records.reviews): it checks what was typed (a date that
is a date); the rules, and their words, are the service's."""

import datetime
from typing import Any

from django import forms

from core.dates import GovukDateField, date_hint

from .reviews import Outcome
from .versions import VersionedFormMixin


class ReviewForm(VersionedFormMixin):
    outcome = forms.ChoiceField(
        label="Outcome of the review",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to keep the record or dispose of it"},
    )
    retain_until = GovukDateField(
        label="Keep it until",
        what="the date to keep the record until",
        subject="The date to keep the record until",
        required=False,
        # How far ahead is the rule's to say (records.reviews), in its own words.
        max_date=lambda: datetime.date(9999, 12, 31),
        help_text=date_hint(
            "When keeping it: the date of its next review.", example=datetime.date(2029, 3, 27)
        ),
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        help_text="Why it is kept (the policing purpose it serves), or why it is disposed of",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # A disposal is of the version the page listing what goes showed: posted without
        # saying which (not from that page), it is never carried out.
        if cleaned.get("outcome") == Outcome.DISPOSE and cleaned.get("version") is None:
            self.add_error(None, "This review is out of date: open the record's review again")
        return cleaned
