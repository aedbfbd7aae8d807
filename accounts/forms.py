from django.contrib.auth import forms as auth_forms
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError

from core.forms import GovukFormMixin

from .services import sign_in_is_locked


class SignInForm(GovukFormMixin, auth_forms.AuthenticationForm):
    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "locked": "Too many failed attempts to sign in to this account. "
        "Wait 15 minutes and try again, or ask an administrator to reset your password.",
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and sign_in_is_locked(username=username):
            # Counted as a failure too, so that persisting keeps the account locked.
            user_login_failed.send(
                sender=__name__, credentials={"username": username}, request=self.request
            )
            raise ValidationError(self.error_messages["locked"], code="locked")
        return super().clean()


class PasswordChangeForm(GovukFormMixin, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(GovukFormMixin, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(GovukFormMixin, auth_forms.SetPasswordForm):
    pass
