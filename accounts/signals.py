import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import RENEWED_AT, SIGNED_IN_AT


@receiver(user_logged_in, dispatch_uid="accounts_session_start")
def start_session_clock(sender, request, user, **kwargs) -> None:
    request.session[SIGNED_IN_AT] = request.session[RENEWED_AT] = time.time()
