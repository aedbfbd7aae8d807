"""Printing a record is audited (DPA 2018 s.62: a printout is a disclosure of it).

A record page's Print button carries a token, signed by the server when it showed the
page to this user, naming the record (`print_token`). When the browser is about to
print, by the button or by the browser's own Print command, static/js/print.js sends it
back; `print_record` checks the signature and the user, and writes the `print` event.
The token is the proof that the user was shown the record: no other permission check
is needed, and nothing the browser sends can name a record it was not shown.
"""

from django.core import signing
from django.db import models

from .services import Action, audit_event_record

_SALT = "audit.print"
# A page left open longer than this must be opened again before printing is recorded.
TOKEN_MAX_AGE = 12 * 60 * 60


def print_token(*, user, obj: models.Model) -> str:
    return signing.dumps(
        {"user": user.pk, "type": obj._meta.label_lower, "id": str(obj.pk), "label": str(obj)},
        salt=_SALT,
    )


class PrintRefused(Exception):
    pass


def print_record(*, request, token: str) -> None:
    try:
        record = signing.loads(token, salt=_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature as error:
        raise PrintRefused("The print token is not valid.") from error
    if record.get("user") != request.user.pk:
        raise PrintRefused("The print token is another user's.")
    audit_event_record(
        action=Action.PRINT,
        request=request,
        object_type=record["type"],
        object_id=record["id"],
        object_label=record["label"],
    )
