"""Reads of lines, numbers and intelligence, scoped to what the user may see.

Only police roles with VIEW_LINES see lines; for anyone else every selector
answers as if there were none, so a view that forgets its capability check
still leaks nothing.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.utils import timezone

from accounts.access import get_object_in_scope
from accounts.permissions import Capability, user_can
from audit.changes import describe
from audit.models import AuditEvent
from core.references import reference_key

from .filters import LineFilter
from .models import IntelligenceEntry, Line, LineNumber, LineStatus, PhoneNumber
from .phone import national_format, normalise_number

Action = AuditEvent.Action


def visible_lines(*, user) -> QuerySet[Line]:
    """Every line `user` may see: all of them for police roles with VIEW_LINES, else none."""
    if user_can(user, Capability.VIEW_LINES):
        return Line.objects.all()
    return Line.objects.none()


def with_numbers_count(lines: QuerySet[Line]) -> QuerySet[Line]:
    """`numbers_count` for every line: for sorting by it. One join and GROUP BY over all
    the attributions (35 ms for 20,000 lines) rather than a subquery per line (300 ms);
    counting distinct numbers, it cannot be inflated by other joins."""
    return lines.annotate(numbers_count=Count("attributions__number", distinct=True))


def line_list(*, user, filters: dict[str, Any]) -> LineFilter:
    """The lines `user` may see, filtered and sorted by `filters` (the query string):
    the FilterSet, whose `qs` lists them.

    Each line comes with its origin force and command areas; `add_numbers_counts` counts
    the numbers of a page's lines, so listing a page costs the same few queries however
    many lines there are.
    """
    lines = (
        visible_lines(user=user).select_related("origin_force").prefetch_related("command_areas")
    )
    return LineFilter(filters, queryset=lines)


def add_numbers_counts(lines: list[Line]) -> None:
    """Sets `numbers_count` (distinct numbers used) on each of `lines`, in one query."""
    missing = [line for line in lines if not hasattr(line, "numbers_count")]
    if not missing:
        return
    counts = dict(
        LineNumber.objects.filter(line_id__any=[line.pk for line in missing])
        .order_by()
        .values("line_id")
        .annotate(count=Count("number", distinct=True))
        .values_list("line_id", "count")
    )
    for line in missing:
        line.numbers_count = counts.get(line.pk, 0)


EXPORT_CHUNK = 2000


def line_export_rows(*, lines: QuerySet[Line], day: datetime.date) -> Iterator[list]:
    """The CSV export's rows for `lines`, in their order: plain values, read a chunk of
    lines at a time with their areas and numbers (three queries a chunk, no model objects:
    building them was most of the time of an export)."""
    values = lines.values_list(
        "pk",
        "reference",
        "name",
        "first_identified",
        "closed_on",
        "closure_type",
        "risk_level",
        "origin_force__name",
    )
    chunk: list[tuple] = []
    for row in values.iterator(chunk_size=EXPORT_CHUNK):
        chunk.append(row)
        if len(chunk) == EXPORT_CHUNK:
            yield from _export_chunk(chunk, day)
            chunk = []
    yield from _export_chunk(chunk, day)


def _export_chunk(chunk: list[tuple], day: datetime.date) -> Iterator[list]:
    if not chunk:
        return
    ids = [row[0] for row in chunk]
    areas: dict[int, list[str]] = {}
    through = Line.command_areas.through.objects.filter(line_id__any=ids).order_by(
        "commandarea__name"
    )
    for line_id, name in through.values_list("line_id", "commandarea__name"):
        areas.setdefault(line_id, []).append(name)
    numbers: dict[int, list[str]] = {}
    uses = LineNumber.objects.filter(line_id__any=ids).order_by("attributed_from", "number__e164")
    distinct: dict[int, set[str]] = {}
    for line_id, national in uses.values_list("line_id", "number__national"):
        numbers.setdefault(line_id, []).append(national)
        distinct.setdefault(line_id, set()).add(national)
    for pk, reference, name, identified, closed, closure, risk, force in chunk:
        yield [
            reference,
            name,
            LineStatus.of(identified, closed, day).value,
            force,
            "; ".join(areas.get(pk, [])),
            identified.isoformat(),
            closed.isoformat() if closed else "",
            closure,
            risk,
            len(distinct.get(pk, ())),
            "; ".join(numbers.get(pk, [])),
        ]


def get_line_for_user(user, pk, *, to_change: bool = False) -> Line:
    """The line `pk` if `user` may see it, else 404; with `to_change`, 403 if they may see
    but not change it (both audited when it exists)."""
    lines = (
        visible_lines(user=user).select_related("origin_force").prefetch_related("command_areas")
    )
    changeable = lines if user_can(user, Capability.CHANGE_LINES) else lines.none()
    return get_object_in_scope(
        user=user, visible=lines, pk=pk, changeable=changeable if to_change else None
    )


def get_attribution_for_user(user, line: Line, pk, *, to_change: bool = False) -> LineNumber:
    """One of `line`'s attributions (the line already checked with get_line_for_user)."""
    attributions = line.attributions.select_related("number", "line")
    changeable = attributions if user_can(user, Capability.CHANGE_LINES) else attributions.none()
    return get_object_in_scope(
        user=user, visible=attributions, pk=pk, changeable=changeable if to_change else None
    )


def line_attributions(*, line: Line) -> list[LineNumber]:
    """The numbers `line` used, oldest first, each with its period."""
    return list(
        line.attributions.select_related("number").order_by("attributed_from", "number__e164", "pk")
    )


def numbers_in_use(*, line: Line) -> list[LineNumber]:
    """The line's attributions with no end yet."""
    return list(
        line.attributions.filter(attributed_to__isnull=True)
        .select_related("number", "line")
        .order_by("attributed_from", "pk")
    )


def line_intelligence(*, line: Line) -> list[IntelligenceEntry]:
    """The intelligence on `line`, newest first."""
    return list(line.intelligence.select_related("recorded_by").order_by("-recorded_at", "-pk"))


# --- Related lines ------------------------------------------------------------------------


class Relation(StrEnum):
    """When another line used a shared number, compared with this line."""

    EARLIER = "earlier"
    LATER = "later"
    SAME_TIME = "same_time"


@dataclass(frozen=True)
class SharedNumber:
    """One number used by both lines: when each of them used it."""

    number: PhoneNumber
    this_use: LineNumber
    other_use: LineNumber
    relation: Relation

    @property
    def description(self) -> str:
        """What the dates say, from this line's point of view."""
        other = self.other_use.line.reference
        if self.relation == Relation.EARLIER:
            return f"{other} had the number first; this line took it over"
        if self.relation == Relation.LATER:
            return f"{other} took the number over from this line"
        return f"{other} used the number at the same time"


@dataclass
class RelatedLine:
    """Another line that used one of this line's numbers."""

    line: Line
    shared: list[SharedNumber] = field(default_factory=list)

    @property
    def first_shared_on(self) -> datetime.date:
        return min(shared.other_use.attributed_from for shared in self.shared)


def _relation(this_use: LineNumber, other_use: LineNumber) -> Relation:
    if other_use.overlaps(this_use.attributed_from, this_use.attributed_to):
        return Relation.SAME_TIME
    if other_use.attributed_from < this_use.attributed_from:
        return Relation.EARLIER
    return Relation.LATER


def related_lines(*, line: Line, attributions: list[LineNumber] | None = None) -> list[RelatedLine]:
    """Lines that used any of `line`'s numbers, with the dates each of them used it.

    A disrupted line is often replaced by a new one that takes over its number, so
    the shared numbers and their periods are what shows the succession. Oldest first.
    """
    this_uses: dict[int, list[LineNumber]] = {}
    for use in attributions if attributions is not None else line.attributions.all():
        this_uses.setdefault(use.number_id, []).append(use)
    if not this_uses:
        return []
    other_uses = list(
        LineNumber.objects.filter(number_id__any=list(this_uses))
        .exclude(line=line)
        .select_related("number")
        .order_by("attributed_from", "pk")
    )
    # The lines apart: joined in, the planner reads every line to find a few.
    others = Line.objects.select_related("origin_force").in_bulk(
        {use.line_id for use in other_uses}
    )
    related: dict[int, RelatedLine] = {}
    for other_use in other_uses:
        other_use.line = others[other_use.line_id]
        entry = related.setdefault(other_use.line_id, RelatedLine(line=other_use.line))
        for this_use in this_uses[other_use.number_id]:
            entry.shared.append(
                SharedNumber(
                    number=other_use.number,
                    this_use=this_use,
                    other_use=other_use,
                    relation=_relation(this_use, other_use),
                )
            )
    return sorted(related.values(), key=lambda r: (r.first_shared_on, r.line.reference))


# --- Timeline ----------------------------------------------------------------------------------


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


# --- Number search -----------------------------------------------------------------------------


@dataclass
class NumberLookup:
    """What is known about a number typed in any spelling."""

    text: str
    e164: str = ""
    error: str = ""
    number: PhoneNumber | None = None
    uses: list[LineNumber] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return bool(self.e164)

    @property
    def is_known(self) -> bool:
        return bool(self.uses)

    @property
    def national(self) -> str:
        return national_format(self.e164) if self.e164 else ""


def number_lookup(*, user, text: str) -> NumberLookup:
    """Every line `user` may see that used the number `text` (any spelling), and when."""
    lookup = NumberLookup(text=(text or "").strip())
    try:
        lookup.e164 = normalise_number(lookup.text)
    except ValidationError as error:
        lookup.error = error.messages[0]
        return lookup
    lookup.number = PhoneNumber.objects.filter(e164=lookup.e164).first()
    if lookup.number is not None:
        lookup.uses = list(
            LineNumber.objects.filter(number=lookup.number, line__in=visible_lines(user=user))
            .select_related("line", "line__origin_force", "number")
            .order_by("-attributed_from", "line__reference")
        )
    return lookup


@dataclass
class NumberPart:
    """The numbers, used by lines `user` may see, whose digits contain `digits`."""

    digits: str
    numbers: list[tuple[PhoneNumber, list[LineNumber]]] = field(default_factory=list)
    more: bool = False  # more numbers than listed


PART_LIMIT = 50


def number_part_lookup(*, user, digits: str) -> NumberPart:
    uses = (
        LineNumber.objects.filter(number__e164__contains=digits, line__in=visible_lines(user=user))
        .select_related("number", "line", "line__origin_force")
        .order_by("number__e164", "-attributed_from")
    )
    found = NumberPart(digits=digits)
    by_number: dict[int, list[LineNumber]] = {}
    numbers: dict[int, PhoneNumber] = {}
    for use in uses[: PART_LIMIT * 10]:
        if use.number_id not in by_number and len(by_number) == PART_LIMIT:
            found.more = True
            break
        numbers[use.number_id] = use.number
        by_number.setdefault(use.number_id, []).append(use)
    found.numbers = [(numbers[pk], by_number[pk]) for pk in by_number]
    return found


def number_uses_elsewhere(*, user, line: Line, e164: str) -> list[LineNumber]:
    """The attributions of the number `e164` to lines other than `line`, newest first."""
    return list(
        LineNumber.objects.filter(number__e164=e164, line__in=visible_lines(user=user))
        .exclude(line=line)
        .select_related("line", "number")
        .order_by("-attributed_from", "line__reference")
    )


def overlapping_attribution(
    *,
    line: Line,
    number: PhoneNumber,
    attributed_from: datetime.date,
    attributed_to: datetime.date | None,
    exclude_pk: int | None = None,
) -> LineNumber | None:
    """An attribution of `number` to `line` whose period overlaps the one given, if any."""
    existing = (
        LineNumber.objects.filter(line=line, number=number)
        .exclude(pk=exclude_pk)
        .select_related("line", "number")
    )
    for attribution in existing:
        if attribution.overlaps(attributed_from, attributed_to):
            return attribution
    return None


def overlapping_use(
    *,
    line: Line,
    e164: str,
    attributed_from: datetime.date,
    attributed_to: datetime.date | None,
) -> LineNumber | None:
    """This line's own use of the number `e164` that overlaps the period given, if any."""
    number = PhoneNumber.objects.filter(e164=e164).first()
    if number is None:
        return None
    return overlapping_attribution(
        line=line, number=number, attributed_from=attributed_from, attributed_to=attributed_to
    )


def line_choice_for_reference(*, user, reference: str) -> Line | None:
    """The visible line with this reference (in any case), if any."""
    return visible_lines(user=user).filter(reference_key=reference_key(reference)).first()


def line_reference_exists(*, reference: str) -> bool:
    """Whether any line has this reference, in any case (whoever may see it: a reference
    is taken even by a line the user may not see)."""
    return Line.objects.filter(reference_key=reference_key(reference)).exists()
