"""The runner and registry, with kinds made up for the test where the real ones cannot show it."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from imports import kinds
from imports.kinds import Column, ImportKind, Outcome, UnknownKind, get_kind, register
from imports.runner import MAX_ERRORS, PROGRESS_EVERY, count_rows, import_csv
from lines.models import Line
from lines.services import line_create
from reference.models import CommandArea, Force

from .utils import LINES_HEADER, line_rows

pytestmark = pytest.mark.django_db


def csv_bytes(*lines: str) -> io.BytesIO:
    return io.BytesIO(("\n".join(lines) + "\n").encode())


class SuccessorImport(ImportKind):
    """Lines that may replace a disrupted line: `replaces` must name a line that the
    database or an earlier row of the same file holds; rows marked `ignore` are skipped."""

    name = "test_successors"
    title = "Successor lines"
    key = ("reference",)

    columns = (
        Column("reference", required=True),
        Column("replaces"),
        Column("ignore"),
    )

    def apply(self, row):
        if row.get("ignore"):
            return Outcome.SKIPPED
        if row.get("replaces") and not Line.objects.filter(reference=row["replaces"]).exists():
            raise ValidationError({"replaces": f"No line {row['replaces']}."})
        line_create(
            user=self.user,
            reference=row["reference"],
            name="Successor",
            origin_force=Force.objects.get(short_name="Merseyside"),
            command_areas=CommandArea.objects.filter(name="York"),
            first_identified="2021-01-01",
        )
        return Outcome.CREATED


@pytest.fixture
def successors(monkeypatch):
    monkeypatch.setitem(kinds._REGISTRY, SuccessorImport.name, SuccessorImport)
    return SuccessorImport


def run(kind, *lines, **options):
    return import_csv(kind=kind, source=csv_bytes(*lines), source_name="f.csv", **options)


def test_a_row_may_refer_to_a_record_an_earlier_row_of_the_same_file_wrote(successors):
    result = run("test_successors", "reference,replaces", "A,", "B,A", "C,B")

    assert result.ok, result.error_lines("f.csv")
    assert result.summary == "created 3, updated 0, unchanged 0, skipped 0"


def test_earlier_rows_are_visible_to_later_ones_in_a_dry_run_too(successors):
    result = run("test_successors", "reference,replaces", "A,", "B,A", dry_run=True)

    assert result.ok
    assert not Line.objects.exists()


def test_a_reference_to_a_later_row_or_to_nothing_is_an_error(successors):
    result = run("test_successors", "reference,replaces", "B,A", "A,", "C,Z")

    assert result.error_lines("f.csv") == [
        "f.csv:2: replaces: No line A.",
        "f.csv:4: replaces: No line Z.",
    ]
    assert not Line.objects.exists()


def test_skipped_rows_are_counted(successors):
    result = run("test_successors", "reference,ignore", "A,", "B,yes", "C,yes")

    assert result.summary == "created 1, updated 0, unchanged 0, skipped 2"


def test_validation_goes_on_after_50_errors_but_keeps_only_50(successors):
    rows = [f"R{n},NOWHERE" for n in range(80)]

    result = run("test_successors", "reference,replaces", *rows)

    assert result.error_count == 80
    assert len(result.errors) == MAX_ERRORS
    assert result.rows == 80


def test_progress_is_reported_every_so_many_rows_and_at_the_end(tmp_path):
    seen = []

    run("lines", LINES_HEADER, *line_rows(PROGRESS_EVERY * 2 + 5), progress=seen.append)

    assert seen == [PROGRESS_EVERY, PROGRESS_EVERY * 2, PROGRESS_EVERY * 2 + 5]


def test_an_unreadable_row_stops_reading_and_names_its_line():
    huge = "x" * 200_000  # more than the csv module accepts in one cell

    result = run("lines", LINES_HEADER, "L1,Dolla,Merseyside,York,2021-01-01,", f'L2,"{huge}"')

    [error] = result.error_lines("f.csv")
    assert error.startswith("f.csv:3: (file): This row cannot be read as CSV (field larger")


def test_cells_missing_at_the_end_of_a_short_row_are_empty():
    result = run("lines", LINES_HEADER, "L1,Dolla,Merseyside,York")

    assert result.error_lines("f.csv") == [
        "f.csv:2: first_identified: This column is required but the cell is empty."
    ]


def test_queries_per_row_are_few_and_constant():
    """Reference data is looked up in memory: no query per command area or force."""

    def queries(count: int, start: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            result = run("lines", LINES_HEADER, *line_rows(count, start=start))
        assert result.ok
        return len(captured)

    ten, twenty = queries(10, start=1), queries(20, start=100)
    per_row = (twenty - ten) / 10

    assert per_row == int(per_row)
    assert queries(30, start=200) - twenty == 10 * per_row
    assert per_row <= 15


def test_count_rows_counts_records_not_lines():
    source = csv_bytes(LINES_HEADER, 'L1,"two', 'lines",x', "", "L2,b")

    assert count_rows(source) == 2


def test_count_rows_of_an_empty_or_unreadable_file_is_0():
    assert count_rows(io.BytesIO(b"")) == 0
    assert count_rows(io.BytesIO(b"\xff\xfe")) == 0


def test_unknown_kind_names_the_known_ones():
    with pytest.raises(UnknownKind, match="The known kinds are: lines, line_numbers"):
        get_kind("persons-typo")


def test_two_kinds_cannot_share_a_name():
    class Impostor(ImportKind):
        name = "lines"

    with pytest.raises(ValueError, match="Two import kinds are called 'lines'"):
        register(Impostor)
