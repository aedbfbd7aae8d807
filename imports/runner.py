"""The one import mechanism: `import_csv()` runs any registered kind over a CSV file.

The command and the upload page both call it; it implements interfaces.md §1:

- Streaming, one pass: the file is read line by line and handed to `csv.reader`; each
  row's cells are parsed by the kind's columns, and valid rows are gathered into
  blocks of a few thousand (`ImportKind.block_size`) that the kind's batch service
  validates and writes in a few statements. Nothing outlives its block but the counts
  and at most 50 errors, so memory does not grow with the file.
- All or nothing, in one transaction: blocks are written as they fill, so a later row
  can refer to a record an earlier block wrote (through the database; within a block
  the service resolves it); at the end the transaction is rolled back if any row was
  invalid or this is a dry run. A dry run therefore checks exactly what a real import
  would, references between rows included. There is no savepoint per row or block: a
  service refuses an invalid row before writing anything of it, and if the database
  refuses a block anyway (another import wrote the same record at the same moment),
  the whole import is rolled back and the problem reported on the block's lines.
- Errors read `PATH:LINE: COLUMN: message`, in the order of the file. LINE is the
  physical line where the row starts (header = 1; a quoted cell may span lines, which
  `reader.line_num` accounts for). Problems with the file itself (not UTF-8, empty,
  no header, an unreadable row) name the pseudo-column `(file)`.
- Every import has an id: each record's audit event (written in bulk by the batch
  services) and the one `import` event with the counts carry it.

Reading and parsing are `imports.reading`'s (on a thread of their own, a block ahead
of the writing); this module writes the blocks and keeps the result.
"""

import getpass
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction

from audit.services import Action, audit_event_record
from core.batch import Outcome, RecordsChanged

from .kinds import ImportKind, get_kind, kind_named_by
from .reading import (
    BlockParser,
    ColumnAt,
    ParsedBlock,
    RowError,
    Unreadable,
    count_rows,
    read_records,
)

__all__ = ["MAX_ERRORS", "ImportNotAllowed", "ImportResult", "RowError", "count_rows", "import_csv"]

MAX_ERRORS = 50
FILE = "(file)"

# Called with the number of rows processed so far, after each block and at the end.
Progress = Callable[[int], None]


@dataclass
class ImportResult:
    kind: str
    dry_run: bool = False
    import_id: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    # The first and last line of the block being written, for a database's refusal.
    block_lines: tuple[int, int] = (1, 1)

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

    def count(self, outcome: Outcome, rows: int = 1) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + rows)


class ImportNotAllowed(PermissionDenied):
    """The user may not import this kind of file."""


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
    command's PATH, the uploaded file's name), used in the audit log. `user` is the
    person importing, None for the command (run by whoever may run commands on the
    server). `progress` is called with the number of rows processed after each block.
    `audit_detail` is added to the detail of every audit event the import writes.
    Raises `UnknownKind` for an unknown kind name and `ImportNotAllowed` when the user
    may not import the kind; every problem with the file's content is returned in the
    result, never raised.
    """
    kind_class = get_kind(kind) if isinstance(kind, str) else kind
    if not kind_class.allows(user):
        raise ImportNotAllowed(f"Importing {kind_class.name} files needs {kind_class.capability}.")
    result = ImportResult(kind=kind_class.name, dry_run=dry_run, import_id=uuid.uuid4().hex)
    detail = {"import": result.import_id, **(audit_detail or {})}
    importer = kind_class(user=user, audit_detail=detail)
    try:
        with transaction.atomic():
            _run(importer, source, result, progress)
            if result.ok and not dry_run:
                _audit_import(importer, result, source_name, detail)
            else:
                transaction.set_rollback(True)
    except (DatabaseError, RecordsChanged) as error:
        first, last = result.block_lines
        result.add_error(first, FILE, _refusal(importer, error, first, last))
    if progress is not None:
        progress(result.rows)
    return result


def _refusal(importer: ImportKind, error: Exception, first: int, last: int) -> str:
    """Why the database (or a batch service's optimistic check) refused a block."""
    where = f"lines {first} to {last}"
    again = f"Nothing was imported ({where} were being written): import the file again."
    if isinstance(error, RecordsChanged):
        return f"{error} {again}"
    text = str(error).strip()
    for constraint, message in importer.constraint_messages.items():
        if constraint in text:
            return f"{message} {again}"
    reason = text.splitlines()[0] if text else type(error).__name__
    return (
        f"The database refused the rows on {where}, so nothing was imported: {reason}. "
        "If another import or an officer was changing the same records, import the file again."
    )


def _audit_import(
    importer: ImportKind, result: ImportResult, source_name: str, detail: dict[str, Any]
) -> None:
    who = {}
    if importer.user is None:
        # The command: the law wants the person identified, and only the server knows them.
        who = {"via": "manage.py import_csv", "system_user": getpass.getuser()}
    audit_event_record(
        action=Action.IMPORT,
        user=importer.user,
        object_type="imports.file",
        object_label=f"{importer.name} file {source_name}",
        detail={
            "kind": importer.name,
            "file": source_name,
            **result.counts(),
            **importer.import_audit_detail(),
            "capability": str(importer.capability),
            **who,
            **detail,
        },
    )


def _run(
    importer: ImportKind, source: BinaryIO, result: ImportResult, progress: Progress | None
) -> None:
    records = read_records(source)
    try:
        first = next(records, None)
    except Unreadable as error:
        result.add_error(error.line, FILE, error.message)
        return
    if first is None:
        result.add_error(
            1, FILE, "The file is empty: its first row must be a header naming the columns."
        )
        return
    line, header = first
    columns = _match_header(importer, header, line, result)
    if columns is None:
        return
    importer.prepare()
    with BlockParser(importer, records, columns) as blocks:
        for block in blocks:
            _write(importer, block, result)
            if block.is_full and progress is not None:
                progress(result.rows)
            if block.unreadable is not None:
                result.add_error(block.unreadable.line, FILE, block.unreadable.message)
    if result.ok:
        importer.finish()


def _write(importer: ImportKind, block: ParsedBlock, result: ImportResult) -> None:
    """Hand a block's rows to the kind's batch service; report every problem in file order."""
    result.rows += block.rows_read
    result.count(Outcome.SKIPPED, block.skipped)
    errors = block.errors
    if block.read is not None:
        # A kind that read its rows itself reported their problems by line already.
        result.block_lines = block.lines
        for outcome, rows in importer.write(block.read).counts():
            result.count(outcome, rows)
    elif block.rows:
        result.block_lines = (block.rows[0][0], block.rows[-1][0])
        batch = importer.write([values for _line, values in block.rows])
        # A column already in error keeps its first problem: what a rule says of it
        # then (a value missing, where the cell could not be read) says nothing new.
        in_error = {(error.line, error.column) for error in errors}
        for problem in batch.problems:
            line = block.rows[problem.index][0]
            column = importer.column_for(problem.field)
            if (line, column) not in in_error:
                in_error.add((line, column))
                errors.append(RowError(line, column, problem.message))
        for outcome, rows in batch.counts():
            result.count(outcome, rows)
    errors.sort(key=lambda error: error.line)  # stable: a row's problems keep their order
    for error in errors:
        result.add_error(error.line, error.column, error.message)


def _match_header(
    importer: ImportKind, header: list[str], line: int, result: ImportResult
) -> list[ColumnAt] | None:
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
        other = kind_named_by(set(positions), other_than=importer.name)
        if other is not None:
            result.add_error(line, FILE, _looks_like(other))
            return None
        expected = ", ".join(column.name for column in importer.columns)
        result.add_error(
            line,
            FILE,
            f"The file has no header: its first row must name the columns of a "
            f"“{importer.name}” file ({expected}).",
        )
        return None
    missing = False
    for column, index in columns:
        if index is None and column.required:
            result.add_error(line, column.name, "This required column is missing from the header.")
            missing = True
        elif column.name.casefold() in duplicates:
            result.add_error(line, column.name, "This column appears more than once in the header.")
    other = kind_named_by(set(positions), other_than=importer.name) if missing else None
    if other is not None:
        result.add_error(line, FILE, _looks_like(other))
    return None if result.error_count else columns


def _looks_like(other: type[ImportKind]) -> str:
    return (
        f"This looks like a “{other.name}” file ({other.title}): its header has that kind's "
        "columns. Import it as that kind."
    )
