from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from core.forms import GovukForm

from .kinds import ImportKind, kinds_for


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

    def __init__(
        self, *args, user, too_large: bool = False, kind: type[ImportKind] | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        # Set when imports.uploads refused the file unread: the one thing to say then.
        self.too_large = too_large
        # Only the kinds this user may import are offered, or accepted; on a kind's own
        # page (large files), that kind alone.
        kinds = [kind] if kind is not None else kinds_for(user)
        self.fields["kind"].choices = [(k.name, k.title) for k in kinds]
        if kind is not None:
            self.fields["kind"].initial = kind.name
        self.limit = kind.upload_limit() if kind is not None else settings.IMPORT_MAX_UPLOAD_BYTES
        limit = filesizeformat(self.limit)
        self.fields["file"].help_text = f"A UTF-8 CSV file with a header row, smaller than {limit}."

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.limit:
            raise forms.ValidationError(size_message(self.limit))
        # Its content is checked as it is read: a file that is not UTF-8 text is reported.
        if not (upload.name or "").lower().endswith(".csv"):
            raise forms.ValidationError("The selected file must be a CSV")
        # A job's content that starts with a NUL byte names a file kept on disk
        # (imports.services.STORED_FILE): no CSV starts so, and no upload may pose as one.
        upload.seek(0)
        starts_with_nul = upload.read(1) == b"\x00"
        upload.seek(0)
        if starts_with_nul:
            raise forms.ValidationError("The selected file must be a CSV")
        return upload

    def full_clean(self):
        super().full_clean()
        if self.too_large:
            self._errors.clear()
            self.cleaned_data = {}
            self.add_error("file", size_message(self.limit))


def size_message(limit_bytes: int | None = None) -> str:
    limit = filesizeformat(limit_bytes or settings.IMPORT_MAX_UPLOAD_BYTES)
    return f"The selected file must be smaller than {limit}"
