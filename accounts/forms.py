import unicodedata

from django import forms
from django.contrib.auth import forms as auth_forms

from core.forms import GovukFormMixin

from .reauthentication import password_confirm


class SignInForm(GovukFormMixin, auth_forms.AuthenticationForm):
    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
    }


class SecondFactorCodeForm(GovukFormMixin, forms.Form):
    """The 6-digit code of an authenticator app, or one of the user's recovery codes."""

    code = forms.CharField(
        label="Code",
        max_length=40,
        error_messages={"required": "Enter the code from your authenticator app"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
    )

    def clean_code(self) -> str:
        # People type codes with spaces ("123 456"); recovery codes ignore case and dashes.
        return "".join(self.cleaned_data["code"].split())


class PasswordConfirmForm(GovukFormMixin, forms.Form):
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordChangeForm(GovukFormMixin, auth_forms.PasswordChangeForm):
    """The old password is checked as a sign-in is (accounts.reauthentication): a wrong
    one is audited and counted towards the lock, so a session left open is no place to
    guess the password at leisure."""

    def __init__(self, user, *args, request, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if not password_confirm(self.request, old_password):
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password

    def clean(self):
        cleaned = super().clean()
        old, new = cleaned.get("old_password"), cleaned.get("new_password1")
        if old and new and old == new:
            # Asked for a new password, the same one again would answer nothing.
            self.add_error("new_password1", "Your new password must differ from your old one")
        return cleaned


class NormalisedEmailField(forms.EmailField):
    """An e-mail address in its Unicode compatibility form (NFKC), before it is checked: the
    same address typed in another form (full-width letters, a decomposed accent) is read as
    the same address."""

    def to_python(self, value):
        return unicodedata.normalize("NFKC", super().to_python(value))


class PasswordResetForm(GovukFormMixin, auth_forms.PasswordResetForm):
    """Finds the accounts of the address typed; of those, the view says which are e-mailed
    (accounts/password_resets.py, by `accounts_to_email`). The e-mail goes to the address
    the account holds, never the one typed."""

    email = NormalisedEmailField(
        label="Email",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    accounts_to_email: list | None = None

    def get_users(self, email):
        if self.accounts_to_email is not None:
            return iter(self.accounts_to_email)
        return super().get_users(email)


class SetPasswordForm(GovukFormMixin, auth_forms.SetPasswordForm):
    pass
