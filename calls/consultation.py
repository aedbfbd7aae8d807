"""Consulting call data is on the audit log with the numbers looked at (DPA 2018 s.62):
every profile, comparison and list of the analyses, from a page or a command.

The numbers go in the event's detail only, never in its label (a label is shown in lists
of events and the numbers are personal data typed by the officer)."""

import getpass
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from audit.models import AuditEvent
from audit.services import audit_event_record

from .models import CallEvent

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, _User

# What the events are about: the call data (its rows), whatever analysis showed them.
CALL_DATA_OBJECT_TYPE = CallEvent._meta.label_lower


def call_data_consulted(
    *,
    user: "_User | AnonymousUser | None",
    analysis: str,
    numbers: Sequence[str],
    detail: Mapping[str, Any] | None = None,
    via: str | None = None,
) -> AuditEvent:
    """Record that `user` (None for a command run on the server) was shown the call data
    analysis `analysis` (e.g. "number profile", "common contacts") about `numbers`.

    `detail` adds what was asked and shown (the period, a line's reference, how many
    results). `via` names the command (e.g. "manage.py number_profile"): the operating-
    system user who ran it is recorded beside it, since only the server knows who that was.
    """
    recorded: dict[str, Any] = {"analysis": analysis, "numbers": list(numbers)}
    recorded.update(detail or {})
    if via is not None:
        recorded["via"] = via
        recorded["system_user"] = getpass.getuser()
    return audit_event_record(
        action=AuditEvent.Action.VIEW,
        user=user,
        object_type=CALL_DATA_OBJECT_TYPE,
        object_label=f"Call data: {analysis}",
        detail=recorded,
    )
