"""The people and enforcement recorded on a line, through the relations the `persons` and
`operations` apps add to it (they depend on lines, never the other way round)."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, ForeignObjectRel, Model, OuterRef, Subquery

from ..models import Line

# The relations to a line, and how each is read for its page.
_RELATED = {
    "person_roles": lambda line: line.person_roles.select_related("person").order_by(
        "-started_on", "pk"
    ),
    "arrests": lambda line: line.arrests.select_related("person", "command_area").order_by(
        "-arrested_on", "pk"
    ),
    "charges": lambda line: line.charges.select_related("person").order_by("-charged_on", "pk"),
    "sentences": lambda line: line.sentences.select_related("person").order_by(
        "-sentenced_on", "pk"
    ),
    "seizures": lambda line: line.seizures.select_related("drug").order_by("-seized_on", "pk"),
}


@dataclass(frozen=True)
class LinePeopleAndEnforcement:
    """Who is recorded on a line (`people`: their roles, newest first) and the arrests,
    charges, sentences and seizures recorded on it (`enforcement`)."""

    people: list
    enforcement: "LineEnforcement"


@dataclass(frozen=True)
class Enforced:
    """One arrest, charge, sentence or seizure in a line's enforcement, as its table
    shows it: when, what kind, and the record (its person, if any, to be named)."""

    on: datetime.date
    kind: str  # "arrest", "charge", "sentence" or "seizure"
    record: Any


@dataclass(frozen=True)
class LineEnforcement:
    arrests: list
    charges: list
    sentences: list
    seizures: list

    @property
    def count(self) -> int:
        return len(self.arrests) + len(self.charges) + len(self.sentences) + len(self.seizures)

    def in_date_order(self) -> list[Enforced]:
        """Every record, newest first, as the timeline: on one day a charge above the
        arrest it followed."""
        kinds = (
            ("arrest", self.arrests, "arrested_on"),
            ("charge", self.charges, "charged_on"),
            ("sentence", self.sentences, "sentenced_on"),
            ("seizure", self.seizures, "seized_on"),
        )
        rank = {kind: n for n, (kind, _, _) in enumerate(kinds)}
        rows = [
            Enforced(getattr(record, day), kind, record)
            for kind, records, day in kinds
            for record in records
        ]
        return sorted(rows, key=lambda row: (row.on, rank[row.kind]), reverse=True)


def line_people_and_enforcement(*, line: Line) -> LinePeopleAndEnforcement:
    """One query counts each kind of record on the line; only those it has are read (most
    lines have few or none, and five empty queries were a tenth of a line's page)."""
    counts = _counts(line)
    read = {name: list(rows(line)) if counts[name] else [] for name, rows in _RELATED.items()}
    return LinePeopleAndEnforcement(
        people=read["person_roles"],
        enforcement=LineEnforcement(
            arrests=read["arrests"],
            charges=read["charges"],
            sentences=read["sentences"],
            seizures=read["seizures"],
        ),
    )


def _counts(line: Line) -> dict[str, int]:
    counted: dict[str, Subquery] = {}
    for name in _RELATED:
        counted[f"{name}_count"] = Subquery(
            _pointing_at_lines(name)
            ._default_manager.filter(line=OuterRef("pk"))
            .order_by()
            .values("line")
            .annotate(count=Count("pk"))
            .values("count")
        )
    counts = Line.objects.filter(pk=line.pk).annotate(**counted).values_list(*counted).get()
    return {name: count or 0 for name, count in zip(_RELATED, counts, strict=True)}


def _pointing_at_lines(relation: str) -> type[Model]:
    """The model whose key to a line `relation` is the far end of (`arrests`: Arrest)."""
    far_end = Line._meta.get_field(relation)
    if not isinstance(far_end, ForeignObjectRel):
        raise TypeError(f"Line.{relation} is not another model's key to a line")
    return far_end.related_model
