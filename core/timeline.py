"""A record's timeline: dated events derived from its records and its changes, newest first.

Each app builds its records' events (a line identified, a person arrested) as
`TimelineEvent`s, adds `changes_made(obj)` (every update from the audit log, in words)
and sorts them with `newest_first`; templates show them with `{% timeline_items %}`.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from audit.changes import describe
from audit.models import AuditEvent


@dataclass(frozen=True)
class TimelineEvent:
    """One dated event in a record's history."""

    kind: str
    on: datetime.date
    title: str
    description: str = ""
    at: datetime.datetime | None = None
    byline: str = ""


def changes_made(obj: models.Model, *, hidden: Iterable[str] = ()) -> list[TimelineEvent]:
    """Each update of `obj`, from the audit log (audit.changes): what changed, from what to
    what, who changed it and when. Changes of the `hidden` fields are left out (what
    the reader may not see: a referral's suspected lines, for a partner)."""
    hidden = set(hidden)
    model = type(obj)
    updates = (
        AuditEvent.objects.filter(
            object_type=model._meta.label_lower,
            object_id=str(obj.pk),
            action=AuditEvent.Action.UPDATE,
        )
        .select_related("user")
        .order_by("occurred_at", "id")
    )
    events = []
    for update in updates:
        changed = update.detail.get("changes", {})
        sentences = describe(model, {k: v for k, v in changed.items() if k not in hidden})
        if not sentences:
            continue
        at = timezone.localtime(update.occurred_at)
        who = update.user.get_full_name() if update.user else update.username
        events.append(
            TimelineEvent(
                kind="changed",
                on=at.date(),
                at=at,
                title=sentences[0] if len(sentences) == 1 else "Details changed",
                description="" if len(sentences) == 1 else "; ".join(sentences) + ".",
                byline=who or "an import run on the server",
            )
        )
    return events


def newest_first(
    events: Iterable[TimelineEvent], order: Mapping[str, int] | None = None
) -> list[TimelineEvent]:
    """Newest first. Most events carry a date only: on the same day they follow `order`
    (a rank by kind: the life of the record), then their time."""
    order = order or {}

    def key(event: TimelineEvent) -> tuple:
        moment = event.at.replace(tzinfo=None) if event.at else datetime.datetime.min
        return (event.on, order.get(event.kind, 0), moment)

    return sorted(events, key=key, reverse=True)
