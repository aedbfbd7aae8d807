from django import forms
from django.core.exceptions import ValidationError

from core.forms import GovukForm

from .terms import SHORTEST


class SearchForm(GovukForm):
    q = forms.CharField(
        label="Search",
        max_length=200,
        help_text="A reference, a name or alias, a phone number (whole or part), a postcode "
        "or a street",
        error_messages={"required": "Enter what to search for"},
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}
        ),
    )

    def clean_q(self) -> str:
        text = " ".join(self.cleaned_data["q"].split())
        if sum(c.isalnum() for c in text) < SHORTEST:
            raise ValidationError(f"Enter at least {SHORTEST} letters or digits")
        return text
