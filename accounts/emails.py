"""The e-mails the service sends about staff accounts: plain text, from the templates
templates/accounts/email/<name>.txt (the body) and <name>_subject.txt (one line).

Each is sent once the transaction that asked for it commits, so that no invitation or
confirmation goes out for a change that was then rolled back.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def email_send(*, to: str, template: str, context: dict) -> None:
    """Sends `template` to the address `to` after the current transaction commits (at
    once outside one). `context` is rendered now, with the service's name."""
    context = {"service_name": settings.SERVICE_NAME, **context}
    subject = render_to_string(f"accounts/email/{template}_subject.txt", context)
    subject = " ".join(subject.split())  # a header holds one line
    body = render_to_string(f"accounts/email/{template}.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [to]))


def link(request, path: str) -> str:
    """`path` as an address to open from an e-mail: on the host and scheme the request
    came by (one of ALLOWED_HOSTS, as the password-reset e-mail does)."""
    return request.build_absolute_uri(path)


def token_link(request, url_name: str, user, token_generator) -> str:
    """The address of `url_name` for `user` with a token of `token_generator` (good once,
    as Django's password-reset links are): `<uidb64>/<token>/`."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = token_generator.make_token(user)
    return link(request, reverse(url_name, args=[uid, token]))
