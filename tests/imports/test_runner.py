"""The runner and registry, with kinds made up for the test where the real ones cannot show it."""

import io

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from accounts.permissions import Capability
from audit.models import AuditEvent
from core.batch import columns_in_error
from imports import kinds
from imports.kinds import BatchResult, Column, ImportKind, Outcome, UnknownKind, get_kind, register
from imports.runner import MAX_ERRORS, ImportNotAllowed, count_rows, import_csv
from lines import importers
from lines.importers import LinesImport
from lines.models import Line
from lines.services import line_create
from records import upserts as engine  # where the lines batch inserts
from reference.models import CommandArea, Force

from .utils import LINES_HEADER, line_rows

pytestmark = pytest.mark.django_db


def csv_bytes(*lines: str) -> io.BytesIO:
    return io.BytesIO(("\n".join(lines) + "\n").encode())


class SuccessorImport(ImportKind):
    """Lines that may replace a disrupted line: `replaces` must name a line that the
    database or an earlier row of the same file holds; rows marked `ignore` are skipped.
    Its blocks are 3 rows, so that references cross blocks."""

    name = "test_successors"
    title = "Successor lines"
    key = ("reference",)
    capability = Capability.CHANGE_LINES
    block_size = 3

    columns = (
        Column("reference", required=True),
        Column("replaces"),
        Column("ignore"),
    )

    def write(self, rows):
        result = BatchResult(size=len(rows))
        wanted = {row["replaces"] for row in rows if row.get("replaces")}
        known = set(Line.objects.filter(reference__in=wanted).values_list("reference", flat=True))
        for index, row in enumerate(rows):
            if row.get("ignore"):
                result.record(index, Outcome.SKIPPED)
                continue
            if columns_in_error(row):
                result.set_aside(index)
                continue
            if row.get("replaces") and row["replaces"] not in known:
                result.refuse(index, "replaces", f"No line {row['replaces']}.")
                continue
            line_create(
                user=self.user,
                reference=row["reference"],
                name="Successor",
                origin_force=Force.objects.get(short_name="Merseyside"),
                command_areas=CommandArea.objects.filter(name="York"),
                first_identified="2021-01-01",
            )
            known.add(row["reference"])
            result.record(index, Outcome.CREATED)
        return result


@pytest.fixture
def successors(monkeypatch):
    monkeypatch.setitem(kinds._REGISTRY, SuccessorImport.name, SuccessorImport)
    return SuccessorImport


def run(kind, *lines, **options):
    return import_csv(kind=kind, source=csv_bytes(*lines), source_name="f.csv", **options)


def test_a_row_may_refer_to_a_record_an_earlier_row_of_the_same_file_wrote(successors):
    # D refers to A, written by the first block of three rows.
    result = run("test_successors", "reference,replaces", "A,", "B,A", "C,B", "D,A", "E,D")

    assert result.ok, result.error_lines("f.csv")
    assert result.summary == "created 5, updated 0, unchanged 0, skipped 0"


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


def test_progress_is_reported_after_every_block_and_at_the_end(monkeypatch):
    monkeypatch.setattr(LinesImport, "block_size", 100)
    seen = []

    run("lines", LINES_HEADER, *line_rows(205), progress=seen.append)

    assert seen == [100, 200, 205]


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


def statements(kind: str, header: str, rows: list[str]) -> int:
    with CaptureQueriesContext(connection) as captured:
        result = run(kind, header, *rows)
    assert result.ok, result.error_lines("f.csv")
    return len(captured)


def test_statements_per_block_do_not_grow_with_its_rows():
    """Reference data is looked up in memory and a block is written in bulk: 1,000 rows
    cost no more statements than 100 (both fit one block)."""
    hundred = statements("lines", LINES_HEADER, line_rows(100, start=1))
    thousand = statements("lines", LINES_HEADER, line_rows(1000, start=1000))

    assert thousand <= hundred + 2
    assert hundred <= 20


def test_statements_grow_with_blocks_not_rows(monkeypatch):
    monkeypatch.setattr(LinesImport, "block_size", 100)
    one_block = statements("lines", LINES_HEADER, line_rows(100, start=1))
    ten_blocks = statements("lines", LINES_HEADER, line_rows(1000, start=1000))

    assert ten_blocks - one_block <= 9 * (one_block - 1)


def test_statements_per_block_of_line_numbers_do_not_grow_with_its_rows(tmp_path):
    run("lines", LINES_HEADER, *line_rows(1000, start=1))
    numbers = "line_reference,number,attributed_from,attributed_to"

    def rows(count: int, first: int) -> list[str]:
        return [f"L{n:05d},07712 {first + n:06d},2021-02-01," for n in range(1, count + 1)]

    hundred = statements("line_numbers", numbers, rows(100, 0))
    thousand = statements("line_numbers", numbers, rows(1000, 5000))

    assert thousand <= hundred + 2
    assert hundred <= 20


@pytest.mark.parametrize("position", ["first", "middle", "last"])
def test_a_bad_row_anywhere_in_a_block_or_in_the_last_block_writes_nothing(monkeypatch, position):
    monkeypatch.setattr(LinesImport, "block_size", 10)
    rows = line_rows(35)  # blocks of 10, 10, 10 and 5
    bad_index = {"first": 10, "middle": 15, "last": 34}[position]
    rows[bad_index] = rows[bad_index].replace("Merseyside Police", "Atlantis Police")

    result = run("lines", LINES_HEADER, *rows)

    [error] = result.error_lines("f.csv")
    assert error.startswith(f"f.csv:{bad_index + 2}: origin_force: Unknown force “Atlantis")
    assert result.rows == 35
    assert not Line.objects.exists()
    assert not AuditEvent.objects.exists()


def test_errors_across_blocks_are_in_file_order_and_at_most_50(monkeypatch):
    monkeypatch.setattr(LinesImport, "block_size", 7)
    rows = []
    for n in range(60):  # a cell error, then a rule error (closed before identified)
        if n % 2:
            rows.append(f"E{n},Broken,Nowhere,York,2021-01-01,")
        else:
            rows.append(f"E{n},Backwards,Merseyside,York,2021-03-01,2021-01-01")

    result = run("lines", LINES_HEADER, *rows)

    lines = [error.line for error in result.errors]
    assert result.error_count == 60
    assert lines == list(range(2, 52))
    assert [error.column for error in result.errors[:2]] == ["closed_on", "origin_force"]


def test_a_database_error_in_the_last_block_rolls_everything_back(monkeypatch):
    monkeypatch.setattr(LinesImport, "block_size", 10)
    calls = []
    real_insert = engine.insert_rows

    def insert_failing_in_the_third_block(model, fields, rows, **options):
        if model is Line:
            calls.append(len(rows))
            if len(calls) == 3:
                raise IntegrityError('duplicate key value violates unique constraint "x"')
        return real_insert(model, fields, rows, **options)

    monkeypatch.setattr(engine, "insert_rows", insert_failing_in_the_third_block)

    result = run("lines", LINES_HEADER, *line_rows(25))

    assert result.error_lines("f.csv") == [
        "f.csv:22: (file): The database refused the rows on lines 22 to 26, so nothing was "
        'imported: duplicate key value violates unique constraint "x". If another import or '
        "an officer was changing the same records, import the file again."
    ]
    assert calls == [10, 10, 5]
    assert not Line.objects.exists()
    assert not AuditEvent.objects.exists()


def test_an_error_in_the_last_row_of_a_hundred_blocks_leaves_nothing_written(monkeypatch):
    """A big file: ninety-nine blocks written, then one bad row, and all of it undone.
    (Blocks of 50 rather than thousands: as many blocks as a 200,000-row file has, in
    the time of a small one.)"""
    monkeypatch.setattr(LinesImport, "block_size", 50)
    rows = line_rows(5_000)
    rows[4_999] = rows[4_999].replace("2021-01-", "2021-13-")

    result = run("lines", LINES_HEADER, *rows)

    [error] = result.error_lines("f.csv")
    assert error.startswith("f.csv:5001: first_identified: ")
    assert result.rows == 5_000
    assert not Line.objects.exists()
    assert not AuditEvent.objects.exists()


def test_every_import_has_its_own_id():
    first = run("lines", LINES_HEADER, *line_rows(2))
    second = run("lines", LINES_HEADER, *line_rows(2))

    assert len(first.import_id) == 32
    assert first.import_id != second.import_id


def test_a_user_without_the_kinds_capability_cannot_import(administrator):
    with pytest.raises(ImportNotAllowed):
        run("lines", LINES_HEADER, *line_rows(2), user=administrator)

    assert not Line.objects.exists()


def test_a_number_spelled_many_times_is_parsed_once_per_import(monkeypatch):
    parsed = []
    real_parse = importers.parse_number
    monkeypatch.setattr(
        importers, "parse_number", lambda text: parsed.append(text) or real_parse(text)
    )
    run("lines", LINES_HEADER, *line_rows(3))
    numbers = [f"L{n:05d},07712 345678,2021-0{n}-01,2021-0{n}-02" for n in (1, 2, 3)]

    result = run("line_numbers", "line_reference,number,attributed_from,attributed_to", *numbers)

    assert result.ok, result.error_lines("f.csv")
    assert parsed == ["07712 345678"]


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
