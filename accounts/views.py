from urllib.parse import urlencode

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy

from audit.services import Action, audit_event_record

from .access import deny
from .forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm, SignInForm
from .permissions import Capability, user_can


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        # Whether the address is anyone's is not said, here or in the log's label.
        users = list(form.get_users(form.cleaned_data["email"]))
        audit_event_record(
            action=Action.PASSWORD_RESET_REQUESTED,
            request=self.request,
            object_type="accounts.user",
            object_id=users[0].pk if len(users) == 1 else "",
            username=users[0].get_username() if len(users) == 1 else "",
            detail={"accounts": len(users)},
        )
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_event_record(action=Action.PASSWORD_RESET, user=form.user, obj=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_not_required
def admin_sign_in(request):
    """The admin site signs in through the service's own page (audited, one place)."""
    if request.user.is_authenticated and not user_can(request.user, Capability.ADMINISTER):
        # Signed in but not an administrator: the sign-in page would send them straight
        # back to the admin site, and round again. Refuse instead (audited 403).
        raise deny(request, reason="not an administrator")
    target = reverse("accounts:login")
    next_url = request.GET.get("next", reverse("admin:index"))
    return redirect(f"{target}?{urlencode({'next': next_url})}")
