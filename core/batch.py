"""What a batch write service returns: the outcome of each record it was given.

Services that write many records at once (`line_upsert_many`, …) take a block of
rows, validate them in memory with the same rule functions as the forms, write the
valid ones in a few statements and say, for each row, what happened to it or what
is wrong with it. They never raise for an invalid row, so that one block reports
every problem it holds; the caller (the CSV import runner) decides whether anything
is kept.
"""

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any


class Outcome(enum.Enum):
    """What writing one row did."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class RowProblem:
    index: int  # the row's position in the block
    field: str  # a model field or column name; "" for the row as a whole
    message: str


@dataclass
class BatchResult:
    """Per row of a block: its outcome, or the problems that kept it from being written."""

    size: int
    outcomes: dict[int, Outcome] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)
    _invalid: set[int] = field(default_factory=set)
    # Rows counted by outcome in bulk (a kind that writes rows by the thousand in SQL and
    # counts them there), besides those recorded one by one.
    counted: dict[Outcome, int] = field(default_factory=dict)

    def refuse(self, index: int, field: str, message: str) -> None:
        """Row `index` is not written: `message` says what is wrong with `field`."""
        self.problems.append(RowProblem(index, field, message))
        self._invalid.add(index)
        self.outcomes.pop(index, None)

    def refuse_all(self, index: int, problems: dict[str, str]) -> None:
        for name, message in problems.items():
            self.refuse(index, name, message)

    def set_aside(self, index: int) -> None:
        """Row `index` is not written, for problems found before (`RowInError`)."""
        self._invalid.add(index)
        self.outcomes.pop(index, None)

    def is_refused(self, index: int) -> bool:
        return index in self._invalid

    def record(self, index: int, outcome: Outcome) -> None:
        if index not in self._invalid:
            self.outcomes[index] = outcome

    def add(self, outcome: Outcome, rows: int) -> None:
        """`rows` more rows had `outcome` (counted in bulk, not row by row)."""
        self.counted[outcome] = self.counted.get(outcome, 0) + rows

    def counts(self) -> Iterator[tuple[Outcome, int]]:
        for outcome in Outcome:
            one_by_one = sum(1 for value in self.outcomes.values() if value is outcome)
            yield outcome, one_by_one + self.counted.get(outcome, 0)


class RowInError(dict[str, Any]):
    """A row some of whose cells could not be read (`columns_in_error`, each None here).

    An import hands it to the batch service with the others, so that one pass finds
    every problem of the row: the service checks what the rest of it would do (its
    references, its rules) and never writes it. What a rule says about a column already
    in error the caller leaves out: the cell's own problem says it first.
    """

    def __init__(self, values: Mapping[str, Any], *, columns_in_error: frozenset[str]) -> None:
        super().__init__(values)
        self.columns_in_error = columns_in_error


def columns_in_error(row: Mapping[str, Any]) -> frozenset[str]:
    """The columns of `row` whose cells could not be read; none for a row read whole."""
    if isinstance(row, RowInError):
        return row.columns_in_error
    return frozenset()


class RecordsChanged(Exception):
    """Records a batch read were changed by another transaction before it wrote them.

    Batch services lock nothing while they validate (locks on thousands of rows would
    cost more than the rest of an import): they write with an optimistic check, and
    raise this when it fails. The import stops and is rolled back; run again, it
    validates against what is there now.
    """
