"""A line's timeline: what happened to it and every change, by whom."""

from django.utils import timezone

from records.timeline import TimelineEvent, changes_made, newest_first

from ..models import Line
from .records import line_attributions

# On the same day, events follow the life of a line.
_TIMELINE_ORDER = {
    "identified": 0,
    "number_attributed": 1,
    "intelligence_added": 2,
    "changed": 3,
    "number_ended": 4,
    "closed": 5,
}


def line_timeline(*, line: Line, attributions: list | None = None) -> list[TimelineEvent]:
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
    events.extend(changes_made(line))
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
    return newest_first(events, _TIMELINE_ORDER)
