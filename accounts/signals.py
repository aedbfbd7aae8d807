import time

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from .middleware import RENEWED_AT, SIGNED_IN_AT
from .models import User, UserSession
from .reauthentication import PASSWORD_PROVED_AT
from .two_factor import SECOND_FACTOR_REQUIRED, second_factor_required


@receiver(user_logged_in, dispatch_uid="accounts_session_start")
def start_session_clock(sender, request, user, **kwargs) -> None:
    now = time.time()
    # Signing in proves the password: the second factor can change for a few minutes
    # without asking for it again (accounts.reauthentication).
    request.session[SIGNED_IN_AT] = request.session[RENEWED_AT] = now
    request.session[PASSWORD_PROVED_AT] = now
    request.session[SECOND_FACTOR_REQUIRED] = second_factor_required(user)
    if request.session.session_key is None:
        request.session.save()
    UserSession.objects.get_or_create(session_key=request.session.session_key, user=user)


@receiver(user_logged_out, dispatch_uid="accounts_session_end")
def forget_session(sender, request, user, **kwargs) -> None:
    if request is not None and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()


# What a user may do changes with their role and whether the account is active: sessions
# opened under the old ones end, rather than carrying on with rights no longer theirs.
_WATCHED = ("role", "is_active", "agency_id")


@receiver(pre_save, sender=User, dispatch_uid="accounts_user_before")
def remember_rights(sender, instance: User, **kwargs) -> None:
    if instance.pk is None:
        instance._rights_before = None
        return
    instance._rights_before = User.objects.filter(pk=instance.pk).values_list(*_WATCHED).first()


@receiver(post_save, sender=User, dispatch_uid="accounts_user_after")
def end_sessions_when_rights_change(sender, instance: User, created: bool, **kwargs) -> None:
    before = getattr(instance, "_rights_before", None)
    if created or before is None:
        return
    after = tuple(getattr(instance, name) for name in _WATCHED)
    if after != before:
        from .services import user_sessions_end

        changed = [
            name for name, old, new in zip(_WATCHED, before, after, strict=True) if old != new
        ]
        user_sessions_end(user=instance, reason=f"{', '.join(changed)} changed")
