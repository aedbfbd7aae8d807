"""A record's timeline: dated events derived from its records and its changes, newest first.

Each app builds its records' events (a line identified, a person arrested) as
`TimelineEvent`s, adds `changes_made(obj)` (every update from the audit log, in words)
and merges them into one chronology with `newest_first`, events of every kind of record
together (a line's numbers, people, arrests and referrals); templates show them with
`{% timeline_items %}`, an event about another record linked to it (`url`).
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from audit.changes import describe
from audit.models import AuditEvent
from core.dates import format_date


@dataclass(frozen=True)
class TimelineEvent:
    """One dated event in a record's history."""

    kind: str
    on: datetime.date
    title: str
    description: str = ""
    at: datetime.datetime | None = None
    byline: str = ""
    url: str = ""  # the page of the record the event is about, when not the record's own


@dataclass(frozen=True)
class Update:
    """One update of a record, from the audit log: who made it, when, and what it changed
    in words."""

    who: str  # their full name, else the username the log recorded ("" for an import)
    at: datetime.datetime
    sentences: list[str]
    # A retention review's outcome (records.reviews), when the update was one.
    review: dict | None = None


def updates_of(
    obj: models.Model, *, hidden: Iterable[str] = (), after_version: int | None = None
) -> list[Update]:
    """Each update of `obj` (after `after_version`, when given), oldest first, less the
    changes of the `hidden` fields: what the reader may not see (a referral's MoPI review,
    for a partner). An update that changed nothing else is left out. The timeline and the
    edit conflict's list of others' changes both read it, so both hide alike."""
    hidden = set(hidden)
    model = type(obj)
    updates = AuditEvent.objects.filter(
        object_type=model._meta.label_lower,
        object_id=str(obj.pk),
        action=AuditEvent.Action.UPDATE,
    )
    if after_version is not None:
        updates = updates.filter(detail__version__gt=after_version)
    found = []
    for update in updates.select_related("user").order_by("occurred_at", "id"):
        changed = update.detail.get("changes", {})
        sentences = describe(model, {k: v for k, v in changed.items() if k not in hidden})
        # A review is of the MoPI fields: hidden with them.
        review = update.detail.get("review") if "next_review_on" not in hidden else None
        if sentences or review:
            who = (update.user.get_full_name() if update.user else "") or update.username
            found.append(Update(who, timezone.localtime(update.occurred_at), sentences, review))
    return found


def changes_made(obj: models.Model, *, hidden: Iterable[str] = ()) -> list[TimelineEvent]:
    """Each update of `obj`, from the audit log (audit.changes): what changed, from what to
    what, who changed it and when; changes of the `hidden` fields left out. A retention
    review says its outcome and reason (records.reviews)."""
    return [
        _reviewed(update)
        if update.review
        else TimelineEvent(
            kind="changed",
            on=update.at.date(),
            at=update.at,
            title=update.sentences[0] if len(update.sentences) == 1 else "Details changed",
            description="" if len(update.sentences) == 1 else "; ".join(update.sentences) + ".",
            byline=update.who or "an import run on the server",
        )
        for update in updates_of(obj, hidden=hidden)
    ]


def _reviewed(update: Update) -> TimelineEvent:
    review = update.review or {}
    until = datetime.date.fromisoformat(review["retain_until"])
    return TimelineEvent(
        kind="reviewed",
        on=update.at.date(),
        at=update.at,
        title=f"Retention reviewed: kept until {format_date(until)}",
        description=review.get("reason", ""),
        byline=update.who,
    )


def newest_first(
    events: Iterable[TimelineEvent], order: Mapping[str, int] | None = None
) -> list[TimelineEvent]:
    """`events` of any kinds merged into one chronology, newest first. Most events carry
    a date only: on the same day they follow `order` (a rank by kind: the life of the
    record; a kind it does not rank comes first), then their time."""
    order = order or {}

    def key(event: TimelineEvent) -> tuple:
        moment = event.at.replace(tzinfo=None) if event.at else datetime.datetime.min
        return (event.on, order.get(event.kind, 0), moment)

    return sorted(events, key=key, reverse=True)
