"""The one import mechanism: `import_csv()` runs any registered kind over a CSV file.

The command and the upload page both call it; it implements interfaces.md §1:

- Streaming, one pass: the file is read line by line and handed to `csv.reader`;
  each row is parsed, written and forgotten. Nothing per row is kept (only the
  counts and at most 50 errors), so memory does not grow with the file.
- All or nothing, in one transaction: rows are written as they are read, so a
  later row can refer to a record an earlier row created (through the database,
  not through a list in memory); at the end the transaction is rolled back if any
  row was invalid or this is a dry run. A dry run therefore checks exactly what
  a real import would, references between rows included.
- Every row runs in a savepoint: a row the database refuses is undone on its own
  and validation carries on, so one file reports up to 50 problems at once.
- Errors read `PATH:LINE: COLUMN: message`. LINE is the physical line where the
  row starts (header = 1; a quoted cell may span lines, which `reader.line_num`
  accounts for). Problems with the file itself (not UTF-8, empty, no header, an
  unreadable row) name the pseudo-column `(file)`.

We decode each line ourselves rather than wrap the file in io.TextIOWrapper, so
that a byte that is not UTF-8 is reported on the line it is on (TextIOWrapper
decodes 8 KB at a time and cannot say where); `\\n` never occurs inside a UTF-8
multi-byte sequence, so splitting the bytes on it first is safe.
"""

import codecs
import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DataError, IntegrityError, transaction

from audit.services import Action, audit_event_record

from .kinds import Column, ImportKind, Outcome, get_kind

MAX_ERRORS = 50
FILE = "(file)"
# How often (in rows) the runner tells its caller how far it has got.
PROGRESS_EVERY = 100

Progress = Callable[[int], None]


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def format(self, path: str) -> str:
        message = " ".join(self.message.split())  # one problem, one line
        return f"{path}:{self.line}: {self.column}: {message}"

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "message": self.message}


@dataclass
class ImportResult:
    kind: str
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def summary(self) -> str:
        """The success line of interfaces.md §1."""
        return (
            f"created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, skipped {self.skipped}"
        )

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
        }

    def error_lines(self, path: str) -> list[str]:
        return [error.format(path) for error in self.errors]

    def add_error(self, line: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(line, column, message))

    def count(self, outcome: Outcome) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)


class _Unreadable(Exception):
    """The file cannot be read on from `line`: reading stops, the problem is reported."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _decoded_lines(source: Iterable[bytes]) -> Iterator[str]:
    """The file's lines as text; a UTF-8 byte-order mark at the start is dropped."""
    for number, raw in enumerate(source, start=1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _Unreadable(
                number,
                f"The file is not UTF-8 (byte 0x{raw[error.start]:02X} on this line is not "
                "valid UTF-8). Save it as “CSV UTF-8” and try again.",
            ) from None


def _is_blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def _records(source: BinaryIO) -> Iterator[tuple[int, list[str]]]:
    """(line where the record starts, cells) for each non-blank record of the file."""
    reader = csv.reader(_decoded_lines(source))
    previous = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _Unreadable(previous + 1, f"This row cannot be read as CSV ({error}).") from None
        start, previous = previous + 1, reader.line_num
        if not _is_blank(cells):
            yield start, cells


def import_csv(
    *,
    kind: str | type[ImportKind],
    source: BinaryIO,
    source_name: str,
    user=None,
    dry_run: bool = False,
    progress: Progress | None = None,
    audit_detail: dict[str, Any] | None = None,
) -> ImportResult:
    """Validate and (unless `dry_run` or any row is invalid) write one CSV file.

    `source` is a binary file object; `source_name` is what the user calls it (the
    command's PATH, the uploaded file's name), used in the audit log. `progress` is
    called with the number of rows processed every PROGRESS_EVERY rows. Raises
    `UnknownKind` for an unknown kind name; every problem with the file's content
    is returned in the result, never raised.
    """
    kind_class = get_kind(kind) if isinstance(kind, str) else kind
    importer = kind_class(user=user)
    result = ImportResult(kind=kind_class.name, dry_run=dry_run)
    with transaction.atomic():
        _run(importer, source, result, progress)
        if result.ok and not dry_run:
            audit_event_record(
                action=Action.IMPORT,
                user=user,
                object_type="imports.file",
                object_label=f"{kind_class.name} file {source_name}",
                detail={
                    "kind": kind_class.name,
                    "file": source_name,
                    **result.counts(),
                    **(audit_detail or {}),
                },
            )
        else:
            transaction.set_rollback(True)
    if progress is not None:
        progress(result.rows)
    return result


def count_rows(source: BinaryIO) -> int:
    """The number of non-blank records after the header (as far as the file can be read).

    A cheap streaming pass, used to size the progress bar and to decide whether an
    upload is checked in the request or in a background task.
    """
    rows = -1  # the header
    try:
        for _line, _cells in _records(source):
            rows += 1
    except _Unreadable:
        pass
    return max(rows, 0)


def _run(
    importer: ImportKind, source: BinaryIO, result: ImportResult, progress: Progress | None
) -> None:
    records = _records(source)
    try:
        first = next(records, None)
        if first is None:
            result.add_error(
                1, FILE, "The file is empty: its first row must be a header naming the columns."
            )
            return
        line, header = first
        columns = _match_header(importer, header, line, result)
        if columns is None:
            return
        for line, cells in records:
            result.rows += 1
            _import_row(importer, columns, line, cells, result)
            if progress is not None and result.rows % PROGRESS_EVERY == 0:
                progress(result.rows)
    except _Unreadable as error:
        result.add_error(error.line, FILE, error.message)


def _match_header(
    importer: ImportKind, header: list[str], line: int, result: ImportResult
) -> list[tuple[Column, int | None]] | None:
    """Each column of the kind with its position in the file (None when absent)."""
    positions: dict[str, int] = {}
    duplicates = set()
    for index, cell in enumerate(header):
        name = cell.strip().casefold()
        if name in positions:
            duplicates.add(name)
        positions.setdefault(name, index)
    columns = [(column, positions.get(column.name.casefold())) for column in importer.columns]
    if all(index is None for _column, index in columns):
        expected = ", ".join(column.name for column in importer.columns)
        result.add_error(
            line,
            FILE,
            f"The file has no header: its first row must name the columns of a "
            f"“{importer.name}” file ({expected}).",
        )
        return None
    for column, index in columns:
        if index is None and column.required:
            result.add_error(line, column.name, "This required column is missing from the header.")
        elif column.name.casefold() in duplicates:
            result.add_error(line, column.name, "This column appears more than once in the header.")
    return None if result.error_count else columns


def _import_row(
    importer: ImportKind,
    columns: list[tuple[Column, int | None]],
    line: int,
    cells: list[str],
    result: ImportResult,
) -> None:
    values: dict[str, Any] = {}
    problems = 0
    for column, index in columns:
        if index is None:
            continue  # an optional column the file does not have: the row says nothing of it
        text = cells[index].strip() if index < len(cells) else ""
        if not text:
            values[column.name] = None
            if column.required:
                result.add_error(
                    line, column.name, "This column is required but the cell is empty."
                )
                problems += 1
            continue
        try:
            values[column.name] = column.parse(text)
        except ValidationError as error:
            for message in error.messages:
                result.add_error(line, column.name, message)
            problems += 1
    if problems:
        return
    try:
        # A savepoint per row: a refused row is undone alone, the import carries on checking.
        with transaction.atomic():
            outcome = importer.apply(values)
    except ValidationError as error:
        for name, messages in _by_field(error):
            for message in messages:
                result.add_error(line, importer.column_for(name), message)
    except (IntegrityError, DataError) as error:
        result.add_error(line, importer.key[0], f"The database refused this row: {error}")
    else:
        result.count(outcome)


def _by_field(error: ValidationError) -> list[tuple[str, list[str]]]:
    if hasattr(error, "error_dict"):
        return list(error.message_dict.items())
    return [(NON_FIELD_ERRORS, error.messages)]
