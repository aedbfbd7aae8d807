"""Lines related to a line through the numbers they share."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from ..models import Line, LineNumber, PhoneNumber
from .records import Attribution, NumberShown


class Relation(StrEnum):
    """When another line used a shared number, compared with this line."""

    EARLIER = "earlier"
    LATER = "later"
    SAME_TIME = "same_time"


@dataclass(frozen=True)
class SharedNumber:
    """One number used by both lines: when each of them used it."""

    number: PhoneNumber | NumberShown  # or what a line's page shows of it
    this_use: LineNumber | Attribution
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


def _relation(this_use: LineNumber | Attribution, other_use: LineNumber) -> Relation:
    if other_use.overlaps(this_use.attributed_from, this_use.attributed_to):
        return Relation.SAME_TIME
    if other_use.attributed_from < this_use.attributed_from:
        return Relation.EARLIER
    return Relation.LATER


def related_lines(
    *, line: Line, attributions: Iterable[LineNumber | Attribution] | None = None
) -> list[RelatedLine]:
    """Lines that used any of `line`'s numbers, with the dates each of them used it
    (`attributions`: the line's own, as `line_attributions` gives them, if already read).

    A disrupted line is often replaced by a new one that takes over its number, so
    the shared numbers and their periods are what shows the succession. Oldest first.
    """
    this_uses: dict[int, list[LineNumber | Attribution]] = {}
    if attributions is None:
        attributions = line.attributions.select_related("number")
    for use in attributions:
        this_uses.setdefault(use.number_id, []).append(use)
    if not this_uses:
        return []
    # The numbers are this line's, already read: joined in, the planner reads every number
    # to find a few (10 ms for a line of 200 numbers).
    other_uses = list(
        LineNumber.objects.filter(number_id__any=list(this_uses))
        .exclude(line=line)
        .order_by("attributed_from", "pk")
    )
    # The lines apart: joined in, the planner reads every line to find a few.
    others = Line.objects.select_related("origin_force").in_bulk(
        {use.line_id for use in other_uses}
    )
    related: dict[int, RelatedLine] = {}
    for other_use in other_uses:
        other_use.line = others[other_use.line_id]
        number = this_uses[other_use.number_id][0].number
        entry = related.setdefault(other_use.line_id, RelatedLine(line=other_use.line))
        for this_use in this_uses[other_use.number_id]:
            entry.shared.append(
                SharedNumber(
                    number=number,
                    this_use=this_use,
                    other_use=other_use,
                    relation=_relation(this_use, other_use),
                )
            )
    return sorted(related.values(), key=lambda r: (r.first_shared_on, r.line.reference))
