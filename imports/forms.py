from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from core.forms import GovukForm

from .kinds import kinds_for


class ImportUploadForm(GovukForm):
    kind = forms.ChoiceField(
        label="What does the file contain?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the file contains"},
    )
    file = forms.FileField(
        label="Upload a CSV file",
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={
            "required": "Select a CSV file",
            "empty": "The selected file is empty",
            "invalid": "The selected file could not be uploaded – try again",
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the kinds this user may import are offered, or accepted.
        self.fields["kind"].choices = [(kind.name, kind.title) for kind in kinds_for(user)]
        limit = filesizeformat(settings.IMPORT_MAX_UPLOAD_BYTES)
        self.fields["file"].help_text = f"A UTF-8 CSV file with a header row, smaller than {limit}."

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
            limit = filesizeformat(settings.IMPORT_MAX_UPLOAD_BYTES)
            raise forms.ValidationError(f"The selected file must be smaller than {limit}")
        return upload
