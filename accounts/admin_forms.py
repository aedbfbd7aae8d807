"""The admin site's forms for staff accounts. Neither has a password field: a new account
chooses its own password through an invitation (accounts.invitations), and an existing
one's password is theirs alone (accounts.credentials says what an administrator may do)."""

from django import forms
from django.contrib.auth.forms import UsernameField

from .models import User


class UserInviteForm(forms.ModelForm):
    """A new account: who it is for, and the address its invitation goes to."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role", "agency"]
        field_classes = {"username": UsernameField}
        help_texts = {
            "email": "The invitation to choose a password is sent here.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].error_messages["required"] = (
            "Enter the email address the invitation is to be sent to"
        )

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("An account with this username already exists.")
        return username

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.set_unusable_password()  # until the invitation is accepted
        if commit:
            user.save()
        return user


class UserChangeForm(forms.ModelForm):
    """An existing account. A new email address is held until its owner confirms it
    (accounts.email_changes), so it can be changed but not removed."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role", "agency", "is_active"]
        field_classes = {"username": UsernameField}
        help_texts = {
            "email": (
                "Where password-reset links go. A new address is used once its owner "
                "confirms it, through a link sent to it; the old address is told."
            ),
        }

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if self.instance.email and not email:
            raise forms.ValidationError(
                "Enter the new email address: an account's address can be changed, not removed."
            )
        return email
