from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_totp.models import TOTPDevice

from .lockout import sign_in_unlock
from .models import Agency, User
from .services import user_sessions_end
from .two_factor import second_factor_reset


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "role",
        "agency",
        "is_active",
        "has_authenticator",
    ]
    list_filter = ["role", "agency", "is_active"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal details", {"fields": ("first_name", "last_name", "email")}),
        ("Role", {"fields": ("role", "agency", "is_active")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "role", "agency", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined"]
    actions = ["end_sessions", "reset_second_factor", "unlock_sign_in"]

    def get_queryset(self, request):
        authenticator = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(authenticator_set_up=Exists(authenticator))

    @admin.display(boolean=True, description="Authenticator", ordering="authenticator_set_up")
    def has_authenticator(self, user) -> bool:
        return user.authenticator_set_up

    @admin.action(description="Reset their second factor (they set up their app again)")
    def reset_second_factor(self, request, queryset) -> None:
        for user in queryset:
            second_factor_reset(user, by=request.user)
        count = len(queryset)
        self.message_user(
            request,
            f"Second factor reset for {count} user{'s' if count != 1 else ''}: "
            "they set up an authenticator app at their next sign-in.",
        )

    @admin.action(description="Unlock their sign-in (after too many failed attempts)")
    def unlock_sign_in(self, request, queryset) -> None:
        for user in queryset:
            sign_in_unlock(username=user.username, by=request.user)
        count = len(queryset)
        self.message_user(request, f"Sign-in unlocked for {count} user{'s' if count != 1 else ''}.")

    @admin.action(description="End their sessions (they must sign in again)")
    def end_sessions(self, request, queryset) -> None:
        ended = sum(
            user_sessions_end(user, reason="ended by an administrator", by=request.user)
            for user in queryset
        )
        self.message_user(request, f"{ended} session{'s' if ended != 1 else ''} ended.")
