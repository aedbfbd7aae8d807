from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Exists, OuterRef
from django.utils import dateformat, timezone
from django_otp import device_classes
from django_otp.plugins.otp_totp.models import TOTPDevice

from .admin_forms import UserChangeForm, UserInviteForm
from .credentials import password_change_require, password_reset_send
from .email_changes import email_change_request
from .invitations import invitation_pending, user_invite
from .lockout import sign_in_unlock
from .models import Agency, User
from .services import user_sessions_end
from .two_factor import second_factor_reset

# django-otp registers admin pages of its own that show each authenticator's secret key
# and QR code, and every recovery code. Those are their user's alone: none of them is
# on the admin site (a test fails if one comes back).
for _device in device_classes():
    if admin.site.is_registered(_device):
        admin.site.unregister(_device)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]


def _users(count: int) -> str:
    return f"{count} user{'s' if count != 1 else ''}"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Staff accounts. An administrator never sees or sets anyone's password or second
    factor: new accounts are invited to choose their own, and the actions below send a
    reset link, require a new password, or reset the second factor."""

    list_display = [
        "username",
        "first_name",
        "last_name",
        "role",
        "agency",
        "is_active",
        "password_chosen",
        "has_authenticator",
    ]
    list_filter = ["role", "agency", "is_active"]
    form = UserChangeForm
    add_form = UserInviteForm
    add_form_template = "admin/accounts/user/add_form.html"
    fieldsets = (
        (None, {"fields": ("username",)}),
        ("Personal details", {"fields": ("first_name", "last_name", "email", "email_waiting")}),
        ("Role", {"fields": ("role", "agency", "is_active")}),
        ("Sign-in", {"fields": ("password_status", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "first_name", "last_name", "email", "role", "agency"),
            },
        ),
    )
    readonly_fields = ["email_waiting", "password_status", "last_login", "date_joined"]
    actions = [
        "send_password_reset",
        "require_new_password",
        "reset_second_factor",
        "send_invitation_again",
        "unlock_sign_in",
        "end_sessions",
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.pk == request.user.pk:
            # No administrator gives themselves another role (one that reads intelligence),
            # moves their own agency or reactivates themselves: another administrator does,
            # and the audit log says who.
            return [*fields, "role", "agency", "is_active"]
        return fields

    def get_urls(self):
        # Django's page for setting a user's password (<id>/password/) is left out.
        return [url for url in super().get_urls() if url.name != "auth_user_password_change"]

    def get_queryset(self, request):
        authenticator = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(authenticator_set_up=Exists(authenticator))

    @admin.display(boolean=True, description="Authenticator", ordering="authenticator_set_up")
    def has_authenticator(self, user) -> bool:
        return user.authenticator_set_up

    @admin.display(boolean=True, description="Password chosen")
    def password_chosen(self, user) -> bool:
        return not invitation_pending(user)

    @admin.display(description="New email address")
    def email_waiting(self, user) -> str:
        if not user.pending_email:
            return "None waiting"
        waiting = f"{user.pending_email}, waiting for its owner to confirm it"
        if user.pending_email_since is None:
            return waiting
        sent = timezone.localtime(user.pending_email_since)
        return f"{waiting} (link sent {dateformat.format(sent, 'j F Y, H:i')})"

    @admin.display(description="Password")
    def password_status(self, user) -> str:
        if invitation_pending(user):
            return "Not chosen yet: the user has been sent an invitation to choose one."
        if user.password_change_required:
            return "Chosen by the user, who must choose a new one at their next sign-in."
        return "Chosen by the user."

    def save_model(self, request, obj, form, change) -> None:
        new_email = obj.email
        email_changed = change and "email" in form.changed_data
        if email_changed:
            obj.email = form.initial.get("email") or ""  # kept until the owner confirms
        super().save_model(request, obj, form, change)
        if email_changed:
            held = email_change_request(obj, new_email=new_email, by=request.user, request=request)
            self.message_user(
                request,
                f"A link to confirm it has been sent to {new_email}: it is used once "
                f"{obj.username} confirms it."
                if held
                else f"The invitation has been sent again, to {new_email}.",
            )
        if not change:
            user_invite(obj, by=request.user, request=request)
            self.message_user(
                request,
                f"An invitation to choose a password has been sent to {obj.email}.",
            )

    def _skipped(self, request, users: list[User], why: str) -> None:
        if users:
            names = ", ".join(user.username for user in users)
            self.message_user(request, f"Not sent to {names}: {why}", messages.WARNING)

    @admin.action(description="Send a password-reset email (to their confirmed address)")
    def send_password_reset(self, request, queryset) -> None:
        sent, invited, unreachable = [], [], []
        for user in queryset:
            if invitation_pending(user):
                invited.append(user)
            elif not (user.email and user.is_active):
                unreachable.append(user)
            else:
                password_reset_send(user, by=request.user, request=request)
                sent.append(user)
        self.message_user(request, f"Password-reset email sent to {_users(len(sent))}.")
        self._skipped(request, invited, "no password chosen yet; send the invitation again.")
        self._skipped(request, unreachable, "no email address, or the account is inactive.")

    @admin.action(description="Require a new password at their next sign-in")
    def require_new_password(self, request, queryset) -> None:
        for user in queryset:
            password_change_require(user, by=request.user)
        self.message_user(
            request,
            f"{_users(len(queryset))} must choose a new password before anything else.",
        )

    @admin.action(description="Reset their second factor (they set up their app again)")
    def reset_second_factor(self, request, queryset) -> None:
        for user in queryset:
            second_factor_reset(user, by=request.user)
        self.message_user(
            request,
            f"Second factor reset for {_users(len(queryset))}: "
            "they set up an authenticator app at their next sign-in.",
        )

    @admin.action(description="Send the invitation again (to choose a password)")
    def send_invitation_again(self, request, queryset) -> None:
        sent, chosen, unreachable = [], [], []
        for user in queryset:
            if not invitation_pending(user):
                chosen.append(user)
            elif not user.email:
                unreachable.append(user)
            else:
                user_invite(user, by=request.user, request=request)
                sent.append(user)
        self.message_user(
            request,
            f"Invitation sent again to {_users(len(sent))}; earlier links no longer work.",
        )
        self._skipped(request, chosen, "they have chosen a password already.")
        self._skipped(request, unreachable, "no email address.")

    @admin.action(description="Unlock their sign-in (after too many failed attempts)")
    def unlock_sign_in(self, request, queryset) -> None:
        for user in queryset:
            sign_in_unlock(username=user.username, by=request.user)
        self.message_user(request, f"Sign-in unlocked for {_users(len(queryset))}.")

    @admin.action(description="End their sessions (they must sign in again)")
    def end_sessions(self, request, queryset) -> None:
        ended = sum(
            user_sessions_end(user=user, reason="ended by an administrator", by=request.user)
            for user in queryset
        )
        self.message_user(request, f"{ended} session{'s' if ended != 1 else ''} ended.")
