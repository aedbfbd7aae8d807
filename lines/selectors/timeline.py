"""A line's timeline: what happened to it and every change, by whom."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from audit.changes import describe
from audit.models import AuditEvent

from ..models import Line, LineNumber
from .records import line_attributions

Action = AuditEvent.Action


@dataclass(frozen=True)
class TimelineEvent:
    """One dated event in a line's history, derived from its records."""

    kind: str
    on: datetime.date
    title: str
    description: str = ""
    at: datetime.datetime | None = None
    byline: str = ""

    @property
    def sort_key(self) -> tuple:
        # Most events carry a date only; on the same day they follow the life of a line.
        moment = self.at.replace(tzinfo=None) if self.at else datetime.datetime.min
        return (self.on, _TIMELINE_ORDER.get(self.kind, 0), moment)


_TIMELINE_ORDER = {
    "identified": 0,
    "number_attributed": 1,
    "intelligence_added": 2,
    "changed": 3,
    "number_ended": 4,
    "closed": 5,
}


def _changes_made(line: Line) -> list[TimelineEvent]:
    """Each update of the line, from the audit log (audit.changes): what changed, from what
    to what, who changed it and when."""
    updates = (
        AuditEvent.objects.filter(
            object_type=Line._meta.label_lower, object_id=str(line.pk), action=Action.UPDATE
        )
        .select_related("user")
        .order_by("occurred_at", "id")
    )
    events = []
    for update in updates:
        sentences = describe(Line, update.detail.get("changes", {}))
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


def line_timeline(
    *, line: Line, attributions: list[LineNumber] | None = None
) -> list[TimelineEvent]:
    """The line's history, newest first: identified, numbers attributed and ended,
    intelligence added, closed. Built from the records each time, never stored."""
    areas = ", ".join(area.name for area in line.command_areas.all())
    events = [
        TimelineEvent(
            kind="identified",
            on=line.first_identified,
            title="Line identified",
            description=f"{line.name}, from {line.origin_force} into {areas}.",
        )
    ]
    uses = attributions if attributions is not None else line_attributions(line=line)
    for use in uses:
        events.append(
            TimelineEvent(
                kind="number_attributed",
                on=use.attributed_from,
                title="Number attributed",
                description=f"{use.number.national} in use from this date.",
            )
        )
        if use.attributed_to is not None:
            events.append(
                TimelineEvent(
                    kind="number_ended",
                    on=use.attributed_to,
                    title="Number ended",
                    description=f"{use.number.national} last used on this date.",
                )
            )
    for entry in line.intelligence.select_related("recorded_by"):
        recorded_at = timezone.localtime(entry.recorded_at)
        events.append(
            TimelineEvent(
                kind="intelligence_added",
                on=recorded_at.date(),
                at=recorded_at,
                title=f"Intelligence added, graded {entry.grading}",
                description=entry.text if len(entry.text) <= 140 else entry.text[:139] + "…",
                byline=str(entry.recorded_by),
            )
        )
    events.extend(_changes_made(line))
    if line.closed_on is not None:
        closure = line.get_closure_type_display() or "closure type not recorded"
        events.append(
            TimelineEvent(
                kind="closed",
                on=line.closed_on,
                title="Line closed",
                description=f"{closure}.",
            )
        )
    return sorted(events, key=lambda event: event.sort_key, reverse=True)
