"""The people and enforcement recorded on a line, through the relations the `persons` and
`operations` apps add to it (they depend on lines, never the other way round)."""

from dataclasses import dataclass

from ..models import Line


@dataclass(frozen=True)
class LineEnforcement:
    """The arrests, charges, sentences and seizures recorded on a line (by `operations`)."""

    arrests: list
    charges: list
    sentences: list
    seizures: list

    @property
    def count(self) -> int:
        return len(self.arrests) + len(self.charges) + len(self.sentences) + len(self.seizures)


def line_people(*, line: Line) -> list:
    """The people recorded on `line` and their roles, newest first (recorded by `persons`)."""
    return list(line.person_roles.select_related("person").order_by("-started_on", "pk"))


def line_enforcement(*, line: Line) -> LineEnforcement:
    return LineEnforcement(
        arrests=list(
            line.arrests.select_related("person", "command_area").order_by("-arrested_on", "pk")
        ),
        charges=list(line.charges.select_related("person").order_by("-charged_on", "pk")),
        sentences=list(line.sentences.select_related("person").order_by("-sentenced_on", "pk")),
        seizures=list(line.seizures.select_related("drug").order_by("-seized_on", "pk")),
    )
