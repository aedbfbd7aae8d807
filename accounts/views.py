import math
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from audit.services import Action, audit_event_record

from . import two_factor
from .access import deny
from .forms import (
    PasswordChangeForm,
    PasswordResetForm,
    SecondFactorCodeForm,
    SetPasswordForm,
    SignInForm,
)
from .lockout import refusal
from .password_resets import password_reset_accounts_to_email, password_reset_refused_for_address
from .permissions import Capability, user_can


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True


def sign_in_locked(request, original_response, credentials):
    """django-axes' answer to a sign-in refused for too many failures, at once: the sign-in
    page again, saying which lock and for how long (429, with Retry-After)."""
    message, retry_after = refusal(request, credentials)
    # Unbound: validating would ask the authentication backends again (another failure).
    form = SignInForm(request, initial={"username": request.POST.get("username", "")})
    form.cleaned_data = {}
    form.add_error(None, message)
    context = {"form": form, "next": request.POST.get("next", "")}
    response = render(request, "accounts/sign_in.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


class SignOutView(auth_views.LogoutView):
    pass


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """The second step of signing in: a code from the authenticator app or a recovery code."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    form = SecondFactorCodeForm(request.POST or None)
    if form.is_valid():
        if two_factor.second_factor_verify(request, form.cleaned_data["code"]):
            return redirect(_next_url(request))
        form.add_error("code", "The code is not right, or has been used. Try the newest code.")
    context = {"form": form, "next": _next_url(request)}
    return render(request, "accounts/two_factor_verify.html", context)


@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Setting up an authenticator app: scan the QR code, enter a code it shows. Open to a
    user without one (first sign-in), and to a verified user replacing theirs."""
    if request.user.is_verified() is False and two_factor.second_factor_set_up(request.user):
        # Someone holding only the password must not swap the second factor for their own.
        return redirect(f"{reverse('accounts:two_factor_verify')}?next={request.path}")
    device = two_factor.authenticator_pending(request.user)
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and device is not None and form.is_valid():
        codes = two_factor.authenticator_confirm(request, device, form.cleaned_data["code"])
        if codes is not None:
            context = {"codes": codes, "next": _next_url(request), "first_time": True}
            return render(request, "accounts/recovery_codes.html", context)
        form.add_error("code", "The code is not right. Enter the code your app shows now.")
    if device is None or request.method == "GET":
        device = two_factor.authenticator_start(request.user)
    context = {
        "form": form,
        "next": _next_url(request),
        "qr_svg": two_factor.authenticator_qr_svg(device),
        "key_text": two_factor.authenticator_key_text(device),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """How many recovery codes are left, and a button for a new set (shown once)."""
    if not two_factor.second_factor_set_up(request.user):
        return redirect("accounts:two_factor_setup")
    if request.method == "POST":
        codes = two_factor.recovery_codes_renew(request.user, request=request)
        return render(request, "accounts/recovery_codes.html", {"codes": codes})
    context = {"left": two_factor.recovery_codes_left(request.user)}
    return render(request, "accounts/recovery_codes_status.html", context)


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
        wait = password_reset_refused_for_address(self.request)
        if wait is not None:
            return self.too_many_requests(form, seconds=wait)
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
        # Past an account's limit nothing is sent, and the answer is the same.
        form.accounts_to_email = password_reset_accounts_to_email(self.request, users)
        return super().form_valid(form)

    def too_many_requests(self, form, *, seconds: int):
        minutes = math.ceil(seconds / 60)
        form.add_error(
            None,
            "You have asked to reset a password too many times from your network. Wait "
            f"{minutes} minute{'s' if minutes != 1 else ''} and try again.",
        )
        response = self.render_to_response(self.get_context_data(form=form), status=429)
        response["Retry-After"] = str(seconds)
        return response


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
