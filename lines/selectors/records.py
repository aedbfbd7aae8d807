"""A user's lines: the list, the export, one line and its numbers and intelligence."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.access import get_record_for_user
from accounts.models import User
from accounts.permissions import visible_to
from core.references import reference_key

from ..filters import LineFilter
from ..models import IntelligenceEntry, Line, LineNumber, LineStatus


def visible_lines(*, user: User) -> QuerySet[Line]:
    """Every line `user` may see (RECORD_RULES): all of them for police roles, else none."""
    return visible_to(user, Line.objects.all())


def line_list(*, user: User, filters: dict[str, Any]) -> LineFilter:
    """The lines `user` may see, filtered and sorted by `filters` (the query string):
    the FilterSet, whose `qs` lists them.

    Each line comes with its origin force and its command areas, as the list
    `destination_areas` (and its stored `numbers_count`), so listing a page costs the
    same few queries however many lines there are.
    """
    # A list per line rather than a related manager and queryset per line: half the time
    # of reading a page's areas (5 ms against 9.5 for 50 lines).
    areas = Prefetch("command_areas", to_attr="destination_areas")
    lines = visible_lines(user=user).select_related("origin_force").prefetch_related(areas)
    return LineFilter(filters, queryset=lines)


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
            LineStatus.of(identified, closed, day).label,
            force,
            "; ".join(areas.get(pk, [])),
            identified.isoformat(),
            closed.isoformat() if closed else "",
            closure,
            risk,
            len(distinct.get(pk, ())),
            "; ".join(numbers.get(pk, [])),
        ]


def get_line_for_user(user: User, pk: int | str, *, to_change: bool = False) -> Line:
    """The line `pk` if `user` may see it, else 404; with `to_change`, 403 if they may see
    but not change it (both audited when it exists)."""
    lines = Line.objects.select_related("origin_force").prefetch_related("command_areas")
    return get_record_for_user(user, lines, pk, to_change=to_change)


def get_attribution_for_user(
    user: User, line: Line, pk: int | str, *, to_change: bool = False
) -> LineNumber:
    """One of `line`'s attributions (the line already checked with get_line_for_user)."""
    attributions = line.attributions.select_related("number", "line")
    return get_record_for_user(user, attributions, pk, to_change=to_change)


@dataclass(frozen=True, slots=True)
class NumberShown:
    """A number as a line's page shows it."""

    e164: str
    national: str


@dataclass(frozen=True, slots=True)
class Attribution:
    """One of a line's attributions as its page shows it: plain values rather than two
    model objects (a busy line has hundreds, and building them was a sixth of its page)."""

    pk: int
    number_id: int
    number: NumberShown
    attributed_from: datetime.date
    attributed_to: datetime.date | None


def line_attributions(*, line: Line) -> list[Attribution]:
    """The numbers `line` used, oldest first, each with its period."""
    uses = line.attributions.order_by("attributed_from", "number__e164", "pk").values_list(
        "pk", "number_id", "number__e164", "number__national", "attributed_from", "attributed_to"
    )
    return [
        Attribution(pk, number_id, NumberShown(e164, national), start, end)
        for pk, number_id, e164, national, start, end in uses
    ]


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


def line_choice_for_reference(*, user: User, reference: str) -> Line | None:
    """The visible line with this reference (in any case), if any."""
    return visible_lines(user=user).filter(reference_key=reference_key(reference)).first()


@dataclass(frozen=True)
class AreaCount:
    """A command area and how many lines deal into it."""

    area_id: int
    area: str
    lines: int


def active_lines_by_command_area(*, user: User, day: datetime.date) -> list[AreaCount]:
    """The lines `user` may see active on `day`, counted per destination command area
    (a line into two areas counts in each), busiest first: one query, whatever the
    number of lines."""
    through = Line.command_areas.through
    rows = (
        through.objects.filter(line__in=visible_lines(user=user).filter(_active(day)))
        .values("commandarea_id", "commandarea__name")
        .annotate(lines=Count("line_id"))
        .order_by("-lines", "commandarea__name")
    )
    return [
        AreaCount(row["commandarea_id"], row["commandarea__name"], row["lines"]) for row in rows
    ]


def active_lines_count(*, user: User, day: datetime.date) -> int:
    return visible_lines(user=user).filter(_active(day)).count()


def _active(day: datetime.date) -> Q:
    return LineStatus.condition(LineStatus.ACTIVE, day)
